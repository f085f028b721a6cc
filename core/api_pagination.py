"""The REST API's pagination: cursor pages for every list (``Cursor`` is the default in
settings.REST_FRAMEWORK; lists of rows without ``updated_at`` use ``NewestFirstCursor``)."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Cursor pagination: stable pages while cases change, no COUNT(*) over the case table."""

    page_size_query_param = "page_size"
    max_page_size = 100
    ordering: str | tuple[str, ...] = "-updated_at"


class NewestFirstCursor(Cursor):
    """Rows without ``updated_at`` (citizens, reminders): newest first."""

    ordering = ("-created_at", "id")
