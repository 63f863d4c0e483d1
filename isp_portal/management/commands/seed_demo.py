from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from accounts import demo as accounts_demo

_QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = (
        "Load the demo agencies, accounts and case work. Safe to run again. "
        "Refuses with debug off unless ALLOW_DEMO_DATA=true."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            help="Load demo data even though DEBUG is off.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.ALLOW_DEMO_DATA or options["i_know_this_is_not_production"]):
            raise CommandError(
                "Refusing to load demo accounts with a known password while DEBUG is off. "
                "Set ALLOW_DEMO_DATA=true or pass --i-know-this-is-not-production "
                "if this really is not a production database."
            )
        # Demo case work would otherwise send hundreds of notification emails.
        with override_settings(MAILERS={"default": {"BACKEND": _QUIET_MAIL}}), transaction.atomic():
            agencies = accounts_demo.seed_agencies()
            users = accounts_demo.seed_accounts(agencies)
            for step in _later_steps():
                step(agencies=agencies, users=users)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data loaded: {len(agencies)} agencies, {len(users)} accounts "
                f"(password: {accounts_demo.DEMO_PASSWORD})."
            )
        )


def _later_steps() -> list[Any]:
    """Each app that has demo case work contributes a ``seed(agencies=, users=)``."""
    from importlib import import_module

    steps = []
    for module in ("agreements.demo", "consent.demo", "requests_app.demo", "oversight.demo"):
        try:
            steps.append(import_module(module).seed)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return steps
