"""Resolve interview citations into witnesses and interviews.

Reports cite one interviewee several times ("woman from Musan, age 33, ...,
November 26, 2006" in notes 24 and 26) and describe different interviewees
alike ("woman from Saebyul", aged 40 and 38). Citations with the same
organisation, gender, origin, age, role, name and interview date are one
witness; details that conflict make two. A citation that only leaves out
details (no conflict) joins the one witness it fits, with a warning; a name
the report gives ("Kim (pseudonym)") identifies a witness across interview
dates. Pseudonyms W-001, W-002, ... follow the order of first citation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from corroborate.domain import parse_age

from .interviews import InterviewCitation
from .model import InterviewRecord, WitnessRecord

__all__ = ["WitnessGroup", "WitnessResolution", "resolve_witnesses", "witness_records"]

_DESCRIBING = ("organisation", "gender", "origin", "age", "role", "label")
_IDENTIFYING = ("origin", "age", "role", "label")
_MIN_SHARED_DETAILS = 3


@dataclass
class WitnessGroup:
    """One witness being assembled from the citations that describe them."""

    id: str
    profile: dict[str, str | int | None]  # what is known of the witness so far, in comparable form
    citations: list[tuple[int, InterviewCitation]] = field(default_factory=list)
    interviews: dict[str | None, str] = field(default_factory=dict)  # interview date -> interview id
    notes: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class WitnessResolution:
    """Witness groups, and for each (note, citation index) the witness and interview it cites."""

    groups: list[WitnessGroup]
    interviews: list[InterviewRecord]
    cited: dict[tuple[int, int], tuple[str, str]]
    warnings: list[str]


Profile = dict[str, str | int | None]
_FIELDS = (*_DESCRIBING, "date")


def _value(citation: InterviewCitation, name: str) -> str | int | None:
    value: str | int | None = getattr(citation, name)
    if name == "origin" and value is None and citation.origin_text:
        value = citation.origin_text.casefold()
    if name == "age" and value is None:
        value = citation.age_band
    if isinstance(value, str) and name in ("organisation", "role"):
        value = " ".join(value.casefold().split())
    return value


def _profile(citation: InterviewCitation) -> Profile:
    """What a citation says about its interviewee, in comparable form (age: exact age or band)."""
    return {name: _value(citation, name) for name in _FIELDS}


def _key(profile: Profile) -> tuple[str | int | None, ...]:
    return tuple(profile.get(name) for name in _FIELDS)


def _ages_conflict(a: str | int, b: str | int) -> bool:
    if isinstance(a, int) and isinstance(b, int):
        return a != b
    if isinstance(a, str) and isinstance(b, str):
        return a != b
    exact, band = (a, b) if isinstance(a, int) else (b, a)
    return not parse_age(str(band)).contains(int(exact))


def _conflicts(mine: Profile, theirs: Profile, names: tuple[str, ...]) -> bool:
    for name in names:
        a, b = mine.get(name), theirs.get(name)
        if a is None or b is None or a == b:
            continue
        if name != "age" or _ages_conflict(a, b):
            return True
    return False


def _known(profile: Profile) -> set[str]:
    return {name for name, value in profile.items() if value is not None}


def _repeats_in_part(mine: Profile, theirs: Profile) -> bool:
    """True when one description only leaves out details of the other and they share an identifying one."""
    known_theirs, known_mine = _known(theirs), _known(mine)
    if not (known_theirs <= known_mine or known_mine <= known_theirs):
        return False  # each says something the other does not: two descriptions, two people
    shared = known_theirs & known_mine
    return bool(shared & set(_IDENTIFYING)) and len(shared) >= _MIN_SHARED_DETAILS


@dataclass
class _Index:
    """Witness groups by exact description, by name and by identifying detail, so each look-up is quick."""

    exact: dict[tuple[str | int | None, ...], WitnessGroup] = field(default_factory=dict)
    by_label: dict[str, dict[str, WitnessGroup]] = field(default_factory=dict)
    # (interview date, identifying field, value) -> groups: where a partial description may belong
    by_detail: dict[tuple[str | int | None, str, str | int], dict[str, WitnessGroup]] = field(default_factory=dict)

    def add(self, group: WitnessGroup, cited: Profile) -> None:
        """Index a group under the citation that just joined it and under what is now known of it."""
        for key in (_key(cited), _key(group.profile)):
            self.exact.setdefault(key, group)
        label = group.profile.get("label")
        if isinstance(label, str):
            self.by_label.setdefault(label, {})[group.id] = group
        for name in _IDENTIFYING:
            value = group.profile.get(name)
            if value is not None:
                self.by_detail.setdefault((cited["date"], name, value), {})[group.id] = group

    def sharing_a_detail(self, cited: Profile) -> list[WitnessGroup]:
        """Groups interviewed on the citation's date that share an identifying detail with it."""
        found: dict[str, WitnessGroup] = {}
        for name in _IDENTIFYING:
            value = cited.get(name)
            if value is not None:
                found.update(self.by_detail.get((cited["date"], name, value), {}))
        return list(found.values())


def _find_group(index: _Index, cited: Profile) -> tuple[WitnessGroup | None, bool]:
    """The group a citation belongs to, and whether joining it needs a warning (partial details)."""
    exact = index.exact.get(_key(cited))
    if exact is not None:
        return exact, False
    label = cited.get("label")
    for group in index.by_label.get(label, {}).values() if isinstance(label, str) else []:
        if not _conflicts(group.profile, cited, _DESCRIBING):
            return group, False
    fitting = [
        g
        for g in index.sharing_a_detail(cited)
        if not _conflicts(g.profile, cited, _FIELDS) and _repeats_in_part(g.profile, cited)
    ]
    if len(fitting) == 1:
        return fitting[0], True
    return None, False


def _fill(profile: Profile, cited: Profile) -> None:
    for name, value in cited.items():
        if profile.get(name) is None:
            profile[name] = value


def _first_text(citations: list[InterviewCitation], name: str) -> str | None:
    for citation in citations:
        value = getattr(citation, name)
        if isinstance(value, str):
            return value
    return None


def _record(group: WitnessGroup, interviews: list[InterviewRecord]) -> WitnessRecord:
    """The public record of a witness, from its citations and its own interviews."""
    cited = [c for _, c in group.citations]
    age = next((c.age for c in cited if c.age is not None), None)
    origin = _first_text(cited, "origin")
    gender = _first_text(cited, "gender")
    return WitnessRecord(
        id=group.id,
        gender="male" if gender == "male" else "female" if gender == "female" else None,
        origin=origin,
        origin_text=_first_text(cited, "origin_text"),
        age=age,
        age_band=_first_text(cited, "age_band") if age is None else None,
        nationality=_first_text(cited, "nationality") or ("KP" if origin else None),
        role=_first_text(cited, "role"),
        label=_first_text(cited, "label"),
        organisation=_first_text(cited, "organisation"),
        interview_country=next((i.country for i in interviews if i.country), None),
        interview_dates=sorted({i.date for i in interviews if i.date}),
        notes=sorted(group.notes),
    )


def _interview_records(groups: list[WitnessGroup], warnings: list[str]) -> list[InterviewRecord]:
    """One interview per witness and date; a missing country is taken from the report's other interviews."""
    records: list[InterviewRecord] = []
    for group in groups:
        for date, interview_id in group.interviews.items():
            cited = [(n, c) for n, c in group.citations if c.date == date]
            records.append(
                InterviewRecord(
                    id=interview_id,
                    witness=group.id,
                    date=date,
                    country=next((c.country for _, c in cited if c.country), None),
                    town=next((c.town for _, c in cited if c.town), None),
                    organisation=next((c.organisation for _, c in cited if c.organisation), None),
                    notes=sorted({n for n, _ in cited}),
                )
            )
    records.sort(key=lambda r: r.id)
    countries = Counter(r.country for r in records if r.country)
    only = next(iter(countries)) if len(countries) == 1 else None
    for record in records:
        if record.date is None:
            warnings.append(f"note {', '.join(map(str, record.notes))}: no interview date given")
    for i, record in enumerate(records):
        if record.country is not None:
            continue
        notes = ", ".join(map(str, record.notes))
        if only is None:
            warnings.append(f"note {notes}: no place of interview given")
            continue
        records[i] = record.model_copy(update={"country": only})
        warnings.append(f"note {notes}: no place of interview given; assumed {only} like the other interviews")
    return records


def resolve_witnesses(cited: list[tuple[int, list[InterviewCitation]]]) -> WitnessResolution:
    """Group the interview citations of every note (in note order) into witnesses and interviews."""
    groups: list[WitnessGroup] = []
    index = _Index()
    where: dict[tuple[int, int], WitnessGroup] = {}
    warnings: list[str] = []
    interview_count = 0
    for note, citations in cited:
        for position, citation in enumerate(citations):
            profile = _profile(citation)
            group, partial = _find_group(index, profile)
            if group is None:
                group = WitnessGroup(id=f"W-{len(groups) + 1:03d}", profile=dict(profile))
                groups.append(group)
            elif partial:
                warnings.append(f"note {note}: taken to cite {group.id}, whose details it repeats in part")
            _fill(group.profile, profile)
            group.citations.append((note, citation))
            group.notes.add(note)
            if citation.date not in group.interviews:
                interview_count += 1
                group.interviews[citation.date] = f"I-{interview_count:03d}"
            index.add(group, profile)
            where[(note, position)] = group
    interviews = _interview_records(groups, warnings)
    by_note = dict(cited)
    mapping = {key: (group.id, group.interviews[by_note[key[0]][key[1]].date]) for key, group in where.items()}
    return WitnessResolution(groups, interviews, mapping, warnings)


def witness_records(resolution: WitnessResolution) -> list[WitnessRecord]:
    """The final witness records (notes include any ibid notes added to the groups since)."""
    by_witness: dict[str, list[InterviewRecord]] = {}
    for interview in resolution.interviews:
        by_witness.setdefault(interview.witness, []).append(interview)
    return [_record(group, by_witness.get(group.id, [])) for group in resolution.groups]
