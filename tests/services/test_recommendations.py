"""Recommendations and what became of them: listed with their current status, filtered, checked on the way in."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate import services
from corroborate.domain import StatusChange
from corroborate.errors import CasefileInvalid, UserError
from corroborate.ingest import parse_casefile, read_casefile
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.services.recommendations import recommendations


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, reference_case_path: Path) -> str:
    location = str(tmp_path_factory.mktemp("recommendations") / "store.db")
    secrets = Secrets(passphrase=lambda case: "the case passphrase")
    case = read_casefile(reference_case_path)
    # What became of one of them, with the documents that show it (a test value, not a fact).
    r = case.recommendations[5]
    followed = r.model_copy(update={"follow_up": [*r.follow_up,
        StatusChange(date="2008", status="no_response", sources=["D-hrw-2007"]),
        StatusChange(date="2009-06", status="rejected", sources=["D-hrw-2007"], note="test value")]})  # fmt: skip
    recs = [*case.recommendations[:5], followed, *case.recommendations[6:]]
    services.import_case(location, case.model_copy(update={"recommendations": recs}), actor=LOCAL_OWNER,
                         secrets=secrets)  # fmt: skip
    return location


def test_every_recommendation_with_its_current_status(store: str) -> None:
    found = recommendations(store, actor=LOCAL_OWNER)
    assert len(found) == 11 and {r.addressee for r in found} == {"DPRK", "PRC", "donors"}
    assert [r.current.status for r in found if r.current].count("issued") == 10
    rejected = recommendations(store, actor=LOCAL_OWNER, status="rejected")
    assert [(r.id, r.current.date, [s.status for s in r.follow_up]) for r in rejected if r.current] == [
        ("R-prc-1", "2009-06", ["issued", "no_response", "rejected"])
    ]


def test_filters(store: str) -> None:
    assert [r.id for r in recommendations(store, actor=LOCAL_OWNER, addressee="prc")] == ["R-prc-1", "R-prc-2",
                                                                                      "R-prc-3"]  # fmt: skip
    assert recommendations(store, actor=LOCAL_OWNER, status="none") == []
    with pytest.raises(UserError, match="no status 'done'"):
        recommendations(store, actor=LOCAL_OWNER, status="done")


BASE = """\
version: 1
case: {id: mini, title: Follow-up}
documents:
  - {id: D-1, kind: news, title: A report, date: 2008-01-01}
recommendations:
  - id: R-1
    addressee: UNHCR
    addressee_kind: agency
    text: Be given access.
    follow_up:
"""


def test_follow_up_cites_documents_of_the_case_oldest_first() -> None:
    good = parse_casefile(BASE + "      - {date: 2007-03, status: issued}\n"
                                 "      - {date: 2008, status: acknowledged, sources: [D-1]}\n")  # fmt: skip
    assert good.recommendations[0].current == StatusChange(date="2008", status="acknowledged", sources=["D-1"])
    with pytest.raises(CasefileInvalid) as caught:
        parse_casefile(BASE + "      - {date: 2008, status: acknowledged, sources: [D-9]}\n"
                              "      - {date: 2007-03, status: issued}\n")  # fmt: skip
    problems = {p.path: p.message for p in caught.value.problems}
    assert problems["recommendations[0].follow_up[0].sources[0]"] == "no document 'D-9'"
    assert "before the status listed above it" in problems["recommendations[0].follow_up[1].date"]
    with pytest.raises(CasefileInvalid):
        parse_casefile(BASE + "      - {date: 2008, status: forgotten}\n")
