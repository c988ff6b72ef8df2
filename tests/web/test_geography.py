"""The map page over the reference case: the places of origin drawn and tabled, who may see it, and what
happens when world-atlas is not installed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from webclient import sign_in

from corroborate.domain import Gazetteer
from corroborate.errors import UserError
from corroborate.ingest import read_casefile
from corroborate.services import geography as placing
from corroborate.web import assets, create_app, geography

CASE = "/cases/border-crossers-2007"
MAP = f"{CASE}/map"


@pytest.fixture
def mapped(web_store: str) -> Iterator[TestClient]:
    with TestClient(create_app(web_store), base_url="http://127.0.0.1", follow_redirects=False) as c:
        yield c


def _row(page: str, place: str) -> list[str]:
    """The cells of the table row of a place (tags removed)."""
    found = re.search(rf"<tr>\s*<td><a [^>]*>{place}</a>.*?</tr>", page, re.S)
    assert found, f"no row for {place}"
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", found.group(0), re.S)]


def test_the_owner_sees_the_places_of_origin_on_the_map(mapped: TestClient) -> None:
    sign_in(mapped, "owner")
    answer = mapped.get(MAP)
    assert answer.status_code == 200
    page = answer.text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and 'class="land focus"' in svg and 'class="coast"' in svg and 'class="river"' in svg
    assert len(re.findall(r'<path class="land[ "]', svg)) == 4  # North Korea, China, South Korea, Russia
    for country in ("North Korea", "China", "South Korea", "Russia", "Tumen", "Yalu"):
        assert f">{country}" in svg, country
    assert "<title>Chongjin (청진), North Hamgyong: 1 witness</title>" in svg and ">Chongjin 청진</text>" in svg
    assert "<title>Musan (무산), North Hamgyong: 2 witnesses</title>" in svg
    assert len(re.findall(r'<g class="place">', svg)) == 8  # the case's eight places of origin
    assert _row(page, "Chongjin") == ["Chongjin 청진", "North Hamgyong", "", "1"]
    assert _row(page, "Musan") == ["Musan 무산", "North Hamgyong", "Tumen", "2"]
    assert _row(page, "Pyongyang")[1] == "directly governed city"
    assert "1 witness has no place of origin" in page  # W-001, described by where she lives
    assert 'href="/static/map.css"' in page and not re.search(r"\sstyle=", page) and "<style" not in page
    assert mapped.get("/static/map.css").status_code == 200


def test_the_map_is_small_and_rounded(mapped: TestClient) -> None:
    sign_in(mapped, "analyst")
    page = mapped.get(MAP).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert len(svg) < 80_000
    numbers = re.findall(r"\d+\.\d+", " ".join(re.findall(r' d="([^"]+)"', svg)))
    assert numbers and all(len(n.split(".")[1]) == 1 for n in numbers)  # one decimal of SVG units


def test_no_restricted_value_is_on_the_map(mapped: TestClient, reference_case_path: Path) -> None:
    case = read_casefile(reference_case_path)
    values = {w.restricted.name for w in case.witnesses if w.restricted and w.restricted.name}
    assert values
    sign_in(mapped, "editor")
    page = mapped.get(MAP).text
    assert "Places on the map" in page
    assert [v for v in values if v in page] == []


def test_a_viewer_may_not_see_the_map(mapped: TestClient) -> None:
    sign_in(mapped, "viewer")
    answer = mapped.get(MAP)
    assert answer.status_code == 403 and "<svg" not in answer.text and "Chongjin" not in answer.text
    assert f'href="{MAP}"' not in mapped.get(CASE).text


def test_a_place_the_gazetteer_does_not_know_is_listed_not_placed(
    mapped: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fewer = Gazetteer([p for p in Gazetteer.default() if p.name != "Chongjin"])
    monkeypatch.setattr(placing, "Gazetteer", SimpleNamespace(default=lambda: fewer))
    sign_in(mapped, "investigator")
    page = mapped.get(MAP).text
    unplaced = page[page.index('id="unplaced-h"') :]
    assert "Not placed" in unplaced and "<td>Chongjin</td>" in unplaced
    assert "Chongjin" not in page[page.index("<svg") : page.index("</svg>")]
    assert len(re.findall(r'<g class="place">', page)) == 7


def test_missing_outlines_name_make(mapped: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(assets.ASSETS_VARIABLE, str(tmp_path))  # a node_modules without world-atlas
    with pytest.raises(UserError, match=r"`make`.*world-atlas"):
        geography.outlines()
    sign_in(mapped, "owner")
    answer = mapped.get(MAP)
    assert answer.status_code == 400 and "`make`" in answer.text and "countries-10m.json" in answer.text
    (tmp_path / "world-atlas").mkdir()
    (tmp_path / "world-atlas" / "countries-10m.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="not a TopoJSON topology"):
        geography.outlines(tmp_path)


def test_places_the_claims_name_are_marked_and_listed(mapped: TestClient) -> None:
    sign_in(mapped, "analyst")
    page = mapped.get(MAP).text
    assert '<g class="named"><title>Hoeryong (회령): named in 3 claims by 1 witness</title>' in page
    table = page.split('id="named-h"', 1)[1].split("</section>", 1)[0]
    assert "Hoeryong" in table and '<td class="num">1</td><td class="num">3</td>' in table
