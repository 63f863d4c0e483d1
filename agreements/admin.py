"""admin of the agreements app."""
