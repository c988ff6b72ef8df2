"""The working behind a grade, in words an analyst can check line by line.

Names sources by pseudonym and public descriptor only. Long lists are cut
with a count of what was left out, so an explanation stays readable at the
scale of a documentation centre.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .consistency import AttributeFinding
from .sources import ExcerptSource, SideSummary, SourceIndex
from .standard import Standard

if TYPE_CHECKING:
    from .corroboration import Assessment

__all__ = ["explain"]

_MAX_LINES = 25


def _notes(sources: list[ExcerptSource]) -> str:
    notes = sorted({s.note for s in sources if s.note is not None})
    if not notes:
        return ""
    return f"; note{'s' if len(notes) > 1 else ''} {', '.join(str(n) for n in notes)}"


def _group_line(sources: list[ExcerptSource], index: SourceIndex, first_hand: bool) -> str:
    members = sorted({s.source for s in sources})
    names = ", ".join(index.label(m) for m in members)
    kinds = ", ".join(sorted({s.mode for s in sources}))
    what = "witness" if sources[0].kind == "witness" else "document"
    if len(members) > 1:
        why = f"merged into one source because of {sources[0].group_reason}"
    else:
        why = f"an independent {what}: it shares no interview group or underlying source with any other source"
    status = "first-hand" if first_hand else "not first-hand"
    return f"  - {names}{_notes(sources)}: counted once, {status} ({kinds}); {why}"


def _cut_groups(side: SideSummary, index: SourceIndex) -> list[str]:
    """One line per source group, at most _MAX_LINES of them (only those lines are built)."""
    keys = sorted(side.groups)
    lines = [
        _group_line(sorted(side.groups[g], key=lambda x: (x.source, x.excerpt)), index, g in side.first_hand_groups)
        for g in keys[:_MAX_LINES]
    ]
    if len(keys) > _MAX_LINES:
        lines.append(f"  ... and {len(keys) - _MAX_LINES} more")
    return lines


def explain(a: Assessment, index: SourceIndex, standard: Standard, meaning: str) -> str:
    """The explanation of an assessment."""
    modes = ", ".join(sorted(standard.first_hand_modes(a.proposition.key))) or "none"
    s = a.support
    lines = [
        f"{a.proposition.key}: {a.grade} under the standard {standard.name!r}"
        + (f" ({meaning})" if meaning else "")
        + f"; the rule that holds: {a.rule}.",
        f"For: {len(s.groups)} independent source(s) — {len(s.witnesses)} witness(es) and {len(s.documents)} "
        f"document(s); {len(s.first_hand_groups)} first-hand (first-hand here means: {modes}); "
        f"places of origin: {', '.join(s.origins) or 'none'}.",
    ]
    lines += _cut_groups(s, index)
    repeats = sorted((src, n) for src, n in s.citations().items() if n > 1)
    if repeats:
        lines.append(
            "Cited more than once, counted once: "
            + ", ".join(f"{index.label(src)} ×{n}" for src, n in repeats[:_MAX_LINES])
            + (f" and {len(repeats) - _MAX_LINES} more" if len(repeats) > _MAX_LINES else "")
            + "."
        )
    if a.against.groups:
        lines.append(f"Against: {len(a.against.groups)} source(s), {len(a.independent_against)} independent of "
                     "every supporting source.")  # fmt: skip
        lines += _cut_groups(a.against, index)
    else:
        lines.append("Against: no source contradicts it.")
    if a.proposition.kind == "pattern":
        lines.append(
            f"A pattern of repeated conduct: its supporting claims describe {a.occurrences} occurrence(s); "
            "attribute values are compared only between claims about the same occurrence."
        )
    for f in a.attributes.values():
        if f.consistent:
            if f.of_source:
                lines.append(f"Attribute {f.name} describes each source, not compared ({', '.join(f.distinct)}).")
            elif f.type != "text":
                where = f" within each of {f.occurrences} occurrences" if f.occurrences > 1 else ""
                lines.append(f"Attribute {f.name}: sources agree{where} ({', '.join(f.distinct)}).")
            continue
        effect = "this contests the proposition" if f.decisive else "reported, does not change the grade"
        if not f.disagreeing:
            lines.append(f"Attribute {f.name} DISAGREES ({effect}; span {f.span}): {_said(f, index)}.")
        for occurrence, finding in list(f.disagreeing.items())[:_MAX_LINES]:
            which = f"occurrence {occurrence}" if not occurrence.startswith("#") else f"claim {occurrence[1:]}"
            lines.append(f"Attribute {f.name} DISAGREES within {which} ({effect}; span {finding.span}): "
                         f"{_said(finding, index)}.")  # fmt: skip
    return "\n".join(lines)


def _said(f: AttributeFinding, index: SourceIndex) -> str:
    return "; ".join(
        f"{value}: {', '.join(index.label(src) for src in sources[:8])}"
        + (f" and {len(sources) - 8} more" if len(sources) > 8 else "")
        for value, sources in list(f.values.items())[:_MAX_LINES]
    )
