"""models of the agreements app."""
