"""PDF output through WeasyPrint: page numbers, a title page, working links from markers to notes."""

from __future__ import annotations

from pathlib import Path

__all__ = ["render_pdf"]


def render_pdf(page: str, out: Path) -> None:
    """Write the HTML page as a PDF (print styles apply; only local fonts are used)."""
    import weasyprint  # imported here: it is heavy, and only publishing needs it

    def no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        # Nothing is fetched at run time: a briefing is self-contained.
        raise ValueError(f"refusing to fetch {url}")

    weasyprint.HTML(string=page, url_fetcher=no_fetch, base_url=str(out.parent)).write_pdf(out)
