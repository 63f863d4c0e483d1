"""Django admin is entered only through the portal's sign-in, as everything else is."""

from typing import Any

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.sessions import session_passed_second_factor


class PortalAdminSite(admin.AdminSite):
    """Django's own sign-in and password pages would skip the second factor, sign-in
    throttling and the audit log; this site sends people to the portal's instead, and lets
    in only a session that passed the portal's sign-in with its second factor."""

    def login(self, request: HttpRequest, extra_context: object = None) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME, index))

    def password_change(self, request: HttpRequest, extra_context: object = None) -> Any:
        return redirect("account_change_password")

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and session_passed_second_factor(request)
