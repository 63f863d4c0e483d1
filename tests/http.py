"""Reading what a view answered, whether it streamed its body or not."""

from typing import Any


def body_of(response: Any) -> bytes:
    """The whole body of a test client's response (a CSV export or a file streams it)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)
