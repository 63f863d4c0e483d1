"""Thin views: fetch with the visibility rules, hand the work to a service, show the result."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.signed_in import signed_in_user
from agreements import permissions, selectors, services
from agreements.forms import (
    AgreementForm,
    DecideForm,
    JoinForm,
    ListFilterForm,
    MinorAmendmentForm,
    PartyForm,
    RenewForm,
    SignForm,
    SubstantialAmendmentForm,
    TerminateForm,
)
from agreements.models import Agreement
from isp_portal.access import Listing, list_shown
from isp_portal.forms import SUBMISSION_TOKEN, pop_submission_token
from isp_portal.idempotency import made_before
from isp_portal.pdf import pdf_response, render_pdf


def _agreement(request: HttpRequest, pk: int) -> Agreement:
    return selectors.get_agreement_for(signed_in_user(request), pk, http_request=request)


def _refused(error: ValidationError, form: forms.BaseForm) -> None:
    """Put a service's refusal beside the field it concerns, or at the top."""
    if hasattr(error, "error_dict"):
        for key, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(key if key in form.fields else None, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


def _form_page(request: HttpRequest, form: forms.BaseForm, **context: Any) -> HttpResponse:
    return render(request, "agreements/form.html", {"form": form, **context})


# Reading -------------------------------------------------------------------------------


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    filters = ListFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    due = list(selectors.due_for_review(user, today=today))
    return render(
        request,
        "agreements/list.html",
        {
            "filters": filters,
            "rows": selectors.agreement_list(
                user,
                status=criteria.get("status", ""),
                tier=criteria.get("tier", ""),
                query=criteria.get("q", ""),
            ),
            "overdue": [a for a in due if a.next_review_on and a.next_review_on < today],
            "without_dpia": list(selectors.without_dpia(user)),
            "due_soon": [a for a in due if a.next_review_on and a.next_review_on >= today],
            "window": selectors.REVIEW_WINDOW_DAYS,
            "can_create": permissions.can_create(user),
            "can_apply": permissions.can_apply_to_join(user),
            "pending_applications": (
                selectors.pending_applications().count()
                if permissions.can_decide_applications(user)
                else None
            ),
        },
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    context = selectors.agreement_page_context(agreement, signed_in_user(request))
    if agreement.is_draft:
        context["problems"] = services.readiness_problems(agreement)
    return render(request, "agreements/detail.html", context)


# Drafts --------------------------------------------------------------------------------


def _save_draft(request: HttpRequest, form: AgreementForm, agreement: Agreement | None) -> Any:
    data = dict(form.cleaned_data)
    token = pop_submission_token(data)
    try:
        return services.agreement_save_draft(
            actor=signed_in_user(request),
            agreement=agreement,
            submission_token=token,
            reference=data.pop("reference", ""),
            legislation=data.pop("legislation"),
            parties=data.pop("parties"),
            terms=data,
            http_request=request,
        )
    except ValidationError as exc:
        _refused(exc, form)
        return None


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create(signed_in_user(request)):
        raise PermissionDenied
    form = AgreementForm(request.POST or None)
    made = made_before(Agreement, token=request.POST.get(SUBMISSION_TOKEN), actor=request.user)
    if made is not None:
        # The same form again (a double click, a retry): the draft is already saved.
        return redirect("agreements:detail", made.pk)
    if request.method == "POST" and form.is_valid():
        agreement = _save_draft(request, form, None)
        if agreement is not None:
            messages.success(request, f"Draft {agreement.reference} saved.")
            return redirect("agreements:detail", agreement.pk)
    return _form_page(request, form, title="New agreement", submit="Save draft")


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not permissions.can_edit_draft(signed_in_user(request), agreement):
        raise PermissionDenied
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        # The form must not write the row: the service decides what may change.
        agreement.refresh_from_db()
        if _save_draft(request, form, agreement) is not None:
            messages.success(request, "Draft saved.")
            return redirect("agreements:detail", agreement.pk)
    return _form_page(
        request, form, title="Change the draft", agreement=agreement, submit="Save draft"
    )


@login_required
def party_edit(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not permissions.can_edit_draft(signed_in_user(request), agreement):
        raise PermissionDenied
    party = selectors.get_party_for(
        signed_in_user(request), agreement, party_pk, http_request=request
    )
    form = PartyForm(request.POST or None, instance=party)
    if request.method == "POST" and form.is_valid():
        party.refresh_from_db()
        try:
            services.party_update(
                actor=signed_in_user(request),
                party=party,
                fields=form.cleaned_data,
                http_request=request,
            )
        except ValidationError as exc:
            _refused(exc, form)
        else:
            messages.success(request, f"{party.agency.name}: saved.")
            return redirect("agreements:detail", agreement.pk)
    return _form_page(
        request,
        form,
        title=f"{party.agency.name}: duties and lawful basis",
        agreement=agreement,
        submit="Save",
    )


@login_required
@require_POST
def agreement_send(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    try:
        services.agreement_send_for_signature(
            actor=signed_in_user(request), agreement=agreement, http_request=request
        )
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    else:
        messages.success(request, "Sent for signature. Each party's signatory has been told.")
    return redirect("agreements:detail", agreement.pk)


# Signing -------------------------------------------------------------------------------


@login_required
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    user = signed_in_user(request)
    context = selectors.agreement_page_context(agreement, user)
    if not context["can"]["sign"]:
        raise PermissionDenied
    snapshot = context["current_version"]
    form = SignForm(request.POST or None, initial={"content_hash": snapshot.content_hash})
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign(
                actor=user,
                agreement=agreement,
                content_hash_seen=form.cleaned_data["content_hash"],
                http_request=request,
            )
        except ValidationError as exc:
            _refused(exc, form)
        else:
            messages.success(request, f"You signed {agreement.reference} for {user.agency}.")
            return redirect("agreements:detail", agreement.pk)
    return render(request, "agreements/sign.html", {**context, "form": form})


# Amendments, reviews and ends ----------------------------------------------------------


@login_required
def agreement_amend_minor(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not permissions.can_amend_minor(signed_in_user(request), agreement):
        raise PermissionDenied
    form = MinorAmendmentForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid():
        agreement.refresh_from_db()
        data = dict(form.cleaned_data)
        try:
            services.agreement_amend_minor(
                actor=signed_in_user(request),
                agreement=agreement,
                what_changed=data.pop("what_changed"),
                consulted=data.pop("consulted"),
                terms=data,
                http_request=request,
            )
        except ValidationError as exc:
            _refused(exc, form)
        else:
            messages.success(request, "Minor amendment recorded.")
            return redirect("agreements:detail", agreement.pk)
    return _form_page(
        request, form, title="Minor amendment", agreement=agreement, submit="Sign off amendment"
    )


@login_required
def agreement_amend_substantial(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not permissions.can_amend(signed_in_user(request), agreement):
        raise PermissionDenied
    form = SubstantialAmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.agreement_amend_substantial(
                actor=signed_in_user(request),
                agreement=agreement,
                http_request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _refused(exc, form)
        else:
            messages.success(
                request, f"Version {draft.version_label} drafted. Change it, then send it."
            )
            return redirect("agreements:detail", draft.pk)
    return _form_page(
        request,
        form,
        title="Substantial amendment: start a new version",
        agreement=agreement,
        submit="Start the new version",
    )


@login_required
def agreement_renew(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not permissions.can_renew(signed_in_user(request), agreement):
        raise PermissionDenied
    form = RenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_renew(
                actor=signed_in_user(request),
                agreement=agreement,
                http_request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _refused(exc, form)
        else:
            messages.success(request, "Review recorded.")
            return redirect("agreements:detail", agreement.pk)
    return _form_page(
        request, form, title="Record a review", agreement=agreement, submit="Record review"
    )


@login_required
def agreement_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk)
    if not permissions.can_terminate(signed_in_user(request), agreement):
        raise PermissionDenied
    form = TerminateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_terminate(
                actor=signed_in_user(request),
                agreement=agreement,
                reason=form.cleaned_data["reason"],
                http_request=request,
            )
        except ValidationError as exc:
            _refused(exc, form)
        else:
            messages.success(request, "Agreement terminated. Every party has been told.")
            return redirect("agreements:detail", agreement.pk)
    return _form_page(
        request,
        form,
        title="Terminate the agreement",
        agreement=agreement,
        submit="Terminate",
        warning=True,
    )


# New parties ---------------------------------------------------------------------------


@login_required
def join_apply(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not permissions.can_apply_to_join(user):
        raise PermissionDenied
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        valid = form.is_valid()
        # The reference is checked whatever else is wrong, so every problem shows at once.
        reference = form.cleaned_data.get("reference")
        agreement = (
            selectors.joinable_agreement(reference=reference, agency=user.home_agency)
            if reference
            else None
        )
        if reference and agreement is None:
            form.add_error(
                "reference",
                "No agreement in force has that reference, or your agency is already a party",
            )
        if valid and agreement is not None:
            data = dict(form.cleaned_data)
            data.pop("reference")
            try:
                services.join_apply(actor=user, agreement=agreement, http_request=request, **data)
            except ValidationError as exc:
                _refused(exc, form)
            else:
                messages.success(
                    request, "Application sent. An administrator will decide and tell you."
                )
                return redirect("agreements:list")
    return _form_page(request, form, title="Apply to join an agreement", submit="Apply")


def _administrator(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not permissions.can_decide_applications(user):
        raise Http404
    return user


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    return render(
        request,
        "agreements/applications.html",
        {
            "applications": list_shown(
                selectors.pending_applications(),
                # Applications have no reference: named by id.
                listing=Listing("agreements:applications", reference=""),
                http_request=request,
            )
        },
    )


@login_required
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    application = selectors.get_application_for(user, pk, http_request=request)
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_decide(
                actor=user,
                application=application,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                http_request=request,
            )
        except ValidationError as exc:
            _refused(exc, form)
        else:
            messages.success(request, "Decision recorded. The agency has been told.")
            return redirect("agreements:applications")
    return render(
        request, "agreements/application.html", {"application": application, "form": form}
    )


@login_required
def agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement for paper records: content, lawful bases, change log, signatures."""
    user = signed_in_user(request)
    agreement = selectors.get_agreement_for(
        user, pk, http_request=request, read=selectors.PDF_DOWNLOADED
    )
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    context = selectors.agreement_page_context(agreement, user)
    pdf = render_pdf(
        template_name="pdf/agreement.html",
        context=context,
        marking="OFFICIAL",
        reference=agreement.reference,
        printed_by=user,
        title=agreement.title,
    )
    return pdf_response(pdf, f"{agreement.reference}-v{agreement.version}.pdf")
