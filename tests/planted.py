"""A small case and restricted values written the ways an attacker (or a careless author) would write them.

Shared by the publish and services tests (imported as ``planted``). Each
variant is text a reader perceives as a restricted value of the small case
although its code points differ: runs of spaces that HTML collapses,
invisible characters, look-alike letters of other scripts, full-width
forms, compatibility jamo, phones and dates in other notations, places in
other scripts and spellings. Each is planted in one place of a briefing
(``plant``), cycling through body text, block quotes, notes, headings and
every field of the title page, under both citation styles.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# The small case's invented identities:
# W-001 Pak Sun-ok 박순옥, alias Grandmother Pak, +86 133 5550 0271 and 010-1234-5678,
#       born 1940-02-11, Hunchun, Jilin province (back room of a church member's house).
# W-002 Ri Chol-min 리철민, +86 130 5550 0147, born 1974-03-15, Helong, Jilin province,
#       notes: works day shifts on a building site near the Nanping crossing.
# W-003 Choe Myong-hui 최명희, alias Cui Minghui, messenger mh.hwasong.73, born 1973-04-09,
#       Shenyang, Liaoning province (works in a restaurant kitchen).
RESTRICTED: dict[str, dict[str, Any]] = {
    "W-001": {
        "name": "Pak Sun-ok",
        "name_hangul": "박순옥",
        "aliases": ["Grandmother Pak"],
        "contacts": ["+86 133 5550 0271", "010-1234-5678"],
        "birth_date": "1940-02-11",
        "current_location": "Hunchun, Jilin province (back room of a church member's house)",
        "invented": True,
    },
    "W-002": {
        "name": "Ri Chol-min",
        "name_hangul": "리철민",
        "contacts": ["+86 130 5550 0147"],
        "birth_date": "1974-03-15",
        "current_location": "Helong, Jilin province",
        "notes": "Works day shifts on a building site near the Nanping crossing.",
        "invented": True,
    },
    "W-003": {
        "name": "Choe Myong-hui",
        "name_hangul": "최명희",
        "aliases": ["Cui Minghui"],
        "contacts": ["+86 134 5550 0563", "messenger: mh.hwasong.73"],
        "birth_date": "1973-04-09",
        "current_location": "Shenyang, Liaoning province (works in a restaurant kitchen)",
        "invented": True,
    },
}

# (variant, witness, field). Comments say what makes each one hard.
VARIANTS: list[tuple[str, str, str]] = [
    # Hangul: spaces HTML collapses, zero-width characters, compatibility jamo
    ("박   순   옥", "W-001", "name_hangul"),
    ("박\u200b순\u200b옥", "W-001", "name_hangul"),
    ("박\u200c순\u2060옥", "W-001", "name_hangul"),
    ("\u1107\u200b\u1161\u11a8순옥", "W-001", "name_hangul"),  # a syllable split by a zero-width space
    ("ㅂㅏㄱㅅㅜㄴㅇㅗㄱ", "W-001", "name_hangul"),
    ("ㅂㅏㄱ ㅅㅜㄴ ㅇㅗㄱ", "W-001", "name_hangul"),
    ("ㄹㅣㅊㅓㄹㅁㅣㄴ", "W-002", "name_hangul"),
    ("ㅊㅚㅁㅕㅇㅎㅢ", "W-003", "name_hangul"),
    ("최\ufeff명\u00ad희", "W-003", "name_hangul"),
    ("리\u3000철\u3000민", "W-002", "name_hangul"),  # ideographic spaces
    ("\uffa9\uffdc철민", "W-002", "name_hangul"),  # half-width jamo ㄹ + ㅣ
    # Latin names: look-alikes, full-width and mathematical letters, invisible characters
    ("Раk Sun-оk", "W-001", "name"),  # Cyrillic Р, а, о
    ("Ρак Ѕun-ok", "W-001", "name"),  # Greek Ρ, Cyrillic а, к, Ѕ
    ("Ｐａｋ Ｓｕｎ－ｏｋ", "W-001", "name"),
    ("Pak    Sun-ok", "W-001", "name"),
    ("Pak\u00a0Sun\u2011ok", "W-001", "name"),
    ("P\u00adak Sun\u200b-ok", "W-001", "name"),
    ("Ri Ch\u200bol-min", "W-002", "name"),
    ("𝐑𝐢 𝐂𝐡𝐨𝐥-𝐦𝐢𝐧", "W-002", "name"),
    ("ＲＩ\u3000ＣＨＯＬ\u3000ＭＩＮ", "W-002", "name"),
    ("Lee Cheol-min", "W-002", "name"),
    ("Сhoe Муong-hui", "W-003", "name"),  # Cyrillic С, М, у
    ("Chοe Myοng-hui", "W-003", "name"),  # Greek omicron
    ("Grandmother Раk", "W-001", "aliases"),
    ("Ｃｕｉ Ｍｉｎｇｈｕｉ", "W-003", "aliases"),
    # phones: underscores, middle dots, comma groups, the letter O for zero, full-width digits
    ("+86_133_5550_0271", "W-001", "contacts"),
    ("133·5550·0271", "W-001", "contacts"),
    ("133,5550,0271", "W-001", "contacts"),
    ("+86 133 5550 O27l", "W-001", "contacts"),
    ("１３３ ５５５０ ０２７１", "W-001", "contacts"),
    ("010,1234,5678", "W-001", "contacts"),
    ("010_1234_5678", "W-001", "contacts"),
    ("O1O-1234-5678", "W-001", "contacts"),
    ("010·1234·5678", "W-001", "contacts"),
    ("+82 10 1234 5678", "W-001", "contacts"),
    ("(0086) 130-5550-0147", "W-002", "contacts"),
    ("130 555O O147", "W-002", "contacts"),
    ("MH_Hwasong_73", "W-003", "contacts"),
    # dates: Roman-numeral months, two-digit years, ordinals, other scripts
    ("11.II.1940", "W-001", "birth_date"),
    ("11 Feb '40", "W-001", "birth_date"),
    ("Feb. 11th '40", "W-001", "birth_date"),
    ("11 Feb ’40", "W-001", "birth_date"),
    ("the 11th of February, 1940", "W-001", "birth_date"),
    ("11-Feb-1940", "W-001", "birth_date"),
    ("1940年2月11日", "W-001", "birth_date"),
    ("19400211", "W-001", "birth_date"),
    ("15.III.1974", "W-002", "birth_date"),
    ("15-Mar-74", "W-002", "birth_date"),
    ("１５．０３．１９７４", "W-002", "birth_date"),
    ("1974년 3월 15일", "W-002", "birth_date"),
    ("April 9th, '73", "W-003", "birth_date"),
    # places: Hanzi, pinyin with tones, Korean, older spellings, administrative words
    ("Hunchun, Jilin", "W-001", "current_location"),
    ("珲春市，吉林省", "W-001", "current_location"),
    ("吉林省珲春市", "W-001", "current_location"),
    ("Hunchun City, Jilin Province", "W-001", "current_location"),
    ("Húnchūn, Jílín", "W-001", "current_location"),
    ("혼춘, 길림성", "W-001", "current_location"),
    ("和龍, 吉林", "W-002", "current_location"),
    ("Hwaryong, Kirin", "W-002", "current_location"),
    ("길림성 화룡시", "W-002", "current_location"),
    ("Shěnyáng, Liáoníng", "W-003", "current_location"),
    ("瀋陽市, 遼寧省", "W-003", "current_location"),
    ("Mukden, Liaoning", "W-003", "current_location"),
    ("back rооm of a church member's house", "W-001", "current_location"),
    ("works in a restaurant  kitchen", "W-003", "current_location"),
    # notes, with the place in them respelt
    ("day shifts on a building site near the Nampyong crossing", "W-002", "notes"),
    ("building site near the Nánpíng crossing", "W-002", "notes"),
]

# Where a variant can be planted. Title-page fields are checked under both citation styles.
PLACES = [
    "paragraph",
    "block quote",
    "note",
    "heading",
    "title",
    "subtitle",
    "summary",
    "organisation",
    "un-coi title",
    "un-coi subtitle",
    "un-coi summary",
    "un-coi organisation",
]


def casefile(quotes: dict[str, str]) -> dict[str, Any]:
    """The small case, with an excerpt quoting each of ``quotes`` (excerpt id -> text)."""
    origins = ["Musan", "Hoeryong", "Hyesan"]
    witnesses = [
        {
            "id": witness,
            "descriptor": {
                "gender": "female" if n != 1 else "male",
                "age": 40 + n * 7,
                "origin": origins[n],
                "nationality": "KP",
            },
            "restricted": restricted,
        }  # fmt: skip
        for n, (witness, restricted) in enumerate(RESTRICTED.items())
    ]
    interviews = [
        {"id": f"I-{w[2:]}", "witness": w, "date": "2006-11-28", "country": "CN", "consent": "quote"}
        for w in RESTRICTED
    ]
    excerpts = [
        {"id": "X-account", "source": "I-001", "mode": "experienced", "quote": True,
         "text": "They sent me back across the river in winter."},
        *({"id": excerpt, "source": "I-002", "mode": "hearsay", "quote": True, "text": text}
          for excerpt, text in quotes.items()),
    ]  # fmt: skip
    return {
        "version": 1,
        "case": {"id": "planted", "title": "Planted leaks", "language": "en"},
        "witnesses": witnesses,
        "interviews": interviews,
        "excerpts": excerpts,
    }


def outline(place: str, variant: str, quote: str | None = None) -> dict[str, Any]:
    """A one-section briefing of the small case with ``variant`` planted at ``place``."""
    style = "un-coi" if place.startswith("un-coi") else "hrw"
    field = place.removeprefix("un-coi ")
    document: dict[str, Any] = {
        "title": "Crossing the Tumen",
        "subtitle": "A briefing",
        "organisation": "Corroborate Watch",
        "date": "2007-03-05",
        "summary": "People who crossed describe what happened to them.",
        "style": style,
        "disclosure": {"k": 1},
        "sections": [{"heading": "Overview", "blocks": [{"p": "One woman said so.[[X-account]]"}]}],
    }
    blocks = document["sections"][0]["blocks"]
    if field in ("title", "subtitle", "summary", "organisation"):
        document[field] = f"{document[field]} {variant}"
    elif field == "heading":
        document["sections"][0]["heading"] = f"Overview: {variant}"
    elif field == "date":
        document["date"] = variant  # an EDTF date, printed in the style's words
    elif field == "paragraph":
        blocks.append({"p": f"We were told of {variant} in the autumn."})
    elif field == "note":
        blocks.append({"p": f"Others agreed.[[note: See also {variant}, as reported.]]"})
    elif field == "block quote":
        assert quote is not None
        blocks.append({"quote": quote, "intro": "Another witness recalled:"})
    else:
        raise ValueError(place)
    return document


def planting() -> list[tuple[str, str, str, str]]:
    """(place, variant, witness, field) for every variant, the places taken in turn; and a birth
    date as the publication date, which each style prints in its own words."""
    cycled = [(PLACES[n % len(PLACES)], v, w, f) for n, (v, w, f) in enumerate(VARIANTS)]
    return [
        *cycled,
        ("date", "1940-02-11", "W-001", "birth_date"),
        ("un-coi date", "1974-03-15", "W-002", "birth_date"),
    ]


def quotes() -> dict[str, str]:
    """Excerpt id -> quoted text, for the variants planted in block quotes."""
    return {
        f"X-planted-{n}": f"I saw {variant} there."
        for n, (place, variant, _, _) in enumerate(planting())
        if place == "block quote"
    }


def quote_of(variant: str) -> str:
    """The excerpt that quotes ``variant``."""
    return next(k for k, text in quotes().items() if text == f"I saw {variant} there.")


def write(path: Path, data: dict[str, Any]) -> Path:
    """``data`` as a YAML file at ``path``."""
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
