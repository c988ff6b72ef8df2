"""Citation styles: data files that say how an endnote cites an interview, a document, a repeat.

A template is text with ``{field}`` slots; a ``[...]`` group disappears when
any field inside it is empty, so one template serves sources with and
without an author, a URL or pages.
"""

from __future__ import annotations

import calendar
import functools
import re
import string
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

from corroborate.domain import date_interval, read_data_file, validate_data
from corroborate.domain.calendarwords import SEASON_NAMES
from corroborate.errors import InvalidFuzzyDate, UserError

__all__ = ["CitationStyle", "fill", "format_date", "load_style", "page_text", "page_values"]

_GROUP = re.compile(r"\[([^\[\]]*)\]")
_FIELD = re.compile(r"\{(\w+)(?::[^}]*)?\}")


class CitationStyle(BaseModel):
    """How endnotes cite sources."""

    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    date_format: str = "{month} {day}, {year}"
    month_format: str = "{month} {year}"
    interview: str
    witness_code: str | None = None
    ibid: str = "Ibid."
    ibid_pages: str = "Ibid., {pages}."
    pages: str = "[p. {page}][pp. {page_range}]"
    range_dash: str = "–"
    documents: dict[str, str]

    def document_template(self, kind: str) -> str:
        return self.documents.get(kind) or self.documents.get("other") or "{title}."


def fill(template: str, values: Mapping[str, object]) -> str:
    """Fill a template; drop every [...] group with an empty field; tidy spaces and punctuation."""

    def value(name: str) -> str:
        v = values.get(name)
        return "" if v is None else str(v)

    def group(m: re.Match[str]) -> str:
        inner = m.group(1)
        names = _FIELD.findall(inner)
        if any(not value(n) for n in names):
            return ""
        return _render(inner, values)

    text = _render(_GROUP.sub(group, template), values)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return re.sub(r"([.,])\1+", r"\1", text)


def _render(template: str, values: Mapping[str, object]) -> str:
    formatter = string.Formatter()
    out = []
    for literal, name, spec, _conversion in formatter.parse(template):
        out.append(literal)
        if name is not None:
            v = values.get(name)
            if v is None or v == "":
                continue
            out.append(format(v, spec) if spec else str(v))
    return "".join(out)


def format_date(edtf: str | None, style: CitationStyle) -> str:
    """An EDTF date in the style's words: a day, a month, a year or a span; '' for None."""
    if not edtf:
        return ""
    season = re.fullmatch(r"(\d{4})-(2[1-4])", edtf)
    if season:
        return f"{SEASON_NAMES[int(season.group(2))]} {season.group(1)}"
    if "/" not in edtf and edtf[-1:] in "~?%":
        return f"about {format_date(edtf[:-1], style)}" if edtf[-1] == "~" else f"{format_date(edtf[:-1], style)}?"
    try:
        interval = date_interval(edtf)
    except InvalidFuzzyDate:
        return edtf
    start, end = interval.start, interval.end
    if start is None or end is None:
        known = start or end
        assert known is not None
        return f"{'by' if start is None else 'from'} {calendar.month_name[known.month]} {known.year}"
    if start == end:
        return style.date_format.format(month=calendar.month_name[start.month], day=start.day, year=start.year)
    if start.day == 1 and (start.year, start.month) == (end.year, end.month):
        return style.month_format.format(month=calendar.month_name[start.month], year=start.year)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    first = style.month_format.format(month=calendar.month_name[start.month], year=start.year)
    last = style.month_format.format(month=calendar.month_name[end.month], year=end.year)
    return f"{first} – {last}"


def page_values(pages: str | None, style: CitationStyle) -> dict[str, str]:
    """{'page': '21'} or {'page_range': '21 – 22'} with the style's dash; {} for no pages."""
    if not pages:
        return {}
    cleaned = re.sub(r"\s*[-–]\s*", style.range_dash, pages.strip())
    if style.range_dash in cleaned or "," in cleaned:
        return {"page_range": cleaned}
    return {"page": cleaned}


def page_text(pages: str | None, style: CitationStyle, *, template: str | None = None) -> str:
    """'p. 21' or 'pp. 21–22' in the style's words (or under another template, such as Ibid.'s)."""
    values = page_values(pages, style)
    return fill(template or style.pages, values) if values else ""


@functools.cache
def _shipped(style_id: str) -> CitationStyle:
    path = resources.files("corroborate.publish.data.styles").joinpath(f"{style_id}.yaml")
    if not path.is_file():
        raise UserError(f"no citation style {style_id!r} (shipped: hrw, un-coi; or give a YAML file)")
    return validate_data(CitationStyle, yaml.safe_load(path.read_text(encoding="utf-8")), origin=f"style {style_id}")


def load_style(name_or_path: str, *, base: Path | None = None) -> CitationStyle:
    """A shipped style by id (hrw, un-coi) or a YAML file (relative to ``base``)."""
    candidate = Path(name_or_path)
    if base is not None and not candidate.is_absolute():
        candidate = base / candidate
    if name_or_path.endswith((".yaml", ".yml")):
        return read_data_file(CitationStyle, candidate, what="citation style")
    return _shipped(name_or_path)
