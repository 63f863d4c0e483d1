"""Forms of the audit area: the dashboard's period, and breach reports and decisions."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from accounts.models import Agency, User
from agreements.models import Agreement
from agreements.selectors import agreements_visible_to
from isp_portal.forms import (
    GovukDateField,
    SafeModelChoiceField,
    add_submission_token,
    govuk_messages,
    model_choice,
    never_optional,
)
from isp_portal.limits import TEXT_LENGTH
from oversight.dashboard import Period
from oversight.models import IcoDecision
from requests_app.models import InformationRequest
from requests_app.selectors import requests_visible_to

NO_NAMES = "Do not include the names or other details of the people involved."


# The longest period a report covers: each extra month is a bar, a table row and work for
# the PDF renderer, and a CSP board reviews a year at a time.
MAX_PERIOD_YEARS = 5


@govuk_messages
class PeriodForm(forms.Form):
    date_from = GovukDateField(label="From", required=False)
    date_to = GovukDateField(label="To", required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the period must be after its start")
        elif start and (end or timezone.localdate()) - start > datetime.timedelta(
            days=366 * MAX_PERIOD_YEARS
        ):
            self.add_error("date_from", f"The period can be at most {MAX_PERIOD_YEARS} years")
        return data

    def period(self) -> Period:
        default = Period.last_twelve_months()
        if not self.is_bound or not self.is_valid():
            return default
        return Period(
            self.cleaned_data.get("date_from") or default.start,
            self.cleaned_data.get("date_to") or default.end,
        )


@govuk_messages
class BreachReportForm(forms.Form):
    REQUIRED = {
        "what_happened": "Describe what happened",
        "discovered_on": "Enter the date the breach was discovered",
        "discovered_time": "Enter the time the breach was discovered, like 14:30",
        "data_affected": "Describe the data affected",
    }

    reference = forms.CharField(
        label="Request reference",
        required=False,
        max_length=20,
        help_text="If the breach is about a request you work on, for example ISP-2026-00042",
    )
    agreement = SafeModelChoiceField(
        label="Agreement",
        queryset=Agreement.objects.none(),
        required=False,
        help_text="If the breach is about an agreement rather than one request",
    )
    owning_agency = SafeModelChoiceField(
        label="Agency that owns the data",
        queryset=Agency.objects.all(),
        required=False,
        help_text="For a request this is always the disclosing agency",
    )
    what_happened = forms.CharField(
        label="What happened", widget=forms.Textarea, help_text=NO_NAMES, max_length=TEXT_LENGTH
    )
    discovered_on = GovukDateField(label="Date discovered", help_text="For example 27 3 2026")
    discovered_time = forms.TimeField(
        label="Time discovered",
        help_text="24-hour clock, for example 14:30",
    )
    data_affected = forms.CharField(
        label="Data affected",
        widget=forms.Textarea,
        help_text="The kinds of information and roughly how many people. " + NO_NAMES,
        max_length=TEXT_LENGTH,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["owning_agency"].initial = user.agency_id
        # A request or an agreement, and the agency, are needed: none of them "(optional)".
        never_optional(self, "reference", "agreement", "owning_agency")
        # The same need to know as the agreement's own page: drafts and other agencies'
        # agreements are not offered.
        model_choice(self, "agreement").queryset = agreements_visible_to(user).order_by("reference")
        add_submission_token(self)

    def clean_reference(self) -> InformationRequest | None:
        reference = self.cleaned_data["reference"].strip().upper()
        if not reference:
            return None
        found = requests_visible_to(self.user).filter(reference=reference).first()
        if found is None:
            # The same answer whether or not the request exists: need to know.
            raise forms.ValidationError("Enter the reference of a request you work on")
        return found

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        request = data.get("reference")
        if request is None and data.get("agreement") is None and not self.errors:
            raise forms.ValidationError("Give a request reference or choose an agreement")
        if request is not None:
            data["owning_agency"] = request.target_agency
        elif data.get("owning_agency") is None:
            self.add_error("owning_agency", "Choose the agency that owns the data")
        day, time = data.get("discovered_on"), data.get("discovered_time")
        if day and time:
            moment = timezone.make_aware(datetime.datetime.combine(day, time))
            if moment > timezone.now():
                self.add_error("discovered_on", "The date of discovery must be in the past")
            data["discovered_at"] = moment
        return data


@govuk_messages
class BreachDecisionForm(forms.Form):
    REQUIRED = {
        "ico_decision": "Choose whether the Information Commissioner’s Office is to be told",
        "reasons": "Enter the reasons for the decision",
        "parties_informed": "Enter who was told about the breach",
    }

    ico_decision = forms.ChoiceField(
        label="Decision on notifying the Information Commissioner's Office",
        choices=IcoDecision.choices,
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="Reasons", widget=forms.Textarea, help_text=NO_NAMES, max_length=TEXT_LENGTH
    )
    ico_notified_on = GovukDateField(
        label="Date the ICO was notified", required=False, help_text="If you notified it"
    )
    parties_informed = forms.CharField(
        label="Parties informed",
        widget=forms.Textarea,
        help_text="The agencies and people told about the breach, by role. " + NO_NAMES,
        max_length=TEXT_LENGTH,
    )
    close = forms.BooleanField(
        label="Close this breach: nothing more needs to be done", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Needed when the ICO was notified, as its hint says: not "(optional)".
        never_optional(self, "ico_notified_on")
