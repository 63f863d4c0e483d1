"""Rebuild the CSP dashboard's monthly tallies from the raw rows.

Run after anything that wrote requests, decisions, referrals or consent withdrawals without
``Model.save()`` (bulk loads, ``QuerySet.update``, restores of a partial dump): the tallies
are otherwise kept in each change's own transaction (``oversight.dashboard.keeping``).
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from oversight.dashboard.tallies import KINDS, rebuild


class Command(BaseCommand):
    help = "Rebuild the CSP dashboard's monthly tallies from the requests and decisions."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", action="append", choices=sorted(KINDS), help="only these")

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            rows = rebuild(options["kind"])
        self.stdout.write(f"Rebuilt {rows} monthly tallies.")
