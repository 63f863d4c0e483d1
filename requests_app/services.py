"""services of the requests_app app."""
