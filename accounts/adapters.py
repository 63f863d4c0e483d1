from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class PortalAccountAdapter(DefaultAccountAdapter):
    """Accounts are created by SPOCs and administrators, never by self-registration."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
