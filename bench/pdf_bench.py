"""Median time to render the Request/Disclosure form PDF, WeasyPrint against Chromium.

    .venv/bin/python bench/pdf_bench.py [--runs 15] [--no-chromium]

Builds a decided request with one named person (a 2-page form) in a throwaway SQLite
database, then times:
- ``render_pdf`` end to end (template and PDF), which is what a download costs;
- WeasyPrint alone on the rendered HTML;
- Chromium's print-to-PDF of the same HTML through Playwright (browser start not counted;
  our static files served to it by the same static-only fetcher).
The target for WeasyPrint is a median under 400 ms on the project machine.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 400


def _setup_django(database: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isp_portal.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
    os.environ.setdefault("MFA_ENCRYPTION_KEY", "YmVuY2gtb25seS1tZmEta2V5LW5vdC1mb3ItcHJvZCE=")
    os.environ.setdefault("SECURE_HTTPS", "false")
    os.environ.setdefault("STATIC_MANIFEST", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _two_page_request():
    from django.utils import timezone

    from accounts.models import Agency, AgencyKind, User
    from agreements.models import Legislation
    from requests_app.models import (
        ConsentObtained,
        Decision,
        InformationRequest,
        NamedPerson,
        PersonRole,
        Status,
    )

    joined = datetime.date(2020, 1, 1)
    council = Agency.objects.create(
        code="LBH", name="London Borough of Haringey", kind=AgencyKind.COUNCIL, joined_on=joined
    )
    police = Agency.objects.create(
        code="MPS", name="Metropolitan Police Service", kind=AgencyKind.POLICE, joined_on=joined
    )
    requester = User.objects.create(
        username="bench", first_name="Bench", last_name="Officer", agency=council
    )
    now = timezone.now()
    req = InformationRequest.objects.create(
        reference="ISP-2026-00001",
        status=Status.DISCLOSED,
        requester=requester,
        requesting_agency=council,
        target_agency=police,
        requester_name="Bench Officer",
        requester_position="Community Safety Officer",
        requester_organisation="London Borough of Haringey / Community Safety",
        requester_address="River Park House, 225 High Road, London N22 8HQ",
        requester_phone="020 8489 0000",
        requester_email="bench@haringey.gov.uk",
        description="Previous convictions relevant to a tenancy enforcement case.",
        required_by=datetime.date(2026, 3, 20),
        is_urgent=True,
        urgency_reason="Court hearing",
        consent_obtained=ConsentObtained.NO,
        public_interest=True,
        public_interest_reason="Risk of harm to neighbours",
        declaration_name="Bench Officer",
        submitted_at=now,
        received_on=now.date(),
    )
    req.legislation.set(Legislation.objects.filter(code__in=["cda-s17", "housing-s84"]))
    for index, role in enumerate([PersonRole.SUSPECT]):
        NamedPerson.objects.create(
            request=req,
            full_name=f"Named Person {index + 1}",
            address=f"{index + 1} Example Road, London N17",
            date_of_birth=datetime.date(1980, 1, 1),
            role=role,
            position=index,
        )
    Decision.objects.create(
        request=req,
        outcome="disclosed",
        reasons="Necessary and proportionate",
        information_attached=True,
        information_disclosed="Two convictions for criminal damage, 2019 and 2021.",
        discloser=requester,
        disclosed_by_name="Dan Discloser",
        disclosed_by_organisation="Metropolitan Police Service",
        delivery_method="secure_email",
        marking="OFFICIAL-SENSITIVE",
        consent_basis="public_interest",
        subject_informed="not_applicable",
        authorised_by="Inspector",
        evidence="PNC record",
        signature_name="Dan Discloser",
        signed_at=now,
        supplied_on=now.date(),
    )
    return req, requester


def _median_ms(runs: int, work: Callable[[], bytes]) -> tuple[float, float, bytes]:
    """Median wall-clock and CPU milliseconds. CPU time is what a render costs this process;
    on a busy machine wall-clock time also counts waiting for a core."""
    work()  # warm up: fonts, template and CSS caches
    wall, cpu = [], []
    output = b""
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        output = work()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), output


def _pages(pdf: bytes, workdir: Path) -> str:
    path = workdir / "bench.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages")), "?")


def _chromium(html: str, runs: int) -> tuple[float, float, bytes]:
    from playwright.sync_api import Route, sync_playwright

    from isp_portal.pdf import BASE_URL, ResourceRefused, static_path_for

    def serve(route: Route) -> None:
        try:
            path = static_path_for(route.request.url)
        except ResourceRefused:
            route.abort()
            return
        route.fulfill(path=str(path))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.route("**/*", serve)
        # Give the page our base URL so relative and /static/ links resolve as for WeasyPrint.
        page.goto(f"{BASE_URL}static/pdf/print.css")

        def work() -> bytes:
            page.set_content(html.replace("<head>", f'<head><base href="{BASE_URL}">', 1))
            return page.pdf(format="A4", tagged=True, print_background=True)

        try:
            return _median_ms(runs, work)
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-chromium", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        _setup_django(workdir / "bench.sqlite3")

        from isp_portal.pdf import html_to_pdf, render_pdf_html
        from requests_app.pdf_views import (
            REQUEST_FORM_TITLE,
            render_request_form,
            request_form_context,
        )

        req, officer = _two_page_request()
        context = request_form_context(req, viewer=officer)
        html = render_pdf_html(
            template_name="pdf/request_form.html",
            context=context,
            marking=context["decision"].marking,
            reference=req.reference,
            printed_by=officer,
            title=REQUEST_FORM_TITLE,
        )

        total, total_cpu, pdf = _median_ms(
            args.runs, lambda: render_request_form(req, printed_by=officer)
        )
        print(
            f"WeasyPrint, Request/Disclosure form ({_pages(pdf, workdir)} pages), end to end: "
            f"median {total:.0f} ms ({total_cpu:.0f} ms CPU) over {args.runs} runs "
            f"(target < {TARGET_MS} ms)"
        )
        engine, engine_cpu, _ = _median_ms(args.runs, lambda: html_to_pdf(html))
        print(f"WeasyPrint, same HTML to PDF: median {engine:.0f} ms ({engine_cpu:.0f} ms CPU)")
        if not args.no_chromium:
            try:
                chromium, _, chromium_pdf = _chromium(html, args.runs)
            except Exception as exc:  # the comparison is optional; say why it is missing
                print(f"Chromium print-to-PDF: not measured ({type(exc).__name__}: {exc})")
            else:
                print(
                    f"Chromium print-to-PDF, same HTML ({_pages(chromium_pdf, workdir)} pages): "
                    f"median {chromium:.0f} ms (in the browser process; CPU not comparable)"
                )
        return 0 if total < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
