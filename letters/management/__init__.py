"""Management commands of the letters app."""
