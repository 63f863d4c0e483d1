"""services of the agreements app."""
