"""Familieværft's followups app: follow-ups, sessions, reminders, the deadline and team pages."""
