from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import permissions, selectors, services
from accounts.forms import OfficerForm
from accounts.models import Agency, Role, User


def _managed_agency(request: HttpRequest) -> Agency:
    """The agency whose officers this person manages; administrators may pick one."""
    user: User = request.user  # type: ignore[assignment]
    code = request.GET.get("agency")
    if code and (user.has_role(Role.ADMINISTRATOR) or user.is_superuser):
        return get_object_or_404(Agency, code=code)
    if user.agency is None or not permissions.can_manage_agency(user, user.agency):
        raise Http404
    return user.agency


def _managed_officer(request: HttpRequest, pk: int) -> User:
    officer = User.objects.filter(pk=pk).select_related("agency").first()
    if officer is None or not permissions.can_manage_officer(request.user, officer):  # type: ignore[arg-type]
        raise Http404
    return officer


@login_required
def officer_list(request: HttpRequest) -> HttpResponse:
    agency = _managed_agency(request)
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "accounts/officer_list.html",
        {
            "agency": agency,
            "officers": selectors.officers_of_agency(agency=agency),
            "agencies": Agency.objects.all() if user.has_role(Role.ADMINISTRATOR) else [],
        },
    )


@login_required
def officer_add(request: HttpRequest) -> HttpResponse:
    agency = _managed_agency(request)
    user: User = request.user  # type: ignore[assignment]
    form = OfficerForm(request.POST or None, can_grant_admin=user.has_role(Role.ADMINISTRATOR))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer = services.officer_create(
                actor=user,
                agency=agency,
                http_request=request,
                **data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"{officer} was added. Ask them to use “Forgotten your password?” to set one.",
            )
            return redirect("accounts:officers")
    return render(request, "accounts/officer_form.html", {"form": form, "agency": agency})


@login_required
def officer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _managed_officer(request, pk)
    user: User = request.user  # type: ignore[assignment]
    form = OfficerForm(
        request.POST or None, instance=officer, can_grant_admin=user.has_role(Role.ADMINISTRATOR)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        roles = data.pop("roles")
        data.pop("username", None)
        try:
            services.officer_update(actor=user, officer=officer, http_request=request, **data)
            services.officer_set_roles(
                actor=user, officer=officer, roles=roles, http_request=request
            )
        except ValidationError as exc:
            form.add_error("roles", exc)
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
@require_POST
def officer_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    officer = _managed_officer(request, pk)
    try:
        services.officer_deactivate(actor=request.user, officer=officer, http_request=request)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"{officer} was deactivated and signed out everywhere.")
    return redirect("accounts:officers")
