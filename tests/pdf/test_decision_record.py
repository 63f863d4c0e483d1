"""After Part B the printed form carries the decision's Appendix G record, the checklist as
ticked, the protective marking chosen and the names of the attached files, never their
content (#17)."""

from pathlib import Path

import pytest

from agreements.forms import CHECKLIST
from requests_app.models import Attachment, AttachmentKind, InformationRequest
from requests_app.pdf_views import render_request_form
from tests.pdf.conftest import decide, pdf_text, squash
from tests.requests_app.conftest import stored_attachment
from tests.world import World

pytestmark = pytest.mark.django_db

FILE_CONTENT = "Content-Of-The-File-That-Must-Never-Print"


def _attach(req: InformationRequest, world: World, kind: str, name: str) -> Attachment:
    attachment = stored_attachment(
        req, kind=kind, name=name, uploaded_by=world.discloser, content=FILE_CONTENT.encode()
    )
    return attachment


def _after_part_b(req: InformationRequest, printed_by: object, tmp_path: Path) -> str:
    text = pdf_text(render_request_form(req, printed_by=printed_by), tmp_path, layout=False)
    return text.split("Date supplied:", 1)[1]


def test_record_after_part_b_has_every_appendix_g_field(
    make_request, world: World, tmp_path: Path
) -> None:
    req = make_request(people=1)
    decide(
        req,
        world,
        information_types=["offending_history", "other"],
        information_types_other="Tenancy history",
        delivery_method="telephone",
        subject_informed="no",
        not_informed_reason="Would prejudice the investigation",
        third_parties="Homes for Haringey",
        marking="OFFICIAL-SENSITIVE",
        checklist={key: True for key, _ in CHECKLIST},
    )
    record = squash(_after_part_b(req, world.requester, tmp_path))

    for label, value in [
        ("(a) Date and time of the decision", "09/03/2026 15:00"),
        (
            "(c) Requested by (name, job title, organisation)",
            "Rita Requester, Community Safety Officer",
        ),
        ("(d) The decision and its reasons", "Disclosed. Necessary and proportionate"),
        ("(e) With or without consent", "Without consent: public interest"),
        ("(f) Person or family informed", "No. Why not: Would prejudice the investigation"),
        ("(g) Who consented or authorised", "Inspector Ivy"),
        ("(h) Types of information shared (ISP 4.7)", "Offending history, Other: Tenancy history"),
        ("(i) How it was shared", "Telephone"),
        ("Evidence the decision rests on (ISP 4.6)", "PNC record"),
        ("Third parties involved", "Homes for Haringey"),
        ("Protective marking chosen:", "OFFICIAL-SENSITIVE"),
    ]:
        assert squash(label) in record, label
        assert squash(value) in record.split(squash(label), 1)[1], label
    assert "Record of the decision (Appendix G, paragraph 9)".replace(" ", "") in record


def test_checklist_prints_as_ticked(make_request, world: World, tmp_path: Path) -> None:
    req = make_request(people=1)
    keys = [key for key, _ in CHECKLIST]
    decide(req, world, checklist=dict.fromkeys(keys[:-1], True))
    record = _after_part_b(req, world.requester, tmp_path)
    squashed = squash(record)

    assert squash("Information Sharing Checklist, as ticked by the disclosing officer") in squashed
    for _, question in CHECKLIST:
        assert squash(question) in squashed
    assert record.count("☒ Considered") == len(CHECKLIST) - 1
    assert record.count("☐ Not recorded") == 1


def test_attached_file_names_print_and_their_content_never_does(
    make_request, world: World, tmp_path: Path
) -> None:
    req = make_request(people=1)
    _attach(req, world, AttachmentKind.REQUEST, "tenancy-notice.pdf")
    decide(req, world)
    _attach(req, world, AttachmentKind.DISCLOSURE, "pnc-extract.txt")
    full = pdf_text(render_request_form(req, printed_by=world.requester), tmp_path, layout=False)
    files = squash(_after_part_b(req, world.requester, tmp_path))

    assert squash("Files attached (names only; the files themselves are not printed)") in files
    assert "tenancy-notice.pdf" in files
    assert "pnc-extract.txt" in files
    assert FILE_CONTENT not in squash(full)


def test_undecided_request_prints_no_record_and_hides_draft_files(
    make_request, world: World, tmp_path: Path
) -> None:
    req = make_request(people=1)
    _attach(req, world, AttachmentKind.DISCLOSURE, "draft-being-prepared.txt")
    text = squash(pdf_text(render_request_form(req, printed_by=world.requester), tmp_path))

    assert squash("Record of the decision") not in text
    # A draft decision's files are the disclosing side's until a disclosure is signed.
    assert "draft-being-prepared.txt" not in text
    assert squash("No files attached that you may see.") in text
