"""selectors of the audit app."""
