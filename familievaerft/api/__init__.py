"""The REST API under /api/v1/: the same access rules as the pages, from the same module."""
