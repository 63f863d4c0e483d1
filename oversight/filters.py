"""The register's and the access log's filters (django-filter), drawn as GOV.UK forms."""

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Agency
from agreements.models import Legislation
from audit.models import AuditEvent, EventType
from isp_portal.forms import GovukDateField, ListSelect
from oversight.selectors import READ_EVENTS
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A callable list of choices is read once per page, not once per field using it and
        # again to draw it. (self.filters is this instance's own copy.)
        read: dict[Any, list[tuple[str, str]]] = {}
        for each in self.filters.values():
            choices = each.extra.get("choices")
            if callable(choices):
                if choices not in read:
                    read[choices] = choices()
                each.extra["choices"] = read[choices]

    # Filters whose value names a person: the log records that one was used, not the name.
    person_filters: tuple[str, ...] = ()

    def filter_descriptions(self) -> dict[str, str]:
        """The filters in use, for the audit event of a page or an export: codes and dates,
        no free text, and no person's name."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {
            name: "given" if name in self.person_filters else str(value)
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", False)
        }


def agency_choices() -> list[tuple[str, str]]:
    """Agencies by code, as a filter offers them: two columns in one plain query (a model
    choice field reads whole agencies through a server-side cursor, on every page)."""
    return list(Agency.objects.values_list("code", "name"))


def legislation_choices() -> list[tuple[str, str]]:
    return [(law.code, str(law)) for law in Legislation.objects.only("code", "act", "provision")]


class RegisterFilter(PeriodFilterSet):
    period_field = "signed_at"
    requesting_agency = django_filters.ChoiceFilter(
        label="Requesting agency",
        field_name="requesting_agency_id",
        choices=agency_choices,
        method="filter_by_code",
        widget=ListSelect,
    )
    disclosing_agency = django_filters.ChoiceFilter(
        label="Disclosing agency",
        field_name="disclosing_agency_id",
        choices=agency_choices,
        method="filter_by_code",
        widget=ListSelect,
    )
    outcome = django_filters.ChoiceFilter(label="Decision", choices=Outcome.choices)
    consent_basis = django_filters.ChoiceFilter(
        label="With or without consent", choices=ConsentBasis.choices
    )
    legislation = django_filters.ChoiceFilter(
        label="Legislation",
        field_name="request__legislation",
        choices=legislation_choices,
        method="filter_by_code",
        widget=ListSelect,
    )

    recorded = django_filters.BooleanFilter(
        label="Only decisions recorded without a request",
        widget=forms.CheckboxInput,
        method="filter_recorded",
    )

    class Meta:
        model = Decision
        fields: list[str] = []

    def filter_by_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Filter by the id the code stands for: PostgreSQL's statistics know how many
        requests each agency id has (one agency may have a quarter of them), not each code."""
        model = Legislation if name == "request__legislation" else Agency
        found = model.objects.filter(code=value).values_list("id", flat=True).first()
        if found is None:
            return queryset.none()
        if name == "request__legislation":
            # A decision recorded without a request has the legislation itself.
            return queryset.filter(Q(request__legislation=found) | Q(recorded__legislation=found))
        return queryset.filter(**{name: found})

    def filter_recorded(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(recorded__isnull=False) if value else queryset


class AccessLogFilter(PeriodFilterSet):
    period_field = "occurred_at"
    person_filters = ("user",)
    user = django_filters.CharFilter(
        label="Username", field_name="actor_username", lookup_expr="iexact"
    )
    agency = django_filters.ChoiceFilter(
        label="Agency of the person acting",
        field_name="actor_agency",
        choices=agency_choices,
        widget=ListSelect,
    )
    reference = django_filters.CharFilter(
        label="Request reference", field_name="request_reference", method="filter_reference"
    )
    event_type = django_filters.ChoiceFilter(
        label="Event", choices=EventType.choices, widget=ListSelect
    )
    reads = django_filters.BooleanFilter(
        label="Only views, downloads, exports and refusals",
        widget=forms.CheckboxInput,
        method="filter_reads",
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_reference(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(request_reference=value.strip().upper())

    def filter_reads(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset.filter(event_type__in=READ_EVENTS) if value else queryset
