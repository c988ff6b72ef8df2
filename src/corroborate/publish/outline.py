"""Briefing outlines: the author's sections and paragraphs, with references the renderer resolves.

Inside paragraph text:
  [[E-12]]                 an endnote citing excerpt E-12 (its source, pages)
  [[doc:D-7 p. 21-22]]     an endnote citing a document directly, with pages
  [[note: free text]]      an explanatory endnote in the author's words
  {{quote:E-12}}           the excerpt's own words, in quotation marks (checked against consent)
  {{sources:KEY}}          computed: "9 interviewees from 7 places of origin"
  {{witnesses:KEY}} {{origins:KEY}} {{grade:KEY}} {{interviewed}}   computed counts and grades
  {{descriptor:W-7}} or {{descriptor:E-12}}   the witness as the disclosure policy describes them
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from corroborate.domain import FuzzyDate, read_data_file

from .policy import DisclosurePolicy

__all__ = ["Block", "Outline", "Section", "load_outline"]


class Block(BaseModel):
    """One block of a section: a paragraph, a block quote, or a list of recommendations."""

    model_config = ConfigDict(extra="forbid")

    p: str | None = Field(default=None, description="paragraph text, with [[...]] citations and {{...}} values")
    quote: str | None = Field(default=None, description="excerpt id to show as a block quote, cited after it")
    intro: str | None = Field(default=None, description="text before a block quote, in the author's words")
    recommendations: str | None = Field(default=None, description="addressee whose recommendations are listed")
    lead: str | None = Field(default=None, description="sentence introducing the list of recommendations")

    @model_validator(mode="after")
    def _one_kind(self) -> Block:
        kinds = [k for k in ("p", "quote", "recommendations") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a block is exactly one of: p, quote, recommendations")
        return self


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heading: str
    blocks: list[Block] = Field(default_factory=list)


class Outline(BaseModel):
    """A briefing: title page, sections, the citation style and the disclosure policy."""

    model_config = ConfigDict(extra="forbid")

    title: str
    subtitle: str | None = None
    organisation: str
    date: FuzzyDate | None = Field(default=None, description="publication date (EDTF)")
    summary: str | None = Field(default=None, description="a line on the title page")
    style: str = Field(default="hrw", description="citation style id (hrw, un-coi) or a YAML file")
    disclosure: DisclosurePolicy = Field(default_factory=DisclosurePolicy)
    sections: list[Section] = Field(min_length=1)


def load_outline(path: str | Path) -> Outline:
    """Read a briefing outline; every problem is reported with its field path."""
    return read_data_file(Outline, path, what="outline")
