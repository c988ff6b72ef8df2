"""Briefing outlines: the author's sections and paragraphs, with references the renderer resolves.

Inside paragraph text:
  [[E-12]]                 an endnote citing excerpt E-12 (its source, pages)
  [[doc:D-7 p. 21-22]]     an endnote citing a document directly, with pages
  [[note: free text]]      an explanatory endnote in the author's words
  {{quote:E-12}}           the excerpt's own words, in quotation marks (checked against consent)
  {{sources:KEY}}          computed: "9 interviewees from 7 places of origin"
  {{witnesses:KEY}} {{origins:KEY}} {{grade:KEY}} {{interviewed}}   computed counts and grades
  {{cited}} {{cited:KP}}   computed: the witnesses the briefing's notes cite (of one nationality)
A `tool:` block is a paragraph of the tool's own, shown apart and labelled as
computed by Corroborate; a reconstruction keeps every computed value in one.
  {{descriptor:W-7}} or {{descriptor:E-12}}   the witness as the disclosure policy describes them
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from corroborate.domain import FuzzyDate, read_data_file

from .policy import DisclosurePolicy

__all__ = ["Block", "Outline", "Reconstruction", "Section", "load_outline"]


class Block(BaseModel):
    """One block of a section: a paragraph, a block quote, or a list of recommendations."""

    model_config = ConfigDict(extra="forbid")

    p: str | None = Field(default=None, description="paragraph text, with [[...]] citations and {{...}} values")
    tool: str | None = Field(
        default=None,
        description="a paragraph of the tool's own (computed counts and grades), shown apart and labelled "
        "as computed by Corroborate, not the author's words",
    )
    quote: str | None = Field(default=None, description="excerpt id to show as a block quote, cited after it")
    intro: str | None = Field(default=None, description="text before a block quote, in the author's words")
    recommendations: str | None = Field(default=None, description="addressee whose recommendations are listed")
    lead: str | None = Field(default=None, description="sentence introducing the list of recommendations")

    @model_validator(mode="after")
    def _one_kind(self) -> Block:
        kinds = [k for k in ("p", "tool", "quote", "recommendations") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a block is exactly one of: p, tool, quote, recommendations")
        return self


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heading: str
    blocks: list[Block] = Field(default_factory=list)


class Reconstruction(BaseModel):
    """A briefing that rebuilds someone else's publication from a coded case, and says so on its title page."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="the publication reconstructed, cited in full (author, title, date)")
    statement: str = Field(
        description="what the reconstruction adds to, changes in or leaves out of the source, in plain words"
    )


class Outline(BaseModel):
    """A briefing: title page, sections, the citation style and the disclosure policy."""

    model_config = ConfigDict(extra="forbid")

    title: str
    subtitle: str | None = None
    organisation: str
    date: FuzzyDate | None = Field(default=None, description="publication date (EDTF)")
    summary: str | None = Field(default=None, description="a line on the title page")
    reconstruction: Reconstruction | None = Field(
        default=None,
        description="set when the briefing reconstructs another organisation's publication: its title page "
        "then says so first, and every computed value must sit in a `tool:` block",
    )
    style: str = Field(default="hrw", description="citation style id (hrw, un-coi) or a YAML file")
    disclosure: DisclosurePolicy = Field(default_factory=DisclosurePolicy)
    sections: list[Section] = Field(min_length=1)


def load_outline(path: str | Path) -> Outline:
    """Read a briefing outline; every problem is reported with its field path."""
    return read_data_file(Outline, path, what="outline")
