"""models of the consent app."""
