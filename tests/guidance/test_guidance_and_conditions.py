"""Appendix B's conditions beside what was disclosed and printed with it; Appendices D, E
and G as pages of the portal, linked where they apply (#17)."""

import html
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Agreement
from requests_app.models import Status
from requests_app.pdf_views import render_request_form
from tests.pdf import labels
from tests.pdf.conftest import missing_labels
from tests.requests_app.conftest import agreement, build_request, make_agreement  # noqa: F401  (fixtures)
from tests.world import World

pytestmark = pytest.mark.django_db

CONDITION = "must only be used for the purpose stated in the original request for information."


def _text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_recipient_reads_the_conditions_beside_the_disclosure(
    client: Client, world: World, agreement: Agreement
) -> None:
    req = build_request(world, agreement, Status.DISCLOSED)
    client.force_login(world.requester)
    page = _text(client, reverse("requests:detail", args=[req.pk]))
    assert "Conditions of this disclosure (ISP Appendix B)" in page
    for condition in labels.CONDITIONS:
        assert condition in page


def test_no_conditions_when_nothing_was_disclosed(
    client: Client, world: World, agreement: Agreement
) -> None:
    req = build_request(world, agreement, Status.DECLINED)
    client.force_login(world.requester)
    assert CONDITION not in _text(client, reverse("requests:detail", args=[req.pk]))


def test_disclosure_is_printed_with_its_conditions(
    world: World, agreement: Agreement, tmp_path: Path
) -> None:
    req = build_request(world, agreement, Status.DISCLOSED)
    pdf = render_request_form(req, printed_by=world.requester)
    assert missing_labels(labels.CONDITIONS, pdf, tmp_path) == []


@pytest.mark.parametrize(
    ("page", "passages"),
    [
        (
            "sharing",
            [
                "Remember that the Data Protection Act is not a barrier to sharing information "
                "but provides a framework to ensure that personal information about living "
                "persons is shared appropriately.",
                "Seek advice if you are in any doubt, without disclosing the identity of the "
                "person where possible.",
                "Keep a record of your decision and the reasons for it – whether it is to share "
                "information or not. If you decide to share, then record what you have shared, "
                "with whom and for what purpose.",
                "The absence of an ISP should not prevent sharing information.",
                "When and how to share information",
            ],
        ),
        (
            "caldicott",
            [
                "Justify the purpose(s)",
                "Don't use identifiable information unless it is necessary",
                "Use the minimum necessary identifiable information",
                "Access to identifiable information should be on a strict need-to-know basis",
                "Everyone with access to identifiable information should be aware of their "
                "responsibilities",
                "Understand and comply with the law",
                "The duty to share information can be as important as the duty to protect "
                "patient confidentiality",
            ],
        ),
        (
            "children-and-consent",
            [
                "b) prejudice the prevention, detection or prosecution of a serious crime; or",
                "The recording of the decision to proceed without parental consent in either "
                "of these scenarios or for other reasons is therefore essential.",
                "b) a summary of the information;",
                "h) what type of information was shared (but not the content); and",
                "i) how the information was shared (email, phone etc)",
            ],
        ),
    ],
)
def test_guidance_pages_carry_the_protocols_words(
    client: Client, world: World, page: str, passages: list[str]
) -> None:
    client.force_login(world.requester)
    text = _text(client, reverse("guidance_page", args=[page]))
    for passage in passages:
        assert passage in text, passage


def test_seven_golden_rules_and_seven_principles(client: Client, world: World) -> None:
    client.force_login(world.requester)
    rules = client.get(reverse("guidance_page", args=["sharing"])).content.decode()
    principles = client.get(reverse("guidance_page", args=["caldicott"])).content.decode()
    assert len(re.findall(r'id="rule-\d"', rules)) == 7
    assert len(re.findall(r'id="principle-\d"', principles)) == 7


def test_guidance_needs_sign_in_and_unknown_pages_are_not_found(
    client: Client, world: World
) -> None:
    assert client.get(reverse("guidance_page", args=["caldicott"])).status_code == 302
    client.force_login(world.requester)
    assert client.get("/guidance/no-such-page/").status_code == 404
    index = client.get(reverse("guidance")).content.decode()
    for page in ("sharing", "caldicott", "children-and-consent"):
        assert reverse("guidance_page", args=[page]) in index


def test_forms_link_to_the_guidance_where_it_applies(
    client: Client, world: World, agreement: Agreement
) -> None:
    req = build_request(world, agreement, Status.UNDER_REVIEW)
    client.force_login(world.discloser)
    decide = "".join(
        client.get(reverse("requests:decide_section", args=[req.pk, section])).content.decode()
        for section in ("record", "checklist")
    )
    # The checklist, the decision and the public interest.
    assert reverse("guidance_page", args=["caldicott"]) in decide
    assert reverse("guidance_page", args=["sharing"]) + "#golden-rules" in decide
    assert reverse("guidance_page", args=["children-and-consent"]) + "#paragraph-9" in decide
    assert reverse("guidance_page", args=["sharing"]) + "#rule-4" in decide

    client.force_login(world.requester)
    draft = build_request(world, agreement, Status.DRAFT)
    part_a = client.get(reverse("requests:edit_task", args=[draft.pk, "consent"])).content.decode()
    assert reverse("guidance_page", args=["sharing"]) + "#rule-4" in part_a
    consent = client.get(reverse("consent:create")).content.decode()
    assert reverse("guidance_page", args=["children-and-consent"]) + "#paragraph-2" in consent
