"""Self-consistency checks: what a report says about its research against what its notes cite.

"Human Rights Watch interviewed 16 North Korean border crossers" while the
notes cite 11 distinct North Koreans is normal (not everyone is cited) but
worth stating; citing more people than the text says were interviewed, or
interview dates outside the period the text gives, is a mistake to fix before
publication.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from corroborate.domain import date_interval, phrase_to_edtf
from corroborate.domain.calendarwords import MONTH_PATTERN, NUMBER_WORDS, TENS, number_value

from .model import Check, InterviewRecord, Marker, Note, WitnessRecord
from .sentences import sentence_spans
from .text import paragraph_spans

__all__ = ["consistency_checks", "number_value"]  # number_value: from domain.calendarwords, for the parser

_UNITS = list(NUMBER_WORDS)
_TENS_WORDS = "(?:" + "|".join(TENS) + ")(?:[- ](?:" + "|".join(_UNITS[1:10]) + "))?"
_NUMBER = r"(?:\d[\d,]*|" + _TENS_WORDS + "|" + "|".join(_UNITS) + ")"
_QUALIFIER = r"(?P<qualifier>more than|over|at least|nearly|almost|about|around|some|approximately)?\s*"
_INTERVIEWED = re.compile(
    rf"\b(?:interviewed|interviews\s+with|spoke\s+(?:to|with)|talked\s+(?:to|with)|met\s+with)\s+{_QUALIFIER}"
    rf"(?P<count>{_NUMBER})\s+(?P<who>[^.;:]{{0,80}}?)(?=\s+(?:who|whom|in|from|between|during|at|on|and)\b|[.,;:]|$)",
    re.I,
)
_ORIGINS = re.compile(
    rf"\bfrom\s+(?P<count>{_NUMBER})\s+(?:different\s+|distinct\s+)?(?:places|locations|towns|cities|provinces|counties|regions)\b",
    re.I,
)
_INTERVIEW = re.compile(r"\binterview", re.I)
_PART = rf"(?:(?:early|mid|late)[\s-]+)?{MONTH_PATTERN}(?:\s+\d{{1,2}})?"
_PERIOD = re.compile(
    rf"\b(?P<first>{_PART})(?:,?\s*(?P<year1>\d{{4}}))?\s*(?:and|to|through|until|–|-)\s*(?P<second>{_PART}),?\s+(?P<year>\d{{4}})"
    rf"|\b(?P<single>{_PART}),?\s+(?P<year0>\d{{4}})",
    re.I,
)


def _cited_in_group(who: str, witnesses: Sequence[WitnessRecord]) -> tuple[int, str]:
    """How many cited witnesses belong to the group the text counts, and how to name them."""
    chosen = list(witnesses)
    words = who.lower()
    label = "interviewees"
    if "north korean" in words:  # an unstated nationality is not taken as another one
        chosen = [w for w in chosen if w.nationality in ("KP", None)]
        label = "North Korean interviewees"
    if re.search(r"\bwomen\b", words):
        chosen, label = [w for w in chosen if w.gender == "female"], "women"
    elif re.search(r"\bmen\b", words):
        chosen, label = [w for w in chosen if w.gender == "male"], "men"
    return len(chosen), label


def _interviewee_check(body: str, witnesses: Sequence[WitnessRecord]) -> Check:
    m = _INTERVIEWED.search(body)
    count = number_value(m.group("count")) if m else None
    if m is None or count is None:
        return Check(
            name="interviewees",
            cited=str(len(witnesses)),
            message=f"the text does not say how many people were interviewed; {len(witnesses)} cited",
        )
    cited, label = _cited_in_group(m.group("who"), witnesses)
    approximate = m.group("qualifier") is not None
    consistent = approximate or cited <= count
    detail = (
        f"the text says it interviewed {m.group('qualifier') + ' ' if approximate else ''}{count} "
        f"{m.group('who').strip()}; the notes cite {cited} distinct {label}"
    )
    return Check(
        name="interviewees",
        stated=str(count),
        cited=str(cited),
        consistent=consistent,
        message=f"{count} interviewed, {cited} cited ({detail})",
    )


def _origins_check(body: str, witnesses: Sequence[WitnessRecord]) -> Check | None:
    m = _ORIGINS.search(body)
    count = number_value(m.group("count")) if m else None
    if count is None:
        return None
    cited = len({w.origin for w in witnesses if w.origin})
    return Check(
        name="origins",
        stated=str(count),
        cited=str(cited),
        consistent=cited == count,
        message=f"{count} places of origin stated, {cited} cited",
    )


def _stated_period(body: str) -> tuple[str, str] | None:
    """The interview period the text gives ("late November and early December 2006") as (words, EDTF)."""
    for paragraph in paragraph_spans(body):
        if not _INTERVIEW.search(body, paragraph.start, paragraph.end):
            continue
        for span in sentence_spans(body, paragraph.start, paragraph.end):
            sentence = body[span.start : span.end]
            m = _PERIOD.search(sentence) if _INTERVIEW.search(sentence) else None
            if m is None:
                continue
            if m.group("single"):
                edtf = phrase_to_edtf(f"{m.group('single')} {m.group('year0')}")
                return (m.group(0), edtf) if edtf else None
            first = phrase_to_edtf(f"{m.group('first')} {m.group('year1') or m.group('year')}")
            second = phrase_to_edtf(f"{m.group('second')} {m.group('year')}")
            if first and second:
                return m.group(0), f"{first.split('/')[0]}/{second.split('/')[-1]}"
    return None


def _dates_check(body: str, interviews: Sequence[InterviewRecord]) -> Check | None:
    dates = sorted({i.date for i in interviews if i.date})
    starts = [iv.start for iv in map(date_interval, dates) if iv.start is not None]
    ends = [iv.end for iv in map(date_interval, dates) if iv.end is not None]
    if not starts or not ends:
        return None
    first, last = min(starts), max(ends)
    cited = f"{first}/{last}" if first != last else str(first)
    span_words = f"{first} to {last}" if first != last else str(first)
    stated = _stated_period(body)
    if stated is None:
        return Check(name="interview_dates", cited=cited, message=f"interviews cited from {span_words}")
    words, edtf = stated
    period = date_interval(edtf)
    inside = all(
        (period.start is None or (iv.start is not None and iv.start >= period.start))
        and (period.end is None or (iv.end is not None and iv.end <= period.end))
        for iv in (date_interval(d) for d in dates)
    )
    where = "lie within" if inside else "fall outside"
    return Check(
        name="interview_dates",
        stated=edtf,
        cited=cited,
        consistent=inside,
        message=f"interviews cited from {span_words}; they {where} the stated {words!r} ({edtf})",
    )


def _markers_check(notes: Sequence[Note], markers: Sequence[Marker]) -> Check:
    ordered = all(a.number < b.number for a, b in zip(markers, markers[1:], strict=False))
    return Check(
        name="markers",
        stated=str(len(notes)),
        cited=str(len(markers)),
        consistent=len(notes) == len(markers) and ordered,
        message=f"{len(notes)} notes, {len(markers)} markers found in the body",
    )


def consistency_checks(
    body: str,
    *,
    notes: Sequence[Note],
    markers: Sequence[Marker],
    witnesses: Sequence[WitnessRecord],
    interviews: Sequence[InterviewRecord],
) -> list[Check]:
    """The checks printed with a parsed report."""
    checks = [_markers_check(notes, markers), _interviewee_check(body, witnesses)]
    checks += [c for c in (_origins_check(body, witnesses), _dates_check(body, interviews)) if c is not None]
    return checks
