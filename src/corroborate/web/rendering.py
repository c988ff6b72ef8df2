"""Pages from Jinja2 templates (autoescaped: text from a case is always shown as text, never as markup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

__all__ = ["marked", "render", "templates"]

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def marked(text: str, spans: list[tuple[int, int]]) -> Markup:
    """``text`` escaped, with each (start, end) span wrapped in <mark> (a search hit)."""
    out, at = [], 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out.append(escape(text[at:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        at = end
    out.append(escape(text[at:]))
    return Markup("").join(out)


templates.env.filters["marked"] = lambda hit: marked(hit.snippet, hit.highlights)


def render(request: Request, template: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    """A page, with who is signed in (when someone is) and their form token."""
    viewer = getattr(request.state, "viewer", None)
    full = {"viewer": viewer, "csrf": viewer.csrf if viewer else None, **context}
    return templates.TemplateResponse(request, template, full, status_code=status)
