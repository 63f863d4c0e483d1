"""Reading a CSV list of an agency's officers and working out, row by row, what it would change.

Nothing here writes. ``plan_officer_import`` is what the dry run shows and what
``services.officers_import`` carries out, so the preview and the change are the same thing:
the plan's fingerprint, shown with the preview, must still match when it is applied.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower

from accounts import permissions
from accounts.models import SINGLE_HOLDER_ROLES, Agency, Role, User

# Bounds: a large agency has a few hundred officers who use the portal.
MAX_FILE_BYTES = 512 * 1024
MAX_ROWS = 2_000

# Column headings, matched without regard to case, spaces, hyphens or underscores.
COLUMNS = {
    "firstname": "first_name",
    "lastname": "last_name",
    "email": "email",
    "emailaddress": "email",
    "jobtitle": "position",
    "position": "position",
    "phone": "phone",
    "telephone": "phone",
    "roles": "roles",
}
REQUIRED_COLUMNS = ("first_name", "last_name", "email", "position", "roles")
# The longest value each column takes: the model field's own bound.
FIELD_LENGTHS = {"first_name": 150, "last_name": 150, "email": 254, "position": 120, "phone": 40}
FIELD_NAMES = {
    "first_name": "first name",
    "last_name": "last name",
    "email": "email address",
    "position": "job title",
    "phone": "phone",
}
TEMPLATE_HEADER = "First name,Last name,Email,Job title,Phone,Roles"


class Action(StrEnum):
    ADD = "add"
    CHANGE = "change"
    UNCHANGED = "unchanged"
    DEACTIVATE = "deactivate"
    KEEP = "keep"  # missing from a full list, but not deactivated (see the note)
    ERROR = "error"


@dataclass
class RowPlan:
    """One line of the file (or, for leavers, one officer missing from it)."""

    line: int | None
    action: Action
    name: str
    email: str
    officer_id: int | None = None
    values: dict[str, str] = field(default_factory=dict)
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    roles_before: tuple[str, ...] = ()
    roles_after: tuple[str, ...] = ()
    errors: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def roles_added(self) -> list[str]:
        return [Role(r).label for r in sorted(set(self.roles_after) - set(self.roles_before))]

    @property
    def roles_removed(self) -> list[str]:
        return [Role(r).label for r in sorted(set(self.roles_before) - set(self.roles_after))]


@dataclass
class ImportPlan:
    agency: Agency
    full_list: bool
    rows: list[RowPlan] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors) or any(r.action == Action.ERROR for r in self.rows)

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        return {action.value: self.count(action) for action in Action}

    @property
    def changes_anything(self) -> bool:
        return any(r.action in {Action.ADD, Action.CHANGE, Action.DEACTIVATE} for r in self.rows)

    @property
    def fingerprint(self) -> str:
        """Changes if anything the preview showed changes (the file, or the officers since)."""
        digest = [
            (
                r.line,
                r.action,
                r.officer_id,
                sorted(r.values.items()),
                sorted(r.changes.items()),
                r.roles_before,
                r.roles_after,
            )
            for r in self.rows
        ]
        payload = json.dumps([self.agency.pk, self.full_list, digest], default=str)
        return hashlib.sha256(payload.encode()).hexdigest()


def _heading(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


ROLE_NAMES = {
    **{_heading(value): value for value in Role.values},
    **{_heading(label): value for value, label in Role.choices},
    "spoc": Role.SPOC,
    "deputyspoc": Role.DEPUTY_SPOC,
    "caldicottguardian": Role.DESIGNATED_MANAGER,
    "designatedmanager": Role.DESIGNATED_MANAGER,
}


def decode_upload(data: bytes) -> str:
    """The file's text, or a ValidationError saying what is wrong with the file itself."""
    if not data.strip():
        raise ValidationError("The selected file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(f"The selected file must be smaller than {MAX_FILE_BYTES // 1024} KB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "The selected file must be a CSV file saved as UTF-8 (in Excel: Save as, CSV UTF-8)"
        ) from exc


def _read_rows(text: str, plan: ImportPlan) -> list[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        plan.file_errors.append("The file has no heading row")
        return []
    columns = [COLUMNS.get(_heading(h)) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        names = ", ".join(FIELD_NAMES.get(c, c) for c in missing)
        plan.file_errors.append(
            f"The heading row must name these columns: {names} (see the template)"
        )
        return []
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) == MAX_ROWS:
                plan.file_errors.append(f"The file must have at most {MAX_ROWS} officers")
                return []
            values = {
                column: cell.strip()
                for column, cell in zip(columns, cells, strict=False)
                if column is not None
            }
            rows.append((reader.line_num, values))
    except csv.Error as exc:
        plan.file_errors.append(f"Line {reader.line_num} cannot be read as CSV: {exc}")
        return []
    return rows


def _parse_roles(text: str, errors: list[str]) -> tuple[str, ...]:
    roles = set()
    for part in text.replace(",", ";").split(";"):
        if not part.strip():
            continue
        role = ROLE_NAMES.get(_heading(part))
        if role is None:
            errors.append(f"“{part.strip()[:60]}” is not a role (see the list of roles)")
        else:
            roles.add(role)
    return tuple(sorted(roles))


def _check_values(values: dict[str, str], errors: list[str]) -> None:
    for column in ("first_name", "last_name", "email", "position"):
        if not values.get(column):
            errors.append(f"Enter the officer’s {FIELD_NAMES[column]}")
    for column, limit in FIELD_LENGTHS.items():
        if len(values.get(column, "")) > limit:
            errors.append(f"The {FIELD_NAMES[column]} must be {limit} characters or fewer")
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append("Enter the email address in the correct format, like name@example.org")


def _role_errors(actor: User, officer: User, before: set[str], after: set[str]) -> list[str]:
    """What the role table (accounts.permissions) would refuse, in the services' words."""
    problem = permissions.role_change_problem(actor, officer, before, after)
    return [problem.message] if problem else []


def plan_officer_import(*, actor: User, agency: Agency, text: str, full_list: bool) -> ImportPlan:
    """What importing ``text`` into ``agency`` would do, row by row, with every problem."""
    plan = ImportPlan(agency=agency, full_list=full_list)
    lines = _read_rows(text, plan)
    if plan.file_errors:
        return plan
    officers = {
        o.email.lower(): o
        for o in User.objects.filter(agency=agency).prefetch_related("roles").order_by("pk")
        if o.email
    }
    emails = [v.get("email", "").lower() for _, v in lines]
    elsewhere = dict(
        User.objects.exclude(agency=agency)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=[e for e in emails if e])
        .values_list("email_lower", "agency__name")
    )
    usernames_taken = set(
        User.objects.annotate(username_lower=Lower("username"))
        .filter(username_lower__in=[e for e in emails if e])
        .values_list("username_lower", flat=True)
    )
    seen: dict[str, int] = {}
    for line, values in lines:
        errors: list[str] = []
        _check_values(values, errors)
        roles = _parse_roles(values.get("roles", ""), errors)
        email = values.get("email", "").lower()
        name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
        row = RowPlan(line=line, action=Action.ERROR, name=name, email=values.get("email", ""))
        row.values = {k: values.get(k, "") for k in FIELD_LENGTHS}
        row.values["email"] = email
        row.roles_after = roles
        if email in seen:
            errors.append(f"This email address is also on line {seen[email]}")
        elif email:
            seen[email] = line
        if email in elsewhere:
            errors.append(
                f"This email address belongs to an officer of {elsewhere[email]}; "
                "an administrator can move them"
            )
        officer = officers.get(email)
        if officer is None:
            errors += _role_errors(actor, User(agency=agency), set(), set(roles))
            if email in usernames_taken:
                errors.append("An account with this email address as its username already exists")
            row.action = Action.ADD
        else:
            row.officer_id = officer.pk
            row.roles_before = tuple(sorted(officer.role_set))
            if not officer.is_active:
                errors.append(
                    f"{officer} was deactivated; an import does not reactivate an account"
                )
            for column in ("first_name", "last_name", "position", "phone"):
                old = getattr(officer, column)
                if old != row.values[column]:
                    row.changes[FIELD_NAMES[column]] = (old, row.values[column])
            errors += _role_errors(actor, officer, set(row.roles_before), set(roles))
            changed = row.changes or set(row.roles_before) != set(roles)
            row.action = Action.CHANGE if changed else Action.UNCHANGED
        if errors:
            row.action = Action.ERROR
            row.errors = errors
        plan.rows.append(row)
    if full_list:
        _plan_leavers(actor, plan, officers, seen)
    _check_single_holders(plan, officers)
    return plan


def _plan_leavers(
    actor: User, plan: ImportPlan, officers: dict[str, User], listed: dict[str, int]
) -> None:
    for email, officer in officers.items():
        if email in listed or not officer.is_active:
            continue
        row = RowPlan(
            line=None,
            action=Action.DEACTIVATE,
            name=str(officer),
            email=officer.email,
            officer_id=officer.pk,
            roles_before=tuple(sorted(officer.role_set)),
        )
        if officer.pk == actor.pk:
            row.action, row.note = Action.KEEP, "You are not in the file; your own account is kept"
        elif not permissions.can_manage_officer(actor, officer) or permissions.roles_kept_from(
            actor, officer
        ):
            row.action = Action.KEEP
            row.note = "Only an administrator can deactivate this officer; ask one to"
        if row.action == Action.KEEP:
            row.roles_after = row.roles_before
        plan.rows.append(row)


def _check_single_holders(plan: ImportPlan, officers: dict[str, User]) -> None:
    """An agency has one SPOC and one deputy: after the import as before it."""
    final: dict[int | str, set[str]] = {
        o.pk: set(o.role_set) for o in officers.values() if o.is_active
    }
    for row in plan.rows:
        key: int | str = row.officer_id if row.officer_id is not None else f"new:{row.line}"
        if row.action == Action.DEACTIVATE:
            final.pop(key, None)
        elif row.line is not None:
            final[key] = set(row.roles_after)
    for role in SINGLE_HOLDER_ROLES:
        holders = [key for key, roles in final.items() if role in roles]
        if len(holders) < 2:
            continue
        for row in plan.rows:
            if row.line is not None and role in row.roles_after and role not in row.roles_before:
                row.action = Action.ERROR
                row.errors.append(
                    f"{plan.agency} would have more than one {Role(role).label}: "
                    "remove the role from the current holder in the same file"
                )
