"""Make, list and revoke API clients (docs/operations.md, "API clients").

Run by an operator on behalf of a named administrator, who is recorded in the audit log
as the one who made or revoked the client.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from api.models import ApiClient
from api.services import api_client_create, api_client_revoke, may_manage_clients


def _officer(username: str) -> User:
    found = User.objects.filter(username=username).select_related("agency").first()
    if found is None:
        raise CommandError(f"No officer has the username {username}")
    return found


class Command(BaseCommand):
    help = "Make, list or revoke API clients of case-management systems."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="step", required=True)
        create = sub.add_parser("create", help="Make a client; prints its id and secret once")
        create.add_argument("--by", required=True, help="the administrator's username")
        create.add_argument("--officer", required=True, help="the officer it acts for")
        create.add_argument("--name", required=True, help="the case-management system")
        create.add_argument(
            "--scopes", required=True, help=f"space-separated: {' '.join(settings.API_SCOPES)}"
        )
        sub.add_parser("list", help="List the clients")
        revoke = sub.add_parser("revoke", help="Revoke a client and end its tokens")
        revoke.add_argument("client_id")
        revoke.add_argument("--by", required=True, help="the administrator's username")

    def handle(self, *args: Any, **options: Any) -> None:
        step = options["step"]
        if step == "list":
            for client in ApiClient.objects.select_related("application", "officer", "agency"):
                state = "revoked" if client.revoked_at else "active"
                self.stdout.write(
                    f"{client.application.client_id}  {client.agency.code}  "
                    f"{client.officer.username}  {client.scopes}  {state}  {client.name}"
                )
            return
        actor = _officer(options["by"])
        if not may_manage_clients(actor):
            raise CommandError(f"{actor.username} is not an active administrator")
        if step == "create":
            try:
                client, secret = api_client_create(
                    actor=actor,
                    name=options["name"],
                    officer=_officer(options["officer"]),
                    scopes=options["scopes"].split(),
                )
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from exc
            self.stdout.write(f"client_id: {client.application.client_id}")
            self.stdout.write(f"client_secret: {secret}")
            self.stdout.write("The secret is shown once and stored only as a hash.")
            return
        found = (
            ApiClient.objects.select_related("application")
            .filter(application__client_id=options["client_id"])
            .first()
        )
        if found is None:
            raise CommandError("No API client has that client id")
        client = found
        api_client_revoke(actor=actor, client=client)
        self.stdout.write(f"Revoked {client.application.client_id}; its tokens no longer work.")
