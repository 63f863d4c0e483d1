"""admin of the consent app."""
