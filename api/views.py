"""The API's operations. Thin, as the pages' views are: fetch through need to know
(``requests_app.selectors``), hand the work to the services, answer with what the page
would show. Unseen objects are 404, audited, exactly as on the pages."""

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from api import changes, decisions, drafts, messages, representations
from api.errors import ErrorSerializer, Invalid
from audit.models import EventType
from audit.services import audit_record
from isp_portal.access import Act, Listing, list_shown
from isp_portal.limits import SEARCH_LENGTH
from isp_portal.uploads import file_download
from requests_app import permissions, search, selectors, services
from requests_app.models import InformationRequest, Status
from requests_app.workflow import Action

PAGE_SIZE = 50
_MAX_PAGE = 100_000

ERRORS = {
    code: OpenApiResponse(description=text, response=ErrorSerializer)
    for code, text in (
        (400, "Invalid: see fields"),
        (401, "No usable token"),
        (403, "The officer or the token's scopes do not allow this"),
        (404, "Not found, or not this officer's to see"),
        (409, "The request's state does not allow this now"),
        (429, "Too many calls: wait as Retry-After says"),
    )
}


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in (401, 403, 429, *codes)}


class ApiView(APIView):
    # The token scope each method needs (api.permissions.ClientScope).
    required_scope: str | dict[str, str] = "requests:read"

    @property
    def officer(self) -> User:
        return self.request.user

    @property
    def http(self) -> HttpRequest:
        """The underlying request: the audit log records its address and agent."""
        return self.request._request


# Lists and search ----------------------------------------------------------------------


class ListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    page = serializers.IntegerField(min_value=1, max_value=_MAX_PAGE, required=False, default=1)


class RequestList(ApiView):
    """Every request this officer may see, newest change first; or a new draft."""

    required_scope = {"GET": "requests:read", "POST": "requests:write"}

    @extend_schema(
        operation_id="requests_list",
        parameters=[ListQuery],
        responses={200: representations.RequestPageSerializer, **_errors(400)},
    )
    def get(self, request: Request) -> Response:
        query = ListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.requests_visible_to(self.officer).select_related(
            "requesting_agency", "target_agency"
        )
        filters = {}
        if "status" in query.validated_data:
            filters["status"] = query.validated_data["status"]
            rows = rows.filter(status=filters["status"])
        paginator = Paginator(rows.order_by("-updated_at", "-pk"), PAGE_SIZE)
        page = paginator.get_page(query.validated_data["page"])
        shown = list_shown(
            page.object_list,
            listing=Listing("api:requests"),
            http_request=self.http,
            filters=filters,
            page=page.number,
        )
        return Response(
            {
                "page": page.number,
                "pages": paginator.num_pages,
                "count": paginator.count,
                "results": [representations.summary(r) for r in shown],
            }
        )

    @extend_schema(
        operation_id="requests_create",
        request=drafts.NewDraftSerializer,
        responses={201: representations.RequestRefSerializer, **_errors(400, 409)},
    )
    def post(self, request: Request) -> Response:
        if not permissions.can_create(self.officer):
            raise exceptions.PermissionDenied("This officer may not make requests")
        data = _valid(drafts.NewDraftSerializer, request.data)
        draft = drafts.create_draft(user=self.officer, data=data, http_request=self.http)
        return Response(representations.ref(draft), status=status.HTTP_201_CREATED)


class SearchIn(serializers.Serializer):
    q = serializers.CharField(
        max_length=SEARCH_LENGTH,
        help_text="A reference, a person's name, a date of birth, a postcode or words",
    )


class RequestSearch(ApiView):
    """Search the requests this officer may see. The words go in the body, never in an
    address; the audit log records how they were read and a keyed hash, never the words."""

    @extend_schema(
        operation_id="requests_search",
        request=SearchIn,
        responses={200: representations.SearchResultsSerializer, **_errors(400)},
    )
    def post(self, request: Request) -> Response:
        data = _valid(SearchIn, request.data)
        try:
            terms = search.read_terms(data["q"])
        except search.SearchTermsError as exc:
            raise Invalid({"q": [str(exc)]}) from exc
        found = search.search_requests(
            self.officer, selectors.requests_visible_to(self.officer), terms
        )
        audit_record(
            event_type=EventType.LIST_VIEWED,
            actor=self.officer,
            http_request=self.http,
            details={
                "list": "api:search",
                "filters": {
                    "search_read_as": terms.kinds,
                    "search_key": terms.key,
                    "matches": len(found.matches),
                    "more": found.more,
                },
                "page": 1,
                "rows": len(found.matches),
                "shown": [m.request.reference or m.request.pk for m in found.matches],
            },
        )
        return Response(
            {
                "results": [
                    {
                        "request": representations.summary(m.request),
                        "matched": [str(f) for f in m.fields],
                    }
                    for m in found.matches
                ],
                "more": found.more,
            }
        )


# One request ---------------------------------------------------------------------------


class RequestDetail(ApiView):
    """One request, as its page shows it to this officer: only the parts they see at its
    stage. Reading it is audited as viewing the page is. A draft is changed here."""

    required_scope = {"GET": "requests:read", "PATCH": "requests:write"}

    @extend_schema(
        operation_id="requests_read",
        responses={200: representations.RequestDetailSerializer, **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        req = selectors.get_request_page_for(self.officer, pk, http_request=self.http)
        context = selectors.request_page_context(req, self.officer)
        return Response(representations.detail(req, self.officer, context))

    @extend_schema(
        operation_id="requests_update",
        request=drafts.DraftSerializer,
        responses={200: representations.RequestRefSerializer, **_errors(400, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        req = _draft_for(self.officer, pk, self.http)
        data = _valid(drafts.DraftSerializer, request.data)
        saved = drafts.update_draft(user=self.officer, draft=req, data=data, http_request=self.http)
        return Response(representations.ref(saved))


def _draft_for(user: User, pk: int, http: HttpRequest) -> InformationRequest:
    """The draft, for the officer who may still change it: 404 for anyone who may not see
    it, 403 for anyone else with a part in it, 409 once it has been sent."""
    req = selectors.get_request_for(
        user,
        pk,
        http_request=http,
        act=Act("edit", lambda r: r.requester_id == user.pk),
    )
    if not permissions.can_edit_draft(user, req):
        raise services.TransitionRefused(
            f"{req.label} has been submitted, so it can no longer be changed."
        )
    return req


class RequestSubmit(ApiView):
    """Sign and send a draft, checked by every rule of the form and the protocol."""

    required_scope = "requests:write"

    @extend_schema(
        operation_id="requests_submit",
        request=drafts.SubmitSerializer,
        responses={200: representations.RequestRefSerializer, **_errors(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        req = selectors.get_request_for(
            self.officer,
            pk,
            http_request=self.http,
            act=selectors.as_actor(self.officer, Action.SUBMIT),
        )
        data = _valid(drafts.SubmitSerializer, request.data)
        sent = drafts.submit(user=self.officer, draft=req, data=data, http_request=self.http)
        return Response(representations.ref(sent))


class RequestStartReview(ApiView):
    """A disclosing officer starts the review: the date review started is recorded."""

    required_scope = "decisions:write"

    @extend_schema(
        operation_id="requests_start_review",
        request=None,
        responses={200: representations.RequestRefSerializer, **_errors(404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        req = selectors.get_request_for(
            self.officer,
            pk,
            http_request=self.http,
            act=selectors.as_actor(self.officer, Action.START_REVIEW),
        )
        started = services.request_start_review(
            actor=self.officer, request=req, http_request=self.http
        )
        return Response(representations.ref(started))


class RequestTimeline(ApiView):
    @extend_schema(
        operation_id="requests_timeline",
        responses={200: representations.TimelineEntrySerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        req = selectors.get_request_for(self.officer, pk, http_request=self.http)
        return Response(representations.timeline(req))


def _page(view: ApiView, pk: int, part: permissions.Part) -> dict[str, Any]:
    """The request page's context, if this officer sees ``part`` of the request now;
    otherwise 404, as a page without that part would show nothing of it."""
    req = selectors.get_request_page_for(view.officer, pk, http_request=view.http)
    if part not in permissions.visible_parts(view.officer, req):
        raise Http404
    return selectors.request_page_context(req, view.officer)


class RequestMessages(ApiView):
    @extend_schema(
        operation_id="requests_messages",
        responses={200: representations.MessageSerializer(many=True), **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        context = _page(self, pk, permissions.Part.MESSAGES)
        return Response(messages.messages_for(self.officer, context["req"], self.http))


class RequestDecision(ApiView):
    """The signed decision (read), or the decision of a disclosing officer (record)."""

    required_scope = {"GET": "requests:read", "POST": "decisions:write"}

    @extend_schema(
        operation_id="decision_read",
        responses={200: representations.DecisionSerializer, **_errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        context = _page(self, pk, permissions.Part.DECISION)
        if context["decision"] is None:
            raise Http404
        return Response(representations.decision(context))

    @extend_schema(
        operation_id="decision_record",
        request=decisions.DecisionInSerializer,
        responses={201: representations.RequestRefSerializer, **_errors(400, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        req = selectors.get_request_for(
            self.officer,
            pk,
            http_request=self.http,
            act=selectors.as_actor(self.officer, Action.DECIDE),
        )
        data = _valid(decisions.DecisionInSerializer, request.data)
        decisions.decide(user=self.officer, request=req, data=data, http_request=self.http)
        req.refresh_from_db()
        return Response(representations.ref(req), status=status.HTTP_201_CREATED)


class RequestFile(ApiView):
    """A file of the request, if this officer sees its part at this stage: the same check
    and the same audit as the page's download."""

    required_scope = "files:read"

    @extend_schema(
        operation_id="files_download",
        responses={
            (200, "*/*"): OpenApiResponse(description="The file, as it was uploaded"),
            **_errors(404),
        },
    )
    def get(self, request: Request, pk: int, attachment_id: int) -> FileResponse:
        attachment = selectors.get_attachment_for(
            self.officer, pk, attachment_id, http_request=self.http
        )
        return file_download(
            attachment.file,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )


# Changes -------------------------------------------------------------------------------


class ChangesQuery(serializers.Serializer):
    since = serializers.CharField(
        required=False,
        max_length=200,
        help_text="The cursor the last poll answered with; leave out on the first poll",
    )


class ChangeFeed(ApiView):
    """The requests this officer may see that changed since the cursor, oldest change
    first, and the cursor to send next time."""

    @extend_schema(
        operation_id="changes",
        parameters=[ChangesQuery],
        responses={200: representations.ChangesSerializer, **_errors(400)},
    )
    def get(self, request: Request) -> Response:
        query = _valid(ChangesQuery, request.query_params)
        try:
            position = changes.position_of(query["since"]) if "since" in query else 0
        except changes.BadCursor as exc:
            raise Invalid(
                {"since": ["This cursor is not one the API gave: start again without it"]}
            ) from exc
        found = changes.changes_since(self.officer, position)
        shown = list_shown(found.requests, listing=Listing("api:changes"), http_request=self.http)
        return Response(
            {
                "changes": [{**representations.ref(r), "changed_at": r.updated_at} for r in shown],
                "cursor": found.cursor,
                "more": found.more,
            }
        )


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
