"""Authentication backends: Django's and allauth's, loading the signed-in officer the way
every page needs them.

Each request of a signed-in officer loads them from the session's user id. Loaded here,
their agency (for the header and the audit record) and their roles (for the navigation
and every permission check) come in the same single query, instead of three.
"""

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from accounts.selectors import signed_in_officer


class OfficerModelBackend(ModelBackend):
    """Django's username and password backend (the admin's sign-in, ``force_login``)."""

    def get_user(self, user_id: Any) -> User | None:
        user = signed_in_officer(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class OfficerAuthenticationBackend(AuthenticationBackend):
    """allauth's backend (the portal's sign-in)."""

    def get_user(self, user_id: Any) -> User | None:
        user = signed_in_officer(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
