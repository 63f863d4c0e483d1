"""views of the agreements app."""
