"""The followups app's pages: a case's follow-ups and sessions, and the overview pages."""
