"""forms of the consent app."""
