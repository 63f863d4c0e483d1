"""permissions of the agreements app."""
