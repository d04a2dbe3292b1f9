"""Long lists in pages: what the page templates need to show one page and the GOV.UK pagination under it
(`includes/pagination.html`)."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paged(request: HttpRequest, items: Sequence[Any] | QuerySet[Any], per_page: int) -> dict[str, Any]:
    """The page asked for by `?page=` (the first for a missing or mistyped number, the last past the end) and
    the page numbers to link, with an ellipsis for the long runs between."""
    paginator = Paginator(items, per_page)
    page: Page = paginator.get_page(request.GET.get("page"))
    links = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return {"page": page, "page_links": links}
