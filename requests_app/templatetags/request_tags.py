from django import template
from django.utils import timezone

from requests_app.consent import PersonConsent, consent_position
from requests_app.models import InformationRequest, Status

register = template.Library()

_COLOURS: dict[str, str] = {
    Status.DRAFT: "govuk-tag--grey",
    Status.SUBMITTED: "govuk-tag--blue",
    Status.UNDER_REVIEW: "govuk-tag--light-blue",
    Status.AWAITING_CLARIFICATION: "govuk-tag--yellow",
    Status.REFERRED: "govuk-tag--purple",
    Status.DISCLOSED: "govuk-tag--green",
    Status.PARTIALLY_DISCLOSED: "govuk-tag--teal",
    Status.DECLINED: "govuk-tag--red",
    Status.WITHDRAWN: "govuk-tag--grey",
    Status.RETURNED: "govuk-tag--orange",
    Status.CLOSED: "govuk-tag--grey",
}


@register.filter
def status_colour(status: str) -> str:
    return _COLOURS.get(status, "govuk-tag--grey")


@register.filter
def days_left(request: InformationRequest) -> int | None:
    if request.due_on is None:
        return None
    return (request.due_on - timezone.localdate()).days


@register.filter
def absolute(value: int) -> int:
    return abs(value)


@register.simple_tag
def consent_position_of(request: InformationRequest) -> list[PersonConsent]:
    """The consent panel on the request page (``consent/_request_panel.html``)."""
    return consent_position(request)
