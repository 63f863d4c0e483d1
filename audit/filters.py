"""The register's and the access log's filters (django-filter), drawn as GOV.UK forms."""

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Agency
from agreements.models import Legislation
from audit.models import AuditEvent, EventType
from audit.selectors import READ_EVENTS
from isp_portal.forms import GovukDateField
from requests_app.models import ConsentBasis, Decision, Outcome


class GovukDateFilter(django_filters.Filter):
    field_class = GovukDateField


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class PeriodFilterSet(django_filters.FilterSet):
    """From and to dates (inclusive, UK time) turned into an index-friendly datetime range."""

    period_field = ""
    date_from = GovukDateFilter(label="From", method="filter_from", required=False)
    date_to = GovukDateFilter(label="To", method="filter_to", required=False)

    def filter_from(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        return queryset.filter(**{f"{self.period_field}__gte": _start_of(value)})

    def filter_to(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        next_day = value + datetime.timedelta(days=1)
        return queryset.filter(**{f"{self.period_field}__lt": _start_of(next_day)})

    def filter_descriptions(self) -> dict[str, str]:
        """The filters in use, for the export's audit event: codes and dates, no free text."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {
            name: str(getattr(value, "code", value))
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", False)
        }


class RegisterFilter(PeriodFilterSet):
    period_field = "signed_at"
    requesting_agency = django_filters.ModelChoiceFilter(
        label="Requesting agency",
        field_name="request__requesting_agency",
        queryset=Agency.objects.all(),
        to_field_name="code",
    )
    disclosing_agency = django_filters.ModelChoiceFilter(
        label="Disclosing agency",
        field_name="request__target_agency",
        queryset=Agency.objects.all(),
        to_field_name="code",
    )
    outcome = django_filters.ChoiceFilter(label="Decision", choices=Outcome.choices)
    consent_basis = django_filters.ChoiceFilter(
        label="With or without consent", choices=ConsentBasis.choices
    )
    legislation = django_filters.ModelChoiceFilter(
        label="Legislation",
        field_name="request__legislation",
        queryset=Legislation.objects.all(),
        to_field_name="code",
    )

    class Meta:
        model = Decision
        fields: list[str] = []


class AccessLogFilter(PeriodFilterSet):
    period_field = "occurred_at"
    user = django_filters.CharFilter(
        label="Username", field_name="actor_username", lookup_expr="iexact"
    )
    agency = django_filters.ModelChoiceFilter(
        label="Agency of the person acting",
        queryset=Agency.objects.all(),
        to_field_name="code",
        method="filter_agency",
    )
    reference = django_filters.CharFilter(
        label="Request reference", field_name="request_reference", method="filter_reference"
    )
    event_type = django_filters.ChoiceFilter(label="Event", choices=EventType.choices)
    reads = django_filters.BooleanFilter(
        label="Only views, downloads, exports and refusals",
        widget=forms.CheckboxInput,
        method="filter_reads",
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_agency(self, queryset: QuerySet, name: str, value: Agency) -> QuerySet:
        return queryset.filter(actor_agency=value.code)

    def filter_reference(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(request_reference=value.strip().upper())

    def filter_reads(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(event_type__in=READ_EVENTS) if value else queryset
