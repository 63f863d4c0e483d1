"""What the API shows of a request: only the parts this officer sees at its stage
(``requests_app.permissions.SEES``), read through the selectors the pages use.

The serializers here describe the answers for the OpenAPI schema and turn the selectors'
objects into JSON; none of them reads the database on its own account.
"""

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from accounts.models import User
from requests_app import permissions, selectors
from requests_app.models import InformationRequest, MessageKind, Side, Status


class RequestRefSerializer(serializers.Serializer):
    """A request, named by its opaque id and reference only: what a change answers."""

    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    url = serializers.CharField()


class RequestSummarySerializer(RequestRefSerializer):
    status_label = serializers.CharField()
    requesting_agency = serializers.CharField()
    target_agency = serializers.CharField()
    is_urgent = serializers.BooleanField()
    due_on = serializers.DateField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()


def request_url(request: InformationRequest) -> str:
    return reverse("api:request", args=[request.pk])


def ref(request: InformationRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "reference": request.reference,
        "status": request.status,
        "url": request_url(request),
    }


def summary(request: InformationRequest) -> dict[str, Any]:
    return {
        **ref(request),
        "status_label": request.get_status_display(),
        "requesting_agency": request.requesting_agency.code,
        "target_agency": request.target_agency.code,
        "is_urgent": request.is_urgent,
        "due_on": request.due_on,
        "submitted_at": request.submitted_at,
        "updated_at": request.updated_at,
    }


class PartASerializer(serializers.Serializer):
    agreement = serializers.IntegerField(allow_null=True)
    agreement_reference = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    required_by = serializers.DateField()
    is_urgent = serializers.BooleanField()
    urgency_reason = serializers.CharField(allow_blank=True)
    consent_obtained = serializers.CharField()
    public_interest = serializers.BooleanField(allow_null=True)
    public_interest_reason = serializers.CharField(allow_blank=True)
    legislation = serializers.ListField(child=serializers.CharField())
    legislation_other = serializers.CharField(allow_blank=True)
    requester_name = serializers.CharField(allow_blank=True)
    requester_position = serializers.CharField(allow_blank=True)
    requester_organisation = serializers.CharField(allow_blank=True)


class PersonSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    full_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    address = serializers.CharField(allow_blank=True)
    role = serializers.CharField()
    consent = serializers.IntegerField(allow_null=True)


class FileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.CharField()


class RequestDetailSerializer(RequestSummarySerializer):
    stage = serializers.CharField()
    parts = serializers.ListField(child=serializers.CharField())
    actions = serializers.ListField(child=serializers.CharField())
    can_edit = serializers.BooleanField()
    received_on = serializers.DateField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    part_a = PartASerializer(allow_null=True)
    people = PersonSerializer(many=True, allow_null=True)
    files = FileSerializer(many=True)


def detail(request: InformationRequest, user: User, context: dict[str, Any]) -> dict[str, Any]:
    """The request as its page shows it to this officer (``context`` is
    ``selectors.request_page_context``)."""
    sees = context["sees"]
    sees_consent = sees[permissions.Part.CONSENT]
    part_a = None
    if sees[permissions.Part.PART_A]:
        part_a = {
            "agreement": request.agreement_id,
            "agreement_reference": request.agreement.reference if request.agreement else "",
            "description": request.description,
            "required_by": request.required_by,
            "is_urgent": request.is_urgent,
            "urgency_reason": request.urgency_reason,
            "consent_obtained": request.consent_obtained,
            "public_interest": request.public_interest,
            "public_interest_reason": request.public_interest_reason,
            "legislation": [item.code for item in context["legislation"]],
            "legislation_other": request.legislation_other,
            "requester_name": request.requester_name,
            "requester_position": request.requester_position,
            "requester_organisation": request.requester_organisation,
        }
    people = None
    if sees[permissions.Part.PEOPLE]:
        people = [
            {
                "position": person.position,
                "full_name": person.full_name,
                "date_of_birth": person.date_of_birth,
                "address": person.address,
                "role": person.role,
                "consent": person.consent_id if sees_consent else None,
            }
            for person in context["people"]
        ]
    return {
        **summary(request),
        "stage": permissions.stage_of(request).value,
        "parts": sorted(part for part, seen in sees.items() if seen),
        "actions": [action.value for action in permissions.available_actions(user, request)],
        "can_edit": permissions.can_edit_draft(user, request),
        "received_on": request.received_on,
        "decided_at": request.decided_at,
        "part_a": part_a,
        "people": people,
        "files": [
            {
                "id": attachment.pk,
                "kind": attachment.kind,
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "sha256": attachment.sha256,
                "uploaded_at": attachment.uploaded_at,
                "url": reverse("api:file", args=[request.pk, attachment.pk]),
            }
            for attachment in context["attachments"]
        ],
    }


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_blank=True)
    event = serializers.CharField()


def timeline(request: InformationRequest) -> list[dict[str, Any]]:
    return [
        {"at": entry["when"], "by": str(entry.get("who") or ""), "event": str(entry["status"])}
        for entry in selectors.timeline(request)
    ]


class DecisionSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    outcome_label = serializers.CharField()
    summary = serializers.CharField()
    reasons = serializers.CharField()
    decline_reason = serializers.CharField(allow_blank=True)
    information_disclosed = serializers.CharField(allow_blank=True)
    information_types = serializers.ListField(child=serializers.CharField())
    information_types_other = serializers.CharField(allow_blank=True)
    delivery_method = serializers.CharField()
    delivery_other = serializers.CharField(allow_blank=True)
    marking = serializers.CharField()
    consent_basis = serializers.CharField()
    subject_informed = serializers.CharField()
    not_informed_reason = serializers.CharField(allow_blank=True)
    authorised_by = serializers.CharField()
    evidence = serializers.CharField()
    third_parties = serializers.CharField(allow_blank=True)
    disclosed_by_name = serializers.CharField()
    disclosed_by_organisation = serializers.CharField()
    signed_at = serializers.DateTimeField()
    supplied_on = serializers.DateField(allow_null=True)
    on_time = serializers.BooleanField(allow_null=True)
    content_destroyed_at = serializers.DateTimeField(allow_null=True)


def decision(context: dict[str, Any]) -> dict[str, Any]:
    """The signed decision as the page shows it: the disclosed text only to those who see
    it at this stage (``information_disclosed`` says why not, as the page does)."""
    found = context["decision"]
    return {
        "outcome": found.outcome,
        "outcome_label": found.get_outcome_display(),
        "summary": found.summary,
        "reasons": found.reasons,
        "decline_reason": found.decline_reason,
        "information_disclosed": context["information_disclosed"],
        "information_types": list(found.information_types),
        "information_types_other": found.information_types_other,
        "delivery_method": found.delivery_method,
        "delivery_other": found.delivery_other,
        "marking": found.marking,
        "consent_basis": found.consent_basis,
        "subject_informed": found.subject_informed,
        "not_informed_reason": found.not_informed_reason,
        "authorised_by": found.authorised_by,
        "evidence": found.evidence,
        "third_parties": found.third_parties,
        "disclosed_by_name": found.disclosed_by_name,
        "disclosed_by_organisation": found.disclosed_by_organisation,
        "signed_at": found.signed_at,
        "supplied_on": found.supplied_on,
        "on_time": found.on_time,
        "content_destroyed_at": found.content_destroyed_at,
    }


class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MessageKind.choices)
    side = serializers.ChoiceField(choices=Side.choices)
    author = serializers.CharField()
    sent_at = serializers.DateTimeField()
    # Empty once retention has destroyed it; the message's place in the thread stays.
    body = serializers.CharField(allow_blank=True)
    files = serializers.ListField(child=serializers.CharField())


class ChangeSerializer(RequestRefSerializer):
    changed_at = serializers.DateTimeField()


class ChangesSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True)
    cursor = serializers.CharField()
    more = serializers.BooleanField()


class RequestPageSerializer(serializers.Serializer):
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    count = serializers.IntegerField()
    results = RequestSummarySerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    request = RequestSummarySerializer()
    matched = serializers.ListField(child=serializers.CharField())


class SearchResultsSerializer(serializers.Serializer):
    results = SearchResultSerializer(many=True)
    more = serializers.BooleanField()
