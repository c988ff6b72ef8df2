"""Pages from Jinja2 templates (autoescaped: text from a case is always shown as text, never as markup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from .i18n import LANGUAGES, language_of, translations
from .vocabularywords import word

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
templates.env.filters["word"] = word  # a vocabulary value (grade, stance, mode) in English words, to translate


def render(request: Request, template: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    """A page, with who is signed in (when someone is), their form token and the interface language.

    ``_`` in a template translates interface text (``{{ _("Witnesses") }}``, ``{{ _("%(n)d found", n=3) }}``),
    ``ngettext`` a count (``%(num)d`` is the number); ``lang`` is the language.
    """
    viewer = getattr(request.state, "viewer", None)
    language = language_of(request)
    catalog = translations(language)

    def gettext(text: str, **values: Any) -> str:
        found = catalog.gettext(text)
        return found % values if values else found

    def ngettext(singular: str, plural: str, num: int, **values: Any) -> str:
        return catalog.ngettext(singular, plural, num) % {"num": num, **values}

    full = {"viewer": viewer, "csrf": viewer.csrf if viewer else None, "lang": language, "languages": LANGUAGES,
            "_": gettext, "ngettext": ngettext, **context}  # fmt: skip
    return templates.TemplateResponse(request, template, full, status_code=status)
