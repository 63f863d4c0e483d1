"""admin of the requests_app app."""
