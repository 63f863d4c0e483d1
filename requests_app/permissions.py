"""permissions of the requests_app app."""
