"""forms of the agreements app."""
