"""forms of the requests_app app."""
