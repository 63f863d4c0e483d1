"""selectors of the agreements app."""
