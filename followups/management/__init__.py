"""Management commands of the followups app."""
