"""The form for a disclosure made without a request: the decision's own Appendix G record
(``DecisionForm``, its fields, choices and rules), without the content, with what a request
would have said (the occasion, the recipient, the agreement and the legislation)."""

from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import Agency, User
from agreements.models import IN_FORCE, Agreement, Legislation
from isp_portal.forms import GovukDateField, SafeModelChoiceField, SafeModelMultipleChoiceField
from isp_portal.limits import TEXT_LENGTH
from requests_app.forms import DecisionForm
from requests_app.recorded.models import UNDER_AGREEMENT, Occasion

# The decision's record, less the content (never kept here) and with the recipient.
RECORD_FIELDS = [
    name
    for name in DecisionForm.Meta.fields
    if name not in {"information_disclosed", "supplied_on", "signature_name"}
]


def _field(form: forms.BaseForm, name: str) -> Any:
    """A field, to set what Django's own types do not name (a queryset, the GOV.UK
    "(optional)" flag)."""
    return form.fields[name]


class RecordedDecisionForm(DecisionForm):
    occasion = forms.ChoiceField(
        label="How was the decision made?",
        choices=Occasion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the decision was made"},
    )
    recipient_agency = SafeModelChoiceField(
        label="Party agency it was shared with",
        queryset=Agency.objects.none(),
        required=False,
        help_text="Leave blank if it was shared with an organisation that is not a party",
    )
    supplied_on = GovukDateField(
        label="Date of the decision or of the sharing",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the decision or of the sharing"},
    )
    agreement = SafeModelChoiceField(
        label="Agreement the information was shared under",
        queryset=Agreement.objects.none(),
        required=False,
        help_text="Needed when shared proactively or at a meeting with a party. Leave blank "
        "when shared with an organisation that is not a party or outside any agreement",
    )
    legislation = SafeModelMultipleChoiceField(
        label="Legislation the sharing relies on",
        queryset=Legislation.objects.filter(on_request_form=True),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply, or name other legislation below",
    )
    legislation_other = forms.CharField(label="Other legislation", max_length=250, required=False)
    subject_names = forms.CharField(
        label="Names of the people the information was about",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_LENGTH,
        required=False,
        help_text="Used only to check that the summary names nobody. Not kept",
    )

    class Meta(DecisionForm.Meta):
        fields = [
            *RECORD_FIELDS[:2],
            "disclosed_to_organisation",
            "disclosed_to_name",
            *RECORD_FIELDS[2:],
            "supplied_on",
            "signature_name",
        ]
        labels = {
            **DecisionForm.Meta.labels,
            "outcome": "Was the information shared?",
            "decline_reason": "Reason for not sharing",
            "disclosed_to_organisation": "Organisation it was shared with, if not a party",
            "disclosed_to_name": "Name and role of the person it was shared with",
        }
        error_messages = {
            **DecisionForm.Meta.error_messages,
            "outcome": {"required": "Select whether the information was shared"},
            "signature_name": {"required": "Enter your full name to sign the record"},
        }

    field_order = [
        "occasion",
        "recipient_agency",
        "disclosed_to_organisation",
        "disclosed_to_name",
        "supplied_on",
        "agreement",
        "legislation",
        "legislation_other",
        "outcome",
        "decline_reason",
        "summary",
        "subject_names",
        "reasons",
    ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = user.agency
        assert agency is not None  # only officers of an agency record (permissions)
        _field(self, "recipient_agency").queryset = Agency.objects.exclude(pk=agency.pk).order_by(
            "name"
        )
        _field(self, "agreement").queryset = (
            Agreement.objects.filter(status__in=IN_FORCE, party_rows__agency=agency)
            .distinct()
            .order_by("reference")
        )
        _field(self, "recipient_agency").empty_label = "None: not a party"
        _field(self, "agreement").empty_label = "None: outside any agreement"
        self.fields["disclosed_to_organisation"].required = False
        self.fields["disclosed_to_name"].required = False
        for name in ("recipient_agency", "disclosed_to_organisation", "agreement", "legislation"):
            # Which one is needed depends on the occasion: neither says "(optional)".
            _field(self, name).show_optional = False
        self.order_fields(self.field_order)

    def clean_supplied_on(self) -> Any:
        value = self.cleaned_data.get("supplied_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        occasion = data.get("occasion")
        recipient = data.get("recipient_agency")
        organisation = (data.get("disclosed_to_organisation") or "").strip()
        if occasion == Occasion.NON_PARTY:
            if recipient is not None:
                self.add_error(
                    "recipient_agency",
                    "Leave the party agency blank: this was shared with an organisation "
                    "that is not a party",
                )
            if not organisation:
                self.add_error(
                    "disclosed_to_organisation", "Enter the organisation it was shared with"
                )
        elif occasion and recipient is None and not organisation:
            self.add_error(
                "recipient_agency",
                "Select the party agency it was shared with, or enter the organisation",
            )
        if occasion in UNDER_AGREEMENT and data.get("agreement") is None:
            self.add_error(
                "agreement",
                "Select the agreement it was shared under, or choose outside any agreement",
            )
        if occasion in {Occasion.NON_PARTY, Occasion.OUTSIDE_AGREEMENT} and data.get("agreement"):
            self.add_error(
                "agreement", "Leave the agreement blank when sharing outside any agreement"
            )
        if not data.get("legislation") and not (data.get("legislation_other") or "").strip():
            self.add_error(
                "legislation", "Select the legislation the sharing relies on, or name it"
            )
        return data

    def decision_fields(self) -> dict[str, Any]:
        """The answers that go onto the decision record."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
