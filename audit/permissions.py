"""permissions of the audit app."""
