"""Every form of the portal speaks as the GOV.UK Design System's error messages do (#16):
each is decorated with ``isp_portal.forms.govuk_messages`` (messages that name the field)
and no required field answers "This field is required"."""

import importlib
import importlib.util
import inspect

from django import forms

from isp_portal.forms import DJANGO_REQUIRED, base_fields, has_govuk_messages

APPS = ["accounts", "agreements", "consent", "requests_app", "rights", "oversight"]
# Forms the portal does not draw: allauth's sign-in and second-factor forms keep allauth's
# own messages, which already say what to do.
NOT_OURS = {"LoginForm", "SecondFactorForm"}


def _forms() -> list[type[forms.BaseForm]]:
    found = []
    for app in APPS:
        for module_name in (f"{app}.forms", f"{app}.filters"):
            if importlib.util.find_spec(module_name) is None:
                continue
            module = importlib.import_module(module_name)
            found += [
                value
                for value in vars(module).values()
                if inspect.isclass(value)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ]
    return [f for f in found if f.__name__ not in NOT_OURS and "base_fields" in vars(f)]


def test_the_forms_are_found() -> None:
    names = {f.__name__ for f in _forms()}
    assert {"ConsentRecordForm", "OfficerForm", "AgreementForm", "BreachReportForm"} <= names


def test_every_form_names_its_fields_in_its_messages() -> None:
    assert [f.__name__ for f in _forms() if not has_govuk_messages(f)] == []


def test_no_required_field_says_this_field_is_required() -> None:
    generic = [
        f"{form.__name__}.{name}"
        for form in _forms()
        for name, field in base_fields(form).items()
        if field.required and field.error_messages.get("required") == DJANGO_REQUIRED
    ]
    assert generic == []
