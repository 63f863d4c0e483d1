"""Consent pages. Thin: protected objects come only through the selectors' fetch helpers,
and every change goes through a service."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.signed_in import signed_in_user
from consent import permissions, selectors, services
from consent.forms import ConsentRecordForm, ReviewForm, WithdrawForm
from isp_portal.access import Listing, list_shown, page_shown
from isp_portal.error_summary import form_error_links
from isp_portal.forms import pop_submission_token
from isp_portal.uploads import JPEG, PDF, PNG, file_download, upload_refused_message

_EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg"}
PAGE_SIZE = 50


def _apply_errors(form: ConsentRecordForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        form.add_error(None, error)


@login_required
def consent_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    consents = selectors.consents_visible_to(user).select_related("given_to_agency")
    page = page_shown(
        consents.order_by("-recorded_at", "-pk"),
        PAGE_SIZE,
        listing=Listing("consent:list"),
        http_request=request,
    )
    return render(
        request,
        "consent/list.html",
        {"page": page, "can_record": permissions.can_record(user)},
    )


@login_required
def consent_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not permissions.can_record(user):
        raise Http404
    form = ConsentRecordForm(request.POST or None, request.FILES or None, user=user)
    valid = request.method == "POST" and form.is_valid()
    if refused := upload_refused_message(request):
        # The scan was not read: saving the record without it would lose it unseen.
        form.add_error("scan", refused)
        valid = False
    if valid:
        data = dict(form.cleaned_data)
        token = pop_submission_token(data)
        agreements = data.pop("agreements")
        scan = data.pop("scan")
        try:
            consent = services.consent_record(
                actor=user,
                fields=data,
                agreements=agreements,
                scan=scan,
                submission_token=token,
                http_request=request,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, f"Consent record {consent.reference} was saved.")
            return redirect("consent:detail", consent.pk)
    return render(request, "consent/form.html", {"form": form, "errors": form_error_links(form)})


@login_required
def consent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    consent = selectors.get_consent_for(user, pk, http_request=request)
    return render(
        request,
        "consent/detail.html",
        {
            "consent": consent,
            "agreements": list(consent.agreements.all()),
            "requests": list(selectors.requests_using(consent, user)),
            "can_withdraw": permissions.can_withdraw(user, consent),
        },
    )


@login_required
def consent_scan(request: HttpRequest, pk: int) -> FileResponse:
    consent = selectors.get_consent_for(
        signed_in_user(request), pk, http_request=request, read=selectors.viewed("scan")
    )
    if not consent.scan:
        raise Http404
    extension = _EXTENSIONS.get(consent.scan_content_type, "bin")
    return file_download(
        consent.scan,
        # A generated name: the uploaded one may hold the person's name.
        filename=f"{consent.reference}-signed-form.{extension}",
        content_type=consent.scan_content_type or "application/octet-stream",
    )


def _withdrawn_at(day: datetime.date) -> datetime.datetime:
    if day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@login_required
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    consent = selectors.get_consent_for(user, pk, http_request=request)
    if not permissions.can_withdraw(user, consent):
        raise Http404
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notices = services.consent_withdraw(
                actor=user,
                consent=consent,
                method=form.cleaned_data["method"],
                notes=form.cleaned_data["notes"],
                withdrawn_at=_withdrawn_at(form.cleaned_data["withdrawn_on"]),
                http_request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Withdrawal recorded. {len(notices)} request{'s' if len(notices) != 1 else ''} "
                "relying on this consent were flagged.",
            )
            return redirect("consent:detail", consent.pk)
    return render(request, "consent/withdraw.html", {"form": form, "consent": consent})


@login_required
def withdrawal_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not permissions.can_review_withdrawals(user):
        raise Http404
    notices = list_shown(
        selectors.withdrawals_for_review(user),
        listing=Listing("consent:withdrawals", reference="request__reference"),
        http_request=request,
    )
    return render(
        request,
        "consent/withdrawals.html",
        {"notices": notices, "agency": user.agency, "form": ReviewForm()},
    )


@login_required
@require_POST
def withdrawal_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    notice = selectors.get_notice_for_review(user, pk, http_request=request)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.withdrawal_review(actor=user, notice=notice, note=note, http_request=request)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, f"The withdrawal on {notice.request.label} is marked as reviewed.")
    return redirect("consent:withdrawals")
