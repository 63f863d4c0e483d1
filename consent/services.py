"""services of the consent app."""
