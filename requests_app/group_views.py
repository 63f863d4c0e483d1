"""Copy this request: a new draft from an earlier one (``groups.request_copy``)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect

from accounts.models import User
from accounts.signed_in import signed_in_user
from isp_portal.access import Act
from requests_app import groups, permissions, selectors


class CopyForm(forms.Form):
    """The copy button's form. Its token makes a second press (a double click, a retry)
    open the draft the first one made instead of making another."""

    copy_token = forms.UUIDField(widget=forms.HiddenInput)


def as_copier(user: User) -> Act:
    return Act("copy", lambda request: permissions.can_copy(user, request))


@login_required
def copy(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    # Need to know first, so nobody learns from a 405 that a request exists.
    source = selectors.get_request_for(user, pk, http_request=request, act=as_copier(user))
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was out of date. Press “Copy this request” again")
        return redirect("requests:detail", source.pk)
    draft = groups.request_copy(
        actor=user, source=source, token=form.cleaned_data["copy_token"], http_request=request
    )
    messages.success(
        request,
        f"This is a new draft copied from {source.label}. Check every task before you send it.",
    )
    return redirect("requests:edit", draft.pk)
