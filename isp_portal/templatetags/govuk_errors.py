"""The error summary for a page with one form: ``{% include "components/error_summary.html"
with errors=form|error_links %}`` at the top of the page, before the heading. The form's
own markup (templates/django/forms/govuk.html) then leaves its summary out, so a page has
one summary, at the top."""

from django import forms, template

from isp_portal.error_summary import ErrorLink, form_error_links

register = template.Library()


@register.filter
def error_links(form: forms.BaseForm | None) -> list[ErrorLink]:
    if not isinstance(form, forms.BaseForm):
        return []  # a page that shows its form only to some people
    return form_error_links(form)
