"""The search box's form, and the filters above every list of requests and the search
results (django-filter), drawn as GOV.UK forms. Every filter's value is a code, a yes/no or
a date: filters live in the page's address, so none may name a person.

"Assigned to me" means the officer looking: the address says ``assigned=me``, never who.
"""

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from accounts.models import Agency
from consent.models import WithdrawalNotice
from isp_portal.forms import GovukDateField, ListSelect, govuk_messages
from isp_portal.limits import SEARCH_LENGTH
from requests_app.models import OPEN_STATUSES, InformationRequest, Status
from requests_app.search import SearchTermsError, read_terms


@govuk_messages
class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search requests",
        help_text="A reference, a person's name, a date of birth, a postcode or words",
        max_length=SEARCH_LENGTH,
        strip=True,
        error_messages={
            "required": "Enter a reference, a name, a date of birth, a postcode or words",
            "max_length": f"Search for {SEARCH_LENGTH} characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        try:
            read_terms(text)
        except SearchTermsError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text


class _DateFilter(django_filters.Filter):
    field_class = GovukDateField


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _agency_choices() -> list[tuple[str, str]]:
    return list(Agency.objects.order_by("name").values_list("code", "name"))


class RequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="Status", choices=Status.choices)
    requesting_agency = django_filters.ChoiceFilter(
        label="Requesting agency",
        field_name="requesting_agency_id",
        choices=_agency_choices,
        method="filter_agency",
        widget=ListSelect,
    )
    disclosing_agency = django_filters.ChoiceFilter(
        label="Disclosing agency",
        field_name="target_agency_id",
        choices=_agency_choices,
        method="filter_agency",
        widget=ListSelect,
    )
    urgency = django_filters.ChoiceFilter(
        label="Urgency",
        choices=[("urgent", "Urgent"), ("routine", "Not urgent")],
        method="filter_urgency",
    )
    assigned = django_filters.ChoiceFilter(
        label="Assigned",
        choices=[("me", "Assigned to me"), ("nobody", "Not assigned")],
        method="filter_assigned",
    )
    overdue = django_filters.BooleanFilter(
        label="Only overdue requests", widget=forms.CheckboxInput, method="filter_overdue"
    )
    consent_withdrawn = django_filters.BooleanFilter(
        label="Only requests where consent was withdrawn",
        widget=forms.CheckboxInput,
        method="filter_consent_withdrawn",
    )
    submitted_from = _DateFilter(label="Sent on or after", method="filter_submitted_from")
    submitted_to = _DateFilter(label="Sent on or before", method="filter_submitted_to")
    due_from = _DateFilter(label="Due on or after", field_name="due_on", lookup_expr="gte")
    due_to = _DateFilter(label="Due on or before", field_name="due_on", lookup_expr="lte")

    class Meta:
        model = InformationRequest
        fields: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Both agency filters share one read of the agencies (self.filters is this
        # instance's own copy).
        choices = _agency_choices()
        for name in ("requesting_agency", "disclosing_agency"):
            self.filters[name].extra["choices"] = choices

    def filter_agency(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # By the id the code stands for: the list indexes hold agency ids.
        found = Agency.objects.filter(code=value).values_list("id", flat=True).first()
        return queryset.filter(**{name: found}) if found is not None else queryset.none()

    def filter_urgency(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(is_urgent=value == "urgent")

    def filter_assigned(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            return queryset.none()
        return queryset.filter(assigned_to=user)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())

    def filter_consent_withdrawn(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(Exists(WithdrawalNotice.objects.filter(request=OuterRef("pk"))))

    def filter_submitted_from(
        self, queryset: QuerySet, name: str, value: datetime.date
    ) -> QuerySet:
        return queryset.filter(submitted_at__gte=_start_of(value))

    def filter_submitted_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(submitted_at__lt=_start_of(value + datetime.timedelta(days=1)))

    def in_use(self) -> dict[str, str]:
        """The filters applied, for the audit event and the page: codes, yes/no and dates."""
        if not self.is_bound:
            return {}
        self.form.is_valid()  # a field with a mistake is left out, with its message
        return {
            name: str(value)
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", False)
        }
