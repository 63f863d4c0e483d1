"""Part A as a task list (the GOV.UK "complete multiple tasks" pattern): about the
request, the people, consent and public interest, legislation, then check and sign.

The first save of "About the request" makes the draft and gives it its own URL; every
later save updates that draft. A task whose answers have a problem saves nothing and shows
every problem at once, keeping what was typed.
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.signed_in import signed_in_user
from isp_portal.error_summary import ErrorLink, form_error_links
from requests_app import groups, permissions, rules, selectors, services, timescales
from requests_app.forms import (
    AboutForm,
    AttachmentForm,
    ConsentForm,
    DeclarationForm,
    LegislationForm,
    PersonFormSet,
    WithdrawForm,
)
from requests_app.models import InformationRequest, Status
from requests_app.services import PersonData, TransitionRefused
from requests_app.workflow import Action


@dataclass(frozen=True)
class Task:
    slug: str
    title: str


TASKS = (
    Task("about", "About the request"),
    Task("people", "The people the information is about"),
    Task("consent", "Consent and public interest"),
    Task("legislation", "Legislation"),
)
TASK_FORMS: dict[str, type[forms.ModelForm]] = {
    "about": AboutForm,
    "consent": ConsentForm,
    "legislation": LegislationForm,
}
# After a Change link on the check page, saving goes back there. Only this fixed value is
# honoured, so the parameter cannot send anyone elsewhere.
RETURN_TO_CHECK = "check"


def _draft_for(request: HttpRequest, pk: int) -> InformationRequest | HttpResponse:
    """The draft, for the officer who may still change it; anyone else with a role on it
    goes to its page, and anyone without one gets a 404."""
    user = signed_in_user(request)
    req = selectors.get_request_for(user, pk, http_request=request)
    if not permissions.can_edit_draft(user, req):
        if req.requester_id == user.pk:
            return redirect("requests:detail", req.pk)
        raise PermissionDenied
    return req


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (every box of a page unticked)."""
    return request.POST if request.method == "POST" else None


def _after_save(request: HttpRequest, req: InformationRequest) -> HttpResponse:
    if request.GET.get("return") == RETURN_TO_CHECK:
        return redirect("requests:check", req.pk)
    return redirect("requests:edit", req.pk)


def _task_page(
    request: HttpRequest,
    *,
    task: Task,
    req: InformationRequest | None,
    errors: list[ErrorLink],
    **context: Any,
) -> HttpResponse:
    return render(
        request,
        f"requests_app/task_{task.slug}.html",
        {
            "task": task,
            "req": req,
            "errors": errors,
            "return_to_check": request.GET.get("return") == RETURN_TO_CHECK,
            **context,
        },
    )


def _refused(request: HttpRequest, exc: TransitionRefused, req: InformationRequest) -> HttpResponse:
    messages.error(request, str(exc))
    return redirect("requests:detail", req.pk)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """The first task of a new request; its first valid save makes the draft."""
    user = signed_in_user(request)
    if not permissions.can_create(user):
        raise Http404
    form = AboutForm(_posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = data.pop("creation_token")
        also_ask = list(data.pop("also_ask"))
        try:
            req = services.request_create_draft(
                actor=user,
                fields=data,
                creation_token=token,
                also_ask=also_ask,
                http_request=request,
            )
        except TransitionRefused as exc:
            # A retry of a form whose draft has since been sent.
            messages.error(request, str(exc))
            return redirect("requests:mine")
        return redirect("requests:edit", req.pk)
    return _task_page(request, task=TASKS[0], req=None, errors=form_error_links(form), form=form)


@login_required
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    found = _draft_for(request, pk)
    if isinstance(found, HttpResponse):
        return found
    req = found
    problems = rules.submission_problems(req)
    with_problems = {rules.task_of(key) for key in problems}
    tasks = [
        {
            "task": task,
            "done": task.slug not in with_problems,
            "started": task.slug != "people" or "people" not in problems,
        }
        for task in TASKS
    ]
    return render(
        request,
        "requests_app/task_list.html",
        {
            "req": req,
            "tasks": tasks,
            "completed": sum(1 for t in tasks if t["done"]),
            "ready": not problems,
            "upload_form": AttachmentForm(),
        },
    )


@login_required
def edit_task(request: HttpRequest, pk: int, task: str) -> HttpResponse:
    found = _draft_for(request, pk)
    if isinstance(found, HttpResponse):
        return found
    chosen = next((t for t in TASKS if t.slug == task), None)
    if chosen is None:
        raise Http404
    if chosen.slug == "people":
        return _people_task(request, found, chosen)
    user = signed_in_user(request)
    form_class = TASK_FORMS[chosen.slug]
    kwargs: dict[str, Any] = {"user": user} if form_class is AboutForm else {}
    form = form_class(_posted(request), instance=found, **kwargs)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k in services.DRAFT_FIELDS}
        try:
            req = services.request_update_draft(
                actor=user,
                request=found,
                fields=fields,
                legislation=form.cleaned_data.get("legislation")
                if chosen.slug == "legislation"
                else None,
                also_ask=form.cleaned_data.get("also_ask") if chosen.slug == "about" else None,
                http_request=request,
            )
        except TransitionRefused as exc:
            return _refused(request, exc, found)
        except ValidationError as exc:
            for key, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(key if key in form.fields else None, problem)
        else:
            return _after_save(request, req)
    return _task_page(request, task=chosen, req=found, errors=form_error_links(form), form=form)


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


def _formset_links(formset: Any) -> list[ErrorLink]:
    """The people's problems in page order; the formset's own (nobody named, too many
    people) link to the first person's name."""
    if not formset.is_bound:
        return []
    first = "#id_people-0-full_name"
    links = [ErrorLink(message=m, href=first) for m in formset.non_form_errors()]
    for form in formset.forms:
        links += form_error_links(form)
    return links


def _people_task(request: HttpRequest, req: InformationRequest, task: Task) -> HttpResponse:
    user = signed_in_user(request)
    form_kwargs = {"consent_choices": selectors.consent_choices_for(user)}
    if request.method == "POST":
        formset = PersonFormSet(request.POST, prefix="people", form_kwargs=form_kwargs)
    else:
        initial = [
            {
                "full_name": p.full_name,
                "address": p.address,
                "date_of_birth": p.date_of_birth,
                "role": p.role,
                "consent": p.consent_id,
            }
            for p in req.people.all()
        ]
        formset = PersonFormSet(prefix="people", initial=initial, form_kwargs=form_kwargs)
        # One blank person to fill in: on a first visit, or after "Save and add another".
        formset.extra = 1 if not initial or request.GET.get("add") else 0
    if request.method == "POST" and formset.is_valid():
        people = _people_data(formset)
        try:
            services.request_update_draft(
                actor=user, request=req, fields={}, people=people, http_request=request
            )
        except TransitionRefused as exc:
            return _refused(request, exc, req)
        if "add_person" in request.POST and len(people) < formset.max_num:
            url = reverse("requests:edit_task", args=[req.pk, "people"])
            back = f"&return={RETURN_TO_CHECK}" if request.GET.get("return") else ""
            return redirect(f"{url}?add=1{back}#person-{len(people) + 1}")
        return _after_save(request, req)
    return _task_page(request, task=task, req=req, errors=_formset_links(formset), formset=formset)


def _problem_links(req: InformationRequest, problems: rules.Problems) -> list[ErrorLink]:
    """The submission rules' problems, each linked to its answer in its task."""
    links = []
    for key, messages_ in problems.items():
        task = rules.task_of(key)
        if task is None:
            continue
        field = f"id_{key}" if key != "people" else "id_people-0-full_name"
        url = reverse("requests:edit_task", args=[req.pk, task])
        href = f"{url}?return={RETURN_TO_CHECK}#{field}"
        links += [ErrorLink(message=message, href=href) for message in messages_]
    return links


@login_required
def check(request: HttpRequest, pk: int) -> HttpResponse:
    """Check your answers, with a Change link on every row, then sign and send."""
    user = signed_in_user(request)
    req = selectors.get_request_for(user, pk, http_request=request)
    if not permissions.can(user, Action.SUBMIT, req):
        if req.requester_id == user.pk:
            # A second press of "Sign and send" lands where the first one did.
            sent_already = request.method == "POST" and req.submitted_at is not None
            return redirect("requests:sent" if sent_already else "requests:detail", req.pk)
        raise PermissionDenied
    form = DeclarationForm(_posted(request))
    problems = rules.submission_problems(req)
    if request.method == "POST" and form.is_valid():
        try:
            groups.request_submit_all(
                actor=user,
                request=req,
                declaration_name=form.cleaned_data["declaration_name"],
                http_request=request,
            )
        except ValidationError as exc:
            problems = {k: v for k, v in exc.message_dict.items() if k != "declaration_name"}
            for message in exc.message_dict.get("declaration_name", []):
                form.add_error("declaration_name", message)
        except TransitionRefused as exc:
            req.refresh_from_db()
            if req.submitted_at is not None and req.requester_id == user.pk:
                return redirect("requests:sent", req.pk)
            return _refused(request, exc, req)
        else:
            return redirect("requests:sent", req.pk)
    context = selectors.request_page_context(req, user)
    return render(
        request,
        "requests_app/check.html",
        {
            **context,
            "form": form,
            "problems": problems,
            "errors": _problem_links(req, problems) + form_error_links(form),
            "return_query": f"?return={RETURN_TO_CHECK}",
            "also_ask": list(req.also_ask.order_by("name")),
            "due_if_sent_today": timescales.due_on(
                agency=req.target_agency,
                agreement=req.agreement,
                is_urgent=req.is_urgent,
                required_by=req.required_by,
            ),
        },
    )


@login_required
def sent(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page: the reference, who decides, and by when."""
    user = signed_in_user(request)
    req = selectors.get_request_for(user, pk, http_request=request)
    if req.requester_id != user.pk or req.status == Status.DRAFT:
        return redirect("requests:detail", req.pk)
    return render(
        request,
        "requests_app/sent.html",
        {"req": req, "linked": groups.linked_requests(req, user)},
    )


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdrawing cannot be undone, so it is asked on a page of its own that says what
    will happen."""
    user = signed_in_user(request)
    req = selectors.get_request_for(
        user, pk, http_request=request, act=selectors.as_actor(user, Action.WITHDRAW)
    )
    form = WithdrawForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.request_withdraw(
                actor=user, request=req, reason=form.cleaned_data["reason"], http_request=request
            )
        except TransitionRefused as exc:
            return _refused(request, exc, req)
        messages.success(request, f"{req.label} has been withdrawn.")
        return redirect("requests:detail", req.pk)
    return render(
        request,
        "requests_app/withdraw.html",
        {"req": req, "form": form, "errors": form_error_links(form)},
    )
