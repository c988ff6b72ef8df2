"""The grade of every proposition of the reference case, pinned, with the paper's words behind it.

A change to the coding, the standard or the grading that moves any of these
grades must come with a reason a reader of the paper would accept; this test
makes the change visible. The quotes are from the reference paper
(../shared/seeds/hrw-2007-north-korea-border-crossers.txt); each is checked
against the paper's text, so a comment cannot quote words the paper does not
contain.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate.analysis import CaseAssessment, assess_case
from corroborate.ingest import read_casefile

# proposition: (grade under the default standard, the paper's words that justify it)
PINNED: dict[str, tuple[str, str]] = {
    # Two sources, none first-hand (a report and hearsay of practice), and two witnesses disagreeing on
    # the months served ("six months" vs "two to three months"): several sources, not established.
    "policy.crossers.lenient_before_2004": (
        "several_sources",
        "typically were either released after questioning or served a few months",
    ),
    # The paper's own sentence (no endnote) and the Reuters report of KCNA's reaction to the arrival.
    "event.rok_airlift_2004": ("several_sources", "South Korea flew 468 North Korean refugees from Vietnam"),
    "event.dprk_denounced_airlift": ("several_sources", "cut off all dialogue with South Korea for 10 months"),
    # Two statements, July 2004 and November 2005, each with its own source: a pattern, no disagreement.
    "event.dprk_denounced_nkhra": ("several_sources", "North Korea called the Act an attempt to topple"),
    # Nine witnesses from seven places of origin, six of whom heard it announced.
    "policy.crossers.imprisoned": ("established", "provided Human Rights Watch with consistent testimonies"),
    # The paper's conclusion, from five distinct announcements dated by seven witnesses.
    "policy.crossers.warnings_repeated": ("established", "there have in fact been repeated warnings"),
    # One witness each, who heard it from officials or at a meeting.
    "policy.crossers.attempts_punished": ("single_source", "harshly punish those who even attempt to cross"),
    "policy.crossers.family_crossing.harsher": ("single_source", "especially if an entire family attempted it"),
    "policy.crossers.written_pledge": ("single_source", "submit a written promise that they won't cross"),
    "policy.families.relocation": ("single_source", "their entire families will be forcibly relocated"),
    # The paper hedges: only two witnesses and the 2002 report; one first-hand.
    "policy.crossers.christian_contact.harsher": (
        "reasonable_grounds",
        "appears to have been retained under the new policy",
    ),
    # The 2002 report and one witness who does not say how she knows.
    "policy.crossers.contact_south_koreans.harsher": (
        "several_sources",
        "It's the same for those who were caught while trying to go to South Korea",
    ),
    # One witness who heard it from officials, Good Friends, and three Daily NK reports resting on one
    # set of anonymous sources (counted once); separate incidents, none first-hand.
    "border_guards.punished_for_aiding": ("several_sources", "Citing an unidentified source inside North Korea"),
    "border.patrols_increased": ("several_sources", "increased patrols along the border"),
    # The 2002 report (repatriations) and Good Friends (inspections from December 2006): two occurrences.
    "prc.repatriation": ("several_sources", "routinely arrest and repatriate them"),
    # Note 20 alone.
    "border.retired_soldiers_arrested": ("single_source", "even arrested retired soldiers"),
    "prc.border_residents.must_report": ("single_source", "some Chinese officials and residents in the border area"),
    "food.shortage_2006": ("single_source", "amid continuing food shortages plaguing the country"),
    "event.rok_food_aid_suspended_2006": ("single_source", "a suspension of South Korea's food aid"),
    # The KINU white paper alone (note 22).
    "dprk.religion.persecuted": ("single_source", "the government has persistently persecuted religiously active"),
    # Three detainees from three places of origin, each describing the food they were given.
    "detention.food.insufficient": ("established", "They all give you very little food"),
    # One detainee each; stress positions from two (the jipkyolso in 2006, a labour camp in 2006).
    "detention.beatings": ("single_source", "Guards beat people all the time"),
    "detention.stress_positions": ("reasonable_grounds", "forced to stand up and sit down about 100 times"),
    "detention.deaths": ("single_source", "I saw a dead body being carried out almost every day"),
}


@pytest.fixture(scope="module")
def assessed(reference_case_path: Path) -> CaseAssessment:
    return assess_case(read_casefile(reference_case_path))


def test_every_proposition_is_pinned(assessed: CaseAssessment) -> None:
    assert [a.proposition.key for a in assessed.assessments] == list(PINNED)


@pytest.mark.parametrize("key", list(PINNED))
def test_pinned_grade(assessed: CaseAssessment, key: str) -> None:
    assert assessed.get(key).grade == PINNED[key][0]


def test_the_justifications_quote_the_paper(reference_paper: str) -> None:
    flat = " ".join(reference_paper.split())
    missing = [key for key, (_, words) in PINNED.items() if words not in flat]
    assert missing == []
