"""views of the consent app."""
