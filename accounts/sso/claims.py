"""What an identity provider said about a sign-in, read from allauth's record of it.

allauth keeps the claims of the ID token (``id_token``, checked: issuer, audience, expiry,
and the signature unless it came straight from the token endpoint) and of the userinfo
endpoint (``userinfo``). The ID token is what the provider signed, so it decides the second
factor; the email may come from either.
"""

from typing import Any

from accounts.sso.models import AgencySignOn, words


def token_claims(extra_data: dict[str, Any]) -> dict[str, Any]:
    return extra_data.get("id_token") or {}


def _merged(extra_data: dict[str, Any]) -> dict[str, Any]:
    return {**(extra_data.get("userinfo") or {}), **token_claims(extra_data)}


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def verified_email(extra_data: dict[str, Any]) -> str | None:
    """The email address, if the provider says it is verified: ``email_verified`` true
    (Google, most issuers), or Entra ID's ``xms_edov`` (the domain's owner verified it)."""
    claims = _merged(extra_data)
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        return None
    if _true(claims.get("email_verified")) or _true(claims.get("xms_edov")):
        return email.strip()
    return None


def second_factor_used(sign_on: AgencySignOn, extra_data: dict[str, Any]) -> bool:
    """Whether the ID token says the person used more than a password: ``amr`` holds an
    accepted method or ``acr`` is an accepted value."""
    claims = token_claims(extra_data)
    amr = claims.get("amr")
    if isinstance(amr, str):
        amr = [amr]
    if isinstance(amr, list) and set(map(str, amr)) & set(words(sign_on.mfa_amr)):
        return True
    acr = claims.get("acr")
    return isinstance(acr, str) and acr in words(sign_on.mfa_acr)


def kept_claims(extra_data: dict[str, Any]) -> dict[str, Any]:
    """What is kept on the linked account: who issued it and how the person signed in,
    not their name or address (the portal account already has those)."""
    claims = token_claims(extra_data)
    kept = {key: claims[key] for key in ("iss", "sub", "amr", "acr", "auth_time") if key in claims}
    return {"id_token": kept}
