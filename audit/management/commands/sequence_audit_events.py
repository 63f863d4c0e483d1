from typing import Any

from django.core.management.base import BaseCommand

from audit.sequencer import chain_extend


class Command(BaseCommand):
    help = (
        "Link every committed audit event that is not in the chain yet, as the task worker "
        "does shortly after each commit: a catch-up after the worker was stopped."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        linked = chain_extend()
        self.stdout.write(f"Chained {linked} audit events.")
