"""WeasyPrint may read the portal's own static files and nothing else."""

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import weasyprint

from isp_portal.pdf import BASE_URL, ResourceRefused, StaticOnlyURLFetcher
from tests.pdf.conftest import pdf_text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:9/x.css",
        "https://example.com/static/pdf/print.css",
        "data:text/css,body{color:red}",
        f"{BASE_URL}static/../../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}static/pdf/../../manage.py",
        f"{BASE_URL}static/pdf/print.css?x=1",
        f"{BASE_URL}static/pdf/no-such-file.css",
        f"{BASE_URL}media/attachments/anything",
    ],
)
def test_fetcher_refuses_anything_but_our_static_files(url: str) -> None:
    with pytest.raises((ResourceRefused, ValueError)):
        StaticOnlyURLFetcher().fetch(url)


def test_fetcher_serves_the_print_stylesheet() -> None:
    response = StaticOnlyURLFetcher().fetch(f"{BASE_URL}static/pdf/print.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b'body::before { content: "FETCHED-OVER-HTTP"; }')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def http_server() -> Iterator[str]:
    _Recorder.hits = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_markup_pointing_outside_fetches_nothing(http_server: str, tmp_path: Path) -> None:
    """Even as markup (which auto-escaping never lets user text become), links to files,
    the network and data: URLs load nothing."""
    local_css = tmp_path / "local.css"
    local_css.write_text('body::after { content: "READ-FROM-DISK"; }')
    html = f"""<html lang="en"><head><title>t</title>
      <link rel="stylesheet" href="{local_css.as_uri()}">
      <link rel="stylesheet" href="{http_server}/evil.css">
      <link rel="stylesheet" href="data:text/css,body::before{{content:'FROM-DATA-URL'}}">
      </head><body><p>Visible text</p>
      <img src="file:///etc/passwd" alt="">
      <img src="{http_server}/pixel.png" alt=""></body></html>"""
    fetcher = StaticOnlyURLFetcher()
    pdf = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()
    text = pdf_text(pdf, tmp_path)

    assert "Visible text" in text
    assert "READ-FROM-DISK" not in text
    assert "FETCHED-OVER-HTTP" not in text
    assert "FROM-DATA-URL" not in text
    assert _Recorder.hits == []
    assert set(fetcher.refused) == set(fetcher.requested)
    assert "file:///etc/passwd" in fetcher.refused
    assert f"{http_server}/evil.css" in fetcher.refused
