"""What the sign-in event records about a sign-in through an agency's provider."""

from typing import Any

from allauth.account.authentication import get_authentication_records
from django.http import HttpRequest

from accounts.sso.stages import IDP


def sso_sign_in_details(request: HttpRequest, user: Any, sociallogin: Any) -> dict[str, str]:
    records = get_authentication_records(request, user)
    second = [record.get("type") for record in records if record["method"] == "mfa"]
    if IDP in second:
        second_factor = "identity provider"
    elif second:
        second_factor = "portal code"
    else:
        second_factor = "none"
    return {
        "method": "single sign-on",
        "provider": sociallogin.account.provider,
        "second_factor": second_factor,
    }
