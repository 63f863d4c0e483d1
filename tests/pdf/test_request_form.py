"""The Request/Disclosure form PDF, read back with pdftotext as an officer would read it."""

import re
import subprocess
from pathlib import Path

import pytest

from agreements.models import Legislation
from isp_portal.pdf import StaticOnlyURLFetcher, render_pdf
from requests_app.models import DeliveryMethod, Outcome
from requests_app.pdf_views import render_request_form, request_form_context
from tests.pdf import labels
from tests.pdf.conftest import decide, missing_labels, pdf_info, pdf_pages, pdf_text, squash
from tests.world import World

pytestmark = pytest.mark.django_db

PAGE_OF = re.compile(r"Page (\d+) of (\d+)")


def _blank_request_form() -> bytes:
    return render_pdf(
        template_name="pdf/request_form.html",
        context=request_form_context(None),
        marking="OFFICIAL-SENSITIVE when complete",
        reference="",
        printed_by="Paper Printer",
        title="Request/Disclosure Form",
    )


def _line_with(text: str, needle: str) -> str:
    """The printed line holding ``needle`` (label and value sit on one line with -layout)."""
    lines = [line for line in text.splitlines() if needle in line]
    assert lines, f"{needle!r} is not in the PDF"
    return lines[0]


def _box_after(text: str, provision: str) -> str:
    """The tick box printed after a provision on the legislation table."""
    found = re.search(re.escape(squash(provision)) + "([☐☒])", squash(text))
    assert found, f"{provision!r} has no tick box"
    return found.group(1)


def test_blank_request_form_has_every_label_of_the_paper_form(tmp_path: Path) -> None:
    pdf = _blank_request_form()
    provisions = list(
        Legislation.objects.filter(on_request_form=True)
        .exclude(provision="")
        .values_list("provision", flat=True)
    )
    assert len(provisions) == 10
    expected = labels.CONDITIONS + labels.PART_A + labels.PART_B + provisions
    assert missing_labels(expected, pdf, tmp_path) == []


def test_blank_request_form_has_no_ticks(tmp_path: Path) -> None:
    text = pdf_text(_blank_request_form(), tmp_path)
    assert "☒" not in text
    # 6 person roles, 2 consent, 2 public interest, 11 acts, other, 2 agreed, 2 attached, 4
    # delivery methods.
    assert text.count("☐") == 6 + 2 + 2 + 11 + 1 + 2 + 2 + 4


def test_filled_form_prints_each_value_beside_its_label(make_request, tmp_path: Path) -> None:
    req = make_request(people=1)
    text = pdf_text(render_request_form(req, printed_by=req.requester), tmp_path)

    assert "Rita Requester" in _line_with(text, "Name:")
    assert "Community Safety Officer" in _line_with(text, "Position:")
    assert "London Borough of Haringey / Community Safety" in _line_with(
        text, "Organisation/Department:"
    )
    assert "020 8489 0000" in _line_with(text, "Contact phone number:")
    assert "rita.requester@haringey.gov.uk" in _line_with(text, "Email address:")
    assert "Previous convictions relevant to a tenancy enforcement case." in text
    assert "Person Number01" in text
    assert "01/01/1980" in _line_with(text, "DOB(ddmmyyyy):")
    assert "20/03/2026" in _line_with(text, "Date information is required by")
    assert "Court hearing on 21 March" in _line_with(text, "If urgent, please state reason:")
    assert "Risk of harm to neighbours" in text
    assert "Rita Requester (signed in the portal)" in text
    assert "02/03/2026" in _line_with(text, "Date:")


def test_chosen_legislation_and_answers_are_ticked(make_request, tmp_path: Path) -> None:
    req = make_request(people=1)
    pdf = render_request_form(req, printed_by=req.requester)
    text = pdf_text(pdf, tmp_path)

    # In reading order a provision that wraps in its cell stays in one piece.
    cells = pdf_text(pdf, tmp_path, layout=False)
    assert _box_after(cells, "S17 – Crime Reduction") == "☒"
    assert _box_after(cells, "S84 – application for possession order") == "☒"
    assert _box_after(cells, "S115 – Crime Reduction Strategy") == "☐"
    assert _box_after(cells, "S1 – ASB") == "☐"
    other = _line_with(text, "Other (please state)")
    assert "Localism Act 2011 s1" in other
    assert other.rstrip().endswith("☒")
    # Two acts, "Other", the person's role (Victim), consent "No", public interest "Yes".
    assert text.count("☒") == 6
    assert "Victim ☒" in text
    assert "Informant ☐" in text


def test_every_page_carries_marking_reference_page_numbers_and_printer(
    make_request, world: World, tmp_path: Path
) -> None:
    req = make_request(people=8)
    pdf = render_request_form(req, printed_by=world.discloser)
    pages = pdf_pages(pdf, tmp_path)
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        # Top and bottom of the page.
        assert page.count("OFFICIAL-SENSITIVE") >= 2
        assert "Reference: ISP-2026-00042" in page
        assert f"Page {number} of {len(pages)}" in page
        # The footer wraps the printer's name and agency in its corner.
        assert "Discloser Tester (discloser)," in page
        assert "Metropolitan Police Service" in page
        assert re.search(r"Printed \d{1,2} \w{3} \d{4} \d{2}:\d{2}", page)
    assert "Page 1 of" in pages[0]


def test_part_b_is_blank_until_there_is_a_decision(make_request, tmp_path: Path) -> None:
    req = make_request(people=1)
    req.received_on = req.required_by
    req.save(update_fields=["received_on"])
    text = pdf_text(render_request_form(req, printed_by=req.requester), tmp_path)
    part_b = text.split("PART B - INFORMATION DISCLOSED")[1]

    assert "No decision has been recorded on this request yet." in part_b
    assert "☒" not in part_b
    assert _line_with(part_b, "Date request received:").split(":", 1)[1].strip() == ""
    assert (
        "Metropolitan Police Service"
        not in part_b.replace("Metropolitan Police Service\n", "").split("Printed")[0]
    )


def test_part_b_shows_the_decision(make_request, world: World, tmp_path: Path) -> None:
    req = make_request(people=1)
    decide(req, world)
    text = pdf_text(render_request_form(req, printed_by=req.requester), tmp_path)
    part_b = text.split("PART B - INFORMATION DISCLOSED")[1]

    assert "03/03/2026" in _line_with(part_b, "Date request received:")
    assert "Yes ☒" in _line_with(part_b, "Disclosure Agreed:")
    assert "No ☐" in _line_with(part_b, "Disclosure Agreed:")
    assert "Yes ☒" in _line_with(part_b, "Information attached to this form")
    assert "Two convictions for criminal damage, 2019 and 2021." in part_b
    assert "Dan Discloser" in _line_with(part_b, "Name:")
    assert "Detective Sergeant" in _line_with(part_b, "Position:")
    assert "Public Protection Unit" in _line_with(part_b, "Department:")
    assert "dan.discloser@met.police.uk" in _line_with(part_b, "Email address:")
    delivery = _line_with(part_b, "Post ")
    assert "Email ☒" in delivery
    assert "Post ☐" in delivery
    assert "Dan Discloser (signed in the portal 09/03/2026 15:00)" in part_b
    assert "10/03/2026" in _line_with(part_b, "Date supplied:")


def test_declined_request_ticks_no_and_gives_the_reason(
    make_request, world: World, tmp_path: Path
) -> None:
    req = make_request(people=1)
    decide(
        req,
        world,
        outcome=Outcome.DECLINED,
        decline_reason="Not necessary for the stated purpose",
        information_attached=False,
        information_disclosed="",
        delivery_method=DeliveryMethod.PORTAL,
    )
    text = pdf_text(render_request_form(req, printed_by=req.requester), tmp_path)
    part_b = text.split("PART B - INFORMATION DISCLOSED")[1]

    assert "Yes ☐" in _line_with(part_b, "Disclosure Agreed:")
    assert "No ☒" in _line_with(part_b, "Disclosure Agreed:")
    assert "No ☒" in _line_with(part_b, "Information attached to this form")
    assert "Not necessary for the stated purpose" in part_b
    assert "Other ☒" in part_b
    assert "In the portal" in part_b


def test_shared_by_telephone_ticks_other_and_says_so(
    make_request, world: World, tmp_path: Path
) -> None:
    req = make_request(people=1)
    decide(req, world, delivery_method=DeliveryMethod.TELEPHONE)
    part_b = pdf_text(render_request_form(req, printed_by=req.requester), tmp_path).split(
        "PART B - INFORMATION DISCLOSED"
    )[1]
    assert "Other ☒" in part_b
    assert "Telephone" in part_b


def test_marking_is_the_decisions_once_decided(make_request, world: World, tmp_path: Path) -> None:
    req = make_request(people=1)
    decide(req, world, marking="SECRET")
    pages = pdf_pages(render_request_form(req, printed_by=req.requester), tmp_path)
    for page in pages:
        assert page.count("SECRET") >= 2
        assert "OFFICIAL-SENSITIVE" not in page


def test_twenty_people_flow_onto_several_pages_without_splitting_a_person(
    make_request, tmp_path: Path
) -> None:
    req = make_request(people=20, description="A long account of events. " * 150)
    pdf = render_request_form(req, printed_by=req.requester)

    page_count = int(pdf_info(pdf, tmp_path)["Pages"])
    assert page_count >= 6
    pages = pdf_pages(pdf, tmp_path)
    assert len(pages) == page_count
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {page_count}" in page
        assert page.count("OFFICIAL-SENSITIVE") >= 2
    for index in range(1, 21):
        holding = [page for page in pages if f"Person named {index} of 20" in page]
        assert len(holding) == 1
        # The person's name, date of birth and role boxes are on the same page as the heading.
        assert f"Person Number{index:02d}" in holding[0]
        assert "Convicted offender" in holding[0]
    # Part B still follows, after the last person.
    assert "PART B - INFORMATION DISCLOSED" in "".join(pages[-2:])


def test_html_in_a_field_prints_literally_and_fetches_nothing(make_request, tmp_path: Path) -> None:
    hostile = (
        '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
    )
    req = make_request(people=1, description=hostile, requester_name="<b>Bold</b> & Co")
    fetcher = StaticOnlyURLFetcher()
    pdf = render_pdf(
        template_name="pdf/request_form.html",
        context=request_form_context(req, viewer=req.requester),
        marking="OFFICIAL-SENSITIVE",
        reference=req.reference,
        printed_by=req.requester,
        title="Request/Disclosure Form",
        fetcher=fetcher,
    )
    text = pdf_text(pdf, tmp_path)

    assert '<img src="file:///etc/passwd">' in text
    assert 'href="http://127.0.0.1:9/x.css">' in text
    assert "<b>Bold</b> & Co" in text
    assert fetcher.requested == ["https://isp-portal.invalid/static/pdf/print.css"]
    assert fetcher.refused == []


def test_pdf_is_tagged_a4_with_embedded_debian_fonts(make_request, tmp_path: Path) -> None:
    req = make_request(people=1)
    pdf = render_request_form(req, printed_by=req.requester)
    info = pdf_info(pdf, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Title"] == "Request/Disclosure Form"
    assert "(A4)" in info["Page size"]

    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    fonts = subprocess.run(
        ["pdffonts", str(source)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert "DejaVu" in line or "Liberation" in line
        # Columns: name type encoding emb sub uni object ID
        assert line.split()[-5] == "yes", line
