"""Document citations: news reports, NGO reports, books, treaties and UN documents.

A citation is read by peeling off the parts whose shape is unmistakable (an
address, "(accessed ...)", pages, "vol. 14, no. 8(C)", UN symbols and treaty
series references, dates), then reading what is left: a quoted title with its
author before it and its outlet after it, or, without quotes, "Author, Title,
Outlet". A sentence is only taken for a citation when it has such a shape and
a date or an address; explanatory prose is left alone (the note then becomes
``other`` unless another sentence of it is a citation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corroborate.domain import DocumentKind

from .dates import find_dates, find_locator, strip_locator
from .text import split_top_level, squash, url_spans

__all__ = ["DocumentCitation", "parse_document_citation"]

_LEAD_IN = re.compile(
    r"^(?:See(?:,?\s+also|,?\s+for example|,?\s+e\.g\.)?,?|Cf\.|Cited in|Quoted in|As quoted in|According to|"
    r"For example,|For instance,|E\.g\.,?|Also|Also see|Source:)\s+",
    re.I,
)
_ACCESSED = re.compile(r"[(\[]?\s*(?:last\s+)?\b(?:accessed|retrieved|viewed|consulted)(?:\s+on)?\s+", re.I)
_ARTICLE_TEXT = re.compile(r"\b(?:arts?|articles?|paras?|paragraphs?)\.?\s*\d+(?:\(\d+\))*")
_ACCESSED_END = re.compile(r"\s*[)\]]?")
_MAYBE_CITATION = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)|://|www\.|U\.N\.T\.S|/|\b[Vv]ol\.|\b[Pp]p?\.\s*\d")
_VOLUME = re.compile(
    r"\bvol(?:ume)?\.?\s*(?P<vol>\d+)(?:\s*,?\s*(?:no|number|issue)\.?\s*(?P<no>\d+\s*(?:\(\s*[A-Z]\s*\))?))?", re.I
)
_SYMBOLS = re.compile(
    r"\b(?:\d+\s+U\.N\.T\.S\.\s+\d+"
    r"|G\.A\.\s*Res\.\s*[\w]+(?:\s*\([A-Z]+\))?"
    r"|\d+\s+U\.N\.\s*GAOR\s+Supp\.\s*\(No\.\s*\d+\)(?:\s+at\s+\d+)?"
    r"|U\.N\.\s*Doc\.\s*[A-Z]+(?:/[\w.]+)+(?:\s+at\s+\d+)?"
    r"|(?:Index:?\s*)?[A-Z]{3}\s+\d{2}/\d{3,4}/\d{4}"
    r"|[A-Z]{1,5}(?:/[A-Z0-9.]*[A-Z0-9])+)"
)
_INSTRUMENT = re.compile(
    r"^(?:(?:the|optional|international|universal|african|american|european|\d{4})\s+)*"
    r"(?:covenant|convention|protocol|declaration|charter|treaty|agreement|standard minimum rules|principles)\b",
    re.I,
)
_UN_AUTHOR = re.compile(
    r"^(?:UN|U\.N\.|United Nations|UNHCR|UNICEF|OHCHR|WFP|FAO)\b|Human Rights Council|Special Rapporteur"
)
_UN_TITLE = re.compile(
    r"\b(?:General Comment|General Recommendation|Concluding Observations|Resolution)\b(?:\s+No\.?\s*\d+)?", re.I
)
_ABBREVIATION = re.compile(r"\s*\([A-Z]{2,8}\)")
_QUOTED = re.compile(r"[\"“](?P<title>[^\"“”]{3,}?)[,.]?[\"”]")
_BOOK = re.compile(r"\((?:(?P<city>[^:()]+):\s*)?(?P<publisher>[^,()]+),\s*(?P<year>\d{4})\)")
_ORG_WORDS = re.compile(
    r"\b(?:Watch|International|Institute|Committee|Council|Friends|Agency|Ministry|Association|Database|Centre|"
    r"Center|Alliance|Coalition|Network|Commission|Office|Organi[sz]ation|Programme|Program|Government|"
    r"Unification|Foundation|Union|Society|Service|News|Times|Post|Herald|Daily|Press|UN|NK)\b"
)
_SMALL = {
    "a",
    "an",
    "and",
    "or",
    "the",
    "of",
    "for",
    "in",
    "on",
    "de",
    "van",
    "von",
    "der",
    "la",
    "le",
    "to",
    "at",
    "&",
}
_NEWS_OUTLETS = re.compile(
    r"\b(?:Reuters|Associated Press|AP|AFP|Yonhap|KCNA|BBC|Daily NK|Times|Post|Herald|News|Globe|Guardian|"
    r"Journal|Ilbo|Chosun|JoongAng|KBS|NHK|CNN|Radio Free Asia|Voice of America)\b"
)


_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,2}([^*_]+)[*_]{1,2}(?!\w)")  # *Title* or _Title_ in Markdown
_NEWS_AUTHOR = re.compile(
    r"^(?:The\s+)?(?:Reuters|Associated Press|AP|AFP|Yonhap|KCNA|BBC|Daily NK|NK News|Radio Free Asia"
    r"|Voice of America)$"
    r"|\b(?:News|Daily|Times|Post|Herald|Journal|Ilbo|Press|News Agency)\b"
)


@dataclass(frozen=True)
class DocumentCitation:
    """One cited document as one citation describes it."""

    text: str
    kind: DocumentKind
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    outlet: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    accessed: str | None = None
    volume: str | None = None
    symbol: str | None = None
    pages: str | None = None


@dataclass
class _Parts:
    """What has been peeled off a citation so far, and what is left of it."""

    rest: str
    url: str | None = None
    accessed: str | None = None
    pages: str | None = None
    volume: str | None = None
    symbols: list[str] = field(default_factory=list)
    date: str | None = None
    dated: bool = False


def _cut(text: str, start: int, end: int) -> str:
    return text[:start] + " " + text[end:]


def _peel(citation: str) -> _Parts:
    """Take the unmistakable parts off a citation.

    Each step runs only when a cheap substring test says its pattern can
    match, which keeps a report with a thousand notes fast.
    """
    parts = _Parts(_LEAD_IN.sub("", citation.strip()))
    lowered = parts.rest.lower()
    urls = url_spans(parts.rest)
    if urls:
        parts.url = parts.rest[urls[0].start : urls[0].end].rstrip(".,;)")
        for span in reversed(urls):
            parts.rest = _cut(parts.rest, span.start, span.end)
    if any(word in lowered for word in ("accessed", "retrieved", "viewed", "consulted")):
        _peel_accessed(parts)
    if any(word in lowered for word in ("p.", "pp", "page", "art", "para")):
        parts.pages = find_locator(parts.rest)
        parts.rest = _ARTICLE_TEXT.sub(" ", strip_locator(parts.rest))
    if "vol" in lowered:
        _peel_volume(parts)
    symbols = list(_SYMBOLS.finditer(parts.rest)) if "/" in parts.rest or "U.N" in parts.rest else []
    for symbol in reversed(symbols):
        parts.symbols.insert(0, squash(symbol.group(0)))
        parts.rest = _cut(parts.rest, symbol.start(), symbol.end())
    _peel_dates(parts)
    return parts


def _peel_accessed(parts: _Parts) -> None:
    accessed = _ACCESSED.search(parts.rest)
    if accessed is None:
        return
    hits = [h for h in find_dates(parts.rest[accessed.end() :]) if h.start == 0]
    if hits:
        parts.accessed = hits[0].edtf
        end = _ACCESSED_END.match(parts.rest, accessed.end() + hits[0].end)
        parts.rest = _cut(parts.rest, accessed.start(), end.end() if end else accessed.end() + hits[0].end)


def _peel_volume(parts: _Parts) -> None:
    volume = _VOLUME.search(parts.rest)
    if volume is None:
        return
    number = "".join(volume.group("no").split()) if volume.group("no") else None
    parts.volume = f"vol. {volume.group('vol')}" + (f", no. {number}" if number else "")
    parts.rest = _cut(parts.rest, volume.start(), volume.end())


def _peel_dates(parts: _Parts) -> None:
    """Keep the publication (or adoption) date; drop dates of entry into force."""
    for hit in reversed(find_dates(parts.rest)):
        before = parts.rest[max(0, hit.start - 30) : hit.start].lower()
        if re.search(r"(?:into force|effective)\s*(?:on\s*)?$", before):
            parts.rest = _cut(parts.rest, hit.start, hit.end)
            parts.rest = re.sub(r"\b(?:entered|entry)\s+into\s+force\s*(?:on\s*)?(?=\s*(?:,|$))", " ", parts.rest)
            continue
        adopted = re.search(r"\b(?:adopted|signed|opened for signature)\s*(?:on\s*)?$", before)
        if parts.date is None or adopted:
            parts.date = hit.edtf
        parts.dated = True
        start = hit.start - len(adopted.group(0)) if adopted else hit.start
        parts.rest = _cut(parts.rest, max(0, start), hit.end)


def _segments(text: str) -> list[str]:
    """Comma-separated remains, without empty brackets and connective leftovers."""
    pieces = []
    for piece in split_top_level(text):
        cleaned = squash(re.sub(r"\(\s*\)", " ", piece)).strip(" .;:")
        junk = r"[()\[\]\s]*|at\s+\d+|(?:and|in|on)\b.*|(?:entered|entry)\s+into\s+force|adopted|signed"
        if cleaned and not re.fullmatch(junk, cleaned, re.I):
            pieces.append(cleaned)
    return pieces


def _name_like(text: str) -> bool:
    """True for an author or organisation ("Ahn Yoon-suk", "Korea Institute for National Unification")."""
    words = text.split()
    if not words or len(words) > 9:
        return False
    content = [w for w in words if w.lower() not in _SMALL]
    capitals = [w for w in content if w[:1].isupper() or w[:1].isdigit()]
    return bool(content) and len(capitals) / len(content) >= 0.75


def _person_like(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 4 and _name_like(text) and not _ORG_WORDS.search(text)


def _kind(title: str, author: str | None, parts: _Parts, outlet: str | None, book: bool) -> DocumentKind:
    has_series = any("U.N.T.S." in s for s in parts.symbols)
    if _INSTRUMENT.match(title) and "Declaration" not in title.split(",")[0]:
        return "treaty"
    if has_series:
        return "treaty"
    if parts.symbols and any("/" in s and not s.startswith("Index") for s in parts.symbols):
        return "un_document"
    if _UN_TITLE.search(title) or (author and _UN_AUTHOR.search(author)) or _INSTRUMENT.match(title):
        return "un_document"
    if book:
        return "book"
    if outlet and (_NEWS_OUTLETS.search(outlet) or (parts.date and len(parts.date) == 10)):
        return "news"
    if author and _ORG_WORDS.search(author) or parts.volume or parts.symbols:
        return "academic" if author and re.search(r"Institute|University", author) else "ngo_report"
    return "other"


def _quoted(parts: _Parts) -> tuple[str, str | None, str | None] | None:
    """(title, text before it, first part after it) of a citation with a quoted title."""
    m = _QUOTED.search(parts.rest)
    if m is None:
        return None
    before = squash(parts.rest[: m.start()]).strip(" ,.;:") or None
    after = _segments(parts.rest[m.end() :])
    outlet = after[0] if after and not _UN_TITLE.match(after[0]) else None
    return m.group("title").strip(), before, outlet


def _unquoted(parts: _Parts) -> tuple[str, str | None, str | None] | None:
    """(title, author, outlet) of "Author, Title, Outlet", or of an instrument named first."""
    segments = _segments(parts.rest)
    if not segments:
        return None
    un_title = next((i for i, s in enumerate(segments) if _UN_TITLE.match(s)), None)
    if un_title is not None:
        title = ", ".join(segments[un_title : un_title + 2])
        return title, ", ".join(segments[:un_title]) or None, None
    if _INSTRUMENT.match(segments[0]) or len(segments) == 1:
        # "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment ...": the
        # title goes on through parts that read as title words.
        words = [segments[0]]
        for more in segments[1:]:
            if not more[:1].isupper() or any(ch.isdigit() for ch in more) or not _name_like(more):
                break
            words.append(more)
        return _ABBREVIATION.sub("", ", ".join(words)), None, None
    if not _name_like(segments[0]):
        return None
    outlet = segments[2] if len(segments) > 2 and _name_like(segments[2]) else None
    return segments[1], segments[0], outlet


def _authors(author: str | None) -> tuple[list[str], str | None]:
    """(authors, publisher): people are authors; an organisation is the publisher."""
    if not author or not _name_like(author) and not _UN_AUTHOR.search(author):
        return [], None
    if _person_like(author) or re.search(r"\band\b", author) and not _ORG_WORDS.search(author):
        return [a.strip() for a in re.split(r",?\s+and\s+|;\s*", author) if a.strip()], None
    return ([author], None) if _UN_AUTHOR.search(author) else ([], author)


def parse_document_citation(sentence: str) -> DocumentCitation | None:
    """A document citation read from one sentence of a note, or None when the sentence is prose."""
    if not _MAYBE_CITATION.search(sentence):
        return None  # no year, address, series or page: prose
    parts = _peel(sentence)
    book = _BOOK.search(parts.rest)
    if book:
        parts.date = parts.date or book.group("year")
        parts.rest = _cut(parts.rest, book.start(), book.end())
    reading = _quoted(parts) or _unquoted(parts)
    if reading is None:
        return None
    title, author, outlet = reading
    formal = bool(parts.symbols) or _INSTRUMENT.match(title) is not None or _UN_TITLE.search(title) is not None
    if not (parts.dated or parts.url or formal or book or parts.volume):
        return None
    if author and not _QUOTED.search(sentence) and not _name_like(author) and not formal:
        return None
    authors, publisher = _authors(author)
    if outlet is None and author and _NEWS_AUTHOR.search(author):
        authors, publisher, outlet = [], None, author  # "Daily NK, "Title", 5 March 2013"
    if book:
        publisher = squash(book.group("publisher"))
    kind = _kind(title, author, parts, outlet, bool(book))
    if kind == "un_document" and outlet and not _QUOTED.search(sentence):
        title, outlet = f"{title}, {outlet}", None  # "Situation of ..., Report of the Special Rapporteur"
    return DocumentCitation(
        text=squash(sentence),
        kind=kind,
        title=_EMPHASIS.sub(r"\1", title).strip(" ,.") or None,
        authors=authors,
        outlet=outlet,
        publisher=publisher,
        date=parts.date,
        url=parts.url,
        accessed=parts.accessed,
        volume=parts.volume,
        symbol=", ".join(parts.symbols) or None,
        pages=parts.pages,
    )
