"""The administrator's form for a new API client."""

from typing import Any

from django import forms
from django.conf import settings

from accounts.models import User
from isp_portal.forms import SafeModelChoiceField, choice, model_choice
from isp_portal.limits import LINE_LENGTH


class OfficerChoiceField(SafeModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        agency = obj.agency.code if obj.agency else ""
        return f"{agency}: {obj.get_full_name() or obj.username} ({obj.username})"


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label="Name of the case-management system",
        help_text="For example, Met CRIS connector",
        max_length=LINE_LENGTH,
        error_messages={"required": "Enter the name of the case-management system"},
    )
    officer = OfficerChoiceField(
        label="Officer it acts for",
        help_text=(
            "The client belongs to this officer's agency and may do only what they may do. "
            "If they are deactivated, the client stops working."
        ),
        queryset=User.objects.none(),
        empty_label="Choose an officer",
        error_messages={"required": "Select the officer the client acts for"},
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        help_text="Select only what the system needs",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one thing the client may do"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice(self, "officer").queryset = (
            User.objects.filter(is_active=True, agency__isnull=False)
            .select_related("agency")
            .order_by("agency__code", "last_name", "first_name", "pk")
        )
        choice(self, "scopes").choices = [
            (scope, f"{description} ({scope})")
            for scope, description in settings.API_SCOPES.items()
        ]
