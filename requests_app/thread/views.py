"""The thread's pages: writing a message (the form is also on the request page), and what
changed on the officer's requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.models import User
from accounts.signed_in import signed_in_user
from isp_portal.access import Act, Listing, list_shown
from isp_portal.uploads import upload_refused_message
from requests_app import permissions, selectors
from requests_app.models import InformationRequest
from requests_app.services import TransitionRefused
from requests_app.thread import services
from requests_app.thread.forms import MessageForm, message_form_for
from requests_app.thread.permissions import can_write
from requests_app.thread.selectors import changes_for, has_changes_list
from requests_app.workflow import Action


def _sent(user: User, req: InformationRequest, form: MessageForm) -> str:
    if form.cleaned_data.get("ask_clarification"):
        return "Your question has been sent. The clock is paused until the requester answers."
    if permissions.can(user, Action.ANSWER_CLARIFICATION, req):
        return "Your answer has been sent to the disclosing agency. The clock has restarted."
    return "Your message has been sent. The other agency has been told by email."


@login_required
def send(request: HttpRequest, pk: int) -> HttpResponse:
    """Write a message: on its own page, or posted from the request page's form."""
    user = signed_in_user(request)
    req = selectors.get_request_for(
        user, pk, http_request=request, act=Act("send_message", lambda r: can_write(user, r))
    )
    form = message_form_for(user, req, request.POST or None, request.FILES or None)
    if request.method == "POST":
        refused = upload_refused_message(request)
        if form.is_valid() and refused is None:
            success = _sent(user, req, form)
            try:
                services.message_send(
                    actor=user,
                    request=req,
                    body=form.cleaned_data["body"],
                    upload=form.cleaned_data["file"],
                    post_token=form.cleaned_data["post_token"],
                    ask_clarification=bool(form.cleaned_data.get("ask_clarification")),
                    http_request=request,
                )
            except ValidationError as exc:
                for key, problems in exc.message_dict.items():
                    for problem in problems:
                        form.add_error(key if key in form.fields else "body", problem)
            except TransitionRefused as exc:
                messages.error(request, str(exc))
                return redirect("requests:detail", req.pk)
            else:
                messages.success(request, success)
                return redirect(reverse("requests:detail", args=[req.pk]) + "#messages")
        elif refused is not None:
            form.add_error("file", refused)
    return render(request, "requests_app/message_form.html", {"req": req, "form": form})


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """What changed on the officer's requests since they last looked; looking marks it
    seen."""
    user = signed_in_user(request)
    rows = changes_for(user) if has_changes_list(user) else []
    shown = list_shown(
        rows,
        listing=Listing("requests:changes", reference="request__reference"),
        http_request=request,
    )
    if request.method == "GET" and has_changes_list(user):
        services.changes_mark_seen(user=user)
    return render(request, "requests_app/changes.html", {"changes": shown})
