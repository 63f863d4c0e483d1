"""Drafts through the API: what a case-management system sends is checked by the same
forms as the browser's task pages (``requests_app.forms``), then saved by the same
services. The serializers here bound the input and describe it in the schema; the forms
decide whether it is right, in the pages' own words."""

import datetime
from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from rest_framework import serializers

from accounts.models import Agency, User
from agreements.models import Legislation
from api.errors import Fields, Invalid
from isp_portal.limits import LINE_LENGTH, TEXT_LENGTH
from requests_app import selectors, services
from requests_app.forms import (
    MAX_PEOPLE,
    AboutForm,
    ConsentForm,
    DeclarationForm,
    LegislationForm,
    PersonFormSet,
)
from requests_app.models import ConsentObtained, InformationRequest, PersonRole
from requests_app.services import PersonData

_MAX_ID = 2**63 - 1
_MAX_LEGISLATION = 50


class PersonInSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    address = serializers.CharField(
        max_length=TEXT_LENGTH, required=False, allow_blank=True, default=""
    )
    role = serializers.ChoiceField(choices=PersonRole.choices)
    consent = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=_MAX_ID
    )


class DraftSerializer(serializers.Serializer):
    """Part A of a draft. Every field may be left out of a change; a new draft needs the
    first task's (target agency, agreement, description, required by, urgency)."""

    target_agency = serializers.SlugField(max_length=20, required=False)
    agreement = serializers.IntegerField(required=False, min_value=1, max_value=_MAX_ID)
    description = serializers.CharField(
        max_length=TEXT_LENGTH, required=False, allow_blank=True, trim_whitespace=False
    )
    required_by = serializers.DateField(required=False)
    is_urgent = serializers.BooleanField(required=False)
    urgency_reason = serializers.CharField(max_length=TEXT_LENGTH, required=False, allow_blank=True)
    consent_obtained = serializers.ChoiceField(choices=ConsentObtained.choices, required=False)
    public_interest = serializers.BooleanField(required=False, allow_null=True)
    public_interest_reason = serializers.CharField(
        max_length=TEXT_LENGTH, required=False, allow_blank=True
    )
    legislation = serializers.ListField(
        child=serializers.SlugField(max_length=40), required=False, max_length=_MAX_LEGISLATION
    )
    legislation_other = serializers.CharField(
        max_length=LINE_LENGTH, required=False, allow_blank=True
    )
    people = serializers.ListField(
        child=PersonInSerializer(), required=False, max_length=MAX_PEOPLE
    )


class NewDraftSerializer(DraftSerializer):
    creation_token = serializers.UUIDField(
        required=False,
        help_text="Sent again with a retry, it finds the draft the first call made",
    )


class SubmitSerializer(serializers.Serializer):
    declaration_name = serializers.CharField(
        max_length=200, help_text="The officer's full name, as on their profile: the signature"
    )


ABOUT = ("target_agency", "agreement", "description", "required_by", "is_urgent", "urgency_reason")
CONSENT = ("consent_obtained", "public_interest", "public_interest_reason")
LEGISLATION = ("legislation", "legislation_other")


def _date(name: str, value: datetime.date | None) -> dict[str, str]:
    parts = (value.day, value.month, value.year) if value else ("", "", "")
    return {
        f"{name}_{key}": str(part)
        for key, part in zip(("day", "month", "year"), parts, strict=True)
    }


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def form_fields(form: forms.BaseForm, prefix: str = "") -> Fields:
    """A bound form's problems, named as the API names the fields."""
    found: Fields = {}
    for name, messages in form.errors.items():
        key = "non_field" if name == "__all__" else name
        found[f"{prefix}{key}" if prefix else key] = [str(m) for m in messages]
    return found


def _about_data(data: dict[str, Any], draft: InformationRequest | None) -> dict[str, Any]:
    """The first task's form data: what was sent over what the draft holds."""
    current: dict[str, Any] = {}
    if draft is not None:
        current = {
            "target_agency": draft.target_agency.code,
            "agreement": draft.agreement_id,
            "description": draft.description,
            "required_by": draft.required_by,
            "is_urgent": draft.is_urgent,
            "urgency_reason": draft.urgency_reason,
        }
    merged = {**current, **{k: v for k, v in data.items() if k in ABOUT}}
    code = merged.get("target_agency")
    agency = Agency.objects.filter(code=code).values_list("pk", flat=True).first() if code else None
    if code and agency is None:
        raise Invalid({"target_agency": [f"No agency has the code {code}"]})
    form_data = {
        "target_agency": str(agency or ""),
        "agreement": str(merged.get("agreement") or ""),
        "description": merged.get("description", ""),
        "urgency_reason": merged.get("urgency_reason", ""),
        **_date("required_by", merged.get("required_by")),
    }
    if "is_urgent" in merged:
        form_data["is_urgent"] = _yes_no(merged["is_urgent"])
    return form_data


def _consent_data(data: dict[str, Any], draft: InformationRequest) -> dict[str, Any]:
    merged = {
        "consent_obtained": draft.consent_obtained,
        "public_interest": draft.public_interest,
        "public_interest_reason": draft.public_interest_reason,
        **{k: v for k, v in data.items() if k in CONSENT},
    }
    return {
        "consent_obtained": merged["consent_obtained"],
        "public_interest": _yes_no(merged["public_interest"]),
        "public_interest_reason": merged["public_interest_reason"] or "",
    }


def _legislation_data(data: dict[str, Any], draft: InformationRequest) -> MultiValueDict:
    codes = data.get("legislation")
    if codes is None:
        codes = list(draft.legislation.values_list("code", flat=True))
    found = dict(Legislation.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise Invalid({"legislation": [f"Unknown legislation code: {', '.join(unknown)}"]})
    other = data.get("legislation_other", draft.legislation_other) or ""
    form_data = MultiValueDict({"legislation": [str(found[c]) for c in codes]})
    form_data["legislation_other"] = other
    if other.strip():
        form_data["has_other"] = "on"
    return form_data


def _people_formset(people: list[dict[str, Any]], user: User) -> Any:
    data: dict[str, Any] = {
        "people-TOTAL_FORMS": str(len(people)),
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": str(MAX_PEOPLE),
    }
    for index, person in enumerate(people):
        prefix = f"people-{index}-"
        data.update(
            {
                f"{prefix}full_name": person.get("full_name", ""),
                f"{prefix}address": person.get("address", ""),
                f"{prefix}role": person.get("role", ""),
                f"{prefix}consent": str(person.get("consent") or ""),
                **_date(f"{prefix}date_of_birth", person.get("date_of_birth")),
            }
        )
    return PersonFormSet(
        data, prefix="people", form_kwargs={"consent_choices": selectors.consent_choices_for(user)}
    )


def _people_problems(formset: Any) -> Fields:
    found: Fields = {}
    if formset.non_form_errors():
        found["people"] = list(formset.non_form_errors())
    for index, form in enumerate(formset.forms):
        found.update(form_fields(form, prefix=f"people[{index}]."))
    return found


def _people(formset: Any) -> list[PersonData]:
    return [
        PersonData(
            full_name=form.cleaned_data["full_name"],
            role=form.cleaned_data["role"],
            address=form.cleaned_data.get("address", ""),
            date_of_birth=form.cleaned_data.get("date_of_birth"),
            consent_id=form.cleaned_data.get("consent"),
        )
        for form in formset.forms
        if form.cleaned_data
    ]


def create_draft(
    *, user: User, data: dict[str, Any], http_request: HttpRequest
) -> InformationRequest:
    """A new draft from the first task's answers, with any other answers sent saved to it
    in the same transaction: all of it, or nothing."""
    about = AboutForm(_about_data(data, None), user=user)
    if not about.is_valid():
        raise Invalid(form_fields(about))
    fields = {k: v for k, v in about.cleaned_data.items() if k in services.DRAFT_FIELDS}
    with transaction.atomic():
        draft = services.request_create_draft(
            actor=user,
            fields=fields,
            creation_token=data.get("creation_token"),
            http_request=http_request,
        )
        rest = {k: v for k, v in data.items() if k not in ABOUT and k != "creation_token"}
        if rest:
            draft = update_draft(user=user, draft=draft, data=rest, http_request=http_request)
    return draft


def update_draft(
    *, user: User, draft: InformationRequest, data: dict[str, Any], http_request: HttpRequest
) -> InformationRequest:
    """Save the tasks whose answers were sent, each checked by its page's form; every
    problem of every task is told at once, and nothing is saved if there is one."""
    problems: Fields = {}
    fields: dict[str, Any] = {}
    legislation = None
    people = None
    if any(name in data for name in ABOUT):
        about = AboutForm(_about_data(data, draft), user=user, instance=draft)
        if about.is_valid():
            fields.update({k: v for k, v in about.cleaned_data.items() if k in ABOUT})
        problems.update(form_fields(about))
    if any(name in data for name in CONSENT):
        consent = ConsentForm(_consent_data(data, draft), instance=draft)
        if consent.is_valid():
            fields.update({k: v for k, v in consent.cleaned_data.items() if k in CONSENT})
        problems.update(form_fields(consent))
    if any(name in data for name in LEGISLATION):
        chosen = LegislationForm(_legislation_data(data, draft), instance=draft)
        if chosen.is_valid():
            fields["legislation_other"] = chosen.cleaned_data["legislation_other"]
            legislation = list(chosen.cleaned_data["legislation"])
        problems.update(form_fields(chosen))
    if "people" in data:
        formset = _people_formset(data["people"], user)
        if formset.is_valid():
            people = _people(formset)
        problems.update(_people_problems(formset))
    if problems:
        raise Invalid(problems)
    # The forms worked on the draft's own row: the service re-reads it under a lock.
    draft.refresh_from_db()
    return services.request_update_draft(
        actor=user,
        request=draft,
        fields=fields,
        people=people,
        legislation=legislation,
        http_request=http_request,
    )


def submit(
    *, user: User, draft: InformationRequest, data: dict[str, Any], http_request: HttpRequest
) -> InformationRequest:
    form = DeclarationForm(data)
    if not form.is_valid():
        raise Invalid(form_fields(form))
    return services.request_submit(
        actor=user,
        request=draft,
        declaration_name=form.cleaned_data["declaration_name"],
        http_request=http_request,
    )
