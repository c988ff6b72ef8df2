"""Interview citations: "Human Rights Watch interview with man from Samsoo, age 32, China, November 28, 2006."

Reports describe interviewees in a handful of shapes: "woman from Chungjin,
age 66", "a woman (name withheld), aged 41, from Hyesan", "Kim (pseudonym),
45", "a 29-year-old woman", "man in his thirties", or a role when no origin is
given ("a resident of a Chinese town bordering North Korea"). The description
is cut into comma-separated parts (never inside brackets or quotes) and each
part is recognised by shape: an age, an origin ("from X", resolved through the
gazetteer), a place of interview (a country or a known town), a date.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from corroborate.domain import Gazetteer, country_code, parse_age
from corroborate.errors import InvalidAge

from .dates import find_dates
from .text import split_top_level, squash

__all__ = ["InterviewCitation", "find_interview_citations", "nationality_from"]

_ORG_WORD = r"[A-Z][\w&'’.\-]*"
_INTERVIEW_WITH = re.compile(
    r"(?:(?:[Tt]elephone|[Pp]hone|[Ee]-?mail|[Oo]nline|[Ss]kype|[Vv]ideo|[Gg]roup|[Jj]oint|[Ff]ollow-up|[Ss]eparate)\s+)?"
    r"[Ii]nterviews?\s+with\s+"
)
# The organisation is read backwards from "interview with", over at most this many characters.
_ORG_BEFORE = re.compile(rf"(?P<org>{_ORG_WORD}(?:\s+(?:{_ORG_WORD}|of|for|and|the|on|in|de))*)\s+$")
_ORG_REACH = 120
_PERSON_START = r"(?:(?:a|an|the|another|man|woman|men|women|boy|girl)\b|[A-Z][\w'’-]*\s*\((?:a\s+)?pseudonym\))"
_NEXT_PERSON = re.compile(rf"\s*(?:,\s*and|\s+and|;\s*(?:and)?)\s+(?:with\s+)?(?={_PERSON_START})", re.I)
_END_OF_CITATION = re.compile(r"\s*(?:[.;)]|$)")
_SENTENCE_END = re.compile(r"\.(?=\s+[A-Z]|$)")
_AGE = re.compile(
    r"\b(?:aged?\s*:?\s*(?P<age>\d{1,3})\b"
    r"|(?P<years>\d{1,3})[- ]years?[- ]old\b"
    r"|(?P<decade>in\s+(?:his|her|their)\s+(?:(?:early|mid|late)[\s-]*)?(?:teens|twenties|thirties|forties|fifties"
    r"|sixties|seventies|eighties|nineties|\d0s)))",
    re.I,
)
_BARE_AGE = re.compile(r"^\(?(\d{1,3})\)?$")
_LABEL = re.compile(
    r"^(?:(?:Mr|Ms|Mrs|Miss)\.?\s+)?[\"“]?(?P<label>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})[\"”]?\s*"
    r"\((?:a\s+)?(?:pseudonym|not (?:his|her|their|the) real name|name changed|alias)\)",
)
_WITHHELD = re.compile(r"\(\s*(?:names?|identity|real name|location|place)\s+withheld\s*\)", re.I)
_PLACE_PREFIX = re.compile(r"^(?:the\s+)?(?:city|town|county|village)\s+of\s+", re.I)
_NORTH_KOREA = re.compile(r"(?:the\s+)?(?:North Korea|DPRK|Democratic People's Republic of Korea)", re.I)
_TOWN = re.compile(r"[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?")
_GENDER_NOTE = re.compile(r"\s*\((?:male|female|man|woman)\)", re.I)
_FROM = re.compile(r"\bfrom\s+(?:(?:a|the)\s+(?:village|town|city|county|district|farm)\s+(?:near|in|outside|of)\s+)?")
_FEMALE = {"woman", "women", "girl", "female", "mother", "daughter", "wife", "sister", "grandmother", "widow", "lady"}
_FEMALE |= {"ms", "mrs", "miss", "she"}
_MALE = {"man", "men", "boy", "male", "father", "son", "husband", "brother", "grandfather", "gentleman", "mr", "he"}
_PLAIN_WORDS = {"a", "an", "the", "young", "elderly", "old", "middle-aged", "north", "korean", "former", "another"}
_NATIONALITIES = (("south korean", "KR"), ("north korean", "KP"), ("chinese", "CN"), ("russian", "RU"))
_TOWNS = {
    **dict.fromkeys(["seoul", "busan", "incheon", "ansan", "suwon", "daejeon", "gwangju", "daegu"], "KR"),
    **dict.fromkeys(["yanji", "shenyang", "beijing", "dandong", "helong", "longjing", "tumen", "hunchun"], "CN"),
    **dict.fromkeys(["changbai", "yanbian", "qingdao", "shanghai", "jilin", "harbin", "dalian"], "CN"),
    **dict.fromkeys(["bangkok", "chiang rai", "chiang mai"], "TH"),
    **dict.fromkeys(["ulaanbaatar", "ulan bator"], "MN"),
    **dict.fromkeys(["tokyo", "osaka"], "JP"),
    **dict.fromkeys(["london", "new malden"], "GB"),
    **dict.fromkeys(["vientiane"], "LA"),
    **dict.fromkeys(["hanoi", "ho chi minh city"], "VN"),
    **dict.fromkeys(["phnom penh"], "KH"),
    **dict.fromkeys(["moscow", "vladivostok"], "RU"),
    **dict.fromkeys(["washington", "washington dc", "new york", "los angeles"], "US"),
}


@dataclass
class InterviewCitation:
    """One interviewee as one citation describes them (public details only).

    Filled part by part while a citation is read (``fill``), not changed after.
    """

    text: str
    organisation: str | None = None
    gender: str | None = None
    origin: str | None = None
    origin_text: str | None = None
    age: int | None = None
    age_band: str | None = None
    role: str | None = None
    label: str | None = None
    nationality: str | None = None
    country: str | None = None
    town: str | None = None
    date: str | None = None
    problems: list[str] = field(default_factory=list)

    def fill(self, **values: str | int | None) -> None:
        """Set the fields that are still unknown."""
        for name, value in values.items():
            if value is not None and getattr(self, name) is None:
                setattr(self, name, value)


@functools.lru_cache(maxsize=4096)
def _place(gazetteer: Gazetteer, name: str) -> str | None:
    """Canonical name of a place; cached because a report names the same places again and again."""
    place = gazetteer.find(name)
    return place.name if place is not None else None


def nationality_from(text: str) -> str | None:
    """A country code from a nationality adjective in the text ("Chinese" → CN), or None."""
    lowered = text.lower()
    for adjective, code in _NATIONALITIES:
        if adjective in lowered:
            return code
    return None


def _person_segments(body: str) -> tuple[list[str], int]:
    """Cut what follows "interview(s) with" into one segment per person; return them and where they end.

    A person's segment ends at a date that is followed by the end of the
    citation (".", ";", ")" or the end) or by "and <next person>"; a date
    followed by anything else (", aged 41") belongs to the description.
    """
    segments: list[str] = []
    cursor = 0
    for hit in find_dates(body):
        if hit.start < cursor:
            continue
        another = _NEXT_PERSON.match(body, hit.end)
        if another is not None:
            segments.append(body[cursor : hit.end])
            cursor = another.end()
        elif _END_OF_CITATION.match(body, hit.end):
            segments.append(body[cursor : hit.end])
            return segments, hit.end
    stop = _SENTENCE_END.search(body, cursor)
    end = stop.start() if stop else len(body)
    if body[cursor:end].strip():
        segments.append(body[cursor:end])
    return segments, end


def _age_of(text: str) -> tuple[int | None, str | None, str]:
    """Exact age or age band found in the text, and the text without it."""
    m = _AGE.search(text)
    if m is None:
        return None, None, text
    phrase = m.group("age") or m.group("years") or m.group("decade")
    phrase = re.sub(r"(\d)0s\b", lambda d: _DECADE_WORDS[d.group(1)], phrase)
    rest = (text[: m.start()] + text[m.end() :]).strip(" ,")
    try:
        band = parse_age(phrase)
    except (InvalidAge, ValueError):
        return None, None, text
    if band.high == band.low:
        return band.low, None, rest
    return None, str(band), rest


_DECADE_WORDS = {"1": "teens", "2": "twenties", "3": "thirties", "4": "forties", "5": "fifties", "6": "sixties"}
_DECADE_WORDS |= {"7": "seventies", "8": "eighties", "9": "nineties"}


def _country(part: str) -> tuple[str | None, str | None]:
    """(country code, town) of a place-of-interview part, or (None, None) when it is none."""
    cleaned = re.sub(r"^(?:in|at|near)\s+", "", part.strip(" ."), flags=re.I)
    cleaned = re.sub(r"\s*\((?:by )?(?:tele)?phone\)$", "", cleaned, flags=re.I)
    lowered = cleaned.lower()
    if lowered in _TOWNS:
        return _TOWNS[lowered], cleaned
    if len(cleaned) > 2 or (len(cleaned) == 2 and cleaned.isupper()):
        try:
            return country_code(cleaned), None
        except ValueError:
            return None, None
    return None, None


def _gender(words: list[str]) -> str | None:
    lowered = {w.lower().strip(".,()") for w in words}
    female, male = bool(lowered & _FEMALE), bool(lowered & _MALE)
    if female != male:
        return "female" if female else "male"
    return None


Details = tuple[tuple[str, str | int | None], ...]


@functools.lru_cache(maxsize=4096)
def _description(person: str) -> Details:
    """Label, gender, age, origin and role in a description ("a woman (name withheld) from Hyesan").

    Cached, like the other readings of short parts below: a report repeats
    its descriptions ("woman from Musan", "age 33", "China") many times.
    """
    label_match = _LABEL.match(person)
    honorific = person.split()[0].rstrip(".").lower() if label_match else ""
    rest = _WITHHELD.sub("", person[label_match.end() :] if label_match else person)
    age, band, rest = _age_of(rest)
    origin_text = None
    origin_match = _FROM.search(rest)
    if origin_match is not None:
        origin_text = rest[origin_match.end() :].strip(" ,.")
        rest = rest[: origin_match.start()]
    words = rest.split()
    plain = all(w.lower().strip(".,()") in _PLAIN_WORDS | _FEMALE | _MALE for w in words)
    role = None if plain or not words else squash(_GENDER_NOTE.sub("", rest)).strip(" ,")
    return (
        ("label", label_match.group("label") if label_match else None),
        ("gender", _gender(words + ([honorific] if honorific else []))),
        ("age", age),
        ("age_band", band),
        ("origin_text", origin_text),
        ("role", role),
    )


def _resolve_origin(draft: InterviewCitation, gazetteer: Gazetteer) -> None:
    if draft.origin_text is None:
        return
    text = _PLACE_PREFIX.sub("", draft.origin_text)
    if _NORTH_KOREA.fullmatch(text):
        draft.origin_text, draft.nationality = None, "KP"
        return
    place = _place(gazetteer, text)
    if place is None:
        draft.problems.append(f"place of origin {text!r} is not in the gazetteer")
        return
    draft.origin, draft.nationality = place, "KP"


@functools.lru_cache(maxsize=4096)
def _part(part: str, gazetteer: Gazetteer) -> tuple[str, Details]:
    """What a later comma-separated part is: ("age"|"origin"|"description"|"place"|"town"|"nothing", details)."""
    bare = _BARE_AGE.match(part)
    if bare:
        return "bare_age", (("age", int(bare.group(1))),)
    age, band, rest = _age_of(part)
    if (age is not None or band is not None) and not rest.strip():
        return "age", (("age", age), ("age_band", band))
    origin = _FROM.match(part)
    if origin is not None:
        return "origin", (("origin_text", part[origin.end() :].strip(" .")),)
    if _FROM.search(part) or _AGE.search(part):  # "a former trader aged 52 from Hoeryong"
        return "description", _description(part)
    if _WITHHELD.fullmatch(part.strip()) or _place(gazetteer, part) is not None:
        return "nothing", ()  # "(location withheld)", or the province of an origin already given
    country, town = _country(part)
    if country is not None:
        return "place", (("country", country), ("town", town))
    if _TOWN.fullmatch(part.strip()):
        return "town", (("town", part.strip()),)  # a town we cannot place in a country
    return "nothing", ()


def _apply_part(part: str, draft: InterviewCitation, gazetteer: Gazetteer) -> None:
    """Recognise one later comma-separated part: an age, an origin, or the place of interview."""
    kind, details = _part(part, gazetteer)
    if kind == "bare_age" and (draft.age is not None or draft.age_band is not None):
        kind, details = "nothing", ()  # "Kim (pseudonym), 45, ... , 2" : only the first bare number is an age
    if kind == "origin" and draft.origin_text is not None:
        return
    draft.fill(**dict(details))


def _parse_person(segment: str, organisation: str | None, gazetteer: Gazetteer) -> InterviewCitation:
    draft = InterviewCitation(text=squash(segment), organisation=organisation)
    dates = find_dates(segment)
    if dates:
        last = dates[-1]
        draft.date = last.edtf
        segment = segment[: last.start] + segment[last.end :]
    parts = split_top_level(segment)
    if not parts:
        return draft
    draft.fill(**dict(_description(parts[0])))
    for part in parts[1:]:
        _apply_part(part, draft, gazetteer)
    _resolve_origin(draft, gazetteer)
    if draft.nationality is None:
        draft.nationality = nationality_from(parts[0])
    return draft


def _organisation(text: str, lead_start: int) -> tuple[str | None, int]:
    """The organisation named just before "interview with", and where the citation starts."""
    window_start = max(0, lead_start - _ORG_REACH)
    found = _ORG_BEFORE.search(text, window_start, lead_start)
    if found is None:
        return None, lead_start
    org = re.sub(r"^(?:See(?:\s+also)?|Cf\.?|E\.g\.,?|A|An|The)\s+", "", found.group("org").strip())
    org = re.sub(r"['’]s$", "", org)
    return org or None, found.start()


def find_interview_citations(text: str, *, gazetteer: Gazetteer | None = None) -> list[tuple[int, InterviewCitation]]:
    """Every interviewee cited in a note's text, with the offset where each citation starts."""
    if "nterview" not in text:
        return []
    places = gazetteer or Gazetteer.default()
    found: list[tuple[int, InterviewCitation]] = []
    cursor = 0
    while (lead := _INTERVIEW_WITH.search(text, cursor)) is not None:
        organisation, start = _organisation(text, lead.start())
        body = text[lead.end() :]
        following = _INTERVIEW_WITH.search(body)
        if following is not None:
            body = body[: following.start()]
        segments, consumed = _person_segments(body)
        for segment in segments:
            found.append((start, _parse_person(segment, organisation, places)))
        cursor = lead.end() + max(consumed, 1)
    return found
