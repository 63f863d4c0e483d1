"""The consent form (ISP Appendix B), in the order of the paper form, plus the protocol's
additions: how consent was obtained, children, capacity, refusal and "not sought"."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Agency, User
from accounts.selectors import active_agencies
from agreements.models import Agreement, AgreementStatus
from agreements.selectors import agreements_visible_to
from consent.models import (
    ChildConsentBy,
    NotSoughtGround,
    ObtainedBy,
    SignerCapacity,
    WithdrawalMethod,
)
from consent.rules import RECORDABLE_STATUSES, record_problems
from isp_portal.forms import (
    GovukDateField,
    SafeModelChoiceField,
    SafeModelMultipleChoiceField,
    add_submission_token,
    govuk_messages,
    model_choice,
    never_optional,
)
from isp_portal.limits import TEXT_LENGTH

_YES_NO = [("yes", "Yes"), ("no", "No")]


def _yes_no(label: str, *, help_text: str = "", required: bool = False) -> forms.TypedChoiceField:
    field = forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=_YES_NO,
        coerce=lambda v: v == "yes",
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
    )
    field.inline = True  # type: ignore[attr-defined]
    return field


def _radios(label: str, choices: Any, *, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, help_text=help_text, choices=choices, required=False, widget=forms.RadioSelect
    )


def usable_agreements(user: User) -> QuerySet[Agreement]:
    """In force (requests may be made under them) and visible to the officer, as on the
    agreement's own page: their agency is party to them."""
    return (
        agreements_visible_to(user)
        .filter(status__in=[AgreementStatus.ACTIVE, AgreementStatus.UNDER_REVIEW])
        .order_by("reference")
    )


@govuk_messages
class ConsentRecordForm(forms.Form):
    SECTIONS = (
        ("What was recorded", ["status"]),
        ("References", ["requesting_officer_ref", "disclosing_officer_ref"]),
        (
            "Who the information is about",
            ["subject_name", "subject_address", "subject_date_of_birth", "subject_age"],
        ),
        (
            "Who signed",
            [
                "about_signer",
                "signer_capacity",
                "signer_capacity_other",
                "signer_name",
                "signer_address",
                "signer_date_of_birth",
            ],
        ),
        (
            "What the consent covers",
            [
                "reasons_explained",
                "given_to_agency",
                "disclose_to_agency",
                "agreements",
                "purposes",
                "expires_on",
            ],
        ),
        (
            "How consent was obtained",
            [
                "obtained_by",
                "signed_on",
                "scan",
                "telephone_taken_by",
                "witness_name",
                "witness_position",
                "witnessed_on",
            ],
        ),
        ("Children (ISP Appendix G 2)", ["child_consent_by", "child_assessment"]),
        (
            "Capacity (Mental Capacity Act 2005, ISP Appendix F)",
            [
                "capacity_in_doubt",
                "capacity_impairment",
                "capacity_unable_to_decide",
                "capacity_notes",
                "capacity_assessed_by",
                "capacity_assessed_on",
            ],
        ),
        (
            "If consent was refused (ISP Appendix G 7)",
            [
                "proceed_without_consent",
                "proceed_reason",
                "proceed_decided_by",
                "proceed_decided_on",
            ],
        ),
        ("If consent was not sought (ISP 6.1)", ["not_sought_ground", "not_sought_reason"]),
    )
    ERROR_NAMES = {"subject_age": "Age", "signer_capacity_other": "The capacity"}
    # Optional whatever the answers. The other fields that are not always needed depend on
    # an answer (the status, who signed, how consent was obtained, the person's age), so
    # their labels never say "(optional)": the section heading says when they apply.
    OPTIONAL = frozenset(
        {
            "requesting_officer_ref",
            "disclosing_officer_ref",
            "subject_address",
            "signer_address",
            "signer_date_of_birth",
            "expires_on",
        }
    )

    status = forms.ChoiceField(
        label="Consent was",
        choices=[(s.value, s.label) for s in RECORDABLE_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether consent was given, refused or not sought"},
    )
    requesting_officer_ref = forms.CharField(
        label="Requesting officer’s ref", max_length=60, required=False
    )
    disclosing_officer_ref = forms.CharField(
        label="Disclosing officer’s ref", max_length=60, required=False
    )
    subject_name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the name of the person the information is about"},
    )
    subject_address = forms.CharField(
        label="Address",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )
    subject_date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2007"
    )
    subject_age = forms.IntegerField(
        label="Age, if the date of birth is not known",
        min_value=0,
        max_value=130,
        required=False,
        help_text="Worked out from the date of birth when you give it",
    )
    about_signer = _yes_no(
        "Is the information about the person who signed?",
        help_text="The form asks: “Is this information about you?”",
        required=False,
    )
    signer_capacity = _radios("If not, they are acting as", SignerCapacity.choices)
    signer_capacity_other = forms.CharField(
        label="If other, describe", max_length=200, required=False
    )
    signer_name = forms.CharField(
        label="Name of the person who signed, if not the person it is about",
        max_length=200,
        required=False,
    )
    signer_address = forms.CharField(
        label="Their address",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )
    signer_date_of_birth = GovukDateField(label="Their date of birth", required=False)
    reasons_explained = _yes_no("Have the reasons for requesting consent been explained?")
    given_to_agency = SafeModelChoiceField(
        label="I give: (the agency holding the information)",
        help_text="The agency the person gives consent to disclose their information",
        queryset=Agency.objects.none(),
        empty_label="Choose the agency",
        error_messages={"required": "Choose the agency that holds the information"},
    )
    disclose_to_agency = SafeModelChoiceField(
        label="consent to disclose to:",
        help_text="The agency the information may be disclosed to: usually your own",
        queryset=Agency.objects.none(),
        empty_label="Choose the agency",
        error_messages={"required": "Choose the agency it may be disclosed to"},
    )
    agreements = SafeModelMultipleChoiceField(
        label="Agreements whose purposes the consent covers",
        queryset=Agreement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Consent covers a request only when the request is made under one of these",
    )
    purposes = forms.CharField(
        label="Information to which this consent applies, and for what purposes",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="As written on the form: “personal information and any relevant "
        "information, for the purposes of …”",
        max_length=TEXT_LENGTH,
        error_messages={"required": "Describe the information and the purposes"},
    )
    expires_on = GovukDateField(
        label="Expiry date",
        required=False,
        help_text="Leave blank: consent lasts until it is withdrawn (ISP 5.1)",
    )
    obtained_by = _radios("How was consent obtained?", ObtainedBy.choices)
    signed_on = GovukDateField(label="Date consent was given", required=False)
    scan = forms.FileField(
        label="Scan of the signed form",
        required=False,
        help_text="PDF, PNG or JPEG. Needed when consent was given on a paper form",
    )
    telephone_taken_by = forms.CharField(
        label="If by telephone, who took it (name and position)", max_length=200, required=False
    )
    witness_name = forms.CharField(
        label="Witnessed by requesting officer: name", max_length=200, required=False
    )
    witness_position = forms.CharField(label="Their position", max_length=120, required=False)
    witnessed_on = GovukDateField(label="Date witnessed", required=False)
    child_consent_by = _radios(
        "If the person is under 18, who gave consent?", ChildConsentBy.choices
    )
    child_assessment = forms.CharField(
        label="How you assessed the child’s age and understanding",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )
    capacity_in_doubt = forms.BooleanField(
        label="There is doubt about the person’s capacity to consent", required=False
    )
    capacity_impairment = _yes_no(
        "Stage 1: does the person have an impairment of, or a disturbance in the functioning "
        "of, the mind or brain?"
    )
    capacity_unable_to_decide = _yes_no(
        "Stage 2: does the impairment or disturbance make them unable to make this decision "
        "at the time it needs to be made?"
    )
    capacity_notes = forms.CharField(
        label="How their ability to decide was assessed",
        help_text="Understanding the decision and its consequences; understanding, retaining, "
        "using and weighing the information; communicating the decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=TEXT_LENGTH,
    )
    capacity_assessed_by = forms.CharField(
        label="Capacity assessed by (name and position)", max_length=250, required=False
    )
    capacity_assessed_on = GovukDateField(label="Date of the assessment", required=False)
    proceed_without_consent = _yes_no("Was a decision made to proceed without consent?")
    proceed_reason = forms.CharField(
        label="Reason for proceeding",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )
    proceed_decided_by = forms.CharField(
        label="Decided by (name and position)", max_length=250, required=False
    )
    proceed_decided_on = GovukDateField(label="Date of the decision", required=False)
    not_sought_ground = _radios("Why was consent not sought?", NotSoughtGround.choices)
    not_sought_reason = forms.CharField(
        label="The facts behind that decision",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "given_to_agency").queryset = active_agencies().order_by("name")
        model_choice(self, "disclose_to_agency").queryset = active_agencies().order_by("name")
        self.fields["disclose_to_agency"].initial = user.agency_id
        model_choice(self, "agreements").queryset = usable_agreements(user)
        self.order_fields([name for _title, names in self.SECTIONS for name in names])
        never_optional(self, *(name for name in self.fields if name not in self.OPTIONAL))
        add_submission_token(self)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean(self) -> dict[str, Any]:
        """The protocol's rules as well as each field's own, so every problem is found in
        one round; a field whose value could not be read keeps only its own message."""
        super().clean()
        data = self.cleaned_data
        problems = record_problems(
            {**data, "about_signer": data.get("about_signer")},
            agreements=list(data.get("agreements") or []),
            has_scan=bool(data.get("scan")),
            today=timezone.localdate(),
        )
        for field, messages in problems.items():
            if field in self.errors:
                continue
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data


@govuk_messages
class WithdrawForm(forms.Form):
    method = forms.ChoiceField(
        label="How did the person withdraw their consent?",
        choices=WithdrawalMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the person withdrew their consent"},
    )
    withdrawn_on = GovukDateField(
        label="Date they withdrew it",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date they withdrew their consent"},
    )
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=TEXT_LENGTH,
    )

    def clean_withdrawn_on(self) -> Any:
        value = self.cleaned_data["withdrawn_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date of withdrawal cannot be in the future")
        return value


@govuk_messages
class ReviewForm(forms.Form):
    note = forms.CharField(
        label="What was done",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=TEXT_LENGTH,
    )
