"""The access app's commands: ``export_access_log``."""
