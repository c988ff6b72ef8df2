"""The timeline and the law pages over the reference case: what those who may analyse see, that others are
refused, and that text from the case reaches the chart and the tables as text."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webclient import password, sign_in

from corroborate import services
from corroborate.ingest import read_casefile
from corroborate.services import Secrets, records
from corroborate.web import create_app
from support import PASSPHRASE

CASE = "/cases/border-crossers-2007"
PLANTED = '북한 <script>alert("x")</script>'


def signed_in_as(client: TestClient, role: str) -> TestClient:
    sign_in(client, role)
    return client


@pytest.fixture
def web(client: TestClient) -> TestClient:
    return client


@pytest.fixture
def edited(web_store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A copy of the store where two sources give different months for one event, whose statement is planted."""
    location = str(tmp_path / "copy.db")
    shutil.copyfile(web_store, location)
    monkeypatch.setenv("CORROBORATE_TRUST_FILE", str(tmp_path / "trust.json"))
    (tmp_path / "sessions").mkdir()
    secrets = Secrets(passphrase=lambda case: PASSPHRASE, session_dir=tmp_path / "sessions")
    owner = services.authenticate(location, "owner", password("owner"))
    claim = records.get_record(location, "claim", "C-body-talks-suspended", actor=owner)
    moved = claim.item.model_copy(update={"attributes": {**claim.item.attributes, "date": "2005-03"}})
    records.update_record(location, "claim", moved, version=claim.version, actor=owner, secrets=secrets)
    stored = records.get_record(location, "proposition", "event.dprk_denounced_airlift", actor=owner)
    planted = stored.item.model_copy(update={"statement": PLANTED})
    records.update_record(location, "proposition", planted, version=stored.version, actor=owner, secrets=secrets)
    with TestClient(create_app(location), base_url="http://127.0.0.1", follow_redirects=False) as c:
        yield c


def chart_of(page: str) -> str:
    found = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert found, "no chart on the page"
    return found.group(0)


def no_inline_script_or_style(page: str) -> None:
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None  # only the vendored htmx, by its address
    assert "<style" not in page and not re.search(r"\sstyle=", page) and not re.search(r"\son[a-z]+=", page)


@pytest.mark.parametrize("role", ["owner", "analyst"])
def test_the_timeline_draws_and_tabulates_the_dated_claims(web: TestClient, role: str) -> None:
    page = signed_in_as(web, role).get(f"{CASE}/timeline")
    assert page.status_code == 200
    chart = chart_of(page.text)
    assert 'role="img"' in chart and 'aria-labelledby="timeline-title timeline-desc"' in chart
    assert 'href="/static/charts.css"' in page.text
    for year in ("1948", "2004", "2006"):
        assert f'data-year="{year}"' in chart and f">{year}</text>" in chart
    assert 'data-when="2004-09/2004-12"' in chart and 'data-when="2004-11-27"' in chart  # a bar, a point
    assert 'class="mark point"' in chart and 'class="mark bar"' in chart and 'class="mark open"' in chart
    assert ">policy.crossers.imprisoned</text>" in chart and 'class="band"' in chart  # a pattern and its span
    assert 'class="conflict"' in chart and "sentence_months" in chart  # the reference case's one conflict
    table = page.text.split('id="dates-h"')[1]
    assert '<th scope="col">' in table and "2004-09-01 – 2004-12-31" in table
    assert "W-009 (woman, 40, Saebyol)" in table and "late-2004" in table  # the sources, the occurrence
    assert "decree-2005" in page.text.split('id="patterns-h"')[1]
    no_inline_script_or_style(page.text)


def test_the_law_page_groups_findings_by_state_with_their_sources(web: TestClient) -> None:
    page = signed_in_as(web, "analyst").get(f"{CASE}/law")
    assert page.status_code == 200
    text = page.text
    assert ">DPRK</h2>" in text and ">PRC</h2>" in text
    dprk, prc = text.split(">DPRK</h2>")[1].split(">PRC</h2>")
    assert "policy.crossers.imprisoned" in dprk and "ICCPR art. 12(2)" in dprk and "1981-12-14" in dprk
    assert "prc.repatriation" in prc and "1951 Refugee Convention art. 33" in prc and "1982-12-23" in prc
    assert "prc.repatriation" not in dprk
    assert "UNVERIFIED: best knowledge" in dprk  # the ICESCR's date for the DPRK
    assert 'href="https://www.austlii.edu.au/au/journals/AJHR/1999/8.html"' in dprk  # its source, linked
    religion = dprk.split("<code>dprk.religion.persecuted</code>")[1].split("</tbody>")[0]
    assert "1948-09-09 … 1979" in religion and 'class="verdict verdict-false">NO<' in religion
    assert "A declaration, not a treaty" in dprk and "did not yet bind" in religion  # UDHR; the reasoning
    no_inline_script_or_style(text)


def test_a_viewer_may_see_neither_page(web: TestClient) -> None:
    signed_in_as(web, "viewer")
    for path in (f"{CASE}/timeline", f"{CASE}/law"):
        answer = web.get(path)
        assert answer.status_code == 403 and "<svg" not in answer.text and "ICCPR" not in answer.text, path


@pytest.mark.parametrize("role", ["analyst", "editor"])
def test_no_restricted_value_is_on_either_page(web: TestClient, reference_case_path: Path, role: str) -> None:
    values = {v for w in read_casefile(reference_case_path).witnesses if w.restricted
              for v in w.restricted.model_dump().values() if isinstance(v, str) and len(v) > 3}  # fmt: skip
    assert values
    signed_in_as(web, role)
    for path in (f"{CASE}/timeline", f"{CASE}/law"):
        page = web.get(path).text
        assert "W-009" in page or "ICCPR" in page
        assert [v for v in values if v in page] == [], path


def test_signed_out_is_sent_to_sign_in(web: TestClient) -> None:
    answer = web.get(f"{CASE}/timeline")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_a_disagreement_is_marked_and_planted_text_stays_text(edited: TestClient) -> None:
    page = signed_in_as(edited, "analyst").get(f"{CASE}/timeline").text
    chart = chart_of(page)
    flagged = re.findall(r'<g class="mark (\w+) disagree" data-when="([^"]+)"', chart)
    assert flagged == [("bar", "2004-07"), ("bar", "2005-03")]
    assert 'class="flag"' in chart and "Sources give different dates for this event" in chart
    row = page.split('id="dates-h"')[1].split("<code>2005-03</code>")[1].split("</tr>")[0]
    assert 'class="flagged"' in row and "2004-07" in row  # the table says which other date was given
    assert "<script>alert" not in page and "북한 &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in chart
    law = signed_in_as(edited, "analyst").get(f"{CASE}/law").text
    assert "<script>alert" not in law


def test_the_page_speaks_korean_around_the_case(web: TestClient) -> None:
    page = signed_in_as(web, "analyst").get(f"{CASE}/timeline", headers={"Accept-Language": "ko"}).text
    assert '<html lang="ko">' in page and "<svg" in page
