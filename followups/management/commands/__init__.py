"""The followups app's commands: ``sweep_reminders``."""
