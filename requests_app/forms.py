import uuid
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Agency, ProtectiveMarking, User
from accounts.selectors import designated_managers_of
from agreements.models import Legislation
from agreements.selectors import agreements_for_request
from agreements.services import agreement_usable_problem
from isp_portal.forms import (
    GovukDateField,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    add_submission_token,
    choice,
    govuk_messages,
    model_choice,
    never_optional,
    set_reveals,
)
from isp_portal.limits import MESSAGE_LENGTH, TEXT_LENGTH
from requests_app.models import (
    CONSENT_ROLES,
    ConsentBasis,
    ConsentObtained,
    Decision,
    DeliveryMethod,
    InformationRequest,
    InformationType,
    Outcome,
    PersonRole,
    SubjectInformed,
)
from requests_app.timescales import due_date_hint

YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool:
    return value == "yes"


@govuk_messages
class AboutForm(forms.ModelForm):
    """Part A, the first task: who is asked, under which agreement, for what and by when."""

    required_by = GovukDateField(
        label="Date the information is required by",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the date the information is required by"},
    )
    is_urgent = forms.TypedChoiceField(
        label="Is this request urgent?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=_yes_no,
        error_messages={"required": "Select yes if the request is urgent"},
    )
    also_ask = SafeModelMultipleChoiceField(
        label="Other agencies to ask the same",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "Each agency you tick gets a request of its own, with its own reference, due "
            "date and decision. None of them is told that the others were asked."
        ),
    )
    # Sent with the new-request form: a second post of it (a double click, a browser retry,
    # the back button) finds the draft the first one made instead of making another.
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = InformationRequest
        fields = [
            "target_agency",
            "agreement",
            "description",
            "required_by",
            "is_urgent",
            "urgency_reason",
        ]
        labels = {
            "target_agency": "Agency you are asking",
            "agreement": "Agreement this request is made under",
            "description": "Information requested",
            "urgency_reason": "Why is the request urgent?",
        }
        help_texts = {
            "description": (
                "Describe the information required and the circumstances that have led to this "
                "request. Name each person in the next task, not here."
            ),
            "agreement": "Only agreements in force that your agency has signed are offered.",
        }
        error_messages = {
            "target_agency": {"required": "Select the agency you are asking"},
            "agreement": {"required": "Select the agreement this request is made under"},
            "description": {"required": "Enter the information you are requesting"},
        }
        field_classes = {"target_agency": SafeModelChoiceField, "agreement": SafeModelChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "urgency_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        agencies = Agency.objects.filter(left_on__isnull=True).exclude(pk=user.home_agency.pk)
        model_choice(self, "target_agency").queryset = agencies
        model_choice(self, "target_agency").empty_label = "Choose an agency"
        model_choice(self, "also_ask").queryset = agencies.order_by("name")
        # Agreements in force that the officer's own agency has signed; whether the agency
        # asked has signed too is checked in clean(), with a message saying why if not.
        model_choice(self, "agreement").queryset = agreements_for_request(
            requesting_agency=user.home_agency, target_agency=user.home_agency
        )
        self.fields["agreement"].required = True
        model_choice(self, "agreement").empty_label = "Choose an agreement"
        # Asked only when the request is urgent, and then needed: never "(optional)".
        set_reveals(self, "is_urgent", {"yes": ("urgency_reason",)})
        instance = self.instance
        self.fields["is_urgent"].help_text = due_date_hint(
            instance.target_agency if instance.target_agency_id else None,
            instance.agreement if instance.agreement_id else None,
            instance.required_by,
        )
        if instance.pk:
            self.initial["is_urgent"] = "yes" if instance.is_urgent else "no"
            self.initial["also_ask"] = list(instance.also_ask.values_list("pk", flat=True))
        else:
            self.initial.setdefault("creation_token", uuid.uuid4())

    def clean_required_by(self) -> Any:
        value = self.cleaned_data["required_by"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(
                "The date the information is required by must be today or in the future"
            )
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("is_urgent") and not (data.get("urgency_reason") or "").strip():
            self.add_error("urgency_reason", "Enter why the request is urgent")
        if not data.get("is_urgent"):
            data["urgency_reason"] = ""
        agreement, target = data.get("agreement"), data.get("target_agency")
        if agreement is not None and target is not None:
            problem = agreement_usable_problem(
                agreement=agreement, requesting_agency=self.user.home_agency, target_agency=target
            )
            if problem:
                self.add_error("agreement", problem)
        also_ask = list(data.get("also_ask") or [])
        if target is not None and target in also_ask:
            self.add_error(
                "also_ask",
                f"You are already asking {target.name}: untick it under other agencies to ask",
            )
        elif agreement is not None:
            # Every agency asked must be able to receive a request under the agreement,
            # under the same rule as the agency asked first.
            for agency in also_ask:
                problem = agreement_usable_problem(
                    agreement=agreement,
                    requesting_agency=self.user.home_agency,
                    target_agency=agency,
                )
                if problem:
                    self.add_error("also_ask", f"Asking {agency.name}: {problem}")
        return data


@govuk_messages
class ConsentForm(forms.ModelForm):
    """Part A, consent and public interest. Whether consent is needed depends on the people
    named, so the request's people are read here."""

    public_interest = forms.TypedChoiceField(
        label="Is it in the public interest to disclose?",
        help_text=(
            "Answer if someone named is not a victim, informant, witness or convicted "
            "offender, or if consent has not been obtained"
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=_yes_no,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = InformationRequest
        fields = ["consent_obtained", "public_interest", "public_interest_reason"]
        labels = {
            "consent_obtained": (
                "If someone named is a victim, informant, witness or convicted offender, "
                "has their consent been obtained?"
            ),
            "public_interest_reason": "Why is disclosure in the public interest?",
        }
        error_messages = {
            "consent_obtained": {"required": "Select whether consent has been obtained"},
        }
        widgets = {
            "consent_obtained": forms.RadioSelect,
            "public_interest_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "consent_obtained").choices = ConsentObtained.choices
        set_reveals(self, "public_interest", {"yes": ("public_interest_reason",)})
        if self.instance.public_interest is not None:
            self.initial["public_interest"] = "yes" if self.instance.public_interest else "no"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("public_interest") and not (data.get("public_interest_reason") or "").strip():
            self.add_error(
                "public_interest_reason", "Enter why disclosure is in the public interest"
            )
        if not data.get("public_interest"):
            data["public_interest_reason"] = ""
        needs_consent = self.instance.people.filter(role__in=CONSENT_ROLES).exists()
        if needs_consent and data.get("consent_obtained") == ConsentObtained.NOT_APPLICABLE:
            self.add_error(
                "consent_obtained",
                "Someone named is a victim, informant, witness or convicted offender: "
                "select whether their consent has been obtained",
            )
        return data


@govuk_messages
class LegislationForm(forms.ModelForm):
    """Part A, the legislation the request is made under: at least one, or another named."""

    legislation = SafeModelMultipleChoiceField(
        label="Which legislation is this request made under?",
        queryset=Legislation.objects.filter(on_request_form=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply",
    )
    has_other = forms.BooleanField(label="Other legislation", required=False)

    class Meta:
        model = InformationRequest
        fields = ["legislation", "legislation_other"]
        labels = {"legislation_other": "Name the other legislation"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("has_other", bool(self.instance.legislation_other))
        # One piece of legislation or another named is needed, so neither is "(optional)".
        never_optional(self, "legislation", "legislation_other")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        other = (data.get("legislation_other") or "").strip()
        if data.get("has_other") and not other:
            self.add_error("legislation_other", "Enter the name of the other legislation")
        if not data.get("has_other"):
            data["legislation_other"] = ""
        if not data.get("legislation") and not data.get("has_other") and not self.errors:
            self.add_error(
                "legislation",
                "Select the legislation this request is made under, or select other "
                "legislation and name it",
            )
        return data


@govuk_messages
class PersonForm(forms.Form):
    REQUIRED = {
        "full_name": "Enter the person’s full name",
        "role": "Choose whether this person is a victim, informant, witness, suspect or "
        "convicted offender",
    }

    full_name = forms.CharField(label="Full name", max_length=200)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 31 3 1980"
    )
    address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )
    role = forms.ChoiceField(
        label="Is this person a victim, informant, witness, suspect or convicted offender?",
        choices=PersonRole.choices,
        widget=forms.RadioSelect,
    )
    consent = forms.TypedChoiceField(
        label="Consent record",
        required=False,
        coerce=int,
        empty_value=None,
        help_text=(
            "Needed for a victim, informant, witness or convicted offender: the record of "
            "consent given, refused or not sought"
        ),
    )

    def __init__(
        self, *args: Any, consent_choices: list[tuple[Any, str]], number: int = 1, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choice(self, "consent").choices = [("", "No consent record"), *consent_choices]
        # Needed for some roles only, as its hint says.
        never_optional(self, "consent")
        # Messages name the person by their place on the request, as the summary lists
        # every person's problems together.
        who = f"person {number}"
        self.fields["full_name"].error_messages["required"] = f"Enter the full name of {who}"
        self.fields["role"].error_messages["required"] = f"Select the role of {who}"
        self.who = who

    def clean_date_of_birth(self) -> Any:
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError(f"The date of birth of {self.who} must be in the past")
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("role") in CONSENT_ROLES and data.get("consent") is None:
            role = PersonRole(data["role"]).label.lower()
            self.add_error(
                "consent",
                f"Select the consent record for {self.who}, a {role}. If they refused "
                "consent or it was not sought, record that in Consents first",
            )
        return data


# People named on one request: a household or a group of friends, not a list. The bound is
# checked before any form is built (absolute_max), and told beside the people.
MAX_PEOPLE = 20


def _marked_for_removal(form: forms.BaseForm) -> bool:
    """Whether a person's form has its "Remove" box ticked (and passed validation)."""
    return bool(getattr(form, "cleaned_data", {}).get(forms.formsets.DELETION_FIELD_NAME))


class BasePersonFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": (
            "A request can name at most %(num)d people. Make a separate request for the others"
        ),
    }

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        number = {"number": index + 1} if index is not None else {}
        return {**super().get_form_kwargs(index), **self.form_kwargs, **number}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if index is not None:
            form.fields["DELETE"].label = f"Remove person {index + 1} from this request"

    def clean(self) -> None:
        super().clean()
        named = [f for f in self.forms if f.has_changed() and not _marked_for_removal(f)]
        if not named and not any(f.errors for f in self.forms):
            raise forms.ValidationError(
                "Add at least one person the information is about", code="no_people"
            )


PersonFormSet = forms.formset_factory(
    PersonForm,
    formset=BasePersonFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_PEOPLE,
    absolute_max=MAX_PEOPLE,
    validate_max=True,
)


@govuk_messages
class DeclarationForm(forms.Form):
    declaration_name = forms.CharField(
        label="Type your full name to sign this request",
        max_length=200,
        error_messages={"required": "Enter your full name to sign the request"},
        help_text=(
            "By signing you confirm the information is needed for the purpose stated, and "
            "that you will use it only for that purpose, under the protocol."
        ),
    )


@govuk_messages
class QuestionForm(forms.Form):
    REQUIRED = {
        "question": "Enter what you need the requester to clarify",
    }

    question = forms.CharField(
        label="What do you need the requester to clarify?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_LENGTH,  # it is a message on the request's thread
    )


@govuk_messages
class AnswerForm(forms.Form):
    REQUIRED = {
        "answer": "Enter your answer",
    }

    answer = forms.CharField(
        label="Your answer",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MESSAGE_LENGTH,  # it is a message on the request's thread
    )


@govuk_messages
class ReferForm(forms.Form):
    REQUIRED = {
        "manager": "Choose the designated manager or Caldicott Guardian",
        "reason": "Enter why disclosure may breach confidentiality",
    }

    manager = SafeModelChoiceField(
        label="Designated manager / Caldicott Guardian", queryset=User.objects.none()
    )
    reason = forms.CharField(
        label="Why disclosure may breach confidentiality (ISP 4.5)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LENGTH,
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "manager").queryset = designated_managers_of(agency_id=agency.pk)
        model_choice(self, "manager").empty_label = "Choose a designated manager"


@govuk_messages
class AssignForm(forms.Form):
    """Who works on the request: one of ``officers``, or nobody (left empty)."""

    assignee = SafeModelChoiceField(
        label="Assign to", queryset=User.objects.none(), required=False, empty_label="Nobody"
    )

    def __init__(self, *args: Any, officers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "assignee").queryset = officers


@govuk_messages
class AdviceForm(forms.Form):
    REQUIRED = {
        "advice": "Enter your advice to the disclosing officer",
    }

    advice = forms.CharField(
        label="Your advice to the disclosing officer",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_LENGTH,
    )


@govuk_messages
class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing this request?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )


@govuk_messages
class OnwardAskForm(forms.Form):
    REQUIRED = {
        "third_party": "Enter who you want to pass the information to",
        "purpose": "Enter what the information would be used for",
    }

    third_party = forms.CharField(
        label="Who do you want to pass the information to?", max_length=250
    )
    purpose = forms.CharField(
        label="For what purpose?", widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LENGTH
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_submission_token(self)


@govuk_messages
class OnwardAnswerForm(forms.Form):
    REQUIRED = {
        "agree": "Choose yes if you consent to the information being passed on",
    }

    agree = forms.TypedChoiceField(
        label="Do you consent to the information being passed on?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
    )
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )


@govuk_messages
class AttachmentForm(forms.Form):
    REQUIRED = {
        "file": "Choose a file to upload",
    }

    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word, PNG, JPEG or plain text, up to 10 MB",
    )
    # A fresh token each time the form is shown; posting it twice attaches the file once.
    upload_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("upload_token", uuid.uuid4())


# The decision's task list: which fields each section asks. A field of the decision form
# in neither list (one added later) belongs to the Appendix G record; the signature is asked
# on the check and sign page.
PART_B_FIELDS = (
    "outcome",
    "decline_reason",
    "information_disclosed",
    "delivery_method",
    "delivery_other",
    "marking",
    "supplied_on",
)
SIGN_FIELDS = ("signature_name",)


class DecisionSection(models.TextChoices):
    PART_B = "part-b", "Part B: the disclosure"
    RECORD = "record", "Appendix G decision record"
    CHECKLIST = "checklist", "Information Sharing Checklist"


@govuk_messages
class DecisionForm(forms.ModelForm):
    """Part B of the form and the Appendix G paragraph 9 record.

    Whole, it checks a decision about to be signed; with ``section`` it asks one section of
    the task list, and ``context`` gives the answers saved in the other sections that its
    rules depend on (the outcome, for the record).
    """

    template_name = "requests_app/decision/_fields.html"

    information_types = forms.MultipleChoiceField(
        label="Types of information shared (ISP 4.7)",
        choices=InformationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=(
            "Select all that apply. The type, never the content, goes into the decision "
            "register. Not needed if you decline"
        ),
    )
    supplied_on = GovukDateField(
        label="Date supplied",
        required=False,
        help_text="Leave blank to record today. For example, 27 3 2026",
    )

    class Meta:
        model = Decision
        fields = [
            "outcome",
            "summary",
            "decline_reason",
            "reasons",
            "information_disclosed",
            "information_types",
            "information_types_other",
            "delivery_method",
            "delivery_other",
            "marking",
            "consent_basis",
            "subject_informed",
            "not_informed_reason",
            "authorised_by",
            "evidence",
            "third_parties",
            "supplied_on",
            "signature_name",
        ]
        labels = {
            "outcome": "Is disclosure agreed?",
            "summary": "Summary of the information (Appendix G 9(b))",
            "decline_reason": "Reason for declining the request",
            "reasons": "The decision and its reasons",
            "information_disclosed": "Information disclosed",
            "information_types_other": "Other type of information",
            "delivery_method": "How is the information shared?",
            "delivery_other": "How else is it shared?",
            "marking": "Protective marking",
            "consent_basis": "Is the information shared with consent?",
            "subject_informed": "Were the person or family informed?",
            "not_informed_reason": "Why were they not informed?",
            "authorised_by": "Who consented or authorised the disclosure?",
            "evidence": "Evidence the decision rests on (ISP 4.6)",
            "third_parties": "Third parties involved",
            "signature_name": "Type your full name to sign",
        }
        help_texts = {
            "information_disclosed": (
                "Type the information, or attach it as files in the Files section. Not needed "
                "if you decline"
            ),
            "marking": "Under the Government Security Classifications (ISP 9.10)",
            "summary": "A line or two for the decision register. Do not name anyone: the "
            "register is read by people who must not see names",
        }
        error_messages = {
            "outcome": {"required": "Select whether disclosure is agreed"},
            "reasons": {"required": "Enter the decision and its reasons"},
            "summary": {"required": "Enter a summary of the information for the register"},
            "marking": {"required": "Select the protective marking"},
            "consent_basis": {"required": "Select whether the information is shared with consent"},
            "subject_informed": {"required": "Select whether the person or family were informed"},
            "authorised_by": {"required": "Enter who consented to or authorised the disclosure"},
            "evidence": {"required": "Enter the evidence the decision rests on"},
            "delivery_method": {"required": "Select how the information is shared"},
            "signature_name": {"required": "Enter your full name to sign the decision"},
        }
        widgets = {
            "outcome": forms.RadioSelect,
            "consent_basis": forms.RadioSelect,
            "subject_informed": forms.RadioSelect,
            "delivery_method": forms.RadioSelect,
            "marking": forms.RadioSelect,
            "decline_reason": forms.Textarea(attrs={"rows": 3}),
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "information_disclosed": forms.Textarea(attrs={"rows": 8}),
            "not_informed_reason": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "third_parties": forms.Textarea(attrs={"rows": 2}),
        }

    # Answers that reveal a question (GOV.UK conditional reveal); the revealed question is
    # needed when shown, so its label never says "(optional)".
    REVEALS: dict[str, dict[str, tuple[str, ...]]] = {
        "outcome": {Outcome.DECLINED: ("decline_reason",)},
        "delivery_method": {DeliveryMethod.OTHER: ("delivery_other",)},
        "subject_informed": {SubjectInformed.NO: ("not_informed_reason",)},
        "information_types": {InformationType.OTHER: ("information_types_other",)},
    }

    def __init__(
        self,
        *args: Any,
        section: str | None = None,
        context: dict[str, Any] | None = None,
        files_attached: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.context = context or {}
        self.files_attached = files_attached
        for name, choices in (
            ("outcome", Outcome.choices),
            ("consent_basis", ConsentBasis.choices),
            ("subject_informed", SubjectInformed.choices),
            ("delivery_method", DeliveryMethod.choices),
            ("marking", ProtectiveMarking.choices),
        ):
            choice(self, name).choices = choices
        for name, reveals in self.REVEALS.items():
            set_reveals(self, name, reveals)
        # A recorded disclosure holds no content, so has neither field.
        never_optional(
            self,
            *(n for n in ("information_disclosed", "information_types") if n in self.fields),
        )
        if section is not None:
            keep = set(self.section_fields(section))
            for name in [n for n in self.fields if n not in keep]:
                del self.fields[name]

    @classmethod
    def section_fields(cls, section: str) -> tuple[str, ...]:
        if section == DecisionSection.PART_B:
            return PART_B_FIELDS
        if section == DecisionSection.RECORD:
            return tuple(
                name
                for name in cls._meta.fields or ()
                if name not in PART_B_FIELDS and name not in SIGN_FIELDS
            )
        return SIGN_FIELDS

    def _answer(self, name: str) -> Any:
        if name in self.fields:
            return self.cleaned_data.get(name)
        return self.context.get(name)

    def _problem(self, name: str, message: str) -> None:
        if name in self.fields:
            self.add_error(name, message)

    def _clear_unrevealed(self, data: dict[str, Any]) -> None:
        """An answer to a question its answer no longer reveals (typed, then the choice
        changed) is hidden from the person, so it is not kept."""
        for name, reveals in self.REVEALS.items():
            if name not in self.fields:
                continue
            chosen = data.get(name)
            chosen_values = set(chosen) if isinstance(chosen, list) else {chosen}
            for value, revealed in reveals.items():
                if value in chosen_values:
                    continue
                for question in revealed:
                    if question in self.fields and question in data:
                        data[question] = ""

    def clean_supplied_on(self) -> Any:
        value = self.cleaned_data.get("supplied_on")
        if value and value > timezone.localdate():
            # Retention is counted from this day: a future one would keep the information
            # for longer than the agreement allows.
            raise forms.ValidationError("The date supplied must be today or in the past")
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        outcome = self._answer("outcome")
        if outcome == Outcome.DECLINED and not (data.get("decline_reason") or "").strip():
            self._problem("decline_reason", "Enter the reason for declining the request")
        if outcome in {Outcome.DISCLOSED, Outcome.PARTIALLY_DISCLOSED}:
            if not (data.get("information_disclosed") or "").strip() and not self.files_attached:
                self._problem(
                    "information_disclosed",
                    "Enter the information disclosed, or attach it in the Files section",
                )
            if not data.get("information_types"):
                self._problem("information_types", "Select the types of information shared")
        self._clear_unrevealed(data)
        other_ticked = InformationType.OTHER in (data.get("information_types") or [])
        if other_ticked and not (data.get("information_types_other") or "").strip():
            self._problem("information_types_other", "Enter the other type of information")
        if (
            data.get("subject_informed") == SubjectInformed.NO
            and not (data.get("not_informed_reason") or "").strip()
        ):
            self._problem("not_informed_reason", "Enter why the person or family were not informed")
        if data.get("consent_basis") == ConsentBasis.CONSENT and data.get(
            "subject_informed"
        ) not in {None, SubjectInformed.NOT_APPLICABLE, SubjectInformed.YES}:
            self._problem(
                "subject_informed",
                "With consent, the person knows: select Yes or Not applicable",
            )
        if (
            data.get("delivery_method") == DeliveryMethod.OTHER
            and not (data.get("delivery_other") or "").strip()
        ):
            self._problem("delivery_other", "Enter how else the information is shared")
        return data
