"""Rendering a briefing: resolve citations into numbered endnotes, compute embedded values, write HTML/PDF.

The renderer only builds text; whether that text may be published is decided
by the disclosure checks, which run on exactly what was built, before
anything is written.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from jinja2 import Environment, FunctionLoader, select_autoescape

from corroborate.analysis import CaseAssessment
from corroborate.domain import Case, Document, Excerpt, Interview, Witness, country_name
from corroborate.errors import UserError

from .outline import Block, Outline
from .policy import published_interview_date, render_descriptor
from .styles import CitationStyle, fill, format_date, page_text

__all__ = ["Endnote", "RenderedBriefing", "WordingProblem", "build_briefing", "render_html"]

_CITE = re.compile(r"\[\[(.+?)\]\]")
_VALUE = re.compile(r"\{\{(.+?)\}\}")
# Values the tool computes from the case (counts, grades), as opposed to quotations and descriptors.
_COMPUTED = frozenset({"sources", "witnesses", "origins", "grade", "interviewed", "cited"})
TOOL_LABEL = "Computed by Corroborate from the coded case, not the source's words"


@dataclass
class Endnote:
    number: int
    text: str
    source: str | None  # interview or document id, for "Ibid."
    pages: str | None = None


@dataclass(frozen=True)
class WordingProblem:
    """Wording a reader would stumble on (a gap where a descriptor was, notes run together); blocks publishing."""

    where: str  # "section 2, block 3": never the text itself
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class RenderedSection:
    heading: str
    anchor: str
    blocks: list[str]  # HTML


@dataclass
class RenderedBriefing:
    """Everything a publication would show, and what the disclosure checks need to know about it."""

    outline: Outline
    style: CitationStyle
    sections: list[RenderedSection]
    notes: list[Endnote]
    cited: list[tuple[str, str | None]] = field(default_factory=list)  # (witness, interview) cited
    quoted: list[tuple[str, bool]] = field(default_factory=list)  # (excerpt, shown as a direct quote)
    parts: list[tuple[str, str]] = field(default_factory=list)  # (where, plain text) in reading order
    wording: list[WordingProblem] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All the words of the briefing, for the leak scan."""
        return "\n".join(t for _, t in self.parts)

    def where(self, offset: int) -> str:
        """Which part of the briefing a position of ``text`` falls in."""
        position = 0
        for label, part in self.parts:
            if offset <= position + len(part):
                return label
            position += len(part) + 1
        return self.parts[-1][0] if self.parts else "document"


class _Builder:
    def __init__(self, case: Case, outline: Outline, style: CitationStyle, assessment: CaseAssessment) -> None:
        self.case, self.outline, self.style, self.assessment = case, outline, style, assessment
        self.excerpts: dict[str, Excerpt] = {e.id: e for e in case.excerpts}
        self.interviews: dict[str, Interview] = {i.id: i for i in case.interviews}
        self.documents: dict[str, Document] = {d.id: d for d in case.documents}
        self.witnesses: dict[str, Witness] = {w.id: w for w in case.witnesses}
        self.notes: list[Endnote] = []
        self.cited: list[tuple[str, str | None]] = []
        self.quoted: list[tuple[str, bool]] = []
        self.wording: list[WordingProblem] = []
        self.place = "title page"  # the block being built, as reports name it
        self.in_tool = False  # building a `tool:` block
        self.cited_witnesses = self._witnesses_cited()

    def _witnesses_cited(self) -> list[Witness]:
        """The witnesses the briefing's notes will cite, known before the first block is built."""
        refs = []
        for section in self.outline.sections:
            for block in section.blocks:
                for text in (block.p, block.tool, block.intro):
                    refs += [m.group(1).strip() for m in _CITE.finditer(text or "")]
                if block.quote is not None:
                    refs.append(block.quote)
        found: dict[str, Witness] = {}
        for ref in refs:
            interview = self.interviews.get(self._source_of(ref))
            if interview is not None and interview.witness in self.witnesses:
                found.setdefault(interview.witness, self.witnesses[interview.witness])
        return list(found.values())

    def _stumble(self, message: str) -> None:
        problem = WordingProblem(self.place, message)
        if problem not in self.wording:
            self.wording.append(problem)

    # ---- endnotes
    def _note(self, text: str, source: str | None, pages: str | None) -> int:
        previous = self.notes[-1] if self.notes else None
        if source is not None and previous is not None and previous.source == source:
            if pages and pages != previous.pages:
                text = page_text(pages, self.style, template=self.style.ibid_pages)
            elif not pages or pages == previous.pages:
                text = self.style.ibid
        self.notes.append(Endnote(len(self.notes) + 1, text, source, pages))
        return len(self.notes)

    def _interview_note(self, interview: Interview) -> str:
        w = self.witnesses[interview.witness]
        number = int(w.id.split("-")[1])
        policy = self.outline.disclosure
        published = published_interview_date(interview, policy)  # what the disclosure check approved
        descriptor = render_descriptor(w, interview, policy)
        if not descriptor.strip():
            self._stumble(f"the endnote citing {w.id} describes no one: the disclosure policy leaves nothing of "
                          "the descriptor (it would read \"interview with, …\")")  # fmt: skip
        values = {
            "organisation": self.outline.organisation,
            "descriptor": descriptor,
            "country": country_name(interview.country),
            "date": format_date(published, self.style),
            "month_year": format_date(published[:7] if published else None, self.style),
            "code": fill(self.style.witness_code, {"number": number}) if self.style.witness_code else w.id,
        }
        return fill(self.style.interview, values)

    def _document_note(self, d: Document, pages: str | None, article: str | None = None) -> str:
        values = {
            "authors": " and ".join(d.authors), "title": d.title, "outlet": d.outlet, "publisher": d.publisher,
            "publisher_or_outlet": d.publisher or d.outlet, "date": format_date(d.date, self.style),
            "url": d.url, "accessed": format_date(d.accessed, self.style), "volume": d.volume, "symbol": d.symbol,
            "pages": page_text(pages, self.style), "in_force": format_date(d.in_force, self.style),
            "article": article,
        }  # fmt: skip
        return fill(self.style.document_template(d.kind), values)

    def cite(self, ref: str, where: str) -> int:
        ref = ref.strip()
        if ref.startswith("note:"):
            return self._note(ref[5:].strip(), None, None)
        if ref.startswith("doc:"):
            doc_id, _, locator = ref[4:].strip().partition(" ")
            d = self.documents.get(doc_id)
            if d is None:
                raise UserError(f"{where}: no document {doc_id!r} in the case")
            pages = re.sub(r"^pp?\.\s*", "", locator.strip()) or None
            return self._note(self._document_note(d, pages), d.id, pages)
        excerpt = self.excerpts.get(ref)
        if excerpt is None:
            raise UserError(f"{where}: no excerpt {ref!r} in the case")
        self.quoted.append((excerpt.id, False))
        interview = self.interviews.get(excerpt.source)
        if interview is not None:
            self.cited.append((interview.witness, interview.id))
            return self._note(self._interview_note(interview), interview.id, None)
        d = self.documents[excerpt.source]
        # Two articles of one treaty are two citations, never "Ibid." for each other.
        source = d.id if excerpt.article is None else f"{d.id} art. {excerpt.article}"
        return self._note(self._document_note(d, excerpt.pages, excerpt.article), source, excerpt.pages)

    # ---- computed values
    def value(self, expression: str, where: str) -> str:
        kind, _, arg = expression.strip().partition(":")
        if kind == "quote":
            excerpt = self.excerpts.get(arg.strip())
            if excerpt is None:
                raise UserError(f"{where}: no excerpt {arg.strip()!r} in the case")
            self.quoted.append((excerpt.id, True))
            return f"“{excerpt.text.strip()}”"
        if kind == "interviewed":
            return str(len(self.case.witnesses))
        if kind == "cited":
            nationality = arg.strip().upper()
            cited = [w for w in self.cited_witnesses if not nationality or w.descriptor.nationality == nationality]
            return str(len(cited))
        if kind == "descriptor":
            return self._descriptor(arg.strip(), where)
        if kind not in ("witnesses", "origins", "grade", "sources"):
            raise UserError(
                f"{where}: unknown value {{{{{expression}}}}} "
                "(use quote, descriptor, sources, witnesses, origins, grade, interviewed, cited)"
            )
        try:
            a = self.assessment.get(arg.strip())
        except KeyError:
            raise UserError(f"{where}: no proposition {arg.strip()!r} in the case") from None
        witnesses, origins = len(a.support.witnesses), len(a.support.origins)
        if kind == "witnesses":
            return str(witnesses)
        if kind == "origins":
            return str(origins)
        if kind == "grade":
            return a.grade.replace("_", " ")
        return (f"{witnesses} interviewee{'s' if witnesses != 1 else ''} from {origins} "
                f"place{'s' if origins != 1 else ''} of origin")  # fmt: skip

    def _descriptor(self, ref: str, where: str) -> str:
        """{{descriptor:W-007}} or {{descriptor:E-12}}: the witness as the disclosure policy describes them."""
        interview = None
        if ref in self.excerpts:
            interview = self.interviews.get(self.excerpts[ref].source)
            if interview is None:
                raise UserError(f"{where}: excerpt {ref!r} is from a document, not a witness")
            ref = interview.witness
        witness = self.witnesses.get(ref)
        if witness is None:
            raise UserError(f"{where}: no witness or excerpt {ref!r} in the case")
        if interview is None:
            interview = next((i for i in self.case.interviews if i.witness == ref), None)
        self.cited.append((witness.id, interview.id if interview else None))
        described = render_descriptor(witness, interview, self.outline.disclosure)
        if not described.strip():
            self._stumble(f"the description of {witness.id} is empty under the disclosure policy (the sentence "
                          "would read \"One of them, , told us\")")  # fmt: skip
        return described

    # ---- blocks
    def text(self, raw: str, where: str) -> tuple[str, str]:
        """HTML and plain text of author text with its citations and values resolved."""
        html_out, plain = [], []
        position = 0
        pattern = re.compile(f"{_CITE.pattern}|{_VALUE.pattern}")
        self._check_quotes_and_markers(raw)
        for m in pattern.finditer(raw):
            literal = raw[position : m.start()]
            html_out.append(html.escape(literal))
            plain.append(literal)
            if m.group(1) is not None:
                n = self.cite(m.group(1), where)
                html_out.append(f'<sup class="ref"><a id="ref-{n}" href="#note-{n}">{n}</a></sup>')
                plain.append(str(n))
            else:
                v = self.value(m.group(2), where)
                html_out.append(self._value_html(m.group(2).strip(), v))
                plain.append(v)
            position = m.end()
        html_out.append(html.escape(raw[position:]))
        plain.append(raw[position:])
        return "".join(html_out), "".join(plain)

    def _value_html(self, expression: str, value: str) -> str:
        """A computed value marked as the tool's; in a reconstruction, only inside a `tool:` block."""
        if expression.partition(":")[0] not in _COMPUTED:
            return html.escape(value)
        if self.outline.reconstruction is not None and not self.in_tool:
            self._stumble(f"the computed value {{{{{expression}}}}} would read as the source's words: put it in "
                          "a `tool:` block, labelled as Corroborate's")  # fmt: skip
        return f'<span class="computed">{html.escape(value)}</span>'

    def _source_of(self, ref: str) -> str:
        """The interview or document a citation or quotation refers to (the reference itself if unknown)."""
        if ref.startswith("doc:"):
            return ref[4:].strip().partition(" ")[0]
        excerpt = self.excerpts.get(ref)
        return excerpt.source if excerpt is not None else ref

    def _check_quotes_and_markers(self, raw: str) -> None:
        """Each quotation's source cited by a note in its block; no two note markers with nothing between them.

        One note may cover several quotations of one interview or document, as a
        paper's notes do; a quotation whose source no note of the block cites is
        a quotation without a source.
        """
        cited = {self._source_of(m.group(1).strip()) for m in _CITE.finditer(raw)}
        for m in _VALUE.finditer(raw):
            kind, _, arg = m.group(1).strip().partition(":")
            if kind == "quote" and self._source_of(arg.strip()) not in cited:
                self._stumble(f"the quotation of {arg.strip()} has no endnote citing its source in the same block")
        if re.search(r"\[\[[^\]]+\]\]\s*\[\[", raw):
            self._stumble("two endnote markers with nothing between them read as one number (\"45\"): "
                          "separate them, e.g. with a comma")  # fmt: skip

    def block(self, b: Block, where: str) -> tuple[str, str]:
        if b.p is not None:
            body, plain = self.text(b.p, where)
            return f"<p>{body}</p>", plain
        if b.tool is not None:
            self.in_tool = True
            try:
                body, plain = self.text(b.tool, where)
            finally:
                self.in_tool = False
            return (f'<aside class="tool"><p class="tool-label">{html.escape(TOOL_LABEL)}</p><p>{body}</p></aside>',
                    f"{TOOL_LABEL}\n{plain}")  # fmt: skip
        if b.quote is not None:
            excerpt = self.excerpts.get(b.quote)
            if excerpt is None:
                raise UserError(f"{where}: no excerpt {b.quote!r} in the case")
            intro_html, intro_plain = self.text(b.intro, where) if b.intro else ("", "")
            n = self.cite(excerpt.id, where)
            self.quoted[-1] = (excerpt.id, True)  # cited as a direct quote
            quote = html.escape(excerpt.text.strip())
            marker = f'<sup class="ref"><a id="ref-{n}" href="#note-{n}">{n}</a></sup>'
            intro = f'<p class="intro">{intro_html}</p>' if intro_html else ""
            return f"{intro}<blockquote><p>{quote}{marker}</p></blockquote>", f"{intro_plain}\n{excerpt.text}{n}"
        addressee = b.recommendations or ""
        items = [r for r in self.case.recommendations if r.addressee == addressee]
        if not items:
            raise UserError(f"{where}: the case has no recommendations to {addressee!r}")
        lead = f"<p>{html.escape(b.lead)}</p>" if b.lead else ""
        lis = "".join(f"<li>{html.escape(r.text)}</li>" for r in items)
        return f'{lead}<ul class="recommendations">{lis}</ul>', "\n".join([b.lead or "", *(r.text for r in items)])


def build_briefing(case: Case, outline: Outline, style: CitationStyle, assessment: CaseAssessment) -> RenderedBriefing:
    """Resolve the outline against the case: sections as HTML, numbered endnotes, what is cited and quoted."""
    b = _Builder(case, outline, style, assessment)
    title = [outline.title, outline.subtitle, outline.summary]
    if outline.reconstruction is not None:
        title += [outline.reconstruction.source, outline.reconstruction.statement]
    parts: list[tuple[str, str]] = [("title page", "\n".join(filter(None, title)))]
    sections = []
    for i, section in enumerate(outline.sections, start=1):
        rendered = []
        parts.append((f"section {i}, heading", section.heading))
        for j, block in enumerate(section.blocks, start=1):
            b.place = f"section {i}, block {j}"
            block_html, plain = b.block(block, f"section {i} ({section.heading}), block {j}")
            rendered.append(block_html)
            parts.append((f"section {i}, block {j}", plain))  # labels in reports never quote the text
        sections.append(RenderedSection(section.heading, f"section-{i}", rendered))
    parts += [(f"note {n.number}", n.text) for n in b.notes]
    return RenderedBriefing(outline, style, sections, b.notes, b.cited, b.quoted, parts, b.wording)


def _template(name: str) -> str:
    return resources.files("corroborate.publish.templates").joinpath(name).read_text(encoding="utf-8")


_ENV = Environment(loader=FunctionLoader(_template), autoescape=select_autoescape(default=True))


def render_html(briefing: RenderedBriefing, *, date_text: Callable[[str | None], str] | None = None) -> str:
    """The briefing as one self-contained HTML page (styles inline, nothing fetched)."""
    outline = briefing.outline
    published = format_date(outline.date, briefing.style) if date_text is None else date_text(outline.date)
    return _ENV.get_template("briefing.html").render(
        outline=outline,
        published=published,
        sections=briefing.sections,
        notes=briefing.notes,
        tool_label=TOOL_LABEL,
        css=_template("briefing.css"),
    )
