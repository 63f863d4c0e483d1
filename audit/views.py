"""views of the audit app."""
