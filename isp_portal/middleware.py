"""Cross-cutting HTTP behaviour: no caching of personal data, 503 when the database is down."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class NoStoreMiddleware:
    """Pages and files may show personal data: no browser or proxy may keep a copy.

    Static assets are served by WhiteNoise before this runs, so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, max-age=0"
        response["Pragma"] = "no-cache"
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """Turn a lost database connection into a 503 page instead of a 500.

    The failed request's transaction has already been rolled back by Django, so nothing is
    half-written; the person is told to try again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return database_unavailable_response(exception)


def database_unavailable_response(exception: BaseException | None) -> HttpResponse | None:
    """The 503 page if ``exception`` means the database cannot be reached, else None.

    Used by DatabaseUnavailableMiddleware for errors in views, and by the 500 handler for
    errors in middleware (loading the session of a signed-in officer is the first query).
    """
    if isinstance(exception, OperationalError | InterfaceError) or (
        isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
    ):
        # The message can hold SQL with personal data; log only the class.
        logger.error("Database unavailable: %s", type(exception).__name__)
        body = render_to_string("503.html", request=None)
        return HttpResponse(
            body,
            status=503,
            headers={"Retry-After": "30", "Cache-Control": "no-store, max-age=0"},
        )
    return None
