"""What the analysis finds, through the API: search, assessments (one or all, with the working), the timeline
and the law check, each as the services give it, to the roles docs/security.md lets analyse, and never with a
restricted value."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest
from apiclient import CASE, bearer
from fastapi.testclient import TestClient
from webclient import restricted_strings

from corroborate import services
from corroborate.services import LOCAL_OWNER, Role, search
from corroborate.services import analysis as analysing
from corroborate.web.api.findings import SearchKind

ROOT = f"/api/v1/cases/{CASE}"
KEY = "policy.crossers.imprisoned"
ROUTES = {  # path -> its query
    f"{ROOT}/search": {"q": "Chungjin"},
    f"{ROOT}/assessment": {},
    f"{ROOT}/propositions/{KEY}/assessment": {},
    f"{ROOT}/propositions/{KEY}/explanation": {},
    f"{ROOT}/timeline": {},
    f"{ROOT}/law": {},
}


def _get(client: TestClient, token: str, path: str) -> dict[str, Any]:
    answer = client.get(path, headers=bearer(token))
    assert answer.status_code == 200, answer.text
    found: dict[str, Any] = answer.json()
    return found


def test_search_finds_a_place_in_any_spelling_and_marks_it(client: TestClient, tokens: dict[str, str]) -> None:
    hits = client.get(f"{ROOT}/search", params={"q": "Chungjin"}, headers=bearer(tokens["editor"])).json()
    assert hits and {h["kind"] for h in hits} <= set(search.KINDS)
    marked = [h["snippet"][s["start"] : s["end"]] for h in hits for s in h["highlights"]]
    assert marked and all(m.lower() in ("chongjin", "chungjin", "ch'ŏngjin", "청진") for m in marked), marked
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)  # best first
    excerpts = client.get(f"{ROOT}/search", params={"q": "Chungjin", "kind": "excerpt", "limit": 2},
                          headers=bearer(tokens["editor"])).json()  # fmt: skip
    assert 1 <= len(excerpts) <= 2 and {h["kind"] for h in excerpts} == {"excerpt"}


def test_search_refuses_what_it_cannot_do(client: TestClient, tokens: dict[str, str]) -> None:
    assert get_args(SearchKind) == search.KINDS  # the kinds the API offers are the service's
    token = bearer(tokens["analyst"])
    wrong_kind = client.get(f"{ROOT}/search", params={"q": "prison", "kind": "interview"}, headers=token)
    assert wrong_kind.status_code == 422 and wrong_kind.json()["errors"][0]["location"] == ["query", "kind", 0]
    empty = client.get(f"{ROOT}/search", params={"q": '""'}, headers=token)
    assert empty.status_code == 400 and empty.json()["type"] == "urn:corroborate:problem:invalid"


def test_the_case_assessment_is_the_services(client: TestClient, tokens: dict[str, str], web_store: str) -> None:
    answer = _get(client, tokens["analyst"], f"{ROOT}/assessment")
    oracle = analysing.assess(web_store, actor=LOCAL_OWNER, case=CASE)
    assert answer["standard"] == oracle.standard.name
    assert [g["grade"] for g in answer["grades"]] == oracle.standard.ranking  # strongest first
    assert sum(g["propositions"] for g in answer["grades"]) == len(oracle.assessments) == len(answer["propositions"])
    for shown, expected in zip(answer["propositions"], oracle.assessments, strict=True):
        assert shown["key"] == expected.proposition.key and shown["grade"] == expected.grade
        assert shown["support"]["groups"] == len(expected.support.groups)
        assert len(shown["conflicts"]) == len(expected.to_json()["conflicts"])
        assert "explanation" not in shown
    assert any(p["conflicts"] for p in answer["propositions"]), "the reference case has sources that disagree"


def test_one_proposition_is_assessed_as_in_the_whole_case(client: TestClient, tokens: dict[str, str]) -> None:
    whole = _get(client, tokens["editor"], f"{ROOT}/assessment")["propositions"]
    for expected in whole[:5]:
        one = _get(client, tokens["editor"], f"{ROOT}/propositions/{expected['key']}/assessment")
        assert one == expected
    unknown = client.get(f"{ROOT}/propositions/policy.nothing/assessment", headers=bearer(tokens["editor"]))
    assert unknown.status_code == 404 and "no proposition 'policy.nothing'" in unknown.json()["detail"]


def test_an_explanation_gives_the_working(client: TestClient, tokens: dict[str, str]) -> None:
    shown = _get(client, tokens["analyst"], f"{ROOT}/propositions/{KEY}/explanation")
    assert shown["key"] == KEY and shown["explanation"].strip()
    assert shown["evidence"]["groups"] == shown["support"]["groups"] >= 1
    assert shown["evidence"]["first_hand"] == shown["support"]["first_hand"]
    assert shown["matrix"], "the supporting claims give attribute values"
    sources = set(shown["support"]["sources"])
    assert {row["source"] for row in shown["matrix"]} <= sources
    for row in shown["matrix"]:
        for name, value in row["values"].items():
            assert any(v in shown["attributes"][name]["values"] for v in value.split("; "))


def test_the_timeline_orders_dated_claims(client: TestClient, tokens: dict[str, str], web_store: str) -> None:
    shown = _get(client, tokens["analyst"], f"{ROOT}/timeline")
    entries, patterns = analysing.timeline(web_store, actor=LOCAL_OWNER, case=CASE)
    assert [(e["proposition"], e["when"]) for e in shown["entries"]] == [(e.proposition, e.when) for e in entries]
    starts = [e["start"] for e in shown["entries"] if e["start"]]
    assert starts and starts == sorted(starts)
    assert len(shown["patterns"]) == len(patterns)
    keys = {p["key"] for p in _get(client, tokens["analyst"], f"{ROOT}/assessment")["propositions"]}
    assert set(shown["conflicts"]) <= keys


def test_the_law_check_names_articles_states_and_grades(client: TestClient, tokens: dict[str, str]) -> None:
    findings = client.get(f"{ROOT}/law", headers=bearer(tokens["editor"])).json()
    grades = {p["key"]: p["grade"] for p in _get(client, tokens["editor"], f"{ROOT}/assessment")["propositions"]}
    assert {f["duty_bearer"] for f in findings} == {"DPRK", "PRC"}
    for finding in findings:
        assert finding["grade"] == grades[finding["proposition"]]
        assert finding["article"] and finding["instrument_short"] and finding["explanation"]
        if finding["period_start"] and finding["period_end"]:
            assert finding["period_start"] <= finding["period_end"]
    assert any(f["bound_throughout"] is True for f in findings)


@pytest.mark.parametrize("path", ROUTES)
def test_who_may_analyse_through_the_api(client: TestClient, tokens: dict[str, str], path: str) -> None:
    for role in Role:
        answer = client.get(path, params=ROUTES[path], headers=bearer(tokens[role.value]))
        if role in services.POLICY[services.Action.analyse]:
            assert answer.status_code == 200, (role, answer.text)
        else:
            assert answer.status_code == 403, role
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["type"] == "urn:corroborate:problem:forbidden"
    anonymous = client.get(path, params=ROUTES[path])
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith("Bearer")
    elsewhere = client.get(path.replace(CASE, "another-case"), params=ROUTES[path], headers=bearer(tokens["analyst"]))
    assert elsewhere.status_code in (403, 404) and elsewhere.headers["content-type"] == "application/problem+json"


def test_no_answer_holds_a_restricted_value(
    client: TestClient, tokens: dict[str, str], reference_case_path: Path
) -> None:
    """Every route, as the owner (who may see identities), and a search for every restricted value."""
    case = services.read_casefile(reference_case_path)
    values = {v for w in case.witnesses if w.restricted for v in restricted_strings(w.restricted.model_dump())}
    assert len(values) > 10
    token = bearer(tokens["owner"])
    answers = [client.get(path, params=query, headers=token) for path, query in ROUTES.items()]
    searches = [client.get(f"{ROOT}/search", params={"q": v}, headers=token) for v in sorted(values)]
    assert all(a.status_code == 200 for a in answers)
    for answer in answers + searches:
        for value in values:
            assert value not in answer.text, (answer.url.path, "a restricted value")


def test_the_routes_are_in_the_openapi_document_with_their_action(client: TestClient) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for path in ROUTES:
        template = path.removeprefix("/api/v1").replace(CASE, "{case}").replace(KEY, "{key}")
        operation = document["paths"][template]["get"]
        assert operation["x-corroborate-action"] == "analyse", template
        assert {"200", "401", "403", "404", "422"} <= set(operation["responses"]), template
        assert operation["responses"]["200"]["content"]["application/json"]["schema"], template
