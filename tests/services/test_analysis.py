"""Coding claims through the services: an accepted suggestion identical to an existing claim is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from corroborate import services
from corroborate.domain import Claim
from corroborate.errors import UserError
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Secrets, analysis


def test_the_same_claim_twice_is_refused(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> None:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    existing = read_casefile(reference_case_path).claims[0]
    again = existing.model_copy(update={"id": "C-again"})
    with pytest.raises(UserError, match=f"claim {existing.id} already codes {existing.excerpt} the same way"):
        analysis.add_claim(location, again, actor=LOCAL_OWNER, secrets=secrets)
    other = Claim(id="C-other", excerpt=existing.excerpt, proposition=existing.proposition, stance="contradicts")
    analysis.add_claim(location, other, actor=LOCAL_OWNER, secrets=secrets)  # a different coding is fine
