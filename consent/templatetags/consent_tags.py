"""The consent panel on the request page reads its data here, so the request page only
has to include ``consent/_request_panel.html``."""

from django import template

from consent.selectors import PersonConsent, consent_position
from requests_app.models import InformationRequest

register = template.Library()


@register.simple_tag
def consent_position_of(request: InformationRequest) -> list[PersonConsent]:
    return consent_position(request)
