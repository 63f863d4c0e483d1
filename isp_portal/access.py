"""The one way a view gets a protected object, and the one place its reading is audited.

Every refusal is recorded with the kind of object, its id and, for anything that belongs to
a request, the request's reference, so the agencies owning the request see the attempt in
their access log; the person refused gets the same 404 whether or not the object exists.
Every object shown in answer to a GET is recorded as read, so no view has to remember to;
so is every list or search page, through ``list_shown`` or ``page_shown``.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from audit.models import EventType, Outcome
from audit.services import audit_record

# The audit log's object id column holds 40 characters; a URL may carry a longer number.
_OBJECT_ID_LENGTH = 40


def _no_details(obj: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Read:
    """How showing one kind of object is recorded: the event, and what it notes about the
    object (never personal data)."""

    event: EventType
    details: Callable[[Any], dict[str, Any]] = field(default=_no_details)


def _reference_of(obj: object, path: str) -> str:
    """Follow ``path`` (``reference``, ``request__reference``) from the object, or ''."""
    if not path:
        return ""
    value: Any = obj
    for name in path.split("__"):
        value = getattr(value, name, None)
    return str(value or "")


def _record_refusal(
    model: type[Model],
    pk: int,
    *,
    user: Any,
    http_request: HttpRequest | None,
    reference: str,
    found: Model | None = None,
    action: str = "",
) -> None:
    """The attempt, with what it was on (and the action, for an object seen but not acted
    on). The reference is looked up whatever this person may see: the log is read by the
    request's agencies, not by the person refused."""
    if found is not None:
        request_reference = _reference_of(found, reference)
    elif reference:
        found_reference = model._base_manager.filter(pk=pk).values_list(reference, flat=True)
        request_reference = found_reference.first() or ""
    else:
        request_reference = ""
    object_id: Any = pk if len(str(pk)) <= _OBJECT_ID_LENGTH else str(pk)[:_OBJECT_ID_LENGTH]
    audit_record(
        event_type=EventType.ACCESS_DENIED,
        actor=user,
        http_request=http_request,
        # Names the kind and id attempted; never saved, and the row may not exist.
        obj=model(pk=object_id),
        request_reference=request_reference,
        outcome=Outcome.DENIED,
        details={"action": action} if action else None,
    )


@dataclass(frozen=True)
class Act:
    """The action a page is for, and whether this person may take it on the object."""

    name: str
    allowed: Callable[[Any], bool]


def get_visible_or_404[M: Model](
    visible: QuerySet[M],
    pk: int,
    *,
    user: Any,
    http_request: HttpRequest | None = None,
    for_update: bool = False,
    allowed: Callable[[M], bool] | None = None,
    read: Read | None = None,
    reference: str = "",
    act: Act | None = None,
) -> M:
    """The object, if it is in ``visible`` (what this person may see) and, where access is a
    rule on the object rather than a queryset, ``allowed`` by it; otherwise 404, with the
    attempt in the audit log. Nobody learns whether something they cannot see exists.

    ``read`` is recorded when the object is fetched to show it (a GET, not a lock taken
    for a change); ``reference`` is the path from the object to its request's reference.
    Someone who may see the object but not take ``act`` on it gets 403, recorded as refused
    with the action's name, and no read.
    """
    if for_update:
        visible = visible.select_for_update(of=("self",))
    found = visible.filter(pk=pk).first()
    if found is None or (allowed is not None and not allowed(found)):
        _record_refusal(
            visible.model, pk, user=user, http_request=http_request, reference=reference
        )
        raise Http404
    if act is not None and not act.allowed(found):
        _record_refusal(
            visible.model,
            pk,
            user=user,
            http_request=http_request,
            reference=reference,
            found=found,
            action=act.name,
        )
        raise PermissionDenied
    if read is not None and not for_update and _shows(http_request):
        audit_record(
            event_type=read.event,
            actor=user,
            http_request=http_request,
            obj=found,
            request_reference=_reference_of(found, reference),
            details=read.details(found),
        )
    return found


def _shows(http_request: HttpRequest | None) -> bool:
    """A page or file is shown in answer to a GET; a POST changes something, and its
    service records the change."""
    return http_request is not None and http_request.method == "GET"


@dataclass(frozen=True)
class Listing:
    """A list or search page: its name in the log, and the path from a row to the reference
    that names the row there (the row's own, or its request's); a row without one is named
    by its id."""

    name: str
    reference: str = "reference"


def list_shown[T](
    rows: Iterable[T],
    *,
    listing: Listing,
    http_request: HttpRequest,
    filters: dict[str, Any] | None = None,
    page: int = 1,
) -> list[T]:
    """The rows, read once, with the page that shows them recorded: which list, the filters
    (codes, dates and tabs; never a person's name, which the caller records as ``given``),
    the page, how many rows and which. Lists are shown in answer to a GET."""
    shown = list(rows)
    if _shows(http_request):
        audit_record(
            event_type=EventType.LIST_VIEWED,
            http_request=http_request,
            details={
                "list": listing.name,
                "filters": filters or {},
                "page": page,
                "rows": len(shown),
                "shown": [
                    _reference_of(row, listing.reference) or getattr(row, "pk", None)
                    for row in shown
                ],
            },
        )
    return shown


def page_shown(
    rows: QuerySet[Any] | Sequence[Any],
    per_page: int,
    *,
    listing: Listing,
    http_request: HttpRequest,
    filters: dict[str, Any] | None = None,
) -> Page:
    """The page of ``rows`` the ``page`` parameter asks for, recorded by ``list_shown``."""
    page = Paginator(rows, per_page).get_page(http_request.GET.get("page"))
    page.object_list = list_shown(
        page.object_list,
        listing=listing,
        http_request=http_request,
        filters=filters,
        page=page.number,
    )
    return page


def post_only[M](
    fetch: Callable[[HttpRequest, int], M],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view that only changes something: ``fetch`` (the need-to-know check) runs first,
    whatever the method, so a stranger gets the same 404 to a GET as to a POST and nobody
    learns from a 405 that the object exists; anything but a POST then gets 405. The view
    is called with the fetched object in place of its id."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(http_request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
            found = fetch(http_request, pk)
            if http_request.method != "POST":
                return HttpResponseNotAllowed(["POST"])
            return view(http_request, found, *args, **kwargs)

        return wrapped

    return decorator
