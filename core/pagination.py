"""One page of a list, and the list's query string without its page number (for the pager's links)."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def page_of(request: HttpRequest, items: QuerySet[Any] | Sequence[Any], size: int) -> tuple[Page[Any], str]:
    """The page the request asks for (`?page=`; past the end: the last page) and the other parameters,
    URL-encoded, for links to other pages that keep the list's filters."""
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(items, size).get_page(request.GET.get("page")), query.urlencode()
