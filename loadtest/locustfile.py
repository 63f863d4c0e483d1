"""A working day at pan-London scale: requesters draft and submit, disclosers review and
decide, CSP leads read the dashboard, the register and the access log and export.

Run by ``bench/loadtest`` (``make loadtest``) against gunicorn on loopback. Officers come
from the JSON file named by ``LOADTEST_USERS`` (written by that script from the bench data
set); their password is the bench data set's.
"""

import json
import os
import random
import re
import uuid
from typing import Any

from locust import HttpUser, between, task

OFFICERS: dict[str, list[dict[str, Any]]] = json.loads(
    open(os.environ["LOADTEST_USERS"]).read()  # noqa: SIM115
)
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "bench-password-not-secret")
# Every submission and decision sent, and every one answered, one line each, so that
# afterwards the database can be held to them (bench/loadtest_check.py).
JOURNAL = open(os.environ.get("LOADTEST_JOURNAL", os.devnull), "a", buffering=1)  # noqa: SIM115


def journal(action: str, pk: int | str, event: str) -> None:
    JOURNAL.write(f"{action} {pk} {event}\n")


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REQUEST_LINK = re.compile(r'href="/requests/(\d+)/"')
CHECKLIST = re.compile(r'name="(checklist-[\w-]+)"')
OPTION = re.compile(r'<option value="(\d+)"')


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


def _select(html: str, name: str) -> list[str]:
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    return OPTION.findall(block.group(1)) if block else []


class Officer(HttpUser):
    abstract = True
    role = ""
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.officer = random.choice(OFFICERS[self.role])
        page = self.client.get("/accounts/login/", name="sign in form")
        self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": _csrf(page.text),
                "login": self.officer["username"],
                "password": PASSWORD,
            },
            name="sign in",
        )

    def _open_request(self, list_url: str, name: str) -> str | None:
        page = self.client.get(list_url, name=name)
        ids = REQUEST_LINK.findall(page.text)
        if not ids:
            return None
        pk = random.choice(ids)
        self.client.get(f"/requests/{pk}/", name="request page")
        return pk


class Requester(Officer):
    role = "requester"
    weight = 5

    @task(3)
    def my_requests(self) -> None:
        self._open_request("/requests/", "my requests")

    @task(1)
    def draft_and_submit(self) -> None:
        """Part A's tasks in turn: about the request (which makes the draft), the people,
        consent and public interest, legislation, then check and sign."""
        form = self.client.get("/requests/new/", name="new request form")
        agencies, agreements = _select(form.text, "target_agency"), _select(form.text, "agreement")
        if not agencies or not agreements:
            return
        with self.client.post(
            "/requests/new/",
            {
                "csrfmiddlewaretoken": _csrf(form.text),
                "creation_token": str(uuid.uuid4()),
                "target_agency": random.choice(agencies),
                "agreement": agreements[0],
                "description": "Recorded anti-social behaviour at the address (load test).",
                "required_by_day": "1",
                "required_by_month": "6",
                "required_by_year": "2030",
                "is_urgent": "no",
            },
            name="create draft",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            tasks = response.headers.get("Location", "")
            if response.status_code != 302 or not tasks.endswith("/edit/"):
                response.failure(f"draft not saved ({response.status_code})")
                return
        pk = tasks.rstrip("/").split("/")[-2]
        legislation_page = self.client.get(f"{tasks}legislation/", name="legislation task")
        answers = {
            "people": {
                "people-TOTAL_FORMS": "1",
                "people-INITIAL_FORMS": "0",
                "people-0-full_name": "Load Test Person",
                "people-0-address": "1 Example Road, London",
                "people-0-role": "suspect",
            },
            "consent": {
                "consent_obtained": "not_applicable",
                "public_interest": "yes",
                "public_interest_reason": "Preventing crime and disorder.",
            },
            "legislation": {"legislation": _legislation(legislation_page.text)},
        }
        for task_name, data in answers.items():
            with self.client.post(
                f"{tasks}{task_name}/",
                {"csrfmiddlewaretoken": _csrf(legislation_page.text), **data},
                name=f"save {task_name} task",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"{task_name} not saved ({response.status_code})")
                    return
        check = f"/requests/{pk}/check/"
        page = self.client.get(check, name="check page")
        journal("submit", pk, "sent")
        with self.client.post(
            check,
            {"csrfmiddlewaretoken": _csrf(page.text), "declaration_name": self.officer["name"]},
            name="submit",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or not response.headers.get("Location", "").endswith(
                "/sent/"
            ):
                response.failure(f"not submitted ({response.status_code})")
            else:
                journal("submit", pk, "answered")


def _legislation(html: str) -> str:
    found = re.search(r'name="legislation" value="(\d+)"', html)
    return found.group(1) if found else ""


class Discloser(Officer):
    role = "discloser"
    weight = 3

    @task(3)
    def inbox(self) -> None:
        self._open_request("/requests/inbox/", "inbox")

    @task(1)
    def review_and_decide(self) -> None:
        pk = self._open_request("/requests/inbox/", "inbox")
        if pk is None:
            return
        detail = self.client.get(f"/requests/{pk}/", name="request page")
        if f"/requests/{pk}/do/start_review/" in detail.text:
            self.client.post(
                f"/requests/{pk}/do/start_review/",
                {"csrfmiddlewaretoken": _csrf(detail.text)},
                name="start review",
            )
        # The decision is a task list: Part B, the Appendix G record and the checklist,
        # each saved on its own page, then check and sign.
        tasks = self.client.get(f"/requests/{pk}/decide/", name="decision form")
        if f"/requests/{pk}/decide/part-b/" not in tasks.text:
            return  # decided by a colleague meanwhile, or awaiting clarification
        checklist = self.client.get(f"/requests/{pk}/decide/checklist/", name="decision section")
        sections = {
            "part-b": {
                "outcome": "disclosed",
                "information_disclosed": "Two recorded incidents.",
                "delivery_method": "portal",
                "marking": "OFFICIAL-SENSITIVE",
            },
            "record": {
                "summary": "Offending history shared for ASB case work (load test)",
                "reasons": "Necessary and proportionate (load test).",
                "information_types": "offending_history",
                "consent_basis": "public_interest",
                "subject_informed": "no",
                "not_informed_reason": "Would prejudice the prevention of crime.",
                "authorised_by": "Inspector (load test)",
                "evidence": "Records checked.",
            },
            "checklist": dict.fromkeys(CHECKLIST.findall(checklist.text), "on"),
        }
        csrf = _csrf(tasks.text)
        for section, data in sections.items():
            with self.client.post(
                f"/requests/{pk}/decide/{section}/",
                {"csrfmiddlewaretoken": csrf, **data},
                name="save decision section",
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code != 302:
                    response.failure(f"{section} not saved ({response.status_code})")
                    return
        check = self.client.get(f"/requests/{pk}/decide/check/", name="decision check page")
        journal("decide", pk, "sent")
        with self.client.post(
            f"/requests/{pk}/decide/check/",
            {"csrfmiddlewaretoken": _csrf(check.text), "signature_name": self.officer["name"]},
            name="decide",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/decided/" not in response.headers.get(
                "Location", ""
            ):
                response.failure(f"decision not recorded ({response.status_code})")
            else:
                journal("decide", pk, "answered")


class CspLead(Officer):
    role = "csp_lead"
    weight = 1

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/audit/dashboard/", name="dashboard")

    @task(2)
    def register(self) -> None:
        self.client.get("/audit/register/", name="register")
        self.client.get("/audit/register/?outcome=declined&page=2", name="register filtered")

    @task(1)
    def access_log(self) -> None:
        self.client.get("/audit/access-log/?reads=on", name="access log")

    @task(1)
    def export(self) -> None:
        agency = random.choice(OFFICERS["agencies"])
        self.client.get(
            f"/audit/register.csv?disclosing_agency={agency}&outcome=declined",
            name="register export",
        )
