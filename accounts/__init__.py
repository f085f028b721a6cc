"""Familieværft's accounts app: users, organisation, login and two-factor, sessions, API tokens."""
