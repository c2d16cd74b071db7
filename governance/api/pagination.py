from rest_framework.pagination import CursorPagination


class StandardPagination(CursorPagination):
    """Keyset pagination, newest first: page 40,000 costs what page 1 costs (no OFFSET, no COUNT)."""

    ordering = "-id"
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200
