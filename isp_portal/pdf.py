"""Printable PDFs: one renderer, used by every app (requests, consent, agreements, audit).

WeasyPrint renders a Django template that extends ``pdf/base.html``. The base template puts
the protective marking, the reference, "Page N of M", the time of printing and who printed
it on every page (``static/pdf/print.css``), and the PDF is tagged (PDF/UA-1) so screen
readers can read it.

Nothing is fetched from the network or the filesystem at large: the URL fetcher serves the
project's own static files and refuses everything else, so a value holding
``<img src="file:///etc/passwd">`` (which Django's auto-escaping prints as text anyway)
could fetch nothing even if it were ever rendered as markup.

Rendering is bounded, whatever officers type (docs/security.md, "Bounds on every input"):

- WeasyPrint lays out an unbroken word in time that grows with the square of its length,
  and ``overflow-wrap: anywhere`` on a table cell is worse still (it makes every character
  a candidate for the cell's narrowest width). So every run of more than ``WORD_CHUNK``
  characters gets a zero-width space (an invisible break opportunity, which ``pdftotext``
  and copy-paste leave out) after each ``WORD_CHUNK`` characters, and the stylesheet uses
  ``overflow-wrap: break-word``.
- Bidirectional embedding, override and isolate characters (U+202A–U+202E, U+2066–U+2069)
  are removed: in a name they reverse or reorder the printed text.
- The document is laid out in a forked child process that is killed after
  ``PDF_RENDER_TIMEOUT_SECONDS``; the officer gets a page saying so (``PdfRenderFailed``,
  turned into a response by ``PdfRenderFailedMiddleware``), never a killed worker.
"""

import logging
import multiprocessing
import posixpath
import re
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The document's base URL. ``.invalid`` never resolves (RFC 2606); the fetcher answers for
# it from disk, so this origin is a name for "our static files", not a place on the network.
BASE_URL = "https://isp-portal.invalid/"


class PdfRenderFailed(RuntimeError):
    """The PDF took longer than its time limit, or its renderer died."""


class ResourceRefused(ValueError):
    """A PDF asked for something other than one of our static files."""


class StaticOnlyURLFetcher(URLFetcher):
    """Serves ``{BASE_URL}{STATIC_URL}<path>`` from the project's static files; refuses the rest.

    WeasyPrint catches the refusal, logs a warning and leaves the resource out, so a
    hostile URL in a document fetches nothing and the document still renders.
    """

    def __init__(self) -> None:
        # WeasyPrint's public options: no protocol, no redirect, errors leave the resource
        # out. ``fetch`` below never uses the handlers URLFetcher installs; the bare TLS
        # context spares loading the system CA store (~30 ms) for a connection never made.
        super().__init__(
            allowed_protocols=(),
            allow_redirects=False,
            fail_on_errors=False,
            ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
        )
        self.requested: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        self.requested.append(url)
        try:
            path = static_path_for(url)
        except ResourceRefused:
            self.refused.append(url)
            raise
        return URLFetcherResponse(url, body=path.read_bytes(), headers=_headers_for(path))


_CONTENT_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


def _headers_for(path: Path) -> dict[str, str]:
    return {"Content-Type": _CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")}


def static_path_for(url: str) -> Path:
    """The file on disk behind one of our static URLs, or ``ResourceRefused``."""
    prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
    parts = urlsplit(url)
    if not url.startswith(prefix) or parts.query or parts.fragment:
        raise ResourceRefused("Only the portal's own static files can be used in a PDF.")
    name = unquote(parts.path[len(settings.STATIC_URL) :])
    normalised = posixpath.normpath(name)
    if normalised != name or normalised.startswith(("/", "..")) or "\\" in name:
        raise ResourceRefused("Only the portal's own static files can be used in a PDF.")
    found = finders.find(normalised)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT, normalised)
    if collected.is_file() and collected.resolve().is_relative_to(
        Path(settings.STATIC_ROOT).resolve()
    ):
        return collected
    raise ResourceRefused("No such static file.")


def printed_by_label(user: Any) -> str:
    """ "Jane Smith (jsmith), London Borough of Haringey" for a user; a string is kept."""
    if isinstance(user, str):
        return user
    name = user.get_full_name() or user.username
    agency = getattr(user, "agency", None)
    label = f"{name} ({user.username})" if name != user.username else name
    return f"{label}, {agency.name}" if agency is not None else label


def render_pdf_html(
    *,
    template_name: str,
    context: dict[str, Any],
    marking: str,
    reference: str,
    printed_by: Any,
    title: str,
) -> str:
    """The HTML that ``render_pdf`` prints: the template with the header and footer values."""
    return render_to_string(
        template_name,
        {
            **context,
            "pdf_marking": marking,
            "pdf_reference": reference,
            "pdf_printed_by": printed_by_label(printed_by),
            "pdf_printed_at": timezone.localtime(),
            "pdf_title": title,
        },
    )


# A break opportunity after this many characters without one: short enough for the
# narrowest value column of the Appendix B form, long enough that no reference, email
# address or ordinary word is touched.
WORD_CHUNK = 30
_LONG_RUN = re.compile(rf"[^\s<>\u200b]{{{WORD_CHUNK + 1},}}")
_CHARACTER = re.compile(r"&#?\w+;|.", re.DOTALL)  # an entity counts as one character
_TAG = re.compile(r"(<[^>]*>)")
ZERO_WIDTH_SPACE = "\u200b"
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def _break_run(match: re.Match[str]) -> str:
    characters = _CHARACTER.findall(match.group())
    return ZERO_WIDTH_SPACE.join(
        "".join(characters[i : i + WORD_CHUNK]) for i in range(0, len(characters), WORD_CHUNK)
    )


def printable_html(html: str) -> str:
    """The HTML with bidirectional controls removed and long words given places to break.

    Only the text between tags in the body is touched: attribute values, and the head's
    title and stylesheet, stay as they were.
    """
    html = html.translate(BIDI_CONTROLS)
    start = html.find("<body")
    body = html.find(">", start) + 1 if start >= 0 else 0
    parts = _TAG.split(html[body:])
    parts[::2] = [_LONG_RUN.sub(_break_run, text) for text in parts[::2]]
    return html[:body] + "".join(parts)


def html_to_pdf(html: str, *, fetcher: StaticOnlyURLFetcher | None = None) -> bytes:
    """A4, tagged PDF/UA-1; resources only through the static-only fetcher; laid out in a
    child process that is killed after ``PDF_RENDER_TIMEOUT_SECONDS``."""
    fetcher = fetcher or StaticOnlyURLFetcher()
    # fork: the child starts with WeasyPrint, its fonts and Django's settings already
    # loaded, and never touches the parent's database connection.
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_render_in_child, args=(printable_html(html), fetcher, send))
    child.start()
    send.close()
    try:
        if not receive.poll(settings.PDF_RENDER_TIMEOUT_SECONDS):
            raise PdfRenderFailed(
                f"The PDF took longer than {settings.PDF_RENDER_TIMEOUT_SECONDS} seconds"
            )
        pdf, requested, refused, error = receive.recv()
    except EOFError as exc:
        raise PdfRenderFailed("The PDF renderer stopped without a result") from exc
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    fetcher.requested.extend(requested)
    fetcher.refused.extend(refused)
    if error is not None:
        raise error
    return pdf


def _render_in_child(html: str, fetcher: StaticOnlyURLFetcher, send: Any) -> None:
    pdf, error = None, None
    try:
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    except Exception as exc:
        error = exc
    send.send((pdf, fetcher.requested, fetcher.refused, error))
    send.close()


def render_pdf(
    *,
    template_name: str,
    context: dict[str, Any],
    marking: str,
    reference: str,
    printed_by: Any,
    title: str,
    fetcher: StaticOnlyURLFetcher | None = None,
) -> bytes:
    """Render a template that extends ``pdf/base.html`` to a tagged A4 PDF.

    ``marking`` is the protective marking printed at the top and bottom of every page,
    ``reference`` the object's reference (blank on a paper form), ``printed_by`` the
    officer printing (a User, or a label) and ``title`` the document title (PDF metadata and
    the page header). The time of printing is now. Pass ``fetcher`` only to inspect what the
    document asked for (tests do).
    """
    html = render_pdf_html(
        template_name=template_name,
        context=context,
        marking=marking,
        reference=reference,
        printed_by=printed_by,
        title=title,
    )
    return html_to_pdf(html, fetcher=fetcher)


_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


def pdf_response(pdf_bytes: bytes, filename: str) -> HttpResponse:
    """A download of a PDF that no browser or proxy keeps a copy of."""
    safe_name = _UNSAFE_FILENAME.sub("-", filename).strip("-.") or "document"
    if not safe_name.lower().endswith(".pdf"):
        safe_name += ".pdf"
    response = HttpResponse(pdf_bytes, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class PdfRenderFailedMiddleware:
    """A PDF that could not be made in time gets a page that says so, with status 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PdfRenderFailed):
            return None
        logger.warning("PDF not made for %s: %s", request.path, exception)
        return render(
            request,
            "pdf/failed.html",
            {"seconds": settings.PDF_RENDER_TIMEOUT_SECONDS},
            status=503,
        )
