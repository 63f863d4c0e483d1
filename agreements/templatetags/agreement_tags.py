from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def lines_list(text: str) -> SafeString:
    """One list item per non-empty line, as agreements list their data subjects and items."""
    lines = [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]
    if not lines:
        return format_html("{}", "Not stated")
    items = format_html_join("", "<li>{}</li>", ((line,) for line in lines))
    return format_html('<ul class="govuk-list govuk-list--bullet">{}</ul>', items)


@register.simple_tag
def parties_of(agreement: object) -> list[object]:
    """The agreement's parties with their agencies, in one query."""
    return list(agreement.party_rows.select_related("agency"))  # type: ignore[attr-defined]
