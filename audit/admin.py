"""admin of the audit app."""
