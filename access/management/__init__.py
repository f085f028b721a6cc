"""Management commands of the access app."""
