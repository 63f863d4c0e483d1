"""The GOV.UK error summary for pages with more than one form (a form and a formset, or a
page whose problems were found by a service): every problem on the page, in the order of
the fields, each linked to the input it is about.

A page renders the list with ``templates/components/error_summary.html`` and starts its
title with "Error: " when the list is not empty.
"""

from dataclasses import dataclass

from django import forms

from isp_portal.templatetags.govuk import first_input_id


@dataclass(frozen=True)
class ErrorLink:
    href: str
    message: str


def _form_links(form: forms.BaseForm) -> list[ErrorLink]:
    fields = form.visible_fields()
    links = []
    if form.non_field_errors() and fields:
        first = f"#{first_input_id(fields[0])}"
        links += [ErrorLink(first, str(message)) for message in form.non_field_errors()]
    for field in fields:
        links += [ErrorLink(f"#{first_input_id(field)}", str(message)) for message in field.errors]
    return links


def error_links(*forms_: forms.BaseForm | forms.BaseFormSet) -> list[ErrorLink]:
    """Every problem of these bound forms and formsets, in page order. A formset's own
    problems (too many, none at all) link to its first form's first input."""
    links: list[ErrorLink] = []
    for item in forms_:
        if isinstance(item, forms.BaseFormSet):
            first = item.forms[0].visible_fields() if item.forms else []
            href = f"#{first_input_id(first[0])}" if first else "#main-content"
            links += [ErrorLink(href, str(message)) for message in item.non_form_errors()]
            for form in item.forms:
                links += _form_links(form)
        else:
            links += _form_links(item)
    return links
