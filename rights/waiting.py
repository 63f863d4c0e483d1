"""What waits for a SPOC or deputy on data-subject rights, for "My work": their agency's
cases whose matching requests are still to confirm, and the tasks sent to their agency that
are not done (the rows of the rights pages, oldest first)."""

from django.urls import reverse

from accounts.models import User
from isp_portal.worklist import WorkItem, WorkList, oldest_and_count
from rights import services
from rights.models import RightsStatus


def cases_to_confirm(user: User) -> WorkList:
    rows = services.cases_for(user).filter(status=RightsStatus.MATCHING).order_by("created_at")
    count, oldest = oldest_and_count(rows)
    items = [
        WorkItem(
            reference=case.reference,
            url=reverse("rights:detail", args=[case.pk]),
            since=case.created_at,
            note=case.get_kind_display(),
        )
        for case in oldest
    ]
    return WorkList(
        "rights_cases",
        "Rights cases to confirm",
        count,
        items,
        reverse("rights:list"),
        "See the rights cases",
    )


def tasks_to_do(user: User) -> WorkList:
    rows = (
        services.tasks_for(user)
        .filter(done_at__isnull=True)
        .select_related("case", "request")
        .order_by("pk")
    )
    count, oldest = oldest_and_count(rows)
    page = reverse("rights:tasks")
    items = [
        WorkItem(
            reference=task.request.label,
            url=page,
            since=task.case.confirmed_at,
            note=task.case.get_kind_display(),
        )
        for task in oldest
    ]
    return WorkList("rights_tasks", "Rights tasks to do", count, items, page, "See the tasks")


def waiting_for(user: User) -> list[WorkList]:
    if not services.handles_rights(user):
        return []
    return [cases_to_confirm(user), tasks_to_do(user)]
