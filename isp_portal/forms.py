"""GOV.UK Design System markup for every Django form.

Django renders forms through templates; pointing the renderer at ``templates/django/forms``
(which override Django's own) gives every form GOV.UK labels, hints, inline errors and
error summary without per-form code.
"""

import datetime
import uuid
from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "django/forms/govuk.html"
    field_template_name = "django/forms/govuk_field.html"


class ListSelect(forms.Select):
    """A select for long lists (agencies, legislation), drawn in Python: the template
    engine costs about 50 µs an option, which on a filter form costs more than its query.
    The markup is what Django's select template writes."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option["value"], " selected" if option["selected"] else "", option["label"])
                for _group, group_options, _index in widget["optgroups"]
                for option in group_options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}\n</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class GovukDateWidget(forms.MultiWidget):
    """Day, month and year boxes, as the GOV.UK date input pattern asks."""

    template_name = "django/forms/widgets/govuk_date.html"
    is_date_input = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        part = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput({**part, "class": part["class"] + " govuk-input--width-2"}),
            "month": forms.TextInput({**part, "class": part["class"] + " govuk-input--width-2"}),
            "year": forms.TextInput({**part, "class": part["class"] + " govuk-input--width-4"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


# Every date the portal takes, past or future, falls well inside these years. A wider range
# lets a value through that date arithmetic cannot handle: 31/12/9999 plus a retention
# period or plus one day (the end of a filter period) is past the calendar's end.
MIN_YEAR = 1900
MAX_YEAR = 2100


class GovukDateField(forms.MultiValueField):
    widget = GovukDateWidget

    default_error_messages = {
        "invalid": "Enter a real date, for example 27 3 2007",
        "incomplete": "Enter a full date, with a day, month and year",
    }

    def __init__(self, **kwargs: Any) -> None:
        year_range = f"Enter a year from {MIN_YEAR} to {MAX_YEAR}"
        fields = (
            forms.IntegerField(min_value=1, max_value=31),
            forms.IntegerField(min_value=1, max_value=12),
            forms.IntegerField(
                min_value=MIN_YEAR,
                max_value=MAX_YEAR,
                error_messages={"min_value": year_range, "max_value": year_range},
            ),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def clean(self, value: Any) -> datetime.date | None:
        if isinstance(value, list | tuple) and any(str(v or "").strip() for v in value):
            if not all(str(v or "").strip() for v in value):
                raise forms.ValidationError(self.error_messages["incomplete"], code="incomplete")
            try:
                [int(str(v).strip()) for v in value]
            except ValueError as exc:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return super().clean(value)

    def compress(self, data_list: list[Any]) -> datetime.date | None:
        if not data_list or all(v in (None, "") for v in data_list):
            return None
        try:
            day, month, year = (int(v) for v in data_list)
            return datetime.date(year, month, day)
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


_MAX_ID = 2**63 - 1


def _in_id_range(value: Any) -> bool:
    try:
        return 1 <= int(str(value).strip()) <= _MAX_ID
    except (TypeError, ValueError):
        return False


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids no database row can have as a field error, before any query.

    Django passes them to the database, which fails (OverflowError on SQLite, DataError on
    PostgreSQL) and turns hostile input into a 500.
    """

    def clean(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else ():
            if not _in_id_range(item):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": str(item)[:20]},
                )
        return super().clean(value)


class SafeModelChoiceField(forms.ModelChoiceField):
    """The single-choice counterpart of ``SafeModelMultipleChoiceField``."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if not _in_id_range(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


# Typed access to a form's fields, and the two GOV.UK markers the templates read
# (``isp_portal/templatetags/govuk.py``): which questions an answer reveals, and which
# fields are needed for some answers and so are never labelled "(optional)".


def model_choice(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's field ``name``, which must be a model choice field."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is not a model choice field")
    return field


def choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The form's field ``name``, which must be a choice field."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def set_reveals(form: forms.BaseForm, name: str, reveals: Mapping[str, tuple[str, ...]]) -> None:
    """Answer ``value`` of field ``name`` reveals the fields ``reveals[value]`` (GOV.UK
    conditional reveal); the revealed fields are drawn inside it, and are needed when
    revealed, so never labelled "(optional)"."""
    field: Any = form.fields[name]
    field.reveals = dict(reveals)
    for revealed in {n for names in reveals.values() for n in names}:
        revealed_field: Any = form.fields[revealed]
        revealed_field.revealed = True
        revealed_field.show_optional = False


def never_optional(form: forms.BaseForm, *names: str) -> None:
    """Fields needed for some answers: not required by Django, never labelled "(optional)"."""
    for name in names:
        field: Any = form.fields[name]
        field.show_optional = False


SUBMISSION_TOKEN = "submission_token"


def add_submission_token(form: forms.BaseForm) -> None:
    """Give a form that creates something its idempotency token (isp_portal.idempotency):
    a hidden field holding a fresh UUID on a blank form and the posted one on a form shown
    again with its errors, so every post of one form names the same submission."""
    form.fields[SUBMISSION_TOKEN] = forms.UUIDField(widget=forms.HiddenInput, required=False)
    form.initial.setdefault(SUBMISSION_TOKEN, uuid.uuid4())


def pop_submission_token(data: dict[str, Any]) -> uuid.UUID | None:
    """The token, taken out of a form's cleaned data before the rest goes to a service."""
    return data.pop(SUBMISSION_TOKEN, None)


DJANGO_REQUIRED = forms.Field.default_error_messages["required"]


def _name(form_class: type[forms.BaseForm], field: forms.Field, name: str) -> str:
    """What the field is called in a message: the form's ``ERROR_NAMES`` for it (where
    the label is a question), else its label."""
    names = getattr(form_class, "ERROR_NAMES", {})
    label = names.get(name) or str(field.label or name.replace("_", " "))
    label = label.rstrip(":?").strip()
    return label[:1].upper() + label[1:]


def _limits(field: forms.Field) -> tuple[Any, Any]:
    return getattr(field, "min_value", None), getattr(field, "max_value", None)


def govuk_messages[F: type[forms.BaseForm]](form_class: F) -> F:
    """Give every field of a form the GOV.UK error messages that Django's defaults lack:
    ones that name the thing and say how to put it right ("Full name must be 200
    characters or fewer", not "Ensure this value has at most 200 characters"). The message
    for an empty required field is written by the form itself, field by field ("Enter the
    name of the person the information is about"), in the field's ``error_messages`` or the
    form's ``REQUIRED`` mapping of field name to message;
    tests/architecture/test_form_messages.py checks that every form is decorated and that
    no required field says "This field is required"."""
    fields = base_fields(form_class)
    for name, message in getattr(form_class, "REQUIRED", {}).items():
        fields[name].error_messages["required"] = message
    for name, field in fields.items():
        if isinstance(field.widget, forms.HiddenInput) or isinstance(field, forms.MultiValueField):
            continue
        thing = _name(form_class, field, name)
        messages: dict[str, str] = {}
        max_length = getattr(field, "max_length", None)
        if max_length:
            messages["max_length"] = f"{thing} must be {max_length:,} characters or fewer"
        low, high = _limits(field)
        if isinstance(field, forms.IntegerField):
            messages["invalid"] = f"{thing} must be a whole number, like 12"
            if low is not None and high is not None:
                between = f"{thing} must be between {low:,} and {high:,}"
                messages["min_value"] = messages["max_value"] = between
            elif low is not None:
                messages["min_value"] = f"{thing} must be {low:,} or more"
        if isinstance(field, forms.EmailField):
            messages["invalid"] = (
                "Enter an email address in the correct format, like name@example.org"
            )
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            messages["invalid_choice"] = f"{thing}: select one of the options shown"
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            messages["invalid_choice"] = f"{thing}: select only the options shown"
            messages["invalid_list"] = messages["invalid_choice"]
            messages["invalid_pk_value"] = messages["invalid_choice"]
        if isinstance(field, forms.FileField):
            messages["empty"] = "The selected file is empty"
            messages["invalid"] = "The selected file could not be read: choose it again"
            messages["max_length"] = "The selected file’s name must be 100 characters or fewer"
        if isinstance(field, forms.DateField | forms.DateTimeField):
            messages["invalid"] = f"{thing} must be a real date, like 27 3 2026"
        # A message the form wrote itself is kept.
        for code, message in messages.items():
            if field.error_messages.get(code) == _default(field, code):
                field.error_messages[code] = message
    _WITH_GOVUK_MESSAGES.add(form_class)
    return form_class


_WITH_GOVUK_MESSAGES: set[type[forms.BaseForm]] = set()


def has_govuk_messages(form_class: type[forms.BaseForm]) -> bool:
    """Whether the form class was decorated with ``govuk_messages``."""
    return form_class in _WITH_GOVUK_MESSAGES


def base_fields(form_class: type[forms.BaseForm]) -> dict[str, forms.Field]:
    """A form class's declared fields (Django's metaclass gives every form class them)."""
    fields: dict[str, forms.Field] = getattr(form_class, "base_fields", {})
    return fields


def _default(field: forms.Field, code: str) -> Any:
    """Django's own message for ``code`` on this kind of field (None where Django has none:
    the length and range messages come from validators, which the field's own replace)."""
    for klass in type(field).__mro__:
        defaults: dict[str, Any] = getattr(klass, "default_error_messages", {})
        if code in defaults:
            return defaults[code]
    return None
