from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    """100 a page by default; a caller may ask for up to 1,000 (`?page_size=`)."""

    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
