"""Thin views: fetch with need to know, hand the work to a service, show the result."""

import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.signed_in import signed_in_user
from isp_portal.access import Act, Listing, page_shown, post_only
from isp_portal.uploads import file_download, upload_refused_message
from requests_app import groups, permissions, search, selectors, services
from requests_app.filters import RequestFilter, SearchForm
from requests_app.forms import (
    AdviceForm,
    AnswerForm,
    AssignForm,
    AttachmentForm,
    OnwardAnswerForm,
    OnwardAskForm,
    QuestionForm,
    ReferForm,
)
from requests_app.group_views import CopyForm
from requests_app.models import AttachmentKind, InformationRequest
from requests_app.services import TransitionRefused
from requests_app.thread import selectors as thread_selectors
from requests_app.thread.forms import message_form_for
from requests_app.thread.permissions import can_write
from requests_app.workflow import Action


def _apply_errors(error: ValidationError, form: forms.BaseForm, formset: Any = None) -> None:
    """Put a service's field-keyed problems beside the fields they belong to."""
    for key, messages_ in error.message_dict.items():
        if key.startswith("people-") and formset is not None:
            _, index, field = key.split("-", 2)
            target = formset.forms[int(index)] if int(index) < len(formset.forms) else None
            for message in messages_:
                if target is not None and field in target.fields:
                    target.add_error(field, message)
                else:
                    form.add_error(None, message)
        elif key == "people" and formset is not None:
            formset._non_form_errors = formset.error_class(messages_)
            for message in messages_:
                form.add_error(None, message)
        else:
            for message in messages_:
                form.add_error(key if key in form.fields else None, message)


# Lists -------------------------------------------------------------------------------


PAGE_SIZE = 50


def _list_page(
    request: HttpRequest, rows: Any, *, title: str, kind: str, show: str = "", **extra: Any
) -> HttpResponse:
    filters = RequestFilter(request.GET, queryset=rows, request=request)
    page = page_shown(
        filters.qs,
        PAGE_SIZE,
        listing=Listing(f"requests:{kind}"),
        http_request=request,
        filters={"show": show, **filters.in_use()} if show else filters.in_use(),
    )
    if kind == "mine":
        groups.mark_linked(list(page.object_list), signed_in_user(request))
    return render(
        request,
        "requests_app/list.html",
        {
            "page": page,
            "rows": page.object_list,
            "title": title,
            "kind": kind,
            "show": show,
            "filter": filters,
            **extra,
        },
    )


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return _list_page(
        request,
        selectors.my_requests(user),
        title="My requests",
        kind="mine",
        can_create=permissions.can_create(user),
    )


# How many overdue references the SPOC's warning names; the rest are on the overdue tab.
OVERDUE_NAMED = 5


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """Open requests, overdue first, then by due date; decided ones, and for a SPOC the
    overdue ones, on tabs of their own."""
    user = signed_in_user(request)
    overdue = selectors.overdue_for_spoc(user)
    show = request.GET.get("show", "")
    if show == "decided":
        rows = selectors.agency_decided(user)
    elif show == "overdue" and overdue is not None:
        rows = overdue
    else:
        show, rows = "", selectors.agency_inbox(user)
    rows = selectors.with_consent_flag(rows)
    warning = None
    if overdue is not None and not show:
        count, named = selectors.longest_overdue(overdue, OVERDUE_NAMED)
        if named:
            warning = {"count": count, "named": named}
    return _list_page(
        request,
        rows,
        title="Agency inbox",
        kind="inbox",
        show=show,
        spoc=overdue is not None,
        overdue_warning=warning,
    )


@login_required
def referred(request: HttpRequest) -> HttpResponse:
    return _list_page(
        request,
        selectors.referred_to(signed_in_user(request)),
        title="Referred to me",
        kind="referred",
    )


# Search -------------------------------------------------------------------------------

# A search is kept in the officer's session, under an id that means nothing outside it, so
# the words (a person's name) never appear in an address, a log or the browser's history.
SEARCH_SECONDS = 30 * 60
SEARCHES_KEPT = 10


def _remember_search(request: HttpRequest, text: str) -> str:
    now = time.time()
    kept = {
        sid: entry
        for sid, entry in request.session.get("searches", {}).items()
        if now - entry[1] < SEARCH_SECONDS
    }
    newest = sorted(kept.items(), key=lambda item: item[1][1])[-(SEARCHES_KEPT - 1) :]
    sid = secrets.token_urlsafe(9)
    request.session["searches"] = {**dict(newest), sid: [text, now]}
    return sid


def _recall_search(request: HttpRequest, sid: str) -> str | None:
    entry = request.session.get("searches", {}).get(sid)
    if entry is None or time.time() - entry[1] >= SEARCH_SECONDS:
        return None
    return str(entry[0])


def _search_page(request: HttpRequest, form: SearchForm, *, expired: bool = False) -> HttpResponse:
    return render(request, "requests_app/search.html", {"form": form, "expired": expired})


@login_required
@require_POST
def search_start(request: HttpRequest) -> HttpResponse:
    """The search box, on every page: the words go in the body of a POST and are kept in
    the session; the results page's address carries only the search's id and filters."""
    form = SearchForm(request.POST)
    if not form.is_valid():
        return _search_page(request, form)
    sid = _remember_search(request, form.cleaned_data["q"])
    url = reverse("requests:search_results", args=[sid])
    query = request.GET.copy()
    query.pop("page", None)
    return redirect(f"{url}?{query.urlencode()}" if query else url)


@login_required
def search_results(request: HttpRequest, sid: str) -> HttpResponse:
    text = _recall_search(request, sid)
    if text is None:
        return _search_page(request, SearchForm(), expired=True)
    user = signed_in_user(request)
    terms = search.read_terms(text)
    filters = RequestFilter(
        request.GET, queryset=selectors.requests_visible_to(user), request=request
    )
    found = search.search_requests(user, filters.qs, terms)
    page = page_shown(
        found.matches,
        PAGE_SIZE,
        listing=Listing("requests:search", reference="request__reference"),
        http_request=request,
        filters={
            **filters.in_use(),
            "search_read_as": terms.kinds,
            "search_key": terms.key,
            "matches": len(found.matches),
            "more": found.more,
        },
    )
    return render(
        request,
        "requests_app/search.html",
        {
            "form": SearchForm(initial={"q": text}),
            "page": page,
            "rows": page.object_list,
            "found": found,
            "filter": filters,
            "sid": sid,
        },
    )


# The request page -----------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    req = selectors.get_request_page_for(user, pk, http_request=request)
    context = selectors.request_page_context(req, user)
    reads_thread = context["sees"][permissions.Part.MESSAGES]
    thread = thread_selectors.thread_for(user, req, http_request=request, reads=reads_thread)
    return render(
        request,
        "requests_app/detail.html",
        {
            **context,
            "timeline": sorted(
                [*context["timeline"], *thread_selectors.timeline_entries(thread)],
                key=lambda e: e["when"],
            ),
            "thread": thread,
            "message_form": (
                message_form_for(user, req) if can_write(user, req, reads=reads_thread) else None
            ),
            "actions": permissions.available_actions(user, req),
            "ask_instead_of_referral": selectors.ask_instead_of_referral(user, req),
            "can_edit": permissions.can_edit_draft(user, req),
            "can_ask_onward": permissions.can_ask_onward_sharing(user, req),
            "can_answer_onward": permissions.can_answer_onward_sharing(user, req),
            "can_upload_disclosure": permissions.can_add_disclosure_files(user, req),
            "attachment_form": AttachmentForm(),
            "pdf_url": reverse("requests:pdf", args=[req.pk]),
            "can_take": permissions.can_take(user, req) and req.assigned_to_id != user.pk,
            "linked": groups.linked_requests(req, user),
            "copy_form": (
                CopyForm(initial={"copy_token": uuid.uuid4()})
                if permissions.can_copy(user, req)
                else None
            ),
            "assign_form": (
                AssignForm(
                    officers=selectors.assignable_officers(req),
                    initial={"assignee": req.assigned_to_id},
                )
                if permissions.can_manage_assignment(user, req)
                else None
            ),
        },
    )


def _request_to_assign(request: HttpRequest, pk: int) -> InformationRequest:
    user = signed_in_user(request)
    return selectors.get_request_for(
        user, pk, http_request=request, act=selectors.as_assigner(user)
    )


def _request_seen(request: HttpRequest, pk: int) -> InformationRequest:
    return selectors.get_request_for(signed_in_user(request), pk, http_request=request)


@login_required
@post_only(_request_to_assign)
def assign(request: HttpRequest, req: InformationRequest) -> HttpResponse:
    """Assign to me, or (the SPOC or deputy) assign, reassign or unassign."""
    user = signed_in_user(request)
    form = AssignForm(request.POST, officers=selectors.assignable_officers(req))
    if not form.is_valid():
        messages.error(request, "Choose an active disclosing officer of your agency")
        return redirect("requests:detail", req.pk)
    assignee = form.cleaned_data["assignee"]
    try:
        services.request_assign(actor=user, request=req, assignee=assignee, http_request=request)
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"{req.label} is now assigned to {assignee}."
            if assignee
            else f"{req.label} is no longer assigned to anybody.",
        )
    return redirect("requests:detail", req.pk)


def _action_page(
    request: HttpRequest,
    pk: int,
    *,
    action: Action,
    form_class: type[forms.Form],
    run: Callable[[User, InformationRequest, dict[str, Any]], object],
    success: str,
    title: str,
    form_kwargs: Callable[[InformationRequest], dict[str, Any]] | None = None,
) -> HttpResponse:
    """A page with one small form that performs one workflow action."""
    user = signed_in_user(request)
    req = selectors.get_request_for(
        user, pk, http_request=request, act=selectors.as_actor(user, action)
    )
    kwargs = form_kwargs(req) if form_kwargs else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            run(user, req, form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(exc, form)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            return redirect("requests:detail", req.pk)
        else:
            messages.success(request, success)
            return redirect("requests:detail", req.pk)
    return render(request, "requests_app/action.html", {"req": req, "form": form, "title": title})


@login_required
def ask_clarification(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=Action.ASK_CLARIFICATION,
        form_class=QuestionForm,
        run=lambda u, r, d: services.request_ask_clarification(
            actor=u, request=r, question=d["question"], http_request=request
        ),
        success="Your question has been sent. The clock is paused until the requester answers.",
        title="Ask for clarification",
    )


@login_required
def answer_clarification(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=Action.ANSWER_CLARIFICATION,
        form_class=AnswerForm,
        run=lambda u, r, d: services.request_answer_clarification(
            actor=u, request=r, answer=d["answer"], http_request=request
        ),
        success="Your answer has been sent to the disclosing agency.",
        title="Answer the clarification",
    )


@login_required
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=Action.REFER,
        form_class=ReferForm,
        form_kwargs=lambda r: {"agency": r.target_agency},
        run=lambda u, r, d: services.request_refer(
            actor=u, request=r, manager=d["manager"], reason=d["reason"], http_request=request
        ),
        success="The request has been referred to the designated manager.",
        title="Refer to the designated manager",
    )


@login_required
def give_advice(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=Action.GIVE_ADVICE,
        form_class=AdviceForm,
        run=lambda u, r, d: services.request_give_advice(
            actor=u, request=r, advice=d["advice"], http_request=request
        ),
        success="Your advice has been sent to the disclosing officer.",
        title="Advise the disclosing officer",
    )


@dataclass(frozen=True)
class SimpleAction:
    action: Action
    service: Callable[..., object]
    success: str
    # Irreversible actions ask "Are you sure?" on a page of their own first, saying what
    # will happen (``None``: the action is taken straight from its button).
    confirm: tuple[str, ...] | None = None
    question: str = ""
    button: str = ""


_SIMPLE_ACTIONS: dict[str, SimpleAction] = {
    "start_review": SimpleAction(
        Action.START_REVIEW,
        services.request_start_review,
        "Review started. The date received has been recorded.",
    ),
    "return_information": SimpleAction(
        Action.RETURN_INFORMATION,
        services.request_return_information,
        "The information has been returned to the disclosing agency's DLO for destruction.",
        confirm=(
            "You will no longer be able to see the information disclosed or its files.",
            "The disclosing agency's Designated Liaison Officer (DLO) is told, and destroys it.",
            "You cannot undo this. If you need the information again, make a new request.",
        ),
        question="Are you sure you want to return the information for destruction?",
        button="Yes, return the information",
    ),
    "confirm_destruction": SimpleAction(
        Action.CONFIRM_DESTRUCTION,
        services.request_confirm_destruction,
        "Destruction confirmed. The disclosed information has been deleted; the record stays.",
        confirm=(
            "The information disclosed and its files are deleted for good.",
            "The request is closed. The decision record (Appendix G) and the record of the "
            "disposal are kept.",
            "You cannot undo this.",
        ),
        question="Are you sure the information has been destroyed?",
        button="Yes, confirm destruction",
    ),
}


@login_required
def simple_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    user = signed_in_user(request)
    if name not in _SIMPLE_ACTIONS:
        raise Http404
    step = _SIMPLE_ACTIONS[name]
    # Need to know first, so nobody learns from a 405 that a request exists; someone who may
    # see the request but not take this action is refused, and that is logged.
    req = selectors.get_request_for(
        user, pk, http_request=request, act=selectors.as_actor(user, step.action)
    )
    if request.method == "GET" and step.confirm is not None:
        return render(
            request,
            "requests_app/confirm.html",
            {
                "req": req,
                "title": step.question,
                "consequences": step.confirm,
                "button": step.button,
            },
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        step.service(actor=user, request=req, http_request=request)
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, step.success)
    return redirect("requests:detail", req.pk)


# Files ---------------------------------------------------------------------------------


@login_required
@post_only(_request_seen)
def upload(request: HttpRequest, req: InformationRequest, kind: str) -> HttpResponse:
    user = signed_in_user(request)
    if kind not in AttachmentKind.values:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    back = "requests:decide_files" if kind == AttachmentKind.DISCLOSURE else "requests:edit"
    if not form.is_valid():
        messages.error(request, upload_refused_message(request) or "Choose a file to upload")
        return redirect(back, req.pk)
    try:
        services.attachment_add(
            actor=user,
            request=req,
            upload=form.cleaned_data["file"],
            kind=AttachmentKind(kind),
            upload_token=form.cleaned_data["upload_token"],
            http_request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The file has been attached.")
    return redirect(back, req.pk)


@login_required
def download(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    attachment = selectors.get_attachment_for(
        signed_in_user(request), pk, attachment_id, http_request=request
    )
    return file_download(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@post_only(_request_seen)
def remove_file(request: HttpRequest, req: InformationRequest, attachment_id: int) -> HttpResponse:
    user = signed_in_user(request)
    attachment = selectors.get_attachment_for(
        user,
        req.pk,
        attachment_id,
        http_request=request,
        act=Act("remove_file", lambda a: permissions.can_remove_attachment(user, a.kind, req)),
    )
    services.attachment_remove(actor=user, attachment=attachment, http_request=request)
    messages.success(request, f"{attachment.original_name} has been removed.")
    if attachment.kind == AttachmentKind.REQUEST:
        return redirect("requests:edit", req.pk)
    if permissions.can(user, Action.DECIDE, req):
        return redirect("requests:decide_files", req.pk)
    return redirect("requests:detail", req.pk)


# After disclosure: onward sharing -------------------------------------------------------


@login_required
def onward_ask(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    req = selectors.get_request_for(
        user,
        pk,
        http_request=request,
        act=Act("onward_ask", lambda r: permissions.can_ask_onward_sharing(user, r)),
    )
    form = OnwardAskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.onward_sharing_ask(
                actor=user, request=req, http_request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            _apply_errors(exc, form)
        else:
            messages.success(request, "Your request has been sent to the disclosing agency's DLO.")
            return redirect("requests:detail", req.pk)
    return render(
        request,
        "requests_app/action.html",
        {"req": req, "form": form, "title": "Ask to share with a third party"},
    )


@login_required
def onward_answer(request: HttpRequest, pk: int, onward_id: int) -> HttpResponse:
    user = signed_in_user(request)
    req = selectors.get_request_for(
        user,
        pk,
        http_request=request,
        act=Act("onward_answer", lambda r: permissions.can_answer_onward_sharing(user, r)),
    )
    onward = selectors.get_onward_for(user, req, onward_id, http_request=request)
    form = OnwardAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.onward_sharing_answer(
                actor=user,
                onward=onward,
                agree=form.cleaned_data["agree"],
                reason=form.cleaned_data["reason"],
                http_request=request,
            )
        except ValidationError as exc:
            _apply_errors(exc, form)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            return redirect("requests:detail", req.pk)
        else:
            messages.success(request, "Your answer has been recorded and the requester told.")
            return redirect("requests:detail", req.pk)
    return render(
        request,
        "requests_app/action.html",
        {"req": req, "form": form, "title": "Onward sharing", "onward": onward},
    )
