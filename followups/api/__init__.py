"""The followups app's part of the REST API (/api/v1/): a case's follow-ups (§ 95) and its
sessions, and the caller's own reminders (/api/v1/reminders/). ``urls`` is included by
familievaerft/api_urls.py under the project's "api" namespace."""
