"""What a reader of a finished briefing gets: the text of its HTML page and of its PDF, part by part.

The leak scan runs on these, not on the fields an outline fills in, so
whatever reaches a reader is scanned, wherever it came from: title page,
headings, paragraphs, block quotes, notes, the page title a browser shows,
and attributes a screen reader speaks (``title``, ``alt``, ``aria-*``).
Each part is named by a place a person can find: "title page", "contents",
"section 2, heading", "section 2, block 3", "note 14", "PDF page 4".
Labels never quote the text (a heading may hold what must not be shown).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_parts", "pdf_parts"]

# Elements that start a new run of text; inline ones (a, sup, em, span ...) continue the current run.
_BLOCKS = frozenset(
    "html head title body main section nav article aside header footer div p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd "
    "blockquote pre figure figcaption table caption thead tbody tfoot tr td th form fieldset legend details "
    "summary address hr br".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HIDDEN = frozenset({"style", "script", "template"})
# Attributes a reader or a screen reader gets.
_SPOKEN = ("title", "alt", "placeholder", "label", "summary")
_SECTION = re.compile(r"section-(\d+)$")
_BLOCK = re.compile(r"section-(\d+)-block-(\d+)$")
_NOTE = re.compile(r"note-(\d+)$")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[tuple[str, str]] = []
        self._stack: list[tuple[str, str]] = []  # (tag, label)
        self._buffer: list[str] = []
        self._spoken: list[tuple[str, str]] = []  # attributes, reported after the text around them
        self._hidden = 0

    @property
    def _label(self) -> str:
        return self._stack[-1][1] if self._stack else "document"

    def _flush(self) -> None:
        text = "".join(self._buffer)
        self._buffer = []
        if text.strip():
            self.parts.append((self._label, text))
        self.parts += self._spoken
        self._spoken = []

    def _label_of(self, tag: str, attrs: dict[str, str]) -> str:
        parent = self._label
        ident, classes = attrs.get("id", ""), attrs.get("class", "").split()
        if tag == "title":
            return "page title"
        if "title-page" in classes:
            return "title page"
        if tag == "nav" and "contents" in classes:
            return "contents"
        if ident == "notes":
            return "notes"
        if match := _BLOCK.match(ident):
            return f"section {match.group(1)}, block {match.group(2)}"
        if match := _SECTION.match(ident):
            return f"section {match.group(1)}"
        if match := _NOTE.match(ident):
            return f"note {match.group(1)}"
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and re.fullmatch(r"section \d+", parent):
            return f"{parent}, heading"
        return parent

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag in _BLOCKS:
            self._flush()
        label = self._label_of(tag, values)
        spoken = [v for k, v in values.items() if k in _SPOKEN or k.startswith("aria-")]
        if tag == "meta" and values.get("name", "").lower() in ("description", "keywords", "author", "subject"):
            spoken.append(values.get("content", ""))
        self._spoken += [(f"{label} (attribute)", v) for v in spoken if v.strip()]
        if tag in _HIDDEN:
            self._hidden += 1
        if tag not in _VOID:
            self._stack.append((tag, label))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not any(t == tag for t, _ in self._stack):
            return
        if tag in _BLOCKS:
            self._flush()
        while self._stack:
            open_tag, _ = self._stack.pop()
            if open_tag in _HIDDEN:
                self._hidden -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_parts(page: str) -> list[tuple[str, str]]:
    """The visible text of an HTML page as (where, text) parts in reading order."""
    parser = _VisibleText()
    parser.feed(page)
    parser.close()
    return parser.parts


def pdf_parts(pdf: bytes) -> list[tuple[str, str]]:
    """The text of a PDF, page by page, as a PDF viewer extracts it: ("PDF page N", text)."""
    import pypdfium2  # imported here: only publishing needs it

    parts = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            try:
                parts.append((f"PDF page {number + 1}", textpage.get_text_range()))
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    return parts
