"""Forms of the data-subject rights pages."""

from typing import Any

from django import forms
from django.utils import timezone

from isp_portal.forms import (
    GovukDateField,
    add_submission_token,
    choice,
    govuk_messages,
    never_optional,
)
from rights.models import RightsKind


@govuk_messages
class CaseForm(forms.Form):
    REQUIRED = {
        "kind": "Choose what the person has asked for, or what must happen",
        "person_name": "Enter the person’s full name",
        "person_date_of_birth": "Enter the person’s date of birth",
    }

    kind = forms.ChoiceField(
        label="What has the person asked for, or what must happen?",
        choices=RightsKind.choices,
        widget=forms.RadioSelect,
    )
    person_name = forms.CharField(label="Person's full name", max_length=200)
    person_date_of_birth = GovukDateField(label="Date of birth", help_text="For example, 27 3 1980")
    instructions = forms.CharField(
        label="What recipients must do",
        help_text="For example, the corrected address. Not needed for subject access.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Needed for every kind but subject access: never "(optional)".
        never_optional(self, "instructions")
        add_submission_token(self)

    def clean(self) -> dict[str, Any]:
        """The service's rules too, so every problem is shown in one round."""
        data = super().clean() or {}
        born = data.get("person_date_of_birth")
        if born and born > timezone.localdate():
            self.add_error("person_date_of_birth", "Date of birth must be in the past")
        kind = data.get("kind")
        if kind and kind != RightsKind.ACCESS and not data.get("instructions", "").strip():
            self.add_error("instructions", "Say what recipients must do")
        return data


@govuk_messages
class ConfirmForm(forms.Form):
    people = forms.TypedMultipleChoiceField(
        label="Which of these are the person?",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Tick only the people you are sure are this person",
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choice(self, "people").choices = choices


@govuk_messages
class TaskDoneForm(forms.Form):
    note = forms.CharField(
        label="What your agency did",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
