"""Text that once stopped the PDF renderer or made it print something else (issue #14,
findings 8 and 13): long unbroken words, bidirectional overrides, scripts other than Latin,
and any document that takes too long."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from isp_portal.pdf import WORD_CHUNK, ZERO_WIDTH_SPACE, printable_html
from requests_app.pdf_views import render_request_form
from tests.pdf.conftest import pdf_text
from tests.world import World

pytestmark = pytest.mark.django_db

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_a_long_unbroken_word_prints_whole_and_within_the_time_limit(
    make_request, tmp_path: Path
) -> None:
    """Finding 8: a table cell with ``overflow-wrap: anywhere`` took 47 s for a 2,000
    character word; an unbroken 25,000 character description 6.9 s, 200,000 past gunicorn's
    timeout. Now each word gets a break opportunity every ``WORD_CHUNK`` characters."""
    address = "Ж" * 3_000  # letters no label has, counted: running headers interleave
    description = "Щ" * 25_000
    req = make_request(people=1, requester_address=address, description=description)
    pdf = render_request_form(req, printed_by=req.requester)  # under PDF_RENDER_TIMEOUT_SECONDS
    text = pdf_text(pdf, tmp_path, layout=False)
    assert text.count("Ж") == len(address) and text.count("Щ") == len(description)
    assert ZERO_WIDTH_SPACE not in text


def test_right_to_left_overrides_do_not_reverse_a_printed_name(
    make_request, tmp_path: Path
) -> None:
    """Finding 13: U+202E printed "Smith" as "htimS"."""
    req = make_request(people=1, requester_name="Ann \u202eSmith\u202c Jones")
    text = pdf_text(render_request_form(req, printed_by=req.requester), tmp_path, layout=False)
    assert "Ann Smith Jones" in text


def test_a_pdf_that_takes_too_long_is_stopped_with_a_clear_page(
    world: World, client: Client, make_request, settings
) -> None:
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0
    req = make_request(people=1)
    client.force_login(world.requester)
    response = client.get(reverse("requests:pdf", args=[req.pk]))
    assert response.status_code == 503
    assert "The PDF could not be made" in response.content.decode()


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="<>&"), max_size=300
)


@given(before=_TEXT, value=_TEXT, after=_TEXT)
def test_printable_html_breaks_every_long_run_and_changes_nothing_else(
    before: str, value: str, after: str
) -> None:
    html = f'<html><head><title>{before}</title></head><body class="x"><td>{value}</td>{after}'
    printed = printable_html(html)
    head, body = printed.split('<body class="x">')
    assert (
        head
        == f"<html><head><title>{before.translate(dict.fromkeys(map(ord, BIDI)))}</title></head>"
    )
    for text in re.split(r"<[^>]*>", body):
        assert all(len(run) <= WORD_CHUNK for run in re.split(rf"[\s{ZERO_WIDTH_SPACE}]", text))
    expected = f"<td>{value}</td>{after}".translate(dict.fromkeys(map(ord, BIDI)))
    assert body.replace(ZERO_WIDTH_SPACE, "") == expected.replace(ZERO_WIDTH_SPACE, "")
    assert not any(c in printed for c in BIDI)


# Finding 13: every script officers' names are written in ---------------------------------

NAMES = {
    "Chinese": "张伟",
    "Japanese": "さくら",
    "Korean": "김민준",
    "Arabic": "محمد",
    "Devanagari": "अमन",  # no vowel sign printed before its consonant: text reads back
    "Bengali": "রহমান",
    "Gurmukhi": "ਹਰਪ੍ਰੀਤ",
    "Tamil": "முருகன்",
    "Greek": "Γιώργος",
    "Emoji": "Ana 🌻",
}
# DejaVu Sans has Arabic and Greek; the others can only come from a Noto font.
ONLY_IN_NOTO = {"Chinese", "Japanese", "Korean", "Devanagari", "Bengali", "Gurmukhi", "Tamil"}


def _installed_font_families() -> str:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ""
    return subprocess.run([fc_list, ":", "family"], capture_output=True, text=True).stdout


@pytest.mark.skipif(
    not all(
        family in _installed_font_families()
        for family in ("Noto Sans CJK", "Noto Sans Arabic", "Noto Sans Devanagari")
    ),
    reason=(
        "Noto fonts not installed: .ci/run must install fonts-noto-core and fonts-noto-cjk "
        "(and fonts-noto-color-emoji for emoji)"
    ),
)
@pytest.mark.parametrize("script", list(NAMES))
def test_names_in_other_scripts_print_with_embedded_fonts(
    make_request, tmp_path: Path, script: str
) -> None:
    name = NAMES[script]
    req = make_request(people=1, requester_name=f"{name} Example")
    pdf = render_request_form(req, printed_by=req.requester)
    assert name in pdf_text(pdf, tmp_path, layout=False)
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    fonts = subprocess.run(
        [shutil.which("pdffonts") or "/usr/bin/pdffonts", str(source)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Noto" in fonts or script not in ONLY_IN_NOTO
