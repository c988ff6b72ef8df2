"""PDF output through WeasyPrint: page numbers, a title page, working links from markers to notes."""

from __future__ import annotations

from pathlib import Path

__all__ = ["pdf_bytes", "render_pdf"]


def pdf_bytes(page: str) -> bytes:
    """The HTML page as a PDF, in memory (print styles apply; only local fonts are used)."""
    import weasyprint  # imported here: it is heavy, and only publishing needs it

    def no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
        # Nothing is fetched at run time: a briefing is self-contained.
        raise ValueError(f"refusing to fetch {url}")

    return bytes(weasyprint.HTML(string=page, url_fetcher=no_fetch).write_pdf())


def render_pdf(page: str, out: Path) -> None:
    """Write the HTML page as a PDF."""
    out.write_bytes(pdf_bytes(page))
