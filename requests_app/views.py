"""Thin views: fetch with need to know, hand the work to a service, show the result."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import User
from isp_portal.access import Act, Listing, page_shown
from isp_portal.uploads import upload_refused_message
from requests_app import permissions, rules, selectors, services
from requests_app.forms import (
    AdviceForm,
    AnswerForm,
    AttachmentForm,
    DecisionForm,
    DeclarationForm,
    OnwardAnswerForm,
    OnwardAskForm,
    PersonFormSet,
    QuestionForm,
    ReferForm,
    RequestForm,
    WithdrawForm,
)
from requests_app.models import AttachmentKind, InformationRequest
from requests_app.services import PersonData, TransitionRefused
from requests_app.workflow import Action


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


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
    page = page_shown(
        rows,
        PAGE_SIZE,
        listing=Listing(f"requests:{kind}"),
        http_request=request,
        filters={"show": show} if show else {},
    )
    return render(
        request,
        "requests_app/list.html",
        {
            "page": page,
            "rows": page.object_list,
            "title": title,
            "kind": kind,
            "show": show,
            **extra,
        },
    )


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    user = _user(request)
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
    """Open requests, most urgent first; decided ones, and for a SPOC the overdue ones, on
    tabs of their own."""
    user = _user(request)
    overdue = selectors.overdue_for_spoc(user)
    show = request.GET.get("show", "")
    if show == "decided":
        rows = selectors.agency_decided(user)
    elif show == "overdue" and overdue is not None:
        rows = overdue
    else:
        show, rows = "", selectors.agency_inbox(user)
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
        request, selectors.referred_to(_user(request)), title="Referred to me", kind="referred"
    )


# Part A: drafting and submitting -----------------------------------------------------


def _people_data(formset: Any) -> list[PersonData]:
    return [
        PersonData(
            full_name=f.cleaned_data["full_name"],
            role=f.cleaned_data["role"],
            address=f.cleaned_data.get("address", ""),
            date_of_birth=f.cleaned_data.get("date_of_birth"),
            consent_id=f.cleaned_data.get("consent"),
        )
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


def _initial_people(req: InformationRequest | None) -> list[dict[str, Any]]:
    if req is None:
        return [{}]
    return [
        {
            "full_name": p.full_name,
            "address": p.address,
            "date_of_birth": p.date_of_birth,
            "role": p.role,
            "consent": p.consent_id,
        }
        for p in req.people.all()
    ] or [{}]


def _draft_page(request: HttpRequest, req: InformationRequest | None) -> HttpResponse:
    user = _user(request)
    consent_choices = selectors.consent_choices_for(user)
    initial_people = _initial_people(req)
    extra = 1 if request.GET.get("add_person") else 0
    if request.method == "POST":
        form = RequestForm(request.POST, instance=req, user=user)
        formset = PersonFormSet(
            request.POST, prefix="people", form_kwargs={"consent_choices": consent_choices}
        )
    else:
        form = RequestForm(instance=req, user=user)
        formset = PersonFormSet(
            prefix="people",
            initial=initial_people + ([{}] if extra else []),
            form_kwargs={"consent_choices": consent_choices},
        )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = {
            k: v for k, v in form.cleaned_data.items() if k not in {"legislation", "creation_token"}
        }
        try:
            if req is None:
                req = services.request_create_draft(
                    actor=user,
                    fields=fields,
                    people=_people_data(formset),
                    legislation=form.cleaned_data["legislation"],
                    creation_token=form.cleaned_data["creation_token"],
                    http_request=request,
                )
            else:
                req = services.request_update_draft(
                    actor=user,
                    request=req,
                    fields=fields,
                    people=_people_data(formset),
                    legislation=form.cleaned_data["legislation"],
                    http_request=request,
                )
        except ValidationError as exc:
            _apply_errors(exc, form, formset)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            return redirect("requests:detail", req.pk)
        else:
            if "add_person" in request.POST:
                return redirect(reverse("requests:edit", args=[req.pk]) + "?add_person=1#people")
            if "continue" in request.POST:
                problems = rules.submission_problems(req)
                if not problems:
                    return redirect("requests:check", req.pk)
                _apply_errors(ValidationError(problems), form, formset)
            else:
                messages.success(request, "Your draft has been saved.")
                return redirect("requests:edit", req.pk)
    return render(
        request,
        "requests_app/edit.html",
        {"form": form, "formset": formset, "req": req},
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(_user(request)):
        raise Http404
    return _draft_page(request, None)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    req = selectors.get_request_for(user, pk, http_request=request)
    if not permissions.can_edit_draft(user, req):
        if req.requester_id == user.pk:
            return redirect("requests:detail", req.pk)
        raise PermissionDenied
    return _draft_page(request, req)


@login_required
def check(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    req = selectors.get_request_for(user, pk, http_request=request)
    if not permissions.can(user, Action.SUBMIT, req):
        if req.requester_id == user.pk:
            return redirect("requests:detail", req.pk)
        raise PermissionDenied
    form = DeclarationForm(request.POST or None)
    problems = rules.submission_problems(req)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_submit(
                actor=user,
                request=req,
                declaration_name=form.cleaned_data["declaration_name"],
                http_request=request,
            )
        except ValidationError as exc:
            _apply_errors(exc, form)
            problems = {k: v for k, v in exc.message_dict.items() if k != "declaration_name"}
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            return redirect("requests:detail", req.pk)
        else:
            req.refresh_from_db()
            messages.success(
                request, f"Request {req.reference} has been sent to {req.target_agency}."
            )
            return redirect("requests:detail", req.pk)
    context = selectors.request_page_context(req, user)
    return render(
        request,
        "requests_app/check.html",
        {**context, "form": form, "problems": problems},
    )


# The request page -----------------------------------------------------------------------


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    req = selectors.get_request_for(user, pk, http_request=request)
    context = selectors.request_page_context(req, user)
    return render(
        request,
        "requests_app/detail.html",
        {
            **context,
            "actions": permissions.available_actions(user, req),
            "ask_instead_of_referral": selectors.ask_instead_of_referral(user, req),
            "can_edit": permissions.can_edit_draft(user, req),
            "can_ask_onward": permissions.can_ask_onward_sharing(user, req),
            "can_answer_onward": permissions.can_answer_onward_sharing(user, req),
            "can_upload_disclosure": permissions.can_add_disclosure_files(user, req),
            "attachment_form": AttachmentForm(),
            "pdf_url": reverse("requests:pdf", args=[req.pk]),
        },
    )


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
    user = _user(request)
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


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _action_page(
        request,
        pk,
        action=Action.WITHDRAW,
        form_class=WithdrawForm,
        run=lambda u, r, d: services.request_withdraw(
            actor=u, request=r, reason=d["reason"], http_request=request
        ),
        success="The request has been withdrawn.",
        title="Withdraw the request",
    )


_SIMPLE_ACTIONS: dict[str, tuple[Action, Callable[..., object], str]] = {
    "start_review": (
        Action.START_REVIEW,
        services.request_start_review,
        "Review started. The date received has been recorded.",
    ),
    "return_information": (
        Action.RETURN_INFORMATION,
        services.request_return_information,
        "The information has been returned to the disclosing agency's DLO for destruction.",
    ),
    "confirm_destruction": (
        Action.CONFIRM_DESTRUCTION,
        services.request_confirm_destruction,
        "Destruction confirmed. The disclosed information has been deleted; the record stays.",
    ),
}


@login_required
def simple_action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    user = _user(request)
    if name not in _SIMPLE_ACTIONS:
        raise Http404
    action, service, success = _SIMPLE_ACTIONS[name]
    # Need to know first, so nobody learns from a 405 that a request exists; someone who may
    # see the request but not take this action is refused, and that is logged.
    req = selectors.get_request_for(
        user, pk, http_request=request, act=selectors.as_actor(user, action)
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        service(actor=user, request=req, http_request=request)
    except TransitionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("requests:detail", req.pk)


# Part B: the decision ------------------------------------------------------------------


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    req = selectors.get_request_for(
        user, pk, http_request=request, act=selectors.as_actor(user, Action.DECIDE)
    )
    if not permissions.can(user, Action.DECIDE, req):
        messages.error(request, services.refusal_message(req, Action.DECIDE))
        return redirect("requests:detail", req.pk)
    checklist_form = selectors.checklist_form(request.POST or None)
    initial = selectors.decision_initial(req, user)
    form = DecisionForm(request.POST or None, initial=initial)
    form.has_files = req.attachments.filter(kind=AttachmentKind.DISCLOSURE).exists()
    if request.method == "POST" and form.is_valid() & checklist_form.is_valid():
        fields = dict(form.cleaned_data)
        fields["checklist"] = checklist_form.cleaned_data
        try:
            services.request_decide(actor=user, request=req, fields=fields, http_request=request)
        except ValidationError as exc:
            _apply_errors(exc, form)
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            return redirect("requests:detail", req.pk)
        else:
            messages.success(request, "Your decision has been recorded and the requester told.")
            return redirect("requests:detail", req.pk)
    context = selectors.request_page_context(req, user)
    return render(
        request,
        "requests_app/decide.html",
        {
            **context,
            "form": form,
            "checklist_form": checklist_form,
            "attachment_form": AttachmentForm(),
        },
    )


# Files ---------------------------------------------------------------------------------


@login_required
def upload(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    user = _user(request)
    req = selectors.get_request_for(user, pk, http_request=request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if kind not in AttachmentKind.values:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    back = "requests:decide" if kind == AttachmentKind.DISCLOSURE else "requests:edit"
    if not form.is_valid():
        messages.error(request, upload_refused_message(request) or "Choose a file to upload")
        return redirect(back, req.pk)
    try:
        services.attachment_add(
            actor=user,
            request=req,
            upload=form.cleaned_data["file"],
            kind=AttachmentKind(kind),
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
        _user(request), pk, attachment_id, http_request=request
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def remove_file(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    user = _user(request)
    # Need to know first, so nobody learns from a 405 that a request exists.
    req = selectors.get_request_for(user, pk, http_request=request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
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
        return redirect("requests:decide", req.pk)
    return redirect("requests:detail", req.pk)


# After disclosure: onward sharing -------------------------------------------------------


@login_required
def onward_ask(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
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
    user = _user(request)
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
