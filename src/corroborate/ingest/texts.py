"""The text of an evidence file as the workbench's viewer shows it: one page for a plain-text file, each page
of a PDF as its text layer gives it. An excerpt selected in the viewer keeps its position in exactly this
text (page, first and last character), so it must not change between readings: nothing is normalised
beyond decoding (a byte-order mark is dropped) and line ends (CR LF and CR become LF, as a browser shows
them: a position counted in the browser is a position in this text)."""

from __future__ import annotations

from corroborate.errors import UserError

__all__ = ["MAX_TEXT_BYTES", "check_showable", "has_text", "text_pages"]

MAX_TEXT_BYTES = 50 * 1024 * 1024  # a transcript or statement; a larger file is read with `attachment get`
_PDF = "application/pdf"


def has_text(media_type: str) -> bool:
    """Whether the viewer can show a file of this media type as text."""
    return media_type.startswith("text/") or media_type == _PDF


def check_showable(media_type: str, size: int) -> None:
    """Refuse, saying why, a file the viewer cannot show as text (before any of it is read)."""
    if not has_text(media_type):
        raise UserError(f"a file of type {media_type} has no text to show; get it with `corroborate attachment get`")
    if size > MAX_TEXT_BYTES:
        raise UserError("this file is too large to show here; get it with `corroborate attachment get`")


def text_pages(content: bytes, media_type: str) -> list[str]:
    """The file's text, page by page (a plain-text file is one page)."""
    check_showable(media_type, len(content))
    if media_type != _PDF:
        return [_lines(content.decode("utf-8-sig", errors="replace"))]
    import pypdfium2  # imported here: only the PDF viewer needs it

    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError:
        raise UserError("this PDF cannot be read (damaged, or locked with a password)") from None
    pages = []
    try:
        for number in range(len(document)):
            page = document[number]
            textpage = page.get_textpage()
            try:
                pages.append(_lines(textpage.get_text_range()))
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    return pages


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
