import sys

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.signed_in import signed_in_user
from isp_portal.home import home_panels
from isp_portal.middleware import database_unavailable_response
from isp_portal.my_work import my_work, record_shown


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    work = my_work(user)
    record_shown(work, request)
    return render(
        request,
        "home.html",
        {
            "panels": home_panels(user),
            "work": [w for w in work if w.count],
            "nothing": [w for w in work if not w.count],
            "has_work": bool(work),
        },
    )


# The protocol's guidance as pages of the portal (#17), linked from the form fields they
# govern: slug: (template, title).
GUIDANCE = {
    "sharing": ("guidance/appendix_d.html", "Appendix D: Simple guide to information sharing"),
    "caldicott": ("guidance/appendix_e.html", "Appendix E: Caldicott principles"),
    "children-and-consent": (
        "guidance/appendix_g.html",
        "Appendix G: Children, parental consent and the record of decisions",
    ),
}


@login_required
@require_GET
def guidance(request: HttpRequest, page: str | None = None) -> HttpResponse:
    if page is None:
        return render(request, "guidance/index.html", {"pages": GUIDANCE})
    if page not in GUIDANCE:
        raise Http404
    template, title = GUIDANCE[page]
    return render(request, template, {"title": title})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement: public, as the 2018 regulations expect, so it can be
    read before signing in."""
    return render(request, "accessibility.html")


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # A database that went away during middleware (the session load) lands here rather than
    # in the middleware's process_exception: answer 503 all the same.
    unavailable = database_unavailable_response(sys.exc_info()[1])
    if unavailable is not None:
        return unavailable
    return render(request, "500.html", status=500)
