"""Data-subject rights cases, their recipients' tasks, and the subject-access list.

Only the SPOC and deputy of the agencies involved reach these pages; everyone else gets 404.
Names and dates of birth travel in POST bodies only, never in URLs.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.signed_in import signed_in_user
from isp_portal.access import Listing, list_shown
from isp_portal.exports import csv_response
from rights import services as rights
from rights.forms import CaseForm, ConfirmForm, TaskDoneForm
from rights.models import RightsStatus


def _spoc_only(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not rights.handles_rights(user):
        raise Http404
    return user


def _choices(case: rights.RightsCase) -> list[tuple[int, str]]:
    return [
        (
            p.pk,
            f"{p.request.label} ({p.request.requesting_agency.code} to "
            f"{p.request.target_agency.code}): person {p.position + 1}, "
            f"{p.get_role_display().lower()}",
        )
        for p in rights.candidates(case)
    ]


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = _spoc_only(request)
    return render(
        request,
        "rights/list.html",
        {
            "cases": list_shown(
                rights.cases_for(user).select_related("created_by"),
                listing=Listing("requests:rights_list"),
                http_request=request,
            ),
            "open_tasks": rights.tasks_for(user).filter(done_at__isnull=True).count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    user = _spoc_only(request)
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = rights.rights_case_create(actor=user, **form.cleaned_data, http_request=request)
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            return redirect("rights:detail", case.pk)
    return render(request, "rights/create.html", {"form": form})


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = rights.get_case_for(user, pk, http_request=request)
    matching = case.status == RightsStatus.MATCHING
    return render(
        request,
        "rights/detail.html",
        {
            "case": case,
            "form": ConfirmForm(choices=_choices(case)) if matching else None,
            "matches": case.matches.select_related("request", "person"),
            "tasks": case.tasks.select_related("request", "recipient_agency", "done_by"),
        },
    )


@login_required
@require_POST
def case_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = rights.get_case_for(user, pk, http_request=request)
    form = ConfirmForm(request.POST, choices=_choices(case))
    if form.is_valid():
        try:
            rights.rights_case_confirm(
                actor=user, case=case, person_ids=form.cleaned_data["people"], http_request=request
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "The matches are confirmed.")
        return redirect("rights:detail", case.pk)
    return render(
        request,
        "rights/detail.html",
        {"case": case, "form": form, "matches": [], "tasks": []},
    )


@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    user = _spoc_only(request)
    tasks = rights.tasks_for(user).select_related("case", "case__agency", "request", "done_by")
    return render(
        request,
        "rights/tasks.html",
        {
            "tasks": list_shown(
                tasks.order_by("done_at", "pk"),
                listing=Listing("requests:rights_tasks", reference="request__reference"),
                http_request=request,
            ),
            "form": TaskDoneForm(),
        },
    )


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    task = rights.get_task_for(user, pk, http_request=request)
    form = TaskDoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("rights:tasks")
    try:
        rights.rights_task_done(
            actor=user, task=task, note=form.cleaned_data["note"], http_request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The task on {task.request.label} is marked as done.")
    return redirect("rights:tasks")


@login_required
@require_GET
def subject_access(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    case = rights.get_case_for(user, pk, http_request=request, read=rights.SUBJECT_ACCESS_VIEWED)
    if case.status == RightsStatus.MATCHING:
        return redirect("rights:detail", case.pk)
    return render(
        request,
        "rights/subject_access.html",
        {"case": case, "found": rights.subject_access(case, user)},
    )


@login_required
@require_GET
def subject_access_csv(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = signed_in_user(request)
    # The export is recorded below, with the number of rows.
    case = rights.get_case_for(user, pk, http_request=request, read=None)
    if case.status == RightsStatus.MATCHING:
        raise Http404
    rows = rights.subject_access_rows(case, user)
    rights.subject_access_exported(actor=user, case=case, rows=len(rows), http_request=request)
    # csv_response quotes any cell a spreadsheet would run as a formula (CSV injection).
    return csv_response(f"{case.reference}-subject-access.csv", rights.SUBJECT_ACCESS_HEADER, rows)
