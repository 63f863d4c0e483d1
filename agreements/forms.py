"""Forms of the agreements register, and the Information Sharing Checklist."""

from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import Agency, TimescaleUnit
from agreements import lawful_bases
from agreements.models import (
    Agreement,
    AgreementParty,
    AgreementStatus,
    AgreementTier,
    Legislation,
)
from isp_portal.forms import (
    GovukDateField,
    SafeModelMultipleChoiceField,
    add_submission_token,
    choice,
    govuk_messages,
    model_choice,
    never_optional,
)
from isp_portal.limits import LINE_LENGTH, TEXT_LENGTH

_TEXT = forms.Textarea(attrs={"rows": 4})

# The DPIA (`002_…` §3), on a draft and by minor amendment to an agreement in force.
DPIA_FIELDS = ["dpia_needed", "dpia_on", "dpia_outcome", "dpia_owner"]
_DPIA_LABELS = {
    "dpia_needed": "Was a data protection impact assessment (DPIA) needed?",
    "dpia_outcome": "DPIA outcome, or why none was needed",
    "dpia_owner": "DPIA owner (name and role)",
}


def _dpia_fields(form: forms.ModelForm) -> None:
    form.fields["dpia_needed"] = forms.NullBooleanField(
        label=_DPIA_LABELS["dpia_needed"],
        required=False,
        widget=forms.RadioSelect(
            choices=[("", "Not recorded yet"), ("true", "Yes"), ("false", "No")]
        ),
    )
    form.fields["dpia_on"] = GovukDateField(label="Date of the DPIA or screening", required=False)
    # Needed once the first question is answered: never "(optional)".
    never_optional(
        form, *(n for n in ("dpia_on", "dpia_outcome", "dpia_owner") if n in form.fields)
    )


def _clean_dpia(form: forms.ModelForm, data: dict[str, Any]) -> None:
    """Once answered, the DPIA record is whole: date, outcome and owner."""
    if data.get("dpia_needed") is None:
        return
    if not data.get("dpia_on"):
        form.add_error("dpia_on", "Enter the date of the DPIA, or of the decision none was needed")
    elif data["dpia_on"] > timezone.localdate():
        form.add_error("dpia_on", "The DPIA date must be today or in the past")
    if not (data.get("dpia_outcome") or "").strip():
        form.add_error("dpia_outcome", "Give the DPIA's outcome, or why none was needed")
    if not (data.get("dpia_owner") or "").strip():
        form.add_error("dpia_owner", "Name the DPIA's owner")


@govuk_messages
class AgreementForm(forms.ModelForm):
    """The terms of a draft: everything but the parties' own duties and lawful bases."""

    REQUIRED = {
        "reference": "Enter the agreement’s reference, like HAR-DSA-01",
        "title": "Enter the agreement’s title",
        "tier": "Choose the kind of agreement",
        "retention_period_days": "Enter how many days the information is kept",
        "review_frequency_months": "Choose how often the agreement is reviewed",
        "next_review_on": "Enter the next review date",
        "signatory_statement": "Enter the statement the signatories accept",
        "parties": "Choose the agencies that will sign",
    }
    ERROR_NAMES = {"retention_period_days": "The retention period"}

    next_review_on = GovukDateField(
        label="Next review date", help_text="Annually, or six months after first publication"
    )
    legislation = SafeModelMultipleChoiceField(
        label="Legislation relied on",
        queryset=Legislation.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    parties = SafeModelMultipleChoiceField(
        label="Parties",
        queryset=Agency.objects.filter(left_on__isnull=True),
        widget=forms.CheckboxSelectMultiple,
        help_text="The agencies that will sign. Give each one's duties and lawful basis next.",
    )

    class Meta:
        model = Agreement
        fields = [
            "reference",
            "title",
            "tier",
            "parent",
            "purposes",
            "benefits",
            "data_subjects",
            "data_items",
            "special_category",
            "criminal_offence_data",
            "security",
            "transfer",
            "retention_period_days",
            "disposal_method",
            "review_frequency_months",
            "next_review_on",
            "signatory_statement",
            "urgent_response_time",
            "urgent_response_unit",
            *DPIA_FIELDS,
        ]
        labels = _DPIA_LABELS
        widgets = dict.fromkeys(
            (
                "dpia_outcome",
                "purposes",
                "benefits",
                "data_subjects",
                "data_items",
                "security",
                "transfer",
                "disposal_method",
                "signatory_statement",
            ),
            _TEXT,
        )
        help_texts = {
            "data_subjects": "One category a line, for example: victims",
            "data_items": "One item a line, for example: name and contact details",
            "transfer": "For example: through the portal only; never unencrypted email",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"].widget = forms.RadioSelect(choices=AgreementTier.choices)
        model_choice(self, "parent").queryset = Agreement.objects.filter(
            tier__in=[AgreementTier.PROTOCOL, AgreementTier.AGREEMENT],
            status__in=[AgreementStatus.ACTIVE, AgreementStatus.UNDER_REVIEW],
        )
        self.fields["parent"].required = False
        model_choice(self, "parent").empty_label = "None: this is the over-arching protocol"
        # Needed for every tier but the protocol, which says so as its first option.
        never_optional(self, "parent")
        if self.instance.pk:
            self.fields["reference"].disabled = True
            self.initial["parties"] = list(self.instance.parties.values_list("pk", flat=True))
        else:
            add_submission_token(self)
        _dpia_fields(self)
        unit = choice(self, "urgent_response_unit")
        unit.label = "Timescale for urgent requests counted in"
        unit.choices = [(value, label.capitalize()) for value, label in TimescaleUnit.choices]
        unit.widget = forms.RadioSelect(choices=unit.choices)
        self.fields["urgent_response_time"].widget.attrs["class"] = "govuk-input--width-3"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        _clean_dpia(self, data)
        time, unit = data.get("urgent_response_time"), data.get("urgent_response_unit")
        if time is not None and not unit:
            self.add_error(
                "urgent_response_unit", "Select whether the timescale is in working days or hours"
            )
        elif unit and time is None:
            self.add_error("urgent_response_time", "Enter the timescale for urgent requests")
        elif time is not None and time < 1:
            self.add_error("urgent_response_time", "The timescale must be 1 or more")
        return data


@govuk_messages
class MinorAmendmentForm(forms.ModelForm):
    """A minor amendment: the terms that may change without re-signing, and a note."""

    REQUIRED = {
        "title": "Enter the agreement’s title",
        "what_changed": "Describe what the amendment changes",
    }

    what_changed = forms.CharField(
        label="What the amendment changes", widget=_TEXT, max_length=TEXT_LENGTH
    )
    consulted = forms.CharField(
        label="Who was consulted", widget=_TEXT, required=False, max_length=TEXT_LENGTH
    )

    class Meta:
        model = Agreement
        fields = [
            "title",
            "purposes",
            "benefits",
            "data_subjects",
            "data_items",
            "security",
            "transfer",
            "disposal_method",
            *DPIA_FIELDS,
        ]
        labels = _DPIA_LABELS
        widgets = AgreementForm.Meta.widgets

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _dpia_fields(self)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        _clean_dpia(self, data)
        return data


@govuk_messages
class PartyForm(forms.ModelForm):
    """One party's duties, breach contact and its own lawful bases."""

    REQUIRED = {
        "article6": "Choose the agency’s lawful basis under UK GDPR Article 6(1)",
    }

    article6 = forms.MultipleChoiceField(
        label="UK GDPR Article 6(1)",
        choices=lawful_bases.ARTICLE_6,
        widget=forms.CheckboxSelectMultiple,
    )
    article9 = forms.MultipleChoiceField(
        label="UK GDPR Article 9(2), for special category data",
        choices=lawful_bases.ARTICLE_9,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    dpa_s8 = forms.MultipleChoiceField(
        label="DPA 2018 section 8: the task in the public interest",
        choices=lawful_bases.DPA_SECTION_8,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    schedule1 = forms.MultipleChoiceField(
        label="DPA 2018 Schedule 1 conditions",
        choices=lawful_bases.DPA_SCHEDULE_1,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    schedule8 = forms.MultipleChoiceField(
        label="DPA 2018 Schedule 8 conditions, for sensitive law enforcement processing",
        choices=lawful_bases.DPA_SCHEDULE_8,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = AgreementParty
        fields = [
            "duties",
            "breach_contact",
            "article6",
            "article9",
            "article10",
            "dpa_s8",
            "schedule1",
            "part3",
            "schedule8",
            "basis_notes",
        ]
        widgets = {"duties": _TEXT, "basis_notes": _TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each applies to some data or processing only, as its label says: not "(optional)".
        never_optional(self, "article9", "schedule1", "schedule8")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("schedule8") and not data.get("part3"):
            self.add_error("schedule8", "Schedule 8 conditions apply only to Part 3 processing")
        return data


@govuk_messages
class SignForm(forms.Form):
    REQUIRED = {
        "accept": "Confirm that you accept the statement and sign for your agency",
        "content_hash": "The page was out of date. Read the agreement again and sign it",
    }

    accept = forms.BooleanField(label="I accept the statement above and sign for my agency")
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


@govuk_messages
class SubstantialAmendmentForm(forms.Form):
    REQUIRED = {
        "what_changed": "Describe what the new version will change",
    }

    what_changed = forms.CharField(
        label="What the new version will change", widget=_TEXT, max_length=TEXT_LENGTH
    )
    consulted = forms.CharField(
        label="Who was consulted", widget=_TEXT, required=False, max_length=TEXT_LENGTH
    )


@govuk_messages
class RenewForm(forms.Form):
    REQUIRED = {
        "next_review_on": "Enter the next review date",
    }

    next_review_on = GovukDateField(label="Next review date")
    notes = forms.CharField(
        label="What the review found", widget=_TEXT, required=False, max_length=TEXT_LENGTH
    )

    def clean_next_review_on(self) -> Any:
        value = self.cleaned_data["next_review_on"]
        if value is not None and value <= timezone.localdate():
            raise forms.ValidationError("The next review date must be in the future")
        return value


@govuk_messages
class TerminateForm(forms.Form):
    REQUIRED = {
        "reason": "Enter why the agreement is being terminated",
    }

    reason = forms.CharField(
        label="Why is the agreement being terminated?",
        widget=_TEXT,
        help_text="Every party will see this. Do not include personal information.",
        max_length=LINE_LENGTH,
    )


@govuk_messages
class JoinForm(forms.Form):
    """ISP Appendix A: "a simple form for new signatories"."""

    REQUIRED = {
        "reference": "Enter the reference of the agreement to join",
        "duties": "Describe the duties your organisation would take on",
        "reason": "Enter why your organisation needs to join",
        "breach_contact": "Enter who to contact about a breach",
    }

    reference = forms.CharField(
        label="Reference of the agreement to join",
        max_length=40,
        help_text="Ask the agreement's lead officer, for example HAR-ISP-2016",
    )
    duties = forms.CharField(
        label="The duties your organisation would take on", widget=_TEXT, max_length=TEXT_LENGTH
    )
    reason = forms.CharField(
        label="Why your organisation needs to join", widget=_TEXT, max_length=TEXT_LENGTH
    )
    breach_contact = forms.CharField(
        label="Breach contact",
        max_length=250,
        help_text="Your information governance team's secure email or phone",
    )


@govuk_messages
class DecideForm(forms.Form):
    REQUIRED = {
        "decision": "Choose whether to approve or refuse the application",
    }

    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("approve", "Approve: the agency becomes a party and signs"),
            ("refuse", "Refuse"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note to the applicant", widget=_TEXT, required=False, max_length=TEXT_LENGTH
    )


@govuk_messages
class ListFilterForm(forms.Form):
    q = forms.CharField(label="Reference or title", required=False, max_length=LINE_LENGTH)
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any status"), *AgreementStatus.choices], required=False
    )
    tier = forms.ChoiceField(
        label="Tier", choices=[("", "Any tier"), *AgreementTier.choices], required=False
    )


# The Information Sharing Checklist (`002_…` Appendix D): the questions to consider before
# deciding whether to share. The disclosing officer ticks each one; the answers are kept
# with the decision.
CHECKLIST: list[tuple[str, str]] = [
    ("whose_information", "Whose information is this?"),
    (
        "lawful_basis",
        "Is there a lawful basis to share the information? Justify the purpose and identify "
        "relevant legislation that applies.",
    ),
    ("pseudonymise", "Can information be pseudonymised or anonymised ahead of sharing?"),
    (
        "informed",
        "How have individuals been informed that the information will be shared, for example "
        "through a privacy notice? Will they expect it? Would notifying them put someone at "
        "risk or prejudice a police or safeguarding investigation?",
    ),
    ("objections", "Have any requests not to share been received and considered?"),
    ("necessary_amount", "How much information is it necessary to share in this situation?"),
    (
        "accurate",
        "Is the information accurate and up to date? Has the difference between fact and "
        "opinion been stated?",
    ),
    (
        "need_to_know",
        "Is access to the information limited to only those who need it? Is it being given to "
        "the right person?",
    ),
    ("secure", "Is the information being shared in a secure way?"),
    (
        "recorded",
        "Has the decision to share or not share, and the rationale for the decision, been "
        "recorded?",
    ),
]


@govuk_messages
class SharingChecklistForm(forms.Form):
    """Each point must be ticked as considered before deciding. ``cleaned_data`` is a
    JSON-ready dict of the point's key to ``True``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, question in CHECKLIST:
            self.fields[key] = forms.BooleanField(
                label=f"I have considered: {question}",
                error_messages={"required": f"Select to confirm you have considered: {question}"},
            )


def checklist_summary(answers: dict[str, Any]) -> list[tuple[str, str]]:
    """The checklist as (question, answer) pairs for display, in the checklist's order."""
    return [
        (question, "Considered" if answers.get(key) else "Not recorded")
        for key, question in CHECKLIST
    ]
