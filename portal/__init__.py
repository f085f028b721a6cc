"""Familieværft's portal app: the family portal, where parents see their own children's cases."""
