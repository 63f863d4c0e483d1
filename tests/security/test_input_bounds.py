"""Input that could stop the service, or make its output lie: every input has a bound that
is checked before any work is done (issue #14, findings 8 to 14). One test per finding fails
on the code before the fix; property-based tests walk each bound."""

import csv
import io

from audit.exports import csv_response

# Finding 14: the CSV ------------------------------------------------------------------------


def test_csv_is_utf8_with_a_byte_order_mark_so_excel_reads_names_right() -> None:
    response = csv_response("names.csv", ["Name"], [["张伟"], ["Zoë Ōkafor"], ["محمد"]])
    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [
        ["Name"],
        ["张伟"],
        ["Zoë Ōkafor"],
        ["محمد"],
    ]
