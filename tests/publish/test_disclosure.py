"""Disclosure checks: the policy, published descriptors, k-anonymity with verified fixes, consent, the report."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from corroborate.domain import Case, CaseInfo, Excerpt, Interview, PublicDescriptor, RestrictedIdentity, Witness
from corroborate.errors import UnknownWitness, UserError
from corroborate.ingest import read_casefile
from corroborate.publish.disclosure import (
    DisclosurePolicy,
    check_consent,
    check_k_anonymity,
    published_descriptor,
    published_interview_date,
    render_descriptor,
    run_disclosure_checks,
    suggest_policy,
)


@pytest.fixture(scope="module")
def case(reference_case_path: Path) -> Case:
    return read_casefile(reference_case_path)


@pytest.fixture(scope="module")
def background_case(case: Case) -> Case:
    """The reference case with the Chinese resident (W-001, note 4) as a background-only source."""
    interviews = [i.model_copy(update={"consent": "background"}) if i.id == "I-001" else i for i in case.interviews]
    return case.model_copy(update={"interviews": interviews})


def cited_of(case: Case) -> list[tuple[str, str | None]]:
    return [(i.witness, i.id) for i in case.interviews if i.consent != "background"]


def record(case: Case, witness_id: str) -> tuple[Witness, Interview]:
    witness = next(w for w in case.witnesses if w.id == witness_id)
    return witness, next(i for i in case.interviews if i.witness == witness_id)


def small_case(people: list[tuple[str, dict[str, object], str]]) -> Case:
    """A case of witnesses (pseudonym, descriptor fields, interview date), one interview each."""
    witnesses = [Witness(id=w, descriptor=PublicDescriptor.model_validate(d)) for w, d, _ in people]
    interviews = [
        Interview(id=f"I-{w[2:]}", witness=w, date=day, country="CN", consent="quote") for w, _, day in people
    ]
    return Case(case=CaseInfo(id="small", title="small"), witnesses=witnesses, interviews=interviews)


# ------------------------------------------------------------------ policy


def test_the_default_policy_counts_gender_age_origin_and_interview_date() -> None:
    policy = DisclosurePolicy()
    assert policy.k == 2 and policy.descriptor_template == "{gender} from {origin}, {age}"
    assert policy.levels() == {"gender": "exact", "age": "exact", "origin": "exact", "interview_date": "exact"}


def test_fields_the_template_prints_always_count() -> None:
    policy = DisclosurePolicy(descriptor_template="{gender} from {province}, {age_band}", quasi_identifiers=["gender"])
    assert policy.levels() == {"gender": "exact", "age": "decade", "province": "exact"}


@pytest.mark.parametrize(
    "bad",
    [
        {"descriptor_template": "{gender} from {hometown}"},
        {"descriptor_template": "{gender"},
        {"generalise": {"age": "month"}},
        {"generalise": {"shoe_size": "drop"}},
        {"quasi_identifiers": ["name"]},
        {"populations": {"Atlantis": 10}},
        {"k": 0},
        {"colour": "red"},
    ],
)
def test_a_policy_with_a_mistake_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        DisclosurePolicy.model_validate(bad)


def test_level_aliases_and_place_spellings_are_normalised() -> None:
    policy = DisclosurePolicy.model_validate(
        {"generalise": {"interview_date": "Day", "age": "ten-year"}, "populations": {"Saebyul": 100}}
    )
    assert policy.generalise == {"interview_date": "exact", "age": "decade"}
    assert policy.populations == {"Saebyol": 100}


# ------------------------------------------------------------- descriptors


def test_published_descriptor_applies_the_generalisations(case: Case) -> None:
    witness, interview = record(case, "W-009")
    exact = DisclosurePolicy()
    assert published_descriptor(witness, interview, exact) == {
        "gender": "woman",
        "age": "age 40",
        "origin": "Saebyol",
        "interview_date": "December 1, 2006",
    }
    coarse = DisclosurePolicy(generalise={"age": "decade", "interview_date": "month", "origin": "province"})
    assert published_descriptor(witness, interview, coarse) == {
        "gender": "woman",
        "age": "in her forties",
        "origin": "North Hamgyong",
        "interview_date": "December 2006",
    }
    assert render_descriptor(witness, interview, coarse) == "woman from North Hamgyong, in her forties"
    assert published_interview_date(interview, coarse) == "2006-12"
    assert published_interview_date(interview, exact) == "2006-12-01"
    dropped = DisclosurePolicy(generalise={"interview_date": "drop", "age": "drop"})
    assert published_interview_date(interview, dropped) is None
    assert render_descriptor(witness, interview, dropped) == "woman from Saebyol"


def test_descriptors_read_like_the_reference_paper(case: Case) -> None:
    policy = DisclosurePolicy()
    assert render_descriptor(*record(case, "W-002"), policy) == "man from Samsu, age 32"
    assert render_descriptor(*record(case, "W-003"), policy) == "man from Musan, in his thirties"
    assert render_descriptor(*record(case, "W-006"), policy) == "woman from Pyongyang, in her fifties"
    assert render_descriptor(*record(case, "W-001"), policy) == "a resident of a Chinese town bordering North Korea"


def test_a_top_level_city_is_its_own_province(case: Case) -> None:
    policy = DisclosurePolicy(generalise={"origin": "province"})
    assert published_descriptor(*record(case, "W-005"), policy)["origin"] == "Pyongyang"


# ------------------------------------------------------------ k-anonymity


def test_every_witness_of_the_reference_case_is_unique_under_the_exact_policy(case: Case) -> None:
    problems = check_k_anonymity(case, cited_of(case), DisclosurePolicy())
    assert sorted(p.witness for p in problems) == [f"W-{n:03d}" for n in range(2, 13)]
    assert all(p.k == 1 and p.required == 2 for p in problems)


def test_the_woman_from_saebyol_aged_40_is_reported_with_fixes_that_work(case: Case) -> None:
    policy = DisclosurePolicy()
    [problem] = check_k_anonymity(case, [("W-009", "I-009")], policy)
    assert (problem.witness, problem.interview, problem.k, problem.required) == ("W-009", "I-009", 1, 2)
    assert problem.descriptor["origin"] == "Saebyol" and problem.descriptor["age"] == "age 40"
    assert problem.suggestions, "a fix must be named"
    # Saebyol's other woman is 38 and was interviewed a month earlier; the other woman in her forties
    # (Haeju, South Hwanghae) was interviewed the next day. So: drop age and keep the year, or publish
    # "in her forties", "December 2006" without the origin.
    described = [{c.field: c.after for c in s.changes} for s in problem.suggestions]
    assert {"age": "dropped", "interview_date": "2006"} in described
    assert {"age": "in her forties", "interview_date": "December 2006", "origin": "dropped"} in described
    for suggestion in problem.suggestions:
        fixed = suggestion.apply(policy)
        assert check_k_anonymity(case, [("W-009", "I-009")], fixed) == [], str(suggestion)
        assert suggestion.k >= 2
    text = str(problem)
    assert "W-009" in text and "in her forties" in text and "December 2006" in text


def test_every_suggestion_for_every_problem_is_verified_and_minimal(case: Case) -> None:
    policy = DisclosurePolicy()
    for problem in check_k_anonymity(case, cited_of(case), policy):
        assert problem.suggestions, problem.witness
        drops = [sum(c.level == "drop" for c in s.changes) for s in problem.suggestions]
        assert drops == sorted(drops), "fixes that drop a field come last"
        for suggestion in problem.suggestions:
            fixed = suggestion.apply(policy)
            assert check_k_anonymity(case, [(problem.witness, problem.interview)], fixed) == []
            # Minimal: undoing any one change breaks it again.
            for change in suggestion.changes:
                fewer = policy.with_levels({c.field: c.level for c in suggestion.changes if c is not change})
                assert check_k_anonymity(case, [(problem.witness, problem.interview)], fewer), str(suggestion)


def test_an_origin_generalises_to_its_named_province(case: Case) -> None:
    [problem] = check_k_anonymity(case, [("W-011", "I-011")], DisclosurePolicy())
    changes = [str(c) for s in problem.suggestions for c in s.changes]
    assert "origin: Saebyol → North Hamgyong" in changes


def test_one_policy_can_fix_every_cited_witness(case: Case) -> None:
    policy = DisclosurePolicy()
    suggestion = suggest_policy(case, cited_of(case), policy)
    assert suggestion is not None and suggestion.k >= 2
    assert check_k_anonymity(case, cited_of(case), suggestion.apply(policy)) == []


def test_uncited_witnesses_count_and_a_band_covers_exact_ages() -> None:
    case = small_case(
        [
            ("W-001", {"gender": "male", "age_band": "30-39", "origin": "Musan"}, "2006-11-28"),
            ("W-002", {"gender": "male", "age": 35, "origin": "Musan"}, "2006-11-28"),
            ("W-003", {"gender": "male", "origin": "Musan"}, "2006-11-28"),  # age unknown
        ]
    )
    policy = DisclosurePolicy()
    # "a man from Musan in his thirties" may be the 35-year-old (not cited): k = 2.
    assert check_k_anonymity(case, [("W-001", None)], policy) == []
    # "a man from Musan, age 35" cannot be the man in his thirties of unknown exact age, nor the man of unknown age.
    [problem] = check_k_anonymity(case, [("W-002", None)], policy)
    assert problem.k == 1
    assert str(problem.suggestions[0]) == "age: age 35 → in his thirties (k = 2)"


def test_a_value_the_publication_does_not_reveal_never_separates() -> None:
    case = small_case(
        [
            ("W-001", {"gender": "female", "origin": "Musan"}, "2006-11-28"),
            ("W-002", {"gender": "female", "age": 50, "origin": "Musan"}, "2006-11-28"),
        ]
    )
    assert check_k_anonymity(case, [("W-001", "I-001")], DisclosurePolicy()) == []


def test_a_known_population_bounds_k_for_the_origin_alone(case: Case) -> None:
    origin_only = DisclosurePolicy(quasi_identifiers=["origin"], descriptor_template="someone from {origin}")
    [problem] = check_k_anonymity(case, [("W-008", "I-008")], origin_only)  # the only witness from Wonsan
    assert problem.k == 1
    known = origin_only.model_copy(update={"populations": {"Wonsan": 10_000}})
    assert check_k_anonymity(case, [("W-008", "I-008")], known) == []
    # With gender, age and interview date published, the population of Wonsan no longer hides her.
    full = DisclosurePolicy(populations={"Wonsan": 10_000})
    [problem] = check_k_anonymity(case, [("W-008", "I-008")], full)
    assert problem.k == 1
    # Populations of places add up to their province's.
    by_province = DisclosurePolicy(
        quasi_identifiers=["origin"],
        descriptor_template="someone from {origin}",
        generalise={"origin": "province"},
        populations={"Saebyol": 600, "Musan": 900},
    )
    assert check_k_anonymity(case, [("W-009", "I-009")], by_province) == []


def test_each_interview_of_a_witness_cited_without_one_is_checked() -> None:
    case = small_case(
        [
            ("W-001", {"gender": "female", "age": 40, "origin": "Musan"}, "2006-11-28"),
            ("W-002", {"gender": "female", "age": 40, "origin": "Musan"}, "2006-11-28"),
        ]
    )
    second = Interview(id="I-001b", witness="W-001", date="2007-03-01", country="CN", consent="quote")
    case = case.model_copy(update={"interviews": [*case.interviews, second]})
    problems = check_k_anonymity(case, [("W-001", None)], DisclosurePolicy())
    assert [(p.witness, p.interview) for p in problems] == [("W-001", "I-001b")]


def test_citing_an_unknown_witness_or_interview_is_an_error(case: Case) -> None:
    with pytest.raises(UnknownWitness):
        check_k_anonymity(case, [("W-999", None)], DisclosurePolicy())
    with pytest.raises(UserError):
        check_k_anonymity(case, [("W-009", "I-002")], DisclosurePolicy())


# ------------------------------------------------------------------ consent


def test_a_background_only_witness_is_never_cited(background_case: Case) -> None:
    [problem] = check_consent(background_case, [("X-n04-report-crossers", False)])
    assert (problem.witness, problem.interview, problem.consent) == ("W-001", "I-001", "background")
    assert "W-001" in str(problem) and "background only" in str(problem)
    [problem] = check_consent(background_case, [], cited=[("W-001", "I-001")])
    assert problem.excerpt is None and "never cite" in str(problem)
    assert len(check_consent(background_case, [], cited=[("W-001", None)])) == 1


def test_a_paraphrase_only_witness_is_never_quoted(case: Case) -> None:
    [problem] = check_consent(case, [("X-n15-decree-2005", True)])
    assert (problem.witness, problem.consent, problem.quoted) == ("W-006", "paraphrase", True)
    assert "quoted directly" in str(problem)
    assert check_consent(case, [("X-n15-decree-2005", False)]) == []


def test_quotes_with_consent_and_documents_are_fine(case: Case) -> None:
    used = [("X-n23-new-policy", True), ("X-n23-church", False), ("X-n01-leniency-decree", False)]
    assert check_consent(case, used, cited=[("W-009", "I-009")]) == []


def test_an_unknown_excerpt_is_an_error(case: Case) -> None:
    with pytest.raises(UserError):
        check_consent(case, [("X-nowhere", False)])


# ------------------------------------------------------------------- report


def test_a_clean_publication_passes(case: Case) -> None:
    policy = DisclosurePolicy(k=1)
    report = run_disclosure_checks(
        case,
        cited=[("W-009", "I-009")],
        quoted=[("X-n23-new-policy", True)],
        text="Human Rights Watch interview with woman from Saebyol, age 40, China, December 1, 2006.",
        policy=policy,
    )
    assert report.ok
    assert report.scanned_witnesses == 6 and report.cited_witnesses == 1
    [line] = report.summary()
    assert line.startswith("disclosure checks passed")


def test_any_failure_blocks_and_the_report_never_repeats_a_restricted_value(background_case: Case) -> None:
    text = "Note 3. Interview with Pak Sun-ok (박순옥), reachable on +86 133 5550 0271."

    def where(offset: int) -> str:
        return "note 3" if offset < len(text) else "?"

    report = run_disclosure_checks(
        background_case,
        cited=[("W-009", "I-009"), ("W-001", "I-001")],
        quoted=[("X-n15-decree-2005", True)],
        text=text,
        policy=DisclosurePolicy(),
        where=where,
    )
    assert not report.ok
    assert {(leak.witness, leak.field) for leak in report.leaks} == {
        ("W-007", "name"),
        ("W-007", "name_hangul"),
        ("W-007", "contacts"),
    }
    assert all(leak.where == "note 3" for leak in report.leaks)
    assert [p.witness for p in report.k_anonymity] == ["W-009"]
    assert sorted(p.witness for p in report.consent) == ["W-001", "W-006"]
    shown = "\n".join(report.summary()) + repr(report) + str([leak.public() for leak in report.leaks])
    for secret in ("Pak", "Sun-ok", "박순옥", "5550", "0271"):
        assert secret not in shown
    assert shown.count("publication blocked") == 1


def test_identities_held_outside_the_case_are_scanned(case: Case) -> None:
    public = case.model_copy(update={"witnesses": [w.model_copy(update={"restricted": None}) for w in case.witnesses]})
    restricted = {"W-002": RestrictedIdentity(name="Ri Chol-min")}
    kwargs = {"cited": [], "quoted": [], "text": "Lee Cheol-min said so.", "policy": DisclosurePolicy()}
    assert run_disclosure_checks(public, **kwargs).scanned_witnesses == 0  # type: ignore[arg-type]
    report = run_disclosure_checks(public, restricted=restricted, **kwargs)  # type: ignore[arg-type]
    assert [leak.witness for leak in report.leaks] == ["W-002"] and report.scanned_witnesses == 1


def test_excerpts_reach_witnesses_through_interviews(case: Case) -> None:
    # Sanity for the consent tests above: these excerpts come from the interviews they are said to.
    sources = {e.id: e.source for e in case.excerpts}
    assert sources["X-n04-report-crossers"] == "I-001" and sources["X-n15-decree-2005"] == "I-006"
    assert isinstance(case.excerpts[0], Excerpt)
