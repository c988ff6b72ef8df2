"""Interface text in English and Korean: gettext catalogs read with Babel, one language per request.

Templates write every piece of interface text as ``{{ _("...") }}`` (English is the message id).
The Korean catalog is ``locale/ko/LC_MESSAGES/messages.po``, kept in the repository as text and
compiled in memory when first used, so no binary catalog is ever committed. A request's language is
the one the user chose for their session, else the first of the browser's ``Accept-Language`` that
the workbench has, else English. Case data (witnesses' descriptors, excerpts) is never translated.

Refresh the catalog after changing templates: ``make messages`` (extracts with pybabel and updates
the ``.po`` file; translate the new entries, then remove their ``fuzzy`` marks).
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from fastapi import Request

__all__ = ["LANGUAGES", "LOCALES", "N_", "accepted", "language_of", "translations"]

LOCALES = Path(__file__).parent / "locale"
DEFAULT = "en"
# Each language the interface offers, by its code, with its name in itself (for the switch).
LANGUAGES = {"en": "English", "ko": "한국어"}


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of ``language`` (English: the message ids themselves)."""
    if language == DEFAULT or language not in LANGUAGES:
        return gettext.NullTranslations()
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalog = read_po(file, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: an unchecked translation shows English
    compiled.seek(0)
    return Translations(compiled)


def accepted(header: str | None) -> str | None:
    """The first language of an ``Accept-Language`` header the workbench has (by quality, then order)."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for order, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary and quality > 0:
            ranked.append((-quality, order, primary))
    for _quality, _order, primary in sorted(ranked):
        if primary in LANGUAGES:
            return primary
    return None


def language_of(request: Request) -> str:
    """The language of this request's answer: the session's choice, else the browser's, else English."""
    viewer = getattr(request.state, "viewer", None)
    chosen = getattr(viewer, "language", None)
    if chosen in LANGUAGES:
        return str(chosen)
    return accepted(request.headers.get("accept-language")) or DEFAULT


def N_(text: str) -> str:  # noqa: N802 (the name gettext's tools look for)
    """Mark ``text`` for the catalog where it is written; templates translate it where it is shown."""
    return text
