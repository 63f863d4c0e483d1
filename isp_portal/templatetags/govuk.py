"""Template helpers that put GOV.UK classes and ARIA links on Django widgets."""

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

_INPUT_CLASSES: dict[type[forms.Widget], str] = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
}


@register.filter
def govuk_kind(field: BoundField) -> str:
    """Which GOV.UK pattern a field is drawn with."""
    widget = field.field.widget
    if getattr(widget, "is_date_input", False):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


def _described_by(field: BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(field: BoundField) -> SafeString:
    widget = field.field.widget
    css = next(
        (c for klass, c in _INPUT_CLASSES.items() if isinstance(widget, klass)), "govuk-input"
    )
    if field.errors:
        css += f" {css}--error"
    attrs: dict[str, str | bool] = {
        "class": " ".join(filter(None, [css, widget.attrs.get("class", "")]))
    }
    described_by = _described_by(field)
    if described_by:
        attrs["aria-describedby"] = described_by
    return field.as_widget(attrs=attrs)


@register.filter
def first_input_id(field: BoundField) -> str:
    """The id an error summary link should jump to."""
    kind = govuk_kind(field)
    if kind in {"date", "checkboxes", "radios"}:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def govuk_optional(field: BoundField) -> bool:
    """Whether the label says "(optional)". A form clears ``show_optional`` on a field that
    is needed for some answers (a question revealed by a radio, text needed unless a file is
    attached), so the label never says optional where the action needs it."""
    return not field.field.required and getattr(field.field, "show_optional", True)


@register.filter
def govuk_revealed(field: BoundField, value: object) -> list[BoundField]:
    """The questions a radio answer reveals (GOV.UK conditional reveal), from the field's
    ``reveals`` mapping of answer to field names."""
    names = getattr(field.field, "reveals", {}).get(str(value), ())
    return [field.form[name] for name in names if name in field.form.fields]
