"""``{% sign_on_options %}``: the sign-in page's "Sign in with <agency>'s account" buttons,
one for each agency whose single sign-on is set up (accounts.sso)."""

from typing import Any

from django import template
from django.urls import reverse

from accounts.sso.selectors import sign_ons_offered

register = template.Library()


@register.inclusion_tag("account/sign_on_options.html", takes_context=True)
def sign_on_options(context: dict[str, Any]) -> dict[str, Any]:
    options = [
        {
            "agency": sign_on.agency.name,
            "url": reverse("openid_connect_login", kwargs={"provider_id": sign_on.provider_id}),
        }
        for sign_on in sign_ons_offered()
    ]
    return {
        "options": options,
        "csrf_token": context.get("csrf_token"),
        "redirect_field_name": context.get("redirect_field_name"),
        "redirect_field_value": context.get("redirect_field_value"),
    }
