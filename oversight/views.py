"""Views of the audit area. Each checks who is asking first and answers 404 to anyone else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.signed_in import signed_in_user
from isp_portal.access import Listing, list_shown, page_shown
from isp_portal.exports import csv_response
from isp_portal.forms import SUBMISSION_TOKEN
from isp_portal.pdf import pdf_response, render_pdf
from oversight import permissions, selectors, services
from oversight.dashboard import Period, dashboard, figures_table
from oversight.filters import AccessLogFilter, RegisterFilter
from oversight.forms import BreachDecisionForm, BreachReportForm, PeriodForm
from oversight.models import BreachStatus

# Each row is several lines of text; officers filter, or download the CSV, for more.
REGISTER_PAGE_SIZE = 25
ACCESS_LOG_PAGE_SIZE = 100
# A PDF is for reading and filing; the CSV is for everything.
REGISTER_PDF_LIMIT = 1000


def _require(allowed: bool) -> None:
    if not allowed:
        raise Http404


def _stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    _require(permissions.can_report_breach(user) or permissions.is_overseer(user))
    return render(
        request,
        "oversight/home.html",
        {
            "can_see_register": permissions.can_see_register(user),
            "can_see_dashboard": permissions.can_see_dashboard(user),
            "can_see_access_log": permissions.can_see_access_log(user),
        },
    )


def _register_filter(request: HttpRequest) -> RegisterFilter:
    user = signed_in_user(request)
    _require(permissions.can_see_register(user))
    return RegisterFilter(request.GET or None, queryset=selectors.register_for(user))


@login_required
def register(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    filterset = _register_filter(request)
    page = page_shown(
        filterset.qs,
        REGISTER_PAGE_SIZE,
        listing=Listing("audit:register", reference="request__reference"),
        http_request=request,
        filters=filterset.filter_descriptions(),
    )
    return render(
        request,
        "oversight/register.html",
        {
            "filter": filterset,
            "page": page,
            "rows": list(selectors.register_rows(user, page.object_list)),
            "personal_columns": permissions.oversees_own_agency(user),
            "recorded_mark": selectors.RECORDED_MARK,
        },
    )


@login_required
def register_csv(request: HttpRequest) -> HttpResponseBase:
    user = signed_in_user(request)
    filterset = _register_filter(request)
    services.export_recorded(request, "register.csv", filterset.filter_descriptions())
    return csv_response(
        f"decision-register-{_stamp()}.csv",
        selectors.REGISTER_HEADER,
        selectors.register_csv_rows(user, filterset.qs),
    )


@login_required
def register_pdf(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    filterset = _register_filter(request)
    services.export_recorded(request, "register.pdf", filterset.filter_descriptions())
    decisions = list(filterset.qs[: REGISTER_PDF_LIMIT + 1])
    pdf = render_pdf(
        template_name="oversight/register_pdf.html",
        context={
            "rows": list(selectors.register_rows(user, decisions[:REGISTER_PDF_LIMIT])),
            "truncated": len(decisions) > REGISTER_PDF_LIMIT,
            "limit": REGISTER_PDF_LIMIT,
            "filters": filterset.filter_descriptions(),
            "personal_columns": permissions.oversees_own_agency(user),
            "recorded_mark": selectors.RECORDED_MARK,
        },
        marking="OFFICIAL-SENSITIVE",
        reference="Decision register",
        printed_by=user,
        title="Information sharing decision register",
    )
    return pdf_response(pdf, f"decision-register-{_stamp()}.pdf")


def _dashboard_period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    _require(permissions.can_see_dashboard(signed_in_user(request)))
    form = PeriodForm(request.GET or None)
    return form, form.period()


def _refused_period(request: HttpRequest, form: PeriodForm) -> HttpResponse | None:
    """An export of a period the form refused: the dashboard with the errors, not a file of
    some other period."""
    if form.is_bound and not form.is_valid():
        board = dashboard(form.period())
        return render(
            request, "oversight/dashboard.html", {"form": form, "board": board}, status=400
        )
    return None


def _period_filters(period: Period) -> dict[str, str]:
    return {"date_from": period.start.isoformat(), "date_to": period.end.isoformat()}


@login_required
def dashboard_view(request: HttpRequest) -> HttpResponse:
    form, period = _dashboard_period(request)
    return render(request, "oversight/dashboard.html", {"form": form, "board": dashboard(period)})


@login_required
def dashboard_csv(request: HttpRequest) -> HttpResponseBase:
    form, period = _dashboard_period(request)
    if refused := _refused_period(request, form):
        return refused
    board = dashboard(period)
    services.export_recorded(request, "dashboard.csv", _period_filters(period))
    return csv_response(
        f"csp-dashboard-{period.start}-{period.end}.csv",
        ["Agency", "Measure", "Value"],
        figures_table(board),
    )


@login_required
def dashboard_pdf(request: HttpRequest) -> HttpResponse:
    form, period = _dashboard_period(request)
    if refused := _refused_period(request, form):
        return refused
    board = dashboard(period)
    services.export_recorded(request, "dashboard.pdf", _period_filters(period))
    pdf = render_pdf(
        template_name="oversight/dashboard_pdf.html",
        context={"board": board},
        marking="OFFICIAL",
        reference=f"CSP dashboard {period.start} to {period.end}",
        printed_by=signed_in_user(request),
        title="Information sharing: report to the CSP board",
    )
    return pdf_response(pdf, f"csp-dashboard-{period.start}-{period.end}.pdf")


def _access_log_filter(request: HttpRequest) -> AccessLogFilter:
    user = signed_in_user(request)
    _require(permissions.can_see_access_log(user))
    return AccessLogFilter(request.GET or None, queryset=selectors.access_log_for(user))


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    filterset = _access_log_filter(request)
    events = filterset.qs
    # Keyset pagination: "older than event N" stays one cheap indexed query at any depth.
    before = request.GET.get("before", "")
    if before.isdigit():
        events = events.filter(id__lt=int(before))
    page = list(events[: ACCESS_LOG_PAGE_SIZE + 1])
    older = page[ACCESS_LOG_PAGE_SIZE - 1].pk if len(page) > ACCESS_LOG_PAGE_SIZE else None
    filters = filterset.filter_descriptions()
    shown = list_shown(
        page[:ACCESS_LOG_PAGE_SIZE],
        # Events have no reference of their own: named by id.
        listing=Listing("audit:access_log", reference=""),
        http_request=request,
        filters={**filters, "before": before} if before.isdigit() else filters,
    )
    return render(
        request,
        "oversight/access_log.html",
        {
            "filter": filterset,
            "events": shown,
            "older": older,
            "paged": before.isdigit(),
        },
    )


@login_required
def access_log_csv(request: HttpRequest) -> HttpResponseBase:
    filterset = _access_log_filter(request)
    services.export_recorded(request, "access_log.csv", filterset.filter_descriptions())
    rows = (
        [
            event.occurred_at.isoformat(),
            event.id,
            event.actor_username,
            event.actor_agency,
            ", ".join(event.actor_roles),
            event.get_event_type_display(),
            event.object_type,
            event.object_id,
            event.request_reference,
            event.get_outcome_display(),
            event.ip_address,
            event.user_agent,
        ]
        for event in filterset.qs.iterator(chunk_size=2000)
    )
    return csv_response(
        f"access-log-{_stamp()}.csv",
        [
            "When (UTC)",
            "Event id",
            "Username",
            "Agency",
            "Roles",
            "Event",
            "Object type",
            "Object id",
            "Request reference",
            "Outcome",
            "IP address",
            "User agent",
        ],
        rows,
    )


@login_required
def breach_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    _require(permissions.can_report_breach(user) or permissions.is_overseer(user))
    return render(
        request,
        "oversight/breach_list.html",
        {
            "breaches": list_shown(
                selectors.breaches_for(user),
                listing=Listing("audit:breaches"),
                http_request=request,
            ),
            "now": timezone.now(),
        },
    )


@login_required
def breach_report(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    _require(permissions.can_report_breach(user))
    form = BreachReportForm(
        request.POST or None,
        user=user,
        initial={"reference": request.GET.get("reference", "")[:20]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            breach = services.breach_report(
                reporter=user,
                owning_agency=data["owning_agency"],
                what_happened=data["what_happened"],
                discovered_at=data["discovered_at"],
                data_affected=data["data_affected"],
                request=data["reference"],
                agreement=data["agreement"],
                submission_token=data.get(SUBMISSION_TOKEN),
                http_request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                f"Breach {breach.reference} was reported. "
                f"{breach.owning_agency.name}'s SPOC has been told.",
            )
            return redirect("audit:breach_detail", breach.pk)
    return render(request, "oversight/breach_report.html", {"form": form})


@login_required
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    breach = selectors.get_breach_for(user, pk, http_request=request)
    is_open = breach.status != BreachStatus.CLOSED
    can_decide = is_open and permissions.can_decide_breach(user, breach)
    form = None
    if can_decide:
        form = BreachDecisionForm(
            request.POST or None,
            initial={
                "ico_decision": breach.ico_decision,
                "reasons": breach.ico_decision_reasons,
                "parties_informed": breach.parties_informed,
                "ico_notified_on": breach.ico_notified_on,
            },
        )
    elif request.method == "POST":
        raise Http404
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.breach_record_decision(
                actor=user,
                breach=breach,
                ico_decision=data["ico_decision"],
                reasons=data["reasons"],
                parties_informed=data["parties_informed"],
                ico_notified_on=data["ico_notified_on"],
                close=data["close"],
                http_request=request,
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, str(exc) if isinstance(exc, PermissionDenied) else exc)
        else:
            messages.success(request, f"The decision on {breach.reference} was recorded.")
            return redirect("audit:breach_detail", breach.pk)
    return render(request, "oversight/breach_detail.html", {"breach": breach, "form": form})
