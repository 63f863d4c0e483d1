"""Asking several agencies at once, and copying a request.

A draft names the agency asked first (``target_agency``) and any further agencies to ask
the same (``also_ask``). Signing and sending it makes one request per agency, in one
transaction: the draft becomes the first agency's request, and each further agency gets a
request of its own made from it, each with its own reference, due date, decision and need
to know, linked by a ``RequestGroup``. Every request passes the submission rules as if it
had been made alone (the agreement and each person's consent are checked for each agency
asked: ``rules.submission_problems``), so either all are sent or none is.

The group belongs to the requesting side. A disclosing agency's officers see only their
own agency's request: nothing on its page, in their lists, search or emails says that
other agencies were asked. ``linked_requests`` is the one place that reads a group, and it
answers only officers of the requesting agency, and only with requests they may see.

Copying (ISP 9.6, the same information needed again) starts a new draft from an earlier
request: its agency, agreement (while still usable), description, legislation and people.
Never its decision, anything disclosed, its files, its answers about consent and public
interest (a fresh judgement each time) or a consent record that no longer covers it.
"""

import uuid
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest

from accounts.models import User
from agreements.services import agreement_usable_problem
from audit.models import EventType
from audit.services import audit_record
from consent.models import ConsentStatus
from requests_app import permissions, services
from requests_app.consent import consent_problem_for_person
from requests_app.models import (
    CONSENT_ROLES,
    Attachment,
    AttachmentKind,
    ConsentObtained,
    InformationRequest,
    NamedPerson,
    RequestGroup,
    Status,
)
from requests_app.selectors import requests_visible_to
from requests_app.services import DRAFT_FIELDS, PersonData


def _people_of(request: InformationRequest) -> list[PersonData]:
    return [
        PersonData(
            full_name=p.full_name,
            role=p.role,
            address=p.address,
            date_of_birth=p.date_of_birth,
            consent_id=p.consent_id,
        )
        for p in request.people.all()
    ]


def _copy_request_files(source: InformationRequest, to: InformationRequest) -> None:
    """The files supporting the request, each a file of its own: destroying one agency's
    copy (retention, a DLO) leaves the others'."""
    for attachment in source.attachments.filter(kind=AttachmentKind.REQUEST):
        with attachment.file.open("rb") as handle:
            content = handle.read()
        copy = Attachment(
            request=to,
            kind=AttachmentKind.REQUEST,
            original_name=attachment.original_name,
            content_type=attachment.content_type,
            size=attachment.size,
            sha256=attachment.sha256,
            uploaded_by=attachment.uploaded_by,
        )
        copy.file.save("upload", ContentFile(content), save=True)


def request_submit_all(
    *,
    actor: User,
    request: InformationRequest,
    declaration_name: str,
    http_request: HttpRequest | None = None,
) -> list[InformationRequest]:
    """Sign and send the draft to its agency and to every further agency it asks, each as a
    request of its own (``services.request_submit`` for each: reference, due date, need to
    know, audit, email). One transaction: a problem with any of them sends none. The draft
    row is locked first, so a second press of "Sign and send" waits, then finds it sent and
    is refused: nothing is made twice."""
    with transaction.atomic():
        locked = services._locked(request)
        others = list(locked.also_ask.order_by("name")) if locked.status == Status.DRAFT else []
        # Checks every rule for every agency asked (and the signature) before any write.
        first = services.request_submit(
            actor=actor,
            request=locked,
            declaration_name=declaration_name,
            http_request=http_request,
        )
        if not others:
            return [first]
        group = RequestGroup.objects.create(
            requesting_agency_id=first.requesting_agency_id, created_by=actor
        )
        first.group = group
        first.save(update_fields=["group", "updated_at"])
        first.also_ask.clear()
        sent = [first]
        fields = {name: getattr(first, name) for name in DRAFT_FIELDS}
        people = _people_of(first)
        legislation = list(first.legislation.all())
        for agency in others:
            draft = services.request_create_draft(
                actor=actor,
                fields=fields | {"target_agency": agency},
                people=people,
                legislation=legislation,
                http_request=http_request,
                audit_details={"group": group.pk},
            )
            draft.group = group
            draft.save(update_fields=["group", "updated_at"])
            _copy_request_files(first, draft)
            sent.append(
                services.request_submit(
                    actor=actor,
                    request=draft,
                    declaration_name=declaration_name,
                    http_request=http_request,
                )
            )
        # On the group, with no request's reference: the access log shows it to the
        # requesting agency's SPOC and deputy (the actor's agency) and to the overseers,
        # never to a disclosing agency reviewing its own request's events.
        audit_record(
            event_type=EventType.REQUEST_TRANSITION,
            actor=actor,
            http_request=http_request,
            obj=group,
            details={
                "action": "send_together",
                "references": [r.reference for r in sent],
            },
        )
    return sent


def linked_requests(request: InformationRequest, user: User) -> list[InformationRequest]:
    """The other requests sent with this one, for an officer of the requesting agency, and
    only those they may see; nobody else learns of them. No query for a request sent alone."""
    if request.group_id is None or user.agency_id != request.requesting_agency_id:
        return []
    return list(
        requests_visible_to(user)
        .filter(group_id=request.group_id, requesting_agency_id=request.requesting_agency_id)
        .exclude(pk=request.pk)
        .select_related("target_agency")
        .order_by("reference")
    )


def _kept_consent(person: NamedPerson, source: InformationRequest) -> int | None:
    """A consent record carried into a copy only while it is still given and still covers
    a request like the earlier one (same agencies, same agreement, in date, not
    withdrawn); refusals and records of consent not sought need a fresh public-interest
    judgement, so they are left for the requester to link again."""
    consent = person.consent
    if consent is None or consent.status != ConsentStatus.GIVEN:
        return None
    if consent_problem_for_person(person=person, request=source) is not None:
        return None
    return consent.pk


def request_copy(
    *,
    actor: User,
    source: InformationRequest,
    token: uuid.UUID,
    http_request: HttpRequest | None = None,
) -> InformationRequest:
    """A new draft from an earlier request (ISP 9.6). The ``token`` is the copy form's: a
    second post of the same form finds the draft the first one made, unchanged."""
    may_see = requests_visible_to(actor).filter(pk=source.pk).exists()
    if not (may_see and permissions.can_copy(actor, source)):
        raise PermissionDenied
    made = InformationRequest.objects.filter(requester=actor, creation_token=token).first()
    if made is not None:
        return made
    people = source.people.select_related(
        "consent__given_to_agency", "consent__disclose_to_agency"
    ).prefetch_related("consent__agreements")
    kept = [
        PersonData(
            full_name=p.full_name,
            role=p.role,
            address=p.address,
            date_of_birth=p.date_of_birth,
            consent_id=_kept_consent(p, source),
        )
        for p in people
    ]
    needing = [p for p in kept if p.role in CONSENT_ROLES]
    usable = agreement_usable_problem(
        agreement=source.agreement,
        requesting_agency=source.requesting_agency,
        target_agency=source.target_agency,
    )
    fields = {
        "target_agency": source.target_agency,
        "agreement": source.agreement if usable is None else None,
        "description": source.description,
        "required_by": source.required_by,
        "legislation_other": source.legislation_other,
        "consent_obtained": (
            ConsentObtained.YES
            if needing and all(p.consent_id is not None for p in needing)
            else ConsentObtained.NOT_APPLICABLE
        ),
    }
    return services.request_create_draft(
        actor=actor,
        fields=fields,
        people=kept,
        legislation=list(source.legislation.all()),
        creation_token=token,
        http_request=http_request,
        audit_details={"copied_from": source.reference or ""},
    )


def mark_linked(rows: list[InformationRequest], user: User) -> None:
    """On the requesting side's list, each row's other requests sent with it (as
    ``row.linked``): one query for the page, none when no row was sent with others."""
    group_ids = {
        r.group_id for r in rows if r.group_id and r.requesting_agency_id == user.agency_id
    }
    by_group: dict[int, list[InformationRequest]] = defaultdict(list)
    if group_ids:
        for other in (
            requests_visible_to(user)
            .filter(group_id__in=group_ids, requesting_agency_id=user.agency_id)
            .select_related("target_agency")
            .order_by("reference")
        ):
            if other.group_id is not None:
                by_group[other.group_id].append(other)
    for row in rows:
        linked = by_group.get(row.group_id, []) if row.group_id is not None else []
        row.linked = [o for o in linked if o.pk != row.pk]
