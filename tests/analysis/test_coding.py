"""The coding assistant: thesauri, durations, dates in context, and suggestions checked against the reference case."""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corroborate.analysis.coding import Suggestion, suggest
from corroborate.analysis.thesaurus import Thesaurus
from corroborate.domain import AttributeSpec, Case, Claim, Excerpt, Proposition, coerce_attribute, date_interval
from corroborate.errors import DataFileInvalid, UserError
from corroborate.ingest import read_casefile

DAYS_PER_YEAR = 365.25


@pytest.fixture(scope="module")
def case(reference_case_path: Path) -> Case:
    return read_casefile(reference_case_path)


@pytest.fixture(scope="module")
def excerpts(case: Case) -> dict[str, Excerpt]:
    return {e.id: e for e in case.excerpts}


def suggestions_for(case: Case, excerpt: Excerpt) -> list[Suggestion]:
    return suggest(excerpt, propositions=case.propositions)


def suggestion(case: Case, excerpt: Excerpt, key: str) -> Suggestion:
    found = [s for s in suggestions_for(case, excerpt) if s.proposition == key]
    assert found, f"{key} not suggested for {excerpt.id}"
    return found[0]


def hand_claim(case: Case, excerpt_id: str, key: str) -> Claim:
    return next(c for c in case.claims if c.excerpt == excerpt_id and c.proposition == key)


# ---------------------------------------------------------------- the reference case as oracle


def test_the_hand_coded_proposition_is_in_the_top_three(case: Case, excerpts: dict[str, Excerpt]) -> None:
    # Measured per distinct (excerpt, hand-coded proposition) pair: 63 of 64 (0.98; 65 claims on 41
    # excerpts). The miss is X-n23-new-policy, coded against four propositions, one more than a top
    # three can hold. The rules in propositions.yaml were written with the reference paper in view,
    # so this is an in-sample figure.
    coded: dict[str, set[str]] = defaultdict(set)
    for claim in case.claims:
        coded[claim.excerpt].add(claim.proposition)
    misses = []
    for excerpt_id, keys in coded.items():
        top = [s.proposition for s in suggestions_for(case, excerpts[excerpt_id])[:3]]
        misses += [(excerpt_id, key, top) for key in sorted(keys) if key not in top]
    pairs = sum(len(keys) for keys in coded.values())
    assert pairs == 64 and len(coded) == 41
    assert [(e, k) for e, k, _ in misses] == [("X-n23-new-policy", "policy.crossers.warnings_repeated")], misses


def test_note_12_one_to_five_years_heard_at_a_peoples_committee_meeting(
    case: Case, excerpts: dict[str, Excerpt]
) -> None:
    s = suggestion(case, excerpts["X-n12-one-to-five-years"], "policy.crossers.imprisoned")
    assert s.attributes == {"sentence_years": "1..5", "channel": "peoples_committee_meeting"}
    assert s.attributes == hand_claim(case, "X-n12-one-to-five-years", "policy.crossers.imprisoned").attributes
    assert s.stance == "supports"


def test_note_13_at_least_three_years_announced_in_october_2006(case: Case, excerpts: dict[str, Excerpt]) -> None:
    excerpt = excerpts["X-n13-october-announcement"]
    s = suggestion(case, excerpt, "policy.crossers.imprisoned")
    assert s.attributes["sentence_years"] == "3.."
    assert s.attributes["announced"] == "2006-10"
    assert s.attributes == hand_claim(case, excerpt.id, "policy.crossers.imprisoned").attributes
    # The six months of the old policy go to the other claim, in months.
    lenient = suggestion(case, excerpt, "policy.crossers.lenient_before_2004")
    assert lenient.attributes == {"sentence_months": "6", "facility": "rodong_danryondae"}


def test_note_17_instruction_of_27_november_2004_heard_from_intelligence_officials(
    case: Case, excerpts: dict[str, Excerpt]
) -> None:
    excerpt = excerpts["X-n17-instruction-2004"]
    s = suggestion(case, excerpt, "policy.crossers.imprisoned")
    assert s.attributes["announced"] == "2004-11-27"
    assert s.attributes["channel"] == "intelligence_officials"
    assert s.attributes == hand_claim(case, excerpt.id, "policy.crossers.imprisoned").attributes
    # July 2004 is the date of the airlift, not of the instruction.
    assert suggestion(case, excerpt, "event.rok_airlift_2004").attributes == {"date": "2004-07"}
    later = suggestion(case, excerpts["X-n17-instruction-2006"], "policy.crossers.attempts_punished")
    assert later.attributes["announced"] == "2006-07"
    guards = suggestions_for(case, excerpts["X-n17-border-guards"])[0]
    assert guards.proposition == "border_guards.punished_for_aiding"
    assert guards.attributes == {"punishment": "military_tribunal"}


def test_note_23_kwanliso_for_ten_years_for_those_who_went_to_church(case: Case, excerpts: dict[str, Excerpt]) -> None:
    for excerpt_id in ("X-n23-church", "X-n23-new-policy"):
        s = suggestion(case, excerpts[excerpt_id], "policy.crossers.christian_contact.harsher")
        assert s.attributes["facility"] == "kwanliso"
        assert s.attributes["sentence_years"] == "10"
    church = suggestions_for(case, excerpts["X-n23-church"])[0]
    assert church.proposition == "policy.crossers.christian_contact.harsher"
    assert church.attributes == hand_claim(case, "X-n23-church", church.proposition).attributes
    # One passage, three claims: each takes the terms of its own clause.
    new_policy = {s.proposition: s.attributes for s in suggestions_for(case, excerpts["X-n23-new-policy"])}
    assert (
        new_policy["policy.crossers.imprisoned"]
        == hand_claim(case, "X-n23-new-policy", "policy.crossers.imprisoned").attributes
    )
    lenient = new_policy["policy.crossers.lenient_before_2004"]
    assert lenient["sentence_months"] == "2..3" and lenient["facility"] == "rodong_danryondae"
    assert date_interval(str(lenient["period"])) == date_interval("../2003-12")  # "Before 2004"


def test_note_28_too_little_food_in_a_police_detention_center(case: Case, excerpts: dict[str, Excerpt]) -> None:
    s = suggestions_for(case, excerpts["X-n28-corn-powder"])[0]
    assert s.proposition == "detention.food.insufficient"
    assert s.attributes == {"facility": "police_detention", "date": "2005-02"}
    assert {e.text for e in s.evidence} >= {"fistful", "corn powder", "never enough food", "police detention center"}


def test_note_26_beatings_and_stress_positions(case: Case, excerpts: dict[str, Excerpt]) -> None:
    assert suggestions_for(case, excerpts["X-n26-beatings"])[0].proposition == "detention.beatings"
    assert suggestions_for(case, excerpts["X-n26-stress-positions"])[0].proposition == "detention.stress_positions"
    beatings = suggestions_for(case, excerpts["X-n26-beatings"])[0]
    assert {e.term for e in beatings.evidence if e.scheme == "violations"} == {"beatings"}
    assert {"beat", "sticks", "belts", "slapped", "kicked"} <= {e.text for e in beatings.evidence}


def test_places_channels_and_hearsay(case: Case, excerpts: dict[str, Excerpt]) -> None:
    pledge = suggestion(case, excerpts["X-n14-written-pledge"], "policy.crossers.written_pledge")
    assert pledge.attributes == {"place": "Hoeryong", "channel": "peoples_committee_meeting"}
    assert suggestion(case, excerpts["X-n14-written-pledge"], "policy.families.relocation").attributes == {
        "place": "Hoeryong"
    }
    heard = suggestion(case, excerpts["X-n11-prison-three-years"], "policy.crossers.imprisoned")
    assert heard.attributes == {"sentence_years": "3", "channel": "hearsay", "facility": "kyohwaso"}
    decree = suggestion(case, excerpts["X-n15-decree-2005"], "policy.crossers.imprisoned")
    assert decree.attributes == {"announced": "2005", "channel": "official_decree"}  # "a year earlier" is no term


def test_evidence_spans_point_into_the_passage(case: Case, excerpts: dict[str, Excerpt]) -> None:
    for excerpt in excerpts.values():
        for s in suggestions_for(case, excerpt):
            assert s.evidence
            for span in s.evidence:
                assert excerpt.text[span.start : span.end] == span.text
            given_by_spans = {span.attribute for span in s.evidence if span.attribute}
            assert given_by_spans == set(s.attributes)


def test_suggestions_become_claims_only_when_accepted(case: Case, excerpts: dict[str, Excerpt]) -> None:
    before = list(case.claims)
    s = suggestion(case, excerpts["X-n12-one-to-five-years"], "policy.crossers.imprisoned")
    assert case.claims == before  # suggesting coded nothing
    claim = s.to_claim("C-new", "X-n12-one-to-five-years")
    assert claim == Claim(
        id="C-new",
        excerpt="X-n12-one-to-five-years",
        proposition="policy.crossers.imprisoned",
        attributes={"sentence_years": "1..5", "channel": "peoples_committee_meeting"},
    )
    edited = s.to_claim("C-ed", "X-n12-one-to-five-years", attributes={"channel": None, "place": "Musan"}, note="ok")
    assert edited.attributes == {"sentence_years": "1..5", "place": "Musan"} and edited.note == "ok"
    assert s.to_claim("C-no", "X-n12-one-to-five-years", stance="contradicts").stance == "contradicts"


def test_suggesting_is_fast(case: Case) -> None:
    suggest("warm-up", propositions=case.propositions)
    times = []
    for excerpt in case.excerpts:
        start = time.perf_counter()
        suggest(excerpt, propositions=case.propositions)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.010  # measured: about 1.5 ms
    assert max(times) < 0.050


# ---------------------------------------------------------------- stance and propositions without rules

PRISON = Proposition(key="policy.crossers.imprisoned", statement="Crossers go to prison.")
BEATINGS = Proposition(key="detention.beatings", statement="Guards beat detainees.")
FOOD = Proposition(key="detention.food.insufficient", statement="Detainees get too little food.")


@pytest.mark.parametrize(
    ("text", "key", "stance"),
    [
        ("Guards beat people all the time.", "detention.beatings", "supports"),
        ("The guards never beat anyone there.", "detention.beatings", "contradicts"),
        ("They did not beat us.", "detention.beatings", "contradicts"),
        ("The guards didn't beat us, but they kicked us.", "detention.beatings", "supports"),
        ("There was never enough food.", "detention.food.insufficient", "supports"),
        ("We were not given enough food.", "detention.food.insufficient", "supports"),
        ("They held him for no more than a few months in regular prison.", "policy.crossers.imprisoned", "supports"),
    ],
)
def test_contradicts_only_on_plain_negation(text: str, key: str, stance: str) -> None:
    found = {s.proposition: s for s in suggest(text, propositions=[PRISON, BEATINGS, FOOD])}
    assert found[key].stance == stance


def test_a_proposition_without_a_rule_is_suggested_by_the_words_of_its_statement(case: Case) -> None:
    medical = Proposition(
        key="detention.medical.denied", statement="Detainees are denied medical treatment and medicine."
    )
    top = suggest(
        "There was no medicine, and sick inmates got no treatment.", propositions=[*case.propositions, medical]
    )
    assert top[0].proposition == "detention.medical.denied"
    assert {e.text for e in top[0].evidence} == {"medicine", "treatment"}
    assert suggest("The weather was fine.", propositions=[medical]) == []


# ---------------------------------------------------------------- thesauri


@pytest.mark.parametrize(
    ("text", "scheme", "term"),
    [
        ("She spent months in a jipkyolso.", "facilities", "jipkyolso"),
        ("held at the jipkyulso in Musan", "facilities", "jipkyolso"),
        ("a temporary detention center where people await sentencing", "facilities", "jipkyolso"),
        ("the gathering centre", "facilities", "jipkyolso"),
        ("집결소에서 석 달", "facilities", "jipkyolso"),
        ("a police detention center", "facilities", "police_detention"),
        ("구류장", "facilities", "police_detention"),
        ("sent to a rodong danryondae", "facilities", "rodong_danryondae"),
        ("the rodong dallyeondae", "facilities", "rodong_danryondae"),
        ("a forced-labour camp", "facilities", "rodong_danryondae"),
        ("forced labor facilities", "facilities", "rodong_danryondae"),
        ("re-education through labour", "facilities", "rodong_danryondae"),
        ("a labour training camp", "facilities", "rodong_danryondae"),
        ("로동단련대", "facilities", "rodong_danryondae"),
        ("노동단련대에", "facilities", "rodong_danryondae"),
        ("regular prison", "facilities", "kyohwaso"),
        ("the kyo-hwa-so", "facilities", "kyohwaso"),
        ("a re-education camp", "facilities", "kyohwaso"),
        ("교화소", "facilities", "kyohwaso"),
        ("kwanliso (political prison camp)", "facilities", "kwanliso"),
        ("the gwalliso", "facilities", "kwanliso"),
        ("관리소", "facilities", "kwanliso"),
        ("I heard at a People's Committee Meeting", "channels", "peoples_committee_meeting"),
        ("at the people’s committee meetings", "channels", "peoples_committee_meeting"),
        ("an inminban meeting", "channels", "inminban_meeting"),
        ("there was a state instruction", "channels", "state_instruction"),
        ("a state announcement", "channels", "state_announcement"),
        ("an official degree in 2005", "channels", "official_decree"),
        ("a decree of Kim Jong Il", "channels", "official_decree"),
        ("I heard from intelligence officials", "channels", "intelligence_officials"),
        ("보위부 사람들이", "channels", "intelligence_officials"),
        ("at a public lecture", "channels", "public_lecture"),
        ("I heard from people that", "channels", "hearsay"),
        ("held without trial", "violations", "arbitrary_detention"),
        ("he was tortured", "violations", "torture"),
        ("they beat us with sticks", "violations", "beatings"),
        ("forced to sit down and stand up", "violations", "stress_positions"),
        ("forced us to hang onto cell bars", "violations", "stress_positions"),
        ("a fistful of corn powder", "violations", "starvation"),
        ("a dead body was carried out", "violations", "deaths_in_custody"),
        ("three soldiers were executed", "violations", "execution"),
        ("forced labour in the fields", "violations", "forced_labour"),
        ("the right to leave any country", "violations", "leaving_restricted"),
        ("religious persecution", "violations", "religious_persecution"),
        ("the principle of non-refoulement", "violations", "refoulement"),
        ("tried by a military tribunal", "punishments", "military_tribunal"),
        ("dishonorably discharged", "punishments", "discharge"),
    ],
)
def test_thesaurus_terms_answer_to_their_variants(text: str, scheme: str, term: str) -> None:
    found = {ref[1:] for m in Thesaurus.default().find_terms(text) for ref in m.refs if ref[0] == "term"}
    assert (scheme, term) in found


def test_the_longest_label_wins() -> None:
    th = Thesaurus.default()
    terms = [(m.text, ref[2]) for m in th.find_terms("a political prison camp") for ref in m.refs if ref[0] == "term"]
    assert terms == [("political prison camp", "kwanliso")]
    terms = [(m.text, ref[2]) for m in th.find_terms("police detention center") for ref in m.refs if ref[0] == "term"]
    assert terms == [("police detention center", "police_detention")]


def test_broader_terms_and_the_shipped_schemes() -> None:
    th = Thesaurus.default()
    assert Thesaurus.default() is th  # loaded once
    assert set(th.schemes) == {"facilities", "channels", "violations", "punishments"}
    facilities = th.schemes["facilities"]
    assert facilities.ancestors("kwanliso") == ["kwanliso", "detention_facility"]
    assert th.schemes["violations"].ancestors("beatings") == ["beatings", "torture"]
    assert th.term("facilities", "kyohwaso").labels()[0] == "kyohwaso"
    assert "교화소" in th.term("facilities", "kyohwaso").labels()
    assert th.schemes["channels"].scope == "excerpt" and facilities.scope == "anchor"
    # A cue on a broader term ("facilities:*") fires on the narrower ones.
    assert ("detention.beatings", "detention") in th.cues_of_term("facilities", "jipkyolso")
    assert set(th.rules) >= {"policy.crossers.imprisoned", "detention.food.insufficient"}


def test_every_shipped_rule_names_a_proposition_of_the_reference_case(case: Case) -> None:
    assert set(Thesaurus.default().rules) == {p.key for p in case.propositions}


# ---------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("one to five years", 1, 5),
        ("six months", 0.5, 0.5),
        ("at least three years", 3, None),
        ("10 years", 10, 10),
        ("two to three months", 0.17, 0.25),
        ("a few months", 0.25, 0.42),
        ("up to five years", 0, 5),
        ("a few months to an indefinite period", 0.25, None),
        ("between one and five years", 1, 5),
        ("1-5 years", 1, 5),
        ("one or two years", 1, 2),
        ("five-year sentence", 5, 5),
        ("three years or more", 3, None),
        ("more than three years", 3, None),
        ("less than a year", 0, 1),
        ("one and a half years", 1.5, 1.5),
        ("a year and a half", 1.5, 1.5),
        ("half a year", 0.5, 0.5),
        ("several years", 3, 7),
        ("two weeks", 0.04, 0.04),
        ("5년", 5, 5),
        ("3개월", 0.25, 0.25),
    ],
)
def test_durations_become_ranges_of_years(text: str, low: float, high: float | None) -> None:
    (found,) = Thesaurus.default().find_durations(f"They get {text} now.")
    assert found.text == text.replace(" sentence", "")
    assert round(found.low / DAYS_PER_YEAR, 2) == low
    assert (None if found.high is None else round(found.high / DAYS_PER_YEAR, 2)) == high


@pytest.mark.parametrize(
    "text",
    [
        "a 32-year-old man",
        "three times a day",
        "a year earlier than the men said",
        "5,000 to 10,000 people",
        "the 1970s",
    ],
)
def test_what_is_not_a_duration(text: str) -> None:
    assert Thesaurus.default().find_durations(text) == []


def test_durations_take_the_unit_of_the_attribute(case: Case) -> None:
    lenient = next(p for p in case.propositions if p.key == "policy.crossers.lenient_before_2004")
    s = suggest("In the past, crossers served two to three months at a forced labour camp.", propositions=[lenient])
    assert s[0].attributes["sentence_months"] == "2..3"
    imprisoned = next(p for p in case.propositions if p.key == "policy.crossers.imprisoned")
    s = suggest("Crossers now serve two to three months in regular prison.", propositions=[imprisoned])
    assert s[0].attributes["sentence_years"] == "0.17..0.25"


# ---------------------------------------------------------------- dates in context


@pytest.mark.parametrize(
    ("phrase", "context_year", "announced"),
    [
        ("In October this year [2006]", None, "2006-10"),
        ("In October this year", 2006, "2006-10"),
        ("In October last year", 2006, "2005-10"),
        ("Last year", 2006, "2005"),
        ("In late 2004", None, "2004-09/2004-12"),
        ("By March or April 2006", None, "../2006-04"),
        ("In the first half of 2006", None, "2006-01/2006-06"),
        ("On November 27, 2004,", None, "2004-11-27"),
        ("On 27 November 2004", None, "2004-11-27"),
        ("In February 2005", None, "2005-02"),
        ("By late 2005,", None, "../2005-12"),
        ("Since 2000", None, "2000/.."),
        ("Before 2004", None, "../2003"),
        ("From late December 2006", None, "2006-12-21/.."),
        ("Starting in October this year [2006],", None, "2006-10"),
        ("In early August 2006", None, "2006-08-01/2006-08-10"),
        ("In mid-2006", None, "2006-05/2006-08"),
    ],
)
def test_dates_in_context(case: Case, phrase: str, context_year: int | None, announced: str) -> None:
    text = f"{phrase} there was a state announcement that border crossers will be sent to regular prison."
    s = suggest(text, propositions=case.propositions, context_year=context_year)[0]
    assert s.proposition == "policy.crossers.imprisoned"
    assert s.attributes["announced"] == announced
    assert s.attributes["channel"] == "state_announcement"


def test_a_relative_year_without_a_year_to_read_it_by_is_left_out(case: Case) -> None:
    text = "In October this year there was a state announcement that border crossers go to regular prison."
    assert "announced" not in suggest(text, propositions=case.propositions)[0].attributes


def test_an_effective_date_is_told_apart_from_the_period(case: Case, excerpts: dict[str, Excerpt]) -> None:
    s = suggestion(case, excerpts["X-n01-leniency-decree"], "policy.crossers.lenient_before_2004")
    assert s.attributes["effective"] == "2000-02-16" and "period" not in s.attributes


# ---------------------------------------------------------------- extending the thesaurus per case

CASE_THESAURUS = """
schemes:
  - scheme: facilities
    terms:
      - id: bowibu_jail
        label: bowibu detention centre
        broader: detention_facility
        alt: {en: [state security jail], ko: [보위부 구류장]}
  - scheme: propositions
    rules:
      - key: detention.medical.denied
        cues:
          - {id: medicine, anchor: true, weight: 0.6, phrases: [no medicine, medicine*, untreated]}
          - {id: place, weight: 0.2, terms: ["facilities:*"]}
"""


def test_a_case_extends_the_thesaurus(tmp_path: Path) -> None:
    path = tmp_path / "thesaurus.yaml"
    path.write_text(CASE_THESAURUS, encoding="utf-8")
    extended = Thesaurus.default().extended_with(path)
    assert "bowibu_jail" in extended.schemes["facilities"].terms
    assert "bowibu_jail" not in Thesaurus.default().schemes["facilities"].terms  # the shipped one is untouched
    medical = Proposition(
        key="detention.medical.denied",
        statement="Detainees are denied medical care.",
        attributes={"facility": AttributeSpec(type="category", values=["bowibu_jail", "kyohwaso"])},
    )
    text = "At the state security jail there was no medicine; wounds went untreated."
    (s,) = suggest(text, propositions=[medical], thesaurus=extended)
    assert s.attributes == {"facility": "bowibu_jail"}
    assert suggest(text, propositions=[medical]) == [] or suggest(text, propositions=[medical])[0].score < s.score
    mapping = Thesaurus.default().extended_with({"scheme": "channels", "terms": [{"id": "radio", "label": "radio"}]})
    assert mapping.schemes["channels"].scope == "excerpt"


def test_a_conflicting_id_names_the_file_and_the_id(tmp_path: Path) -> None:
    path = tmp_path / "case-thesaurus.yaml"
    path.write_text(
        "scheme: facilities\nterms:\n  - {id: kyohwaso, label: reform camp}\n  - {id: ok_new, label: new camp}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileInvalid) as raised:
        Thesaurus.default().extended_with(path)
    assert isinstance(raised.value, UserError)
    (problem,) = raised.value.problems
    assert problem.file == str(path) and "facilities:kyohwaso" in problem.path
    assert "already defined in facilities.yaml" in problem.message
    assert str(path) in str(raised.value) and "kyohwaso" in str(raised.value)


def test_every_problem_of_an_extension_is_listed_at_once() -> None:
    bad = {
        "schemes": [
            {"scheme": "propositions", "rules": [{"key": "detention.beatings", "cues": [{"id": "x", "weight": 0.5}]}]},
            {"scheme": "durations", "numbers": {"one": 1}},
            {"scheme": "facilities", "terms": [{"id": "cell", "label": "cell", "broader": "nowhere"}]},
        ]
    }
    with pytest.raises(DataFileInvalid) as raised:
        Thesaurus.default().extended_with(bad)
    messages = " | ".join(str(p) for p in raised.value.problems)
    assert "rule 'detention.beatings' is already defined in propositions.yaml" in messages
    assert "number word 'one' is already defined in durations.yaml" in messages
    assert "unknown broader term 'nowhere'" in messages
    with pytest.raises(DataFileInvalid, match="weight"):
        Thesaurus.from_mapping({"scheme": "p", "rules": [{"key": "a.b", "cues": [{"id": "c", "weight": 2}]}]})
    with pytest.raises(DataFileInvalid, match="unknown term 'nope:x'"):
        Thesaurus.from_mapping(
            {"scheme": "p", "rules": [{"key": "a.b", "cues": [{"id": "c", "weight": 1, "terms": ["nope:x"]}]}]}
        )


# ---------------------------------------------------------------- properties

VOCABULARY = [
    "regular prison",
    "kwanliso",
    "jipkyolso",
    "three years",
    "one to five years",
    "at least",
    "a few months",
    "People's Committee Meeting",
    "state instruction",
    "I heard from",
    "October this year [2006]",
    "this year",
    "late 2004",
    "by March or April",
    "2006",
    "November 31, 2004",
    "Hoeryong City",
    "Chongjin",
    "never",
    "not",
    "beat",
    "fistful",
    "church",
    "border guards",
    "executed",
    "written promise",
    ",",
    ".",
    ";",
    "but",
    "[...]",
    "집결소",
    "5년",
    "0 years",
    "99999 years",
    "1.5 months",
]
texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=8)), max_size=40).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(text=texts, context_year=st.none() | st.integers(min_value=1900, max_value=2100))
def test_any_text_gives_well_typed_suggestions(case: Case, text: str, context_year: int | None) -> None:
    specs = {p.key: p.attributes for p in case.propositions}
    for s in suggest(text, propositions=case.propositions, context_year=context_year):
        assert 0 <= s.score <= 1
        for name, value in s.attributes.items():
            assert coerce_attribute(specs[s.proposition][name], value) == value
        for span in s.evidence:
            assert text[span.start : span.end] == span.text
