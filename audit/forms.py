"""forms of the audit app."""
