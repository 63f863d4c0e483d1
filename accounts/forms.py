from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from django import forms
from django.core.exceptions import ValidationError

from accounts import imports, permissions
from accounts.models import SINGLE_HOLDER_ROLES, Agency, OfficerRole, Role, User
from audit.models import EventType, Outcome
from audit.services import audit_record
from isp_portal.forms import add_submission_token, govuk_messages


@govuk_messages
class OfficerForm(forms.ModelForm):
    """An officer's details and roles. The roles offered are those ``actor`` may give this
    officer (accounts.permissions.ROLE_GIVEN_BY); roles the officer holds that the actor may
    not give are kept as they are and named under the field."""

    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "position", "department", "phone"]
        labels = {
            "first_name": "First name",
            "last_name": "Last name",
            "email": "Email address",
            "position": "Job title",
        }
        error_messages = {
            "username": {"required": "Enter a username for the officer"},
            "first_name": {"required": "Enter the officer’s first name"},
            "last_name": {"required": "Enter the officer’s last name"},
            "email": {"required": "Enter the officer’s email address"},
            "position": {"required": "Enter the officer’s job title"},
        }

    def __init__(self, *args: Any, actor: User, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["email"].required = True
        self.fields["position"].required = True
        officer = self.instance if self.instance.pk else User(agency=agency)
        self.officer = officer
        held = officer.role_set
        self.givable = permissions.roles_givable(actor, officer)
        self.kept = held - self.givable
        roles = self.fields["roles"]
        roles.choices = [c for c in Role.choices if c[0] in self.givable]  # type: ignore[attr-defined]
        roles.initial = sorted(held & self.givable)
        roles.help_text = self._roles_help(actor, officer)
        if self.instance.pk:
            self.fields["username"].disabled = True
        else:
            add_submission_token(self)

    def _roles_help(self, actor: User, officer: User) -> str:
        if officer.pk is not None and officer.pk == actor.pk:
            return "You cannot change your own roles. Ask an administrator."
        parts = ["Select all that apply. An agency has one SPOC and one deputy."]
        if self.kept:
            labels = ", ".join(Role(r).label for r in sorted(self.kept))
            parts.append(f"Also holds {labels}, which only an administrator can change.")
        return " ".join(parts)

    def clean_roles(self) -> list[str]:
        roles = set(self.cleaned_data["roles"]) | self.kept
        # The service's rule too, so it is found in the same round as the other problems.
        officer = self.officer
        for role in SINGLE_HOLDER_ROLES:
            if role not in roles or role in officer.role_set:
                continue
            holder = (
                OfficerRole.objects.filter(agency=officer.agency, role=role)
                .exclude(user_id=officer.pk)
                .select_related("user")
                .first()
            )
            if holder is not None:
                raise ValidationError(
                    f"{officer.agency} already has a {Role(role).label}: {holder.user}. "
                    "Remove it from them first"
                )
        return sorted(roles)


class LoginForm(AllauthLoginForm):
    """allauth's sign-in form without placeholders (GOV.UK labels say it all)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""


@govuk_messages
class TermsAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label="I have read the terms of use and I agree to follow them",
        error_messages={"required": "Confirm that you agree to the terms of use"},
    )


class SecondFactorForm(AllauthAuthenticateForm):
    """allauth refuses a throttled code before checking it, so no failure signal fires:
    record it here, as the receiver records a wrong code."""

    # allauth's field, with a bound: a code or recovery code is a few characters long.
    code = forms.CharField(
        label="Code",
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

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


@govuk_messages
class OfficerImportForm(forms.Form):
    """A CSV list of the agency's officers, checked row by row before anything changes."""

    file = forms.FileField(
        label="CSV file of officers",
        help_text="Columns: First name, Last name, Email, Job title, Phone, Roles "
        "(separate several roles with a semicolon). At most 2,000 officers.",
        error_messages={"required": "Select a CSV file of officers"},
    )
    full_list = forms.BooleanField(
        label="This is the full list of the agency's officers: deactivate anyone not in it",
        help_text="Leavers are signed out everywhere at once. Leave this unticked to add and "
        "change officers only.",
        required=False,
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_FILE_BYTES:
            raise ValidationError(
                f"The selected file must be smaller than {imports.MAX_FILE_BYTES // 1024} KB"
            )
        return imports.decode_upload(upload.read())
