from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Role, User
from audit.models import EventType, Outcome
from audit.services import audit_record


class OfficerForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply. An agency has one SPOC and one deputy.",
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "position", "department", "phone"]
        labels = {"first_name": "First name", "last_name": "Last name", "email": "Email address"}

    def __init__(self, *args: object, can_grant_admin: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["email"].required = True
        self.fields["position"].required = True
        if not can_grant_admin:
            self.fields["roles"].choices = [c for c in Role.choices if c[0] != Role.ADMINISTRATOR]
        if self.instance.pk:
            self.fields["username"].disabled = True
            self.fields["roles"].initial = sorted(self.instance.role_set)


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form without placeholders (GOV.UK labels say it all)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""


class TermsAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label="I have read the terms of use and I agree to follow them",
        error_messages={"required": "Confirm that you agree to the terms of use"},
    )


class SecondFactorForm(AllauthAuthenticateForm):
    """allauth refuses a throttled code before checking it, so no failure signal fires:
    record it here, as the receiver records a wrong code."""

    def clean_code(self) -> Any:
        try:
            return super().clean_code()
        except ValidationError as exc:
            if exc.code == "too_many_login_attempts":
                audit_record(
                    event_type=EventType.SIGN_IN_FAILED,
                    actor=self.user,
                    http_request=context.request,
                    outcome=Outcome.DENIED,
                    details={"username": self.user.username, "reason": "second factor throttled"},
                )
            raise
