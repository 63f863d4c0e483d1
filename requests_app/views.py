"""views of the requests_app app."""
