"""A store kept open (as the web server keeps its store) pools its connections between use cases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine

from corroborate import services
from corroborate.errors import StoreNotFound
from corroborate.services import LOCAL_OWNER


@pytest.fixture
def connects() -> Iterator[list[object]]:
    """Every new database connection made while the test runs."""
    made: list[object] = []

    def count(connection: Any, _record: Any) -> None:
        made.append(connection)

    event.listen(Engine, "connect", count)
    yield made
    event.remove(Engine, "connect", count)


def test_calls_connect_anew_unless_the_store_is_kept_open(store_location: str, connects: list[object]) -> None:
    services.init_store(store_location)
    services.case_ids(store_location, actor=LOCAL_OWNER)
    before = len(connects)
    for _ in range(3):
        services.case_ids(store_location, actor=LOCAL_OWNER)
    assert len(connects) - before >= 3  # a connection per call: none is kept between them
    with services.kept_open(store_location):
        services.case_ids(store_location, actor=LOCAL_OWNER)
        kept = len(connects)
        for _ in range(3):
            services.case_ids(store_location, actor=LOCAL_OWNER)
        assert len(connects) == kept  # the pooled connection served every later call


def test_keeping_a_missing_store_open_says_so(tmp_path: Any) -> None:
    with pytest.raises(StoreNotFound), services.kept_open(str(tmp_path / "missing.db")):
        pass
