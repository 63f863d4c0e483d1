"""The GOV.UK error summary: every problem on a page, in page order, each linked to the
field it belongs to (which may be on another page, such as a task list section).

Pages render ``templates/components/error_summary.html`` with the list this builds, at the
top of the main content, and start their title with "Error: " when it is not empty.
"""

from dataclasses import dataclass
from typing import Any

from django import forms

from isp_portal.templatetags.govuk import first_input_id


@dataclass(frozen=True)
class ErrorLink:
    message: str
    href: str


def form_error_links(form: forms.BaseForm, *, page_url: str = "") -> list[ErrorLink]:
    """A form's problems in the order its fields are shown; a problem with no field of its
    own links to the form's first field. The page shows them at its top, so the form's own
    markup (templates/django/forms/govuk.html) leaves its summary out."""
    shown: Any = form
    shown.summary_shown = True
    if not form.is_bound or not form.errors:
        return []
    fields = [field for field in form if not field.is_hidden]
    first = f"{page_url}#{first_input_id(fields[0])}" if fields else page_url
    # A hidden field's problem (a page out of date) is the form's as a whole.
    hidden = [message for field in form if field.is_hidden for message in field.errors]
    links = [ErrorLink(str(message), first) for message in [*form.non_field_errors(), *hidden]]
    links += [
        ErrorLink(str(message), f"{page_url}#{first_input_id(field)}")
        for field in fields
        for message in field.errors
    ]
    return links
