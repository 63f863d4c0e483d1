"""selectors of the consent app."""
