"""Pages for disclosures made without a request: the agency's list, the form, the
confirmation and the record. Each checks who is asking first and answers 404 to anyone else
(with the refusal audited)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.signed_in import signed_in_user
from agreements.forms import SharingChecklistForm, checklist_summary
from isp_portal.access import Listing, page_shown
from isp_portal.error_summary import ErrorLink, form_error_links
from isp_portal.pdf import pdf_response, render_pdf
from requests_app.recorded import permissions, selectors, services
from requests_app.recorded.forms import RecordedDecisionForm
from requests_app.recorded.models import RecordedDisclosure
from requests_app.selectors import appendix_g_record

PAGE_SIZE = 25
PDF_TITLE = "Record of a disclosure made without a request"


def _may_record(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not permissions.can_record(user):
        raise Http404
    return user


@login_required
def recorded_list(request: HttpRequest) -> HttpResponse:
    user = _may_record(request)
    page = page_shown(
        selectors.recorded_for(user),
        PAGE_SIZE,
        listing=Listing("requests:recorded"),
        http_request=request,
    )
    return render(request, "requests_app/recorded/list.html", {"page": page})


def _problem_links(
    exc: ValidationError, form: RecordedDecisionForm, checklist: SharingChecklistForm
) -> None:
    """A service's refusal, shown beside the field it is about."""
    for key, messages in exc.message_dict.items():
        name = key.removeprefix("checklist-")
        target = checklist if key.startswith("checklist-") else form
        field = name if name in target.fields else None
        for message in messages:
            target.add_error(field, message)


@login_required
def recorded_new(request: HttpRequest) -> HttpResponse:
    user = _may_record(request)
    data = request.POST if request.method == "POST" else None
    form = RecordedDecisionForm(data, user=user)
    checklist = SharingChecklistForm(data, prefix="checklist")
    if data is not None:
        form_ok, checklist_ok = form.is_valid(), checklist.is_valid()
        if form_ok and checklist_ok:
            cleaned = form.cleaned_data
            try:
                recorded = services.record_disclosure(
                    actor=user,
                    occasion=cleaned["occasion"],
                    fields=form.decision_fields(),
                    recipient=cleaned["recipient_agency"],
                    agreement=cleaned["agreement"],
                    legislation=cleaned["legislation"],
                    legislation_other=cleaned["legislation_other"].strip(),
                    checklist=checklist.cleaned_data,
                    subject_names=cleaned["subject_names"].splitlines(),
                    http_request=request,
                )
            except ValidationError as exc:
                _problem_links(exc, form, checklist)
            else:
                return redirect("requests:recorded_done", recorded.pk)
    errors: list[ErrorLink] = [*form_error_links(form), *form_error_links(checklist)]
    return render(
        request,
        "requests_app/recorded/new.html",
        {"form": form, "checklist": checklist, "errors": errors},
    )


@login_required
def recorded_done(request: HttpRequest, pk: int) -> HttpResponse:
    recorded = selectors.get_recorded_for(signed_in_user(request), pk, http_request=request)
    return render(request, "requests_app/recorded/done.html", {"recorded": recorded})


def _record_context(recorded: RecordedDisclosure) -> dict[str, Any]:
    decision = recorded.decision
    legislation = [str(item) for item in recorded.legislation.all()]
    if recorded.legislation_other:
        legislation.append(recorded.legislation_other)
    return {
        "recorded": recorded,
        "decision": decision,
        "record": appendix_g_record(None, decision),
        "checklist": checklist_summary(decision.checklist),
        "legislation": legislation,
    }


@login_required
def recorded_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recorded = selectors.get_recorded_for(signed_in_user(request), pk, http_request=request)
    return render(
        request,
        "requests_app/recorded/detail.html",
        {**_record_context(recorded), "list_url": reverse("requests:recorded")},
    )


@login_required
@require_GET
def recorded_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    recorded = selectors.get_recorded_for(
        user, pk, http_request=request, read=selectors.RECORDED_PRINTED
    )
    pdf = render_pdf(
        template_name="pdf/recorded_disclosure.html",
        context=_record_context(recorded),
        marking=recorded.decision.marking,
        reference=recorded.reference,
        printed_by=user,
        title=PDF_TITLE,
    )
    return pdf_response(pdf, f"{recorded.reference}-recorded-disclosure.pdf")
