"""Part B, the decision, as a task list (the GOV.UK "complete multiple tasks" pattern):
Part B, the Appendix G record, the checklist, files, then check and sign.

Each section is saved to the request's decision draft when its answers are valid, and can
be returned to; check and sign validates everything at once and lists every problem, each
linked to the question it belongs to.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from accounts.models import User
from accounts.signed_in import signed_in_user
from agreements.forms import CHECKLIST, SharingChecklistForm
from isp_portal.error_summary import ErrorLink, form_error_links
from isp_portal.templatetags.govuk import first_input_id
from isp_portal.uploads import upload_refused_message
from requests_app import permissions, rules, selectors, services
from requests_app.forms import SIGN_FIELDS, AttachmentForm, DecisionForm, DecisionSection
from requests_app.models import AttachmentKind, InformationRequest
from requests_app.services import TransitionRefused
from requests_app.workflow import Action

Answers = dict[str, dict[str, list[str]]]

# The sections saved as answers, in task list order.
SAVED_SECTIONS = (DecisionSection.PART_B, DecisionSection.RECORD, DecisionSection.CHECKLIST)


def _decidable(request: HttpRequest, pk: int) -> tuple[User, InformationRequest] | HttpResponse:
    """The request, for the person who may decide it now; anyone else with need to know
    goes back to the request page, told why."""
    user = signed_in_user(request)
    req = selectors.get_request_for(
        user, pk, http_request=request, act=selectors.as_actor(user, Action.DECIDE)
    )
    if not permissions.can(user, Action.DECIDE, req):
        messages.error(request, services.refusal_message(req, Action.DECIDE))
        return redirect("requests:detail", req.pk)
    return user, req


def _files_attached(req: InformationRequest) -> bool:
    return req.attachments.filter(kind=AttachmentKind.DISCLOSURE).exists()


def _context_answers(answers: Answers) -> dict[str, str]:
    """The first value of every saved answer, for rules that look across sections."""
    return {
        name: values[0]
        for section in answers.values()
        for name, values in section.items()
        if values
    }


def _posted(form: forms.BaseForm, data: Any) -> dict[str, list[str]]:
    """The raw answers of a form's own fields (a date's three boxes included), as posted."""
    answers: dict[str, list[str]] = {}
    for name, field in form.fields.items():
        html_name = form.add_prefix(name)
        widget = field.widget
        suffixes = getattr(widget, "widgets_names", None)
        keys = (
            [f"{html_name}{suffix}" for suffix in suffixes]
            if isinstance(widget, forms.MultiWidget) and suffixes
            else [html_name]
        )
        for key in keys:
            if key in data:
                answers[key] = data.getlist(key)
    return answers


def _section_form(
    section: str,
    req: InformationRequest,
    user: User,
    answers: Answers,
    data: Any = None,
) -> forms.BaseForm:
    """A section's form: bound to what was posted, or showing what was saved (or, before
    the first save, what the portal suggests)."""

    def build(bound: Any, initial: dict[str, Any] | None = None) -> forms.BaseForm:
        if section == DecisionSection.CHECKLIST:
            return SharingChecklistForm(bound, prefix="checklist", initial=initial)
        return DecisionForm(
            bound,
            section=section,
            context=_context_answers(answers),
            files_attached=_files_attached(req),
            initial=initial,
        )

    if data is not None:
        return build(data)
    saved = answers.get(section)
    if saved is None:
        return build(None, selectors.decision_initial(req, user))
    shown = build(MultiValueDict(saved))
    return build(None, {field.name: field.value() for field in shown})


def _section_status(section: str, req: InformationRequest, user: User, answers: Answers) -> str:
    """GOV.UK task list status: a saved section whose answers no longer pass (the outcome
    changed since) is incomplete again."""
    if section not in answers:
        return "not_started"
    form = _section_form(section, req, user, answers, MultiValueDict(answers[section]))
    return "completed" if form.is_valid() else "incomplete"


SECTION_PAGES = {
    DecisionSection.PART_B: "requests_app/decision/part_b.html",
    DecisionSection.RECORD: "requests_app/decision/record.html",
    DecisionSection.CHECKLIST: "requests_app/decision/checklist.html",
}


def _url(req: InformationRequest, name: str, *args: Any) -> str:
    return reverse(f"requests:{name}", args=[req.pk, *args])


def _change_url(req: InformationRequest, section: str) -> str:
    """A section's page, from check and sign: saving it comes back to check and sign."""
    return _url(req, "decide_section", section) + "?return=check"


@login_required
def task_list(request: HttpRequest, pk: int) -> HttpResponse:
    found = _decidable(request, pk)
    if isinstance(found, HttpResponse):
        return found
    user, req = found
    answers = selectors.decision_draft_answers(req)
    files = [a for a in req.attachments.all() if a.kind == AttachmentKind.DISCLOSURE]
    tasks = [
        {
            "title": section.label,
            "url": _url(req, "decide_section", section.value),
            "status": _section_status(section, req, user, answers),
        }
        for section in SAVED_SECTIONS
    ]
    context = selectors.request_page_context(req, user)
    return render(
        request,
        "requests_app/decision/task_list.html",
        {
            **context,
            "tasks": tasks,
            "files": files,
            "completed": sum(1 for task in tasks if task["status"] == "completed"),
        },
    )


def _consent_basis_checked(form: forms.BaseForm, req: InformationRequest) -> bool:
    """The protocol's refusal of a consent basis that no longer stands, beside the question
    and with the form's other problems. True when there is nothing to refuse."""
    basis = (getattr(form, "cleaned_data", None) or {}).get("consent_basis")
    if not basis:
        return True
    refused = rules.consent_basis_problem(req, basis=basis, today=timezone.localdate())
    if refused:
        form.add_error("consent_basis", refused)
    return refused is None


@login_required
def section_page(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in SECTION_PAGES:
        raise Http404
    found = _decidable(request, pk)
    if isinstance(found, HttpResponse):
        return found
    user, req = found
    answers = selectors.decision_draft_answers(req)
    data = request.POST if request.method == "POST" else None
    form = _section_form(section, req, user, answers, data)
    if data is not None and form.is_valid() & _consent_basis_checked(form, req):
        try:
            services.decision_draft_save(
                actor=user,
                request=req,
                section=section,
                answers=_posted(form, request.POST),
                http_request=request,
            )
        except TransitionRefused as exc:
            messages.error(request, str(exc))
            return redirect("requests:detail", req.pk)
        if request.GET.get("return") == "check":
            return redirect("requests:decide_check", req.pk)
        return redirect("requests:decide", req.pk)
    return render(
        request,
        SECTION_PAGES[DecisionSection(section)],
        {
            "req": req,
            "form": form,
            "title": DecisionSection(section).label,
            "errors": form_error_links(form),
            "checklist": CHECKLIST,
        },
    )


@login_required
def files_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The files to disclose: attached and removed on their own page, so nothing typed in
    any other section is touched; removable until the decision is signed."""
    found = _decidable(request, pk)
    if isinstance(found, HttpResponse):
        return found
    user, req = found
    posted = request.method == "POST"
    form = AttachmentForm(request.POST if posted else None, request.FILES if posted else None)
    form.fields["file"].error_messages["required"] = "Select a file to attach"
    if posted:
        refused = upload_refused_message(request)
        if refused:
            form.add_error("file", refused)
        elif form.is_valid():
            try:
                attachment = services.attachment_add(
                    actor=user,
                    request=req,
                    upload=form.cleaned_data["file"],
                    kind=AttachmentKind.DISCLOSURE,
                    upload_token=form.cleaned_data["upload_token"],
                    http_request=request,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                messages.success(request, f"{attachment.original_name} has been attached.")
                return redirect("requests:decide_files", req.pk)
    files = [a for a in req.attachments.all() if a.kind == AttachmentKind.DISCLOSURE]
    return render(
        request,
        "requests_app/decision/files.html",
        {"req": req, "form": form, "files": files, "errors": form_error_links(form)},
    )


def _answer_rows(
    form: DecisionForm, req: InformationRequest, section: DecisionSection
) -> list[dict[str, Any]]:
    """Check answers rows: each question, its answer as the person chose it, and a Change
    link to the question."""
    page = _change_url(req, section.value)
    rows = []
    for name in DecisionForm.section_fields(section):
        if name not in form.fields:
            continue
        field = form[name]
        value = field.value()
        choices = dict(getattr(form.fields[name], "choices", []) or [])
        if isinstance(value, list) and name == "supplied_on":
            shown = "/".join(str(v) for v in value if v) or ""
        elif isinstance(value, list):
            shown = ", ".join(str(choices.get(v, v)) for v in value)
        else:
            shown = str(choices.get(value, value or ""))
        if getattr(form.fields[name], "revealed", False) and not shown:
            continue
        rows.append(
            {
                "label": field.label,
                "value": shown,
                "href": f"{page}#{first_input_id(field)}",
                "name": name,
            }
        )
    return rows


def _sign_problems(
    form: DecisionForm,
    req: InformationRequest,
    user: User,
    checklist: dict[str, object],
    signature_name: str,
) -> list[ErrorLink]:
    """Every problem with the decision, in the order of the task list, each linked to its
    question: the form's own checks and the protocol's (``rules.decision_problems``)."""
    form.is_valid()
    ruled = rules.decision_problems(
        req,
        actor=user,
        consent_basis=form.data.get("consent_basis", ""),
        summary=form.data.get("summary", ""),
        checklist=checklist,
        signature_name=signature_name,
        today=timezone.localdate(),
    )
    return _error_links(form, req, ruled)


def _error_links(
    form: DecisionForm, req: InformationRequest, ruled: dict[str, list[str]]
) -> list[ErrorLink]:
    links: list[ErrorLink] = []
    for section in (DecisionSection.PART_B, DecisionSection.RECORD):
        page = _change_url(req, section.value)
        for name in DecisionForm.section_fields(section):
            if name not in form.fields:
                continue
            href = f"{page}#{first_input_id(form[name])}"
            own = list(form.errors.get(name, []))
            links += [ErrorLink(str(message), href) for message in own]
            if not own:
                links += [ErrorLink(message, href) for message in ruled.get(name, [])]
    checklist_page = _change_url(req, DecisionSection.CHECKLIST.value)
    for key, _question in CHECKLIST:
        links += [
            ErrorLink(message, f"{checklist_page}#id_checklist-{key}")
            for message in ruled.get(f"checklist-{key}", [])
        ]
    for name in SIGN_FIELDS:
        own = list(form.errors.get(name, []))
        links += [ErrorLink(str(message), f"#id_{name}") for message in own or ruled.get(name, [])]
    return links


def _sign_form(data: Any, errors: list[ErrorLink]) -> DecisionForm:
    """The signature question as shown on the page, with its problems beside it."""
    sign = DecisionForm(data, section="sign")
    if data is not None:
        sign.is_valid()
        for name in SIGN_FIELDS:
            shown = set(sign.errors.get(name, []))
            for error in errors:
                if error.href == f"#id_{name}" and error.message not in shown:
                    sign.add_error(name, error.message)
    return sign


@login_required
def check_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = _decidable(request, pk)
    if isinstance(found, HttpResponse):
        return found
    user, req = found
    answers = selectors.decision_draft_answers(req)
    data: MultiValueDict[str, str] = MultiValueDict()
    for section in (DecisionSection.PART_B, DecisionSection.RECORD):
        for key, values in answers.get(section, {}).items():
            data.setlist(key, values)
    signature_name = request.POST.get("signature_name", "") if request.method == "POST" else ""
    data.setlist("signature_name", [signature_name])
    form = DecisionForm(data, files_attached=_files_attached(req))
    checklist_form = SharingChecklistForm(
        MultiValueDict(answers.get(DecisionSection.CHECKLIST, {})), prefix="checklist"
    )
    checklist = checklist_form.cleaned_data if checklist_form.is_valid() else {}
    errors: list[ErrorLink] = []
    if request.method == "POST":
        errors = _sign_problems(form, req, user, checklist, signature_name)
        if not errors:
            try:
                services.request_decide(
                    actor=user,
                    request=req,
                    fields={**form.cleaned_data, "checklist": checklist},
                    http_request=request,
                )
            except ValidationError as exc:
                errors = _error_links(form, req, exc.message_dict)
            except TransitionRefused as exc:
                messages.error(request, str(exc))
                return redirect("requests:detail", req.pk)
            else:
                return redirect("requests:decided", req.pk)
    context = selectors.request_page_context(req, user)
    return render(
        request,
        "requests_app/decision/check.html",
        {
            **context,
            "sign_form": _sign_form(request.POST if request.method == "POST" else None, errors),
            "errors": errors,
            "sections": [
                {
                    "title": section.label,
                    "rows": _answer_rows(form, req, section),
                    "url": _url(req, "decide_section", section.value),
                }
                for section in (DecisionSection.PART_B, DecisionSection.RECORD)
            ],
            "checklist_rows": [
                {"key": key, "question": question, "considered": checklist.get(key) is True}
                for key, question in CHECKLIST
            ],
            "checklist_url": _change_url(req, DecisionSection.CHECKLIST.value),
            "files": [a for a in req.attachments.all() if a.kind == AttachmentKind.DISCLOSURE],
        },
    )


@login_required
def decided(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation panel after signing: what was decided, and what happens next."""
    user = signed_in_user(request)
    req = selectors.get_request_for(user, pk, http_request=request)
    context = selectors.request_page_context(req, user)
    decision = context["decision"]
    if decision is None or decision.discloser_id != user.pk:
        return redirect("requests:detail", req.pk)
    return render(request, "requests_app/decision/done.html", context)
