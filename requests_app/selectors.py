"""Reads of requests, always filtered by need to know."""

from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Role, User
from accounts.selectors import agency_role_holders, designated_managers_of
from agreements.forms import SharingChecklistForm, checklist_summary
from audit.models import EventType
from consent.models import WithdrawalNotice
from consent.selectors import consents_usable_by
from isp_portal.access import Act, Read, get_visible_or_404
from requests_app import permissions
from requests_app.access import PERMISSION
from requests_app.consent import (
    consent_position,
    notices_for_request,
    suggested_consent_basis,
    timeline_entries,
)
from requests_app.models import (
    OPEN_STATUSES,
    Attachment,
    AttachmentKind,
    Decision,
    DecisionDraft,
    InformationRequest,
    InformationType,
    Message,
    OnwardSharing,
    Referral,
    RequestGroupPermission,
    RequestUserPermission,
    Status,
)
from requests_app.workflow import Action

# The codename of access.PERMISSION, for filtering guardian's permission rows directly.
_CODENAME = PERMISSION.split(".", 1)[1]


def requests_visible_to(user: User) -> QuerySet[InformationRequest]:
    """Every request this person may see. One query; no per-row permission checks.

    The two EXISTS subqueries use the (user, content_object) and (group, content_object)
    indexes on guardian's direct foreign-key permission tables.
    """
    if not user.is_authenticated or not user.is_active:
        return InformationRequest.objects.none()
    # The permission's id, read once per query (an InitPlan on PostgreSQL): joined by its
    # codename, the permission table was scanned again for every row probed.
    permission = Subquery(
        Permission.objects.filter(
            codename=_CODENAME,
            content_type__app_label=InformationRequest._meta.app_label,
            content_type__model=InformationRequest._meta.model_name,
        ).values("pk")[:1]
    )
    by_user = RequestUserPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission_id=permission
    )
    by_group = RequestGroupPermission.objects.filter(
        content_object=OuterRef("pk"), group__user=user, permission_id=permission
    )
    return InformationRequest.objects.filter(Q(Exists(by_user)) | Q(Exists(by_group)))


REQUEST_VIEWED = Read(EventType.REQUEST_VIEWED)


def get_request_for(
    user: User,
    pk: int,
    *,
    http_request: HttpRequest | None = None,
    for_update: bool = False,
    read: Read = REQUEST_VIEWED,
    act: Act | None = None,
) -> InformationRequest:
    """The request, if this person may see it; otherwise 404, and the attempt is audited
    with the request's reference. Shown in answer to a GET, the read is audited as ``read``;
    a page for an action this person may not take (``act``) is refused with 403, audited.

    Nobody learns whether a request they cannot see exists.
    """
    return get_visible_or_404(
        requests_visible_to(user).select_related(
            "requester", "requesting_agency", "target_agency", "agreement"
        ),
        pk,
        user=user,
        http_request=http_request,
        for_update=for_update,
        read=read,
        reference="reference",
        act=act,
    )


def get_request_page_for(
    user: User, pk: int, *, http_request: HttpRequest | None = None
) -> InformationRequest:
    """``get_request_for``, read for the request page: the decision in the same query, and
    whether each rarely present part (files, messages, onward sharing, withdrawals of
    consent) exists, so ``request_page_context`` asks only for those there are."""

    def present(model: Any) -> Exists:
        return Exists(model.objects.filter(request=OuterRef("pk")))

    return get_visible_or_404(
        requests_visible_to(user)
        .select_related(
            "requester",
            "requesting_agency",
            "target_agency",
            "agreement",
            "decision",
            "assigned_to",
        )
        .annotate(
            has_attachments=present(Attachment),
            has_messages=present(Message),
            has_referrals=present(Referral),
            has_onward_sharing=present(OnwardSharing),
            has_withdrawal_notices=present(WithdrawalNotice),
            target_has_designated_manager=Exists(
                designated_managers_of(agency_id=OuterRef("target_agency_id"))
            ),
        ),
        pk,
        user=user,
        http_request=http_request,
        read=REQUEST_VIEWED,
        reference="reference",
    )


def _has(request: InformationRequest, part: str) -> bool:
    """Whether the request has any of ``part``: as read with it by ``get_request_page_for``,
    or, read any other way, assumed so (the part is then queried)."""
    return bool(getattr(request, f"has_{part}", True))


def as_actor(user: User, action: Action) -> Act:
    """The check a workflow action's page makes: is this person the one to take it."""
    return Act(action.value, lambda request: permissions.is_actor_for(user, action, request))


def as_assigner(user: User) -> Act:
    """The check the assignment page makes: has this person any say in who works on it."""
    return Act("assign", lambda request: permissions.may_assign(user, request))


def assignable_officers(request: InformationRequest) -> QuerySet[User]:
    """Who the SPOC or deputy may give the request to: the target agency's active
    disclosing officers."""
    return agency_role_holders(agency=request.target_agency, role=Role.DISCLOSING_OFFICER).order_by(
        "last_name", "first_name", "pk"
    )


def get_attachment_for(
    user: User,
    pk: int,
    attachment_id: int,
    *,
    http_request: HttpRequest | None = None,
    act: Act | None = None,
) -> Attachment:
    """A file of a request this person may see, if they see its part of the request at this
    stage (``permissions.SEES``): draft decision files are the disclosing side's, and
    returned information is no longer the requester's. Otherwise 404, audited like the
    request; a download (a GET) is recorded."""
    return get_visible_or_404(
        Attachment.objects.filter(
            request__in=requests_visible_to(user), request_id=pk
        ).select_related("request"),
        attachment_id,
        user=user,
        http_request=http_request,
        allowed=lambda attachment: (
            permissions.attachment_part(attachment.kind, attachment.request)
            in permissions.visible_parts(user, attachment.request)
        ),
        read=Read(EventType.ATTACHMENT_DOWNLOADED, lambda a: {"kind": a.kind}),
        reference="request__reference",
        act=act,
    )


def get_onward_for(
    user: User,
    request: InformationRequest,
    onward_id: int,
    *,
    http_request: HttpRequest | None = None,
) -> OnwardSharing:
    """An onward-sharing question on a request already fetched for this person; 404,
    audited, if it belongs to another request. Shown with the request, so its read is the
    request's."""
    return get_visible_or_404(
        OnwardSharing.objects.filter(request=request),
        onward_id,
        user=user,
        http_request=http_request,
        reference="request__reference",
    )


_LIST_RELATED = ("requesting_agency", "target_agency", "requester", "assigned_to")


def _ordered_by_urgency(queryset: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    # Urgent first, then the nearest due date; paused and undated requests last.
    return queryset.order_by("-is_urgent", F("due_on").asc(nulls_last=True), "submitted_at")


def my_requests(user: User) -> QuerySet[InformationRequest]:
    """Requests made by this officer, and, for a SPOC or deputy, by their agency."""
    visible = requests_visible_to(user).filter(requesting_agency_id=user.agency_id)
    if not (user.has_role(Role.SPOC) or user.has_role(Role.DEPUTY_SPOC)):
        visible = visible.filter(requester=user)
    return visible.select_related(*_LIST_RELATED).order_by("-updated_at")


# The roles that access.grant_on_submit gives every submitted request to the target agency.
_INBOX_ROLES = (Role.DISCLOSING_OFFICER, Role.SPOC, Role.DEPUTY_SPOC)


def _received(user: User) -> QuerySet[InformationRequest]:
    """Requests submitted to the officer's agency, for the roles that see all of them.

    Filtering by the relation that grants access (target agency + role) instead of the
    permission rows gives the same rows (tests/requests_app/test_permission_matrix.py proves
    it for every role) with an index scan instead of a scan of the agency's permissions.
    A DLO sees only decided requests, so goes through the permission rows.
    """
    if user.is_active and any(user.has_role(role) for role in _INBOX_ROLES):
        return InformationRequest.objects.filter(target_agency_id=user.agency_id).exclude(
            status=Status.DRAFT
        )
    return requests_visible_to(user).filter(target_agency_id=user.agency_id)


def agency_inbox(user: User) -> QuerySet[InformationRequest]:
    """Open requests made to this officer's agency: overdue first (their due dates are the
    earliest), then by due date, an urgent request's being the shorter of its timescale;
    paused and undated requests last."""
    return (
        _received(user)
        .filter(status__in=OPEN_STATUSES)
        .select_related(*_LIST_RELATED)
        .order_by(F("due_on").asc(nulls_last=True), "submitted_at")
    )


def with_consent_flag(rows: QuerySet[InformationRequest]) -> QuerySet[InformationRequest]:
    """Each row says whether a consent it relies on was withdrawn, in the same query."""
    return rows.annotate(
        consent_withdrawn=Exists(WithdrawalNotice.objects.filter(request=OuterRef("pk")))
    )


def agency_decided(user: User) -> QuerySet[InformationRequest]:
    """Requests to this officer's agency that are decided, withdrawn or closed, newest first."""
    return (
        _received(user)
        .exclude(status__in=[*OPEN_STATUSES, Status.DRAFT])
        .select_related(*_LIST_RELATED)
        .order_by(F("decided_at").desc(nulls_last=True), "-updated_at")
    )


def overdue_for_spoc(user: User) -> QuerySet[InformationRequest] | None:
    """What is overdue in the agency's inbox, for its SPOC and deputy."""
    if not (user.has_role(Role.SPOC) or user.has_role(Role.DEPUTY_SPOC)):
        return None
    return agency_inbox(user).filter(due_on__lt=timezone.localdate())


def longest_overdue(
    overdue: QuerySet[InformationRequest], limit: int
) -> tuple[int, list[InformationRequest]]:
    """How many are overdue, and the ``limit`` overdue longest, in one query: each row
    carries the total, counted once in an uncorrelated subquery, so the list can stop after
    a few rows of its index."""
    total = overdue.order_by().values("target_agency_id").annotate(n=Count("pk"))
    longest_first = overdue.annotate(total=Subquery(total.values("n")[:1])).order_by(
        "due_on", "submitted_at"
    )
    named = list(longest_first[:limit])
    return (int(named[0].total) if named else 0), list(named)


def referred_to(user: User) -> QuerySet[InformationRequest]:
    return _ordered_by_urgency(
        requests_visible_to(user)
        .filter(Exists(Referral.objects.filter(request=OuterRef("pk"), referred_to=user)))
        .select_related(*_LIST_RELATED)
    )


def consent_choices_for(user: User) -> list[tuple[int, str]]:
    return [(c.pk, c.choice_label) for c in consents_usable_by(user)]


def information_disclosed_text(
    request: InformationRequest, decision: Decision, *, sees_content: bool
) -> str:
    """Part B's "information disclosed", consistent with "information attached" and with
    what this person may see of the content at this stage."""
    if not decision.disclosure_agreed:
        return "None: disclosure declined"
    if decision.content_destroyed_at is not None:
        return f"Destroyed on {timezone.localtime(decision.content_destroyed_at):%d %B %Y}"
    if not sees_content:
        if request.returned_at is not None:
            return f"Returned to the DLO on {timezone.localtime(request.returned_at):%d %B %Y}"
        return "Not shown to you"
    if decision.information_disclosed:
        return decision.information_disclosed
    return "See the attached files" if decision.information_attached else "None recorded"


def _decided_text(decision: Decision) -> str:
    signed = f"{timezone.localtime(decision.signed_at):%d/%m/%Y %H:%M}"
    if decision.recorded_id is None or decision.supplied_on is None:
        return signed
    # Recorded after the event: the day it was decided, and when it was recorded.
    return f"{decision.supplied_on:%d/%m/%Y} (recorded {signed})"


def appendix_g_record(
    request: InformationRequest | None, decision: Decision
) -> list[tuple[str, str]]:
    """The decision's Appendix G paragraph 9 record, (a) to (i), with the ISP 4.6 evidence
    and third parties, as (label, value) pairs: on the printed form after Part B. Without a
    request (a recorded disclosure), (c) is who it was shared with."""
    types = [InformationType(code).label for code in decision.information_types]
    if decision.information_types_other:
        types = [
            f"Other: {decision.information_types_other}" if label == "Other (state)" else label
            for label in types
        ]
    how = decision.get_delivery_method_display()
    if decision.delivery_other:
        how = f"{how}: {decision.delivery_other}"
    informed = decision.get_subject_informed_display()
    if decision.not_informed_reason:
        informed = f"{informed}. Why not: {decision.not_informed_reason}"
    who = (
        (request.requester_name, request.requester_position, request.requester_organisation)
        if request is not None
        else (decision.disclosed_to_name, decision.disclosed_to_organisation)
    )
    requester = ", ".join(part for part in who if part)
    reasons = decision.reasons
    if decision.decline_reason:
        reasons = f"{reasons}\nReason for declining: {decision.decline_reason}"
    rows = [
        ("(a) Date and time of the decision", _decided_text(decision)),
        ("(b) Summary of the information", decision.summary),
        (
            "(c) Requested by (name, job title, organisation)"
            if request is not None
            else "(c) Shared with (name, organisation)",
            requester,
        ),
        ("(d) The decision and its reasons", f"{decision.get_outcome_display()}. {reasons}"),
        ("(e) With or without consent", decision.get_consent_basis_display()),
        ("(f) Person or family informed", informed),
        ("(g) Who consented or authorised", decision.authorised_by),
        ("(h) Types of information shared (ISP 4.7)", ", ".join(types) or "None"),
        ("(i) How it was shared", how),
        ("Evidence the decision rests on (ISP 4.6)", decision.evidence),
        ("Third parties involved", decision.third_parties or "None recorded"),
    ]
    if request is not None:
        rows.append(
            (
                "Date review started",
                f"{request.review_started_on:%d/%m/%Y}"
                if request.review_started_on
                else "Not recorded",
            )
        )
    return rows


def visible_attachments(
    request: InformationRequest, parts: frozenset[permissions.Part]
) -> list[Attachment]:
    """The request's files this person may see at its stage (``permissions.SEES``); files
    sent with messages are shown with their messages (``thread.selectors.thread_for``)."""
    return [
        a
        for a in (request.attachments.all() if _has(request, "attachments") else [])
        if a.kind != AttachmentKind.MESSAGE
        and permissions.attachment_part(a.kind, request) in parts
    ]


def request_page_context(request: InformationRequest, user: User) -> dict[str, Any]:
    """Everything the request page shows this person at the request's stage
    (``permissions.SEES``), each relation in one query, and only the relations the request
    has (when read by ``get_request_page_for``). The named people and the withdrawals of
    consent are read once for the people, the consent panel and the timeline."""
    parts = permissions.visible_parts(user, request)
    decision = _decision(request) if permissions.Part.DECISION in parts else None
    messages = permissions.Part.MESSAGES in parts
    notices = (
        list(notices_for_request(request).order_by("created_at"))
        if _has(request, "withdrawal_notices")
        else []
    )
    sees_people = permissions.Part.PEOPLE in parts
    if sees_people or permissions.Part.CONSENT in parts:
        people = list(
            request.people.select_related(
                "consent__given_to_agency", "consent__disclose_to_agency"
            ).prefetch_related("consent__agreements")
        )
        consent_position(request, people=people, notices=notices)  # kept for the panel
    else:
        people = []
    return {
        "req": request,
        "sees": {part.value: part in parts for part in permissions.Part},
        "checklist": checklist_summary(decision.checklist) if decision else [],
        "people": people if sees_people else [],
        "legislation": list(request.legislation.all()),
        "decision": decision,
        "information_disclosed": (
            information_disclosed_text(
                request, decision, sees_content=permissions.Part.DISCLOSED_CONTENT in parts
            )
            if decision
            else ""
        ),
        "attachments": visible_attachments(request, parts),
        "referrals": (
            list(request.referrals.select_related("referred_to", "referred_by"))
            if messages and _has(request, "referrals")
            else []
        ),
        "onward": (
            list(request.onward_sharing.select_related("asked_by", "answered_by"))
            if messages and _has(request, "onward_sharing")
            else []
        ),
        "timeline": timeline(request, notices=notices),
    }


def _decision(request: InformationRequest) -> Decision | None:
    """The request's decision: read with the request by ``get_request_page_for``, else
    queried."""
    if InformationRequest.decision.is_cached(request):
        return getattr(request, "decision", None)
    return Decision.objects.filter(request=request).first()


def timeline(
    request: InformationRequest, *, notices: list[Any] | None = None
) -> list[dict[str, Any]]:
    """Who did what, when: each change of state or of assignee in the request's history,
    and any withdrawal of a consent it relies on (``notices``, when already read)."""
    entries = []
    previous = None
    assignee_id = None
    records = request.history.select_related("history_user", "assigned_to")
    for record in records.order_by("history_date"):
        if record.status != previous:
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "status": Status(record.status).label,
                    "first": previous is None,
                }
            )
            previous = record.status
        if record.assigned_to_id != assignee_id:
            entries.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "status": (
                        f"Assigned to {record.assigned_to}"
                        if record.assigned_to_id is not None
                        else "Unassigned"
                    ),
                    "first": False,
                }
            )
            assignee_id = record.assigned_to_id
    return sorted([*entries, *timeline_entries(request, notices=notices)], key=lambda e: e["when"])


def ask_instead_of_referral(
    user: User, request: InformationRequest
) -> list[tuple[User, str]] | None:
    """Who to ask, and as what, when the agency has no designated manager to refer to: its
    SPOC, then the deputy. ``None`` when referral is possible or not this person's to make."""
    if not permissions.refers_to_nobody(user, request):
        return None
    agency = request.target_agency
    return [
        (holder, label)
        for role, label in ((Role.SPOC, "SPOC"), (Role.DEPUTY_SPOC, "deputy SPOC"))
        for holder in agency_role_holders(agency=agency, role=role)
    ]


def checklist_form(data: Any = None) -> Any:
    return SharingChecklistForm(data, prefix="checklist")


def default_summary(request: InformationRequest) -> str:
    """The summary the decision form starts with, naming agencies and nobody else, for
    the officer to complete."""
    return (
        f"{request.reference}: {request.requesting_agency.code} asked "
        f"{request.target_agency.code} for information"
    )


def decision_initial(request: InformationRequest, user: User) -> dict[str, Any]:
    basis, authorised_by = suggested_consent_basis(request)
    return {
        "summary": default_summary(request),
        "marking": request.target_agency.default_marking,
        "consent_basis": basis,
        "authorised_by": authorised_by,
        "delivery_method": "portal",
    }


def decision_draft_answers(request: InformationRequest) -> dict[str, dict[str, list[str]]]:
    """The decision as saved so far, by task list section; empty before the first save.
    Read on the decision pages, whose fetch of the request is the audited read."""
    draft = DecisionDraft.objects.filter(request=request).first()
    return draft.answers if draft is not None else {}
