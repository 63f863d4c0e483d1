"""Demo data for the audit area: one open breach with its ICO clock running.

The decided requests that fill the register and the dashboard come from requests_app.demo,
which runs first; the dashboard's monthly tallies are rebuilt here, after it.
"""

import datetime
from typing import Any

from django.utils import timezone

from agreements.models import Agreement
from oversight.dashboard.tallies import rebuild
from oversight.models import Breach
from oversight.services import breach_report
from requests_app.models import InformationRequest

WHAT_HAPPENED = (
    "A disclosure letter was sent to the requesting officer's previous team mailbox. "
    "The team manager deleted it unread and confirmed this by phone."
)


def seed(*, agencies: dict[str, Any], users: dict[str, Any]) -> None:
    # The demo back-dates its requests and decisions with QuerySet.update, which the
    # dashboard's monthly tallies do not see: count them afresh.
    rebuild()
    if Breach.objects.filter(what_happened=WHAT_HAPPENED).exists():
        return
    request = (
        InformationRequest.objects.filter(reference__isnull=False)
        .select_related("requester", "target_agency")
        .order_by("-submitted_at")
        .first()
    )
    agreement = Agreement.objects.order_by("pk").first()
    if request is None and agreement is None:
        return
    reporter = request.requester if request else users["council.requester"]
    breach_report(
        reporter=reporter,
        owning_agency=request.target_agency if request else reporter.home_agency,
        what_happened=WHAT_HAPPENED,
        discovered_at=timezone.now() - datetime.timedelta(hours=20),
        data_affected="Types of information: living arrangements. One household.",
        request=request,
        agreement=None if request else agreement,
    )
