"""Streaming CSV: constant memory, and no cell a spreadsheet would run as a formula.

The file is UTF-8 and says so twice: in the Content-Type, for browsers and scripts, and with
a byte-order mark, without which Excel reads it as Windows-1252 and garbles every name
written in anything but ASCII.
"""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse

# A spreadsheet treats a cell starting with one of these as a formula (or, for tab and
# carriage return, may shift it into one), so such cells get a leading apostrophe (OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write returns the line instead of storing it."""

    def write(self, value: str) -> str:
        return value


# Lines are sent in blocks of about this many characters: one write per line would cost a
# system call per row under gunicorn.
CHUNK_CHARS = 64 * 1024


def csv_lines(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV text in blocks of whole lines, the header first."""
    writerow = csv.writer(_Echo()).writerow
    block = [writerow([safe_cell(h) for h in header])]
    size = 0
    for row in rows:
        line = writerow([safe_cell(cell) for cell in row])
        block.append(line)
        size += len(line)
        if size >= CHUNK_CHARS:
            yield "".join(block)
            block, size = [], 0
    if block:
        yield "".join(block)


BYTE_ORDER_MARK = "\ufeff"


def _with_byte_order_mark(lines: Iterator[str]) -> Iterator[str]:
    yield BYTE_ORDER_MARK
    yield from lines


def csv_response(
    filename: str, header: Iterable[str], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _with_byte_order_mark(csv_lines(header, rows)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
