"""models of the requests_app app."""
