from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import imports, permissions, selectors, services
from accounts.forms import OfficerForm, OfficerImportForm, TermsAcceptForm
from accounts.models import Agency, Role, User
from accounts.sessions import session_can_be_extended, session_expires_in
from accounts.signed_in import signed_in_user
from isp_portal.access import Listing, list_shown
from isp_portal.forms import SUBMISSION_TOKEN, pop_submission_token
from isp_portal.idempotency import made_before


def _managed_agency(request: HttpRequest) -> Agency:
    """The agency whose officers this person manages; administrators may pick one."""
    user = signed_in_user(request)
    code = request.GET.get("agency")
    if code and (user.has_role(Role.ADMINISTRATOR) or user.is_superuser):
        return get_object_or_404(Agency, code=code)
    if user.agency is None or not permissions.can_manage_agency(user, user.agency):
        raise Http404
    return user.agency


def _managed_officer(request: HttpRequest, pk: int) -> User:
    return selectors.get_officer_for(signed_in_user(request), pk, http_request=request)


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    agency = _managed_agency(request)
    user = signed_in_user(request)
    officers = list_shown(
        selectors.officers_of_agency(agency=agency),
        listing=Listing("accounts:officers", reference=""),
        http_request=request,
        filters={"agency": agency.code},
    )
    return render(
        request,
        "accounts/officer_list.html",
        {
            "agency": agency,
            "officers": officers,
            "manageable": {o.pk for o in officers if permissions.can_manage_officer(user, o)},
            "deactivatable": {
                o.pk
                for o in officers
                if o.pk != user.pk
                and permissions.can_manage_officer(user, o)
                and not permissions.roles_kept_from(user, o)
            },
            "agencies": Agency.objects.all() if user.has_role(Role.ADMINISTRATOR) else [],
        },
    )


@login_required
def officer_add(request: HttpRequest) -> HttpResponse:
    agency = _managed_agency(request)
    user = signed_in_user(request)
    form = OfficerForm(request.POST or None, actor=user, agency=agency)
    added = made_before(User, token=request.POST.get(SUBMISSION_TOKEN), actor=user)
    if added is not None:
        # The same form again (a double click, a retry): the officer is already added.
        messages.success(request, f"{added} was added.")
        return redirect("accounts:officers")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        token = pop_submission_token(data)
        try:
            officer = services.officer_create(
                actor=user,
                agency=agency,
                submission_token=token,
                http_request=request,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error("roles", str(exc) or "You cannot give these roles.")
        else:
            messages.success(
                request,
                f"{officer} was added. Ask them to use “Forgotten your password?” to set one.",
            )
            return redirect("accounts:officers")
    return render(request, "accounts/officer_form.html", {"form": form, "agency": agency})


IMPORT_SALT = "accounts.officer-import"
# How long a preview may wait before it is applied.
IMPORT_PREVIEW_SECONDS = 3600


def _for_agency(url_name: str, agency: Agency, request: HttpRequest) -> str:
    """The page's address, keeping the agency an administrator picked."""
    suffix = f"?agency={agency.code}" if "agency" in request.GET else ""
    return reverse(url_name) + suffix


@login_required
def officer_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV of officers; the answer is a dry run showing every row's change."""
    agency = _managed_agency(request)
    user = signed_in_user(request)
    bound = request.method == "POST"
    form = OfficerImportForm(request.POST if bound else None, request.FILES if bound else None)
    if bound and form.is_valid():
        text, full_list = form.cleaned_data["file"], form.cleaned_data["full_list"]
        plan = imports.plan_officer_import(
            actor=user, agency=agency, text=text, full_list=full_list
        )
        payload = signing.dumps(
            {"agency": agency.code, "text": text, "full_list": full_list, "fp": plan.fingerprint},
            salt=IMPORT_SALT,
            compress=True,
        )
        return render(
            request,
            "accounts/officer_import_preview.html",
            {
                "agency": agency,
                "plan": plan,
                "payload": payload,
                "import_url": _for_agency("accounts:officer_import", agency, request),
                "apply_url": _for_agency("accounts:officer_import_apply", agency, request),
            },
        )
    return render(
        request,
        "accounts/officer_import.html",
        {
            "form": form,
            "agency": agency,
            "roles": Role.choices,
            "template_url": _for_agency("accounts:officer_import_template", agency, request),
        },
    )


@login_required
@require_POST
def officer_import_apply(request: HttpRequest) -> HttpResponse:
    agency = _managed_agency(request)
    user = signed_in_user(request)
    try:
        data = signing.loads(
            request.POST.get("payload", ""), salt=IMPORT_SALT, max_age=IMPORT_PREVIEW_SECONDS
        )
    except signing.BadSignature:
        messages.error(request, "Your preview has expired. Upload the file again.")
        return redirect(_for_agency("accounts:officer_import", agency, request))
    if data["agency"] != agency.code:
        raise Http404
    try:
        result = services.officers_import(
            actor=user,
            agency=agency,
            text=data["text"],
            full_list=data["full_list"],
            fingerprint=data["fp"],
            http_request=request,
        )
    except services.ImportOutdated:
        messages.error(
            request,
            "The agency's officers changed after your preview, so nothing was changed. "
            "Upload the file again to see what it would do now.",
        )
        return redirect(_for_agency("accounts:officer_import", agency, request))
    messages.success(
        request,
        f"Import complete: {result.added} added, {result.changed} changed, "
        f"{result.deactivated} deactivated. New officers use “Forgotten your password?” "
        "to set a password.",
    )
    return redirect(_for_agency("accounts:officers", agency, request))


@login_required
def officer_import_template(request: HttpRequest) -> HttpResponse:
    _managed_agency(request)
    response = HttpResponse(
        imports.TEMPLATE_HEADER + "\r\n", content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="officers.csv"'
    return response


@login_required
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _managed_officer(request, pk)
    user = signed_in_user(request)
    form = OfficerForm(
        request.POST or None, instance=officer, actor=user, agency=officer.home_agency
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("username", None)
        try:
            services.officer_change(actor=user, officer=officer, http_request=request, **data)
        except ValidationError as exc:
            form.add_error(None if hasattr(exc, "error_dict") else "roles", exc)
        except PermissionDenied as exc:
            form.add_error("roles", str(exc) or "You cannot make this change.")
        else:
            messages.success(request, f"{officer}'s details were saved.")
            return redirect("accounts:officers")
    return render(
        request,
        "accounts/officer_form.html",
        {"form": form, "agency": officer.agency, "officer": officer},
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks "Are you sure?" and says what will happen; only the POST deactivates."""
    officer = _managed_officer(request, pk)
    if request.method == "GET":
        user = signed_in_user(request)
        kept = permissions.roles_kept_from(user, officer)
        return render(
            request,
            "accounts/officer_deactivate.html",
            {
                "officer": officer,
                "is_self": officer.pk == user.pk,
                "kept": sorted(Role(r).label for r in kept),
                "roles": [r.get_role_display() for r in officer.roles.all()],
            },
        )
    try:
        services.officer_deactivate(
            actor=signed_in_user(request), officer=officer, http_request=request
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{officer} was deactivated and signed out everywhere.")
    return redirect("accounts:officers")


@login_required
@require_POST
def officer_end_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _managed_officer(request, pk)
    ended = services.officer_sessions_end(
        actor=signed_in_user(request),
        officer=officer,
        http_request=request,
    )
    messages.success(request, f"{officer} was signed out everywhere ({ended} sessions ended).")
    return redirect("accounts:officer_edit", pk=officer.pk)


def _safe_next(request: HttpRequest, fallback: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: "31" or "home" would be taken for a URL name by redirect().
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback


@login_required
def terms(request: HttpRequest) -> HttpResponse:
    """The terms of use in force, with a box to accept them if not yet accepted."""
    version = selectors.terms_current()
    if version is None:
        raise Http404
    user = signed_in_user(request)
    accepted = selectors.terms_accepted(user=user, version=version)
    form = TermsAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not accepted and form.is_valid():
        services.terms_accept(user=user, version=version, http_request=request)
        messages.success(request, "Thank you. You have accepted the terms of use.")
        return redirect(_safe_next(request))
    return render(
        request,
        "accounts/terms.html",
        {"version": version, "accepted": accepted, "form": form, "next": _safe_next(request, "")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_status(request: HttpRequest) -> HttpResponse:
    """How long the session has left. POST is "stay signed in": the middleware has already
    counted the request as activity. Without JavaScript the form returns to the page."""
    if request.method == "POST" and "application/json" not in request.headers.get("Accept", ""):
        return redirect(_safe_next(request))
    return JsonResponse(
        {
            "expires_in": session_expires_in(request),
            "can_extend": session_can_be_extended(request),
        }
    )
