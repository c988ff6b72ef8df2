"""The interface in English and Korean: the browser's language, the user's choice, and a catalog that
translates every piece of interface text the templates and web modules say, placeholders kept."""

from __future__ import annotations

import configparser
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from corroborate.analysis.standard import load_standard
from corroborate.services import vocabulary
from corroborate.web import i18n
from corroborate.web.i18n import accepted, translations
from corroborate.web.records import CONSENTS
from corroborate.web.rendering import templates
from corroborate.web.vocabularywords import WORDS, word

ROOT = Path(__file__).resolve().parents[2]
CATALOG = i18n.LOCALES / "ko" / "LC_MESSAGES" / "messages.po"
STANDARDS = ROOT / "src" / "corroborate" / "analysis" / "data" / "standards"
CASE = "/cases/border-crossers-2007"
# Every %-placeholder Python's formatting reads: %(name)d, %(score).2f, %s …; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _catalog() -> Catalog:
    with CATALOG.open("rb") as file:
        return read_po(file, locale="ko")


def _extracted() -> list[str | tuple[str, ...]]:
    """Every message id `make messages` extracts: babel.cfg's method map, gettext's keywords and ``N_``."""
    config = configparser.ConfigParser()
    config.read(ROOT / "babel.cfg")
    method_map = [(pattern.strip(), method.strip()) for method, _, pattern in
                  (section.partition(":") for section in config.sections())]  # fmt: skip
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found = [message for _file, _line, message, _comments, _context in
             extract_from_dir(str(ROOT), method_map, keywords=keywords)]  # fmt: skip
    assert len(found) > 100, method_map  # the templates were found
    return found


def _untranslated(messages: Iterable[str | tuple[str, ...]], catalog: Catalog) -> list[str]:
    """The message ids with no Korean translation in ``catalog`` (missing, empty or fuzzy)."""
    missing = []
    for message in messages:
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        forms = () if entry is None else entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry is None or entry.fuzzy or not forms or not all(forms):
            missing.append(key)
    return missing


def _placeholders(text: str) -> Counter[str]:
    return Counter(p for p in PLACEHOLDER.findall(text) if p != "%%")


def _entries(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """(message id, translation) of every entry, each plural form with the id it translates."""
    for entry in catalog:
        if not entry.id:
            continue
        if isinstance(entry.id, tuple):
            forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            for form in forms:  # Korean has one form: it stands for the singular and the plural alike
                yield entry.id[0], form
                yield entry.id[1], form
        else:
            yield entry.id, str(entry.string)


# (a) The browser's Accept-Language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("ko-KR", "ko"),
        ("KO-kr,ko;q=0.9", "ko"),
        ("en-US,en;q=0.9", "en"),
        ("en;q=0.3, ko-KR;q=0.7", "ko"),  # quality decides, not order
        ("fr-FR,fr;q=0.9,ko;q=0.8,en;q=0.5", "ko"),  # languages the workbench lacks are skipped
        ("en, ko", "en"),  # equal quality: the header's order
        ("ko;q=0, en;q=0.1", "en"),  # q=0: not acceptable at all
        ("ko;q=high, en;q=0.1", "en"),  # a quality that is not a number counts as 0
        ("*", None),
        ("fr, de;q=0.5", None),
        ("", None),
        (None, None),
    ],
)
def test_the_browsers_language(header: str | None, language: str | None) -> None:
    assert accepted(header) == language


# (b) Every message is translated; (e) placeholders are kept


def test_every_extracted_message_has_a_korean_translation() -> None:
    catalog = _catalog()
    extracted = _extracted()
    assert "Grades of the propositions" in extracted and "Not allowed" in extracted  # templates and N_()
    assert _untranslated(extracted, catalog) == []
    assert [e.id for e in catalog if e.id and e.fuzzy] == []
    assert _untranslated([e.id for e in catalog if e.id], catalog) == []  # no empty entry either


def test_a_new_untranslated_message_is_caught() -> None:
    catalog = _catalog()
    catalog.add("A sentence someone added today", "")
    catalog.add("Grades of the propositions", "명제의 등급", flags=["fuzzy"])  # fuzzy: not shown, so not done
    catalog.add(("%(num)d new thing", "%(num)d new things"), ("",))
    found = _untranslated(["Witnesses", "A sentence someone added today", "Grades of the propositions",
                           ("%(num)d new thing", "%(num)d new things"), "Never in the catalog"], catalog)  # fmt: skip
    assert found == ["A sentence someone added today", "Grades of the propositions", "%(num)d new thing",
                     "Never in the catalog"]  # fmt: skip


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    wrong = [(msgid, msgstr) for msgid, msgstr in _entries(_catalog())
             if _placeholders(msgid) != _placeholders(msgstr)]  # fmt: skip
    assert wrong == []


def test_the_placeholder_check_sees_a_lost_or_renamed_value() -> None:
    assert _placeholders("%(n)d witnesses, %(score).2f") == Counter({"%(n)d": 1, "%(score).2f": 1})
    assert _placeholders("증인 %(n)d명") == _placeholders("%(n)d witnesses")
    assert _placeholders("증인 %(count)d명") != _placeholders("%(n)d witnesses")
    assert _placeholders("증인 명") != _placeholders("%(n)d witnesses")
    assert _placeholders("100%% 확실") == Counter()


def test_korean_has_one_plural_form() -> None:
    korean = translations("ko")
    one, many = (korean.ngettext("%(num)d claim", "%(num)d claims", n) for n in (1, 7))
    assert one == many and "%(num)d" in one and one != "%(num)d claim"
    assert translations("en").ngettext("%(num)d claim", "%(num)d claims", 7) == "%(num)d claims"


def test_every_closed_list_value_has_its_word() -> None:
    standards = [load_standard(path) for path in sorted(STANDARDS.glob("*.yaml"))]
    assert len(standards) >= 2
    values = [*vocabulary.GENDERS, *vocabulary.STANCES, *vocabulary.EXCERPT_MODES, *CONSENTS,
              *vocabulary.RECOMMENDATION_STATUSES, *(grade for s in standards for grade in s.ranking)]  # fmt: skip
    assert [v for v in values if v not in WORDS] == []
    korean = translations("ko")
    assert [v for v in values if korean.gettext(word(v)) == word(v)] == []  # each is translated
    assert word("heard_official") == "heard from an official" and word("a_grade_of_one_case") == "a grade of one case"
    assert word(None) == ""
    assert templates.env.filters["word"] is word  # what templates write as {{ _(value|word) }}


# (c) A page in the browser's language


def test_a_page_follows_the_browsers_language(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("owner")
    page = client.get(CASE, headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}).text
    assert '<html lang="ko">' in page
    assert "사건에 담긴 내용" in page and "명제의 등급" in page and "최근 활동" in page  # headings
    assert ">증인</a>" in page and ">발췌</a>" in page and ">로그아웃</button>" in page  # the nav, the header
    assert "<td>입증됨</td>" in page  # a grade, shown in words of the reader's language
    assert "What the case holds" not in page and "Witnesses" not in page
    assert "border-crossers-2007" in page  # case data is never translated
    english = client.get(CASE, headers={"Accept-Language": "fr, en;q=0.5"}).text
    assert '<html lang="en">' in english and "What the case holds" in english and "<td>established</td>" in english
    assert "사건에 담긴 내용" not in english


def test_korean_pages_keep_case_data_and_counts(client: TestClient, signed_in: Callable[[str], str]) -> None:
    signed_in("owner")
    korean = {"Accept-Language": "ko"}
    page = client.get(f"{CASE}/witnesses/W-004", headers=korean).text
    assert "증인 W-004" in page and "Hoeryong" in page and "면담" in page
    assert re.search(r"\(주장 \d+건\)", page)  # "(2 claims)", counted in Korean
    page = client.get(f"{CASE}/search", params={"q": "Chungjin"}, headers=korean).text
    assert re.search(r"“Chungjin”에 대한 검색 결과는 \d+건입니다", page) and "<mark>" in page
    page = client.get("/login", headers=korean).text
    assert '<html lang="ko">' in page and "<h1>로그인</h1>" in page and "비밀번호" in page


def test_an_error_page_is_translated_where_the_catalog_knows_it(client: TestClient,
                                                                signed_in: Callable[[str], str]) -> None:  # fmt: skip
    signed_in("viewer")
    answer = client.get(f"{CASE}/propositions", headers={"Accept-Language": "ko"})
    assert answer.status_code == 403
    assert "<h1>허용되지 않음</h1>" in answer.text and "처음으로 돌아가기" in answer.text
    assert "may not" in answer.text  # the error's own words, which the catalog does not know, stay as they are


# (d) The user's choice, for the rest of the session


def _choose(client: TestClient, csrf: str | None, language: str, *, next_: str = CASE) -> int:
    data = {"language": language, "next": next_}
    if csrf is not None:
        data["csrf"] = csrf
    return client.post("/language", data=data).status_code


def test_a_user_switches_the_language_of_their_session(client: TestClient,
                                                         signed_in: Callable[[str], str]) -> None:  # fmt: skip
    csrf = signed_in("analyst")
    assert '<html lang="en">' in client.get(CASE).text
    answer = client.post("/language", data={"csrf": csrf, "language": "ko", "next": f"{CASE}/propositions"})
    assert answer.status_code == 303 and answer.headers["location"] == f"{CASE}/propositions"
    page = client.get(f"{CASE}/propositions").text
    assert '<html lang="ko">' in page and "<h1>명제</h1>" in page and '<option value="ko" lang="ko" selected>' in page
    # The choice outranks the browser's language, both ways.
    assert '<html lang="ko">' in client.get(CASE, headers={"Accept-Language": "en"}).text
    assert _choose(client, csrf, "en") == 303
    page = client.get(CASE, headers={"Accept-Language": "ko"}).text
    assert '<html lang="en">' in page and "What the case holds" in page


def test_an_unknown_language_or_a_forged_form_changes_nothing(client: TestClient,
                                                               signed_in: Callable[[str], str]) -> None:  # fmt: skip
    csrf = signed_in("editor")
    assert _choose(client, csrf, "ko") == 303
    assert _choose(client, csrf, "fr") == 400
    assert _choose(client, csrf, "../ko") == 400
    assert _choose(client, "forged", "en") == 400
    assert _choose(client, None, "en") == 422  # no form token at all
    assert '<html lang="ko">' in client.get(CASE).text  # still Korean
    assert client.post("/language", data={"csrf": csrf, "language": "en", "next": "//elsewhere.example"}
                       ).headers["location"] == "/"  # fmt: skip
    client.cookies.clear()  # signed out: sent to sign in, nothing chosen
    assert client.post("/language", data={"csrf": csrf, "language": "en"}).headers["location"].startswith("/login")
