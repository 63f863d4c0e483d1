import uuid
from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import Agency, User
from accounts.selectors import designated_managers_of
from agreements.models import Legislation
from agreements.selectors import agreements_for_request
from isp_portal.forms import GovukDateField, SafeModelChoiceField, SafeModelMultipleChoiceField
from isp_portal.limits import TEXT_LENGTH
from requests_app.models import (
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

YES_NO = [("yes", "Yes"), ("no", "No")]


class RequestForm(forms.ModelForm):
    """Part A of the Request/Disclosure form (ISP Appendix B)."""

    required_by = GovukDateField(
        label="Date information is required by", help_text="For example, 27 3 2027"
    )
    is_urgent = forms.TypedChoiceField(
        label="Is this request urgent?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        initial="no",
    )
    public_interest = forms.TypedChoiceField(
        label=(
            "If not a VIW or CO, or no consent has been obtained, "
            "is it in the public interest to disclose?"
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=False,
    )
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    legislation = SafeModelMultipleChoiceField(
        label="Under which piece of legislation",
        queryset=Legislation.objects.filter(on_request_form=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick all that apply",
    )

    class Meta:
        model = InformationRequest
        fields = [
            "target_agency",
            "agreement",
            "description",
            "required_by",
            "is_urgent",
            "urgency_reason",
            "consent_obtained",
            "public_interest",
            "public_interest_reason",
            "legislation",
            "legislation_other",
        ]
        labels = {
            "target_agency": "Agency you are asking",
            "agreement": "Agreement this request is made under",
            "description": "Information requested",
            "urgency_reason": "If urgent, please state reason",
            "consent_obtained": "If a VIW or CO, has consent been obtained?",
            "public_interest_reason": "Please state reason for public interest",
            "legislation_other": "Other (please state)",
        }
        help_texts = {
            "description": (
                "Describe the information required and the circumstances that have led to this "
                "request. Name each person below, not here."
            ),
            "agreement": "Only active agreements your agency is party to are offered.",
            "consent_obtained": "VIW or CO: victim, informant, witness or convicted offender",
        }
        field_classes = {"target_agency": SafeModelChoiceField, "agreement": SafeModelChoiceField}
        widgets = {
            "consent_obtained": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
            "urgency_reason": forms.Textarea(attrs={"rows": 2}),
            "public_interest_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_agency"].queryset = Agency.objects.filter(left_on__isnull=True).exclude(
            pk=user.agency_id
        )
        self.fields["target_agency"].empty_label = "Choose an agency"
        # Agreements in force that the officer's own agency has signed; the target agency's
        # signature is checked on submission, with a message saying why if it is missing.
        self.fields["agreement"].queryset = agreements_for_request(
            requesting_agency=user.agency, target_agency=user.agency
        )
        self.fields["agreement"].required = False
        self.fields["agreement"].empty_label = "Choose an agreement"
        self.fields["consent_obtained"].choices = ConsentObtained.choices
        if not self.instance.pk:
            self.initial.setdefault("creation_token", uuid.uuid4())
        if self.instance.pk:
            self.initial["is_urgent"] = "yes" if self.instance.is_urgent else "no"
            if self.instance.public_interest is not None:
                self.initial["public_interest"] = "yes" if self.instance.public_interest else "no"

    def clean_required_by(self) -> Any:
        value = self.cleaned_data["required_by"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(
                "The date the information is required by must be today or in the future"
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_urgent") and not (data.get("urgency_reason") or "").strip():
            self.add_error("urgency_reason", "Give the reason the request is urgent")
        return data


class PersonForm(forms.Form):
    full_name = forms.CharField(label="Name", max_length=200)
    address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=TEXT_LENGTH,
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 31 3 1980"
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
            "For a victim, informant, witness or convicted offender: the consent given, "
            "refused or not sought for them"
        ),
    )

    def __init__(self, *args: Any, consent_choices: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent"].choices = [("", "No consent record"), *consent_choices]

    def clean_date_of_birth(self) -> Any:
        value = self.cleaned_data.get("date_of_birth")
        if value and value > timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        return value


# People named on one request: a household or a group of friends, not a list. The bound is
# checked before any form is built (absolute_max), and told beside the people.
MAX_PEOPLE = 20


class BasePersonFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": (
            "A request can name at most %(num)d people. Make a separate request for the others"
        ),
    }

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), **self.form_kwargs}


PersonFormSet = forms.formset_factory(
    PersonForm,
    formset=BasePersonFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_PEOPLE,
    absolute_max=MAX_PEOPLE,
    validate_max=True,
)


class DeclarationForm(forms.Form):
    declaration_name = forms.CharField(
        label="Type your full name to sign this request",
        max_length=200,
        help_text=(
            "By signing you confirm the information is needed for the purpose stated, and "
            "that you will use it only for that purpose, under the protocol."
        ),
    )


class QuestionForm(forms.Form):
    question = forms.CharField(
        label="What do you need the requester to clarify?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_LENGTH,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer", widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_LENGTH
    )


class ReferForm(forms.Form):
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
        self.fields["manager"].queryset = designated_managers_of(agency_id=agency.pk)
        self.fields["manager"].empty_label = "Choose a designated manager"


class AdviceForm(forms.Form):
    advice = forms.CharField(
        label="Your advice to the disclosing officer",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=TEXT_LENGTH,
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing this request?",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )


class OnwardAskForm(forms.Form):
    third_party = forms.CharField(
        label="Who do you want to pass the information to?", max_length=250
    )
    purpose = forms.CharField(
        label="For what purpose?", widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_LENGTH
    )


class OnwardAnswerForm(forms.Form):
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


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, Word, PNG, JPEG or plain text, up to 10 MB",
    )


class DecisionForm(forms.ModelForm):
    """Part B of the form and the Appendix G paragraph 9 record."""

    information_types = forms.MultipleChoiceField(
        label="Types of information shared (ISP 4.7)",
        choices=InformationType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The type, never the content, goes into the decision register",
    )
    supplied_on = GovukDateField(label="Date supplied", required=False)

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
            "outcome": "Disclosure agreed?",
            "summary": "Summary of the information (Appendix G 9(b))",
            "decline_reason": "Reason for declining request",
            "reasons": "The decision and its reasons",
            "information_disclosed": "Information disclosed",
            "information_types_other": "If other, state the type",
            "delivery_method": "How it was shared",
            "delivery_other": "Other delivery method",
            "marking": "Protective marking",
            "consent_basis": "Consent basis",
            "subject_informed": "Were the person or family informed?",
            "not_informed_reason": "If not, why not?",
            "authorised_by": "Who consented or authorised the disclosure?",
            "evidence": "Evidence the decision rests on (ISP 4.6)",
            "third_parties": "Third parties involved",
            "signature_name": "Type your full name to sign",
        }
        help_texts = {
            "summary": "A line or two for the decision register. Do not name anyone: the "
            "register is read by people who must not see names",
        }
        widgets = {
            "outcome": forms.RadioSelect,
            "consent_basis": forms.RadioSelect,
            "subject_informed": forms.RadioSelect,
            "delivery_method": forms.RadioSelect,
            "decline_reason": forms.Textarea(attrs={"rows": 3}),
            "reasons": forms.Textarea(attrs={"rows": 4}),
            "information_disclosed": forms.Textarea(attrs={"rows": 8}),
            "not_informed_reason": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
            "third_parties": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, choices in (
            ("outcome", Outcome.choices),
            ("consent_basis", ConsentBasis.choices),
            ("subject_informed", SubjectInformed.choices),
            ("delivery_method", DeliveryMethod.choices),
        ):
            self.fields[name].choices = choices

    def clean_supplied_on(self) -> Any:
        value = self.cleaned_data.get("supplied_on")
        if value and value > timezone.localdate():
            # Retention is counted from this day: a future one would keep the information
            # for longer than the agreement allows.
            raise forms.ValidationError("The date supplied must be today or in the past")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        outcome = data.get("outcome")
        if outcome == Outcome.DECLINED and not (data.get("decline_reason") or "").strip():
            self.add_error("decline_reason", "Give the reason for declining the request")
        if outcome in {Outcome.DISCLOSED, Outcome.PARTIALLY_DISCLOSED}:
            if not (data.get("information_disclosed") or "").strip() and not self.has_files:
                self.add_error(
                    "information_disclosed",
                    "Enter the information disclosed, or attach it as a file first",
                )
            if not data.get("information_types"):
                self.add_error("information_types", "Choose the types of information shared")
        other_ticked = InformationType.OTHER in (data.get("information_types") or [])
        other_text = (data.get("information_types_other") or "").strip()
        if other_ticked and not other_text:
            self.add_error("information_types_other", "State the other type of information")
        if other_text and not other_ticked:
            self.add_error("information_types_other", "Tick “Other (state)”, or leave this blank")
        if (
            data.get("subject_informed") == SubjectInformed.NO
            and not (data.get("not_informed_reason") or "").strip()
        ):
            self.add_error("not_informed_reason", "Say why the person or family were not informed")
        if data.get("consent_basis") == ConsentBasis.CONSENT and data.get(
            "subject_informed"
        ) not in {None, SubjectInformed.NOT_APPLICABLE, SubjectInformed.YES}:
            self.add_error(
                "subject_informed", "With consent, the person knows: choose Yes or Not applicable"
            )
        if (
            data.get("delivery_method") == DeliveryMethod.OTHER
            and not (data.get("delivery_other") or "").strip()
        ):
            self.add_error("delivery_other", "Say how the information was delivered")
        return data

    has_files = False
