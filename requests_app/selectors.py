"""selectors of the requests_app app."""
