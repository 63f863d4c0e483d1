from django import template

from oversight.dashboard import suppress
from oversight.models import Breach

register = template.Library()


@register.filter
def small(value: int | None) -> str:
    """A count as a CSP lead may see it: below the threshold it shows as "<5"."""
    return suppress(value)


@register.filter
def lookup(mapping: dict, key: str) -> object:
    return mapping.get(key, 0)


def _span(seconds: float) -> str:
    hours = int(seconds // 3600)
    minutes = int(seconds % 3600 // 60)
    if hours >= 24:
        days, hours = divmod(hours, 24)
        return f"{days} day{'s' if days != 1 else ''} {hours} hour{'s' if hours != 1 else ''}"
    if hours:
        return f"{hours} hour{'s' if hours != 1 else ''} {minutes} min"
    return f"{minutes} min"


@register.filter
def ico_clock(breach: Breach) -> str:
    """The 72-hour ICO decision clock in words."""
    if breach.ico_decided_at:
        late = breach.ico_decided_at > breach.ico_deadline
        return "Decided late" if late else "Decided within 72 hours"
    left = breach.ico_time_left.total_seconds()
    if left < 0:
        return f"Overdue by {_span(-left)}"
    return f"{_span(left)} left"


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()
