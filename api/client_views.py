"""The administrator's pages for API clients: list, make (the secret shown once) and
revoke. Anyone else gets 404, recorded as refused."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import User
from accounts.signed_in import signed_in_user
from api.client_forms import ApiClientForm
from api.models import ApiClient
from api.services import api_client_create, api_client_revoke, may_manage_clients
from audit.models import EventType
from isp_portal.access import Listing, Read, get_visible_or_404, list_shown


def _administrator(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not may_manage_clients(user):
        raise Http404
    return user


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    _administrator(request)
    clients = list_shown(
        ApiClient.objects.select_related("application", "agency", "officer"),
        listing=Listing("api_clients:list", reference=""),
        http_request=request,
    )
    return render(request, "api/client_list.html", {"clients": clients})


@login_required
def client_add(request: HttpRequest) -> HttpResponse:
    user = _administrator(request)
    form = ApiClientForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            client, secret = api_client_create(
                actor=user,
                name=form.cleaned_data["name"],
                officer=form.cleaned_data["officer"],
                scopes=form.cleaned_data["scopes"],
                http_request=request,
            )
        except ValidationError as exc:
            for field, problems in exc.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            # Shown once, on this answer to the POST: never stored, never in an address.
            return render(request, "api/client_made.html", {"client": client, "secret": secret})
    return render(request, "api/client_form.html", {"form": form})


@login_required
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    visible = ApiClient.objects.all() if may_manage_clients(user) else ApiClient.objects.none()
    client = get_visible_or_404(
        visible.select_related("application", "agency", "officer"),
        pk,
        user=user,
        http_request=request,
        read=Read(EventType.RECORD_VIEWED),
    )
    if request.method == "POST":
        api_client_revoke(actor=user, client=client, http_request=request)
        messages.success(request, f"{client.name} has been revoked. Its tokens no longer work.")
        return redirect("api_clients:list")
    return render(request, "api/client_revoke.html", {"client": client})
