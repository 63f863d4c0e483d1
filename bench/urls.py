"""The portal's URLs plus one bare view, used only by ``bench/measure.py`` (and by the
tests of what a signed-in page costs before its view).

The bare view runs one trivial query behind the same middleware as every page; each page's
time is reported as a multiple of it, which holds steadier than milliseconds on a busy
machine. ``bench/measure.py`` also requests it through a plain Django stack (only the
session and authentication middleware), the floor any Django page pays.
"""

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:  # loads the officer, as every page does
        return HttpResponse("signed out", status=403, content_type="text/plain")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("isp_portal.urls")),
]

handler404 = "isp_portal.views.not_found"
handler500 = "isp_portal.views.server_error"
