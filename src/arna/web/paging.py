"""Links between the pages of a filtered list (the public appeals, the petitions)."""

from __future__ import annotations

from urllib.parse import urlencode


def list_url(base: str, filters: dict[str, str], page: int) -> str:
    """`base` with the filters that are set and the page number (none for the first)."""
    params = {k: v for k, v in filters.items() if v}
    if page > 1:
        params["page"] = str(page)
    return base + (f"?{urlencode(params)}" if params else "")


def page_links(base: str, filters: dict[str, str], page: int, pages: int) -> dict[str, str | None]:
    """The previous, next and last pages' links of page `page` of `pages`."""
    return {
        "prev_url": list_url(base, filters, min(page - 1, pages)) if page > 1 else None,
        "next_url": list_url(base, filters, page + 1) if page < pages else None,
        "last_url": list_url(base, filters, pages),
    }
