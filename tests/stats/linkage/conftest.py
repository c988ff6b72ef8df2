"""A small linkage of generated lists, made once for the tests of what a linkage gives (explanations,
charts): 600 people on three lists, with the truth."""

from __future__ import annotations

import pytest

from corroborate.stats.linkage import Population, simulate
from corroborate.stats.linkage.model import LinkedRecords, link_records


@pytest.fixture(scope="session")
def small_linkage() -> tuple[Population, LinkedRecords]:
    population = simulate(600, lists=3, seed=11)
    return population, link_records([(r.list_name, r.record_id, r.as_row()) for r in population.records])
