"""permissions of the consent app."""
