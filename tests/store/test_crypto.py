"""The Argon2id floor: no key is made or opened with parameters below OWASP's minimum.

The rest of the suite runs under a cheap in-process policy (tests/conftest.py);
every test here puts the real one back first, as a real process has it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from sqlalchemy import select, update

from corroborate import services
from corroborate.errors import UserError
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.store import KdfParams, crypto, derive_key, open_store
from corroborate.store.crypto import OWASP_ARGON2ID_MINIMUMS, SAFE_ARGON2, Argon2Cost
from corroborate.store.schema import CaseKeyRow
from support import PASSPHRASE


@pytest.fixture
def real_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "argon2_policy", SAFE_ARGON2)


def meets_owasp(memory_kib: int, time_cost: int) -> bool:
    table = [(47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5)]  # OWASP Password Storage Cheat Sheet
    return any(memory_kib >= m and time_cost >= t for m, t in table)


def test_the_floor_is_owasps_table() -> None:
    assert [(c.memory_cost, c.time_cost, c.parallelism) for c in OWASP_ARGON2ID_MINIMUMS] == [
        (47104, 1, 1), (19456, 2, 1), (12288, 3, 1), (9216, 4, 1), (7168, 5, 1)
    ]  # fmt: skip
    assert SAFE_ARGON2.minimums == OWASP_ARGON2ID_MINIMUMS
    new = SAFE_ARGON2.new_keys
    assert meets_owasp(new.memory_cost, new.time_cost)


@pytest.mark.usefixtures("real_policy")
@pytest.mark.parametrize(
    ("memory", "passes", "allowed"),
    [(16, 1, False), (8192, 1, False), (47103, 1, False), (47104, 1, True), (19456, 1, False), (19456, 2, True),
     (12288, 2, False), (12288, 3, True), (9216, 4, True), (7168, 4, False), (7168, 5, True), (65536, 3, True)],
)  # fmt: skip
def test_deriving_a_key_below_the_floor_is_refused(memory: int, passes: int, allowed: bool) -> None:
    params = KdfParams(salt=os.urandom(16), time_cost=passes, memory_cost=memory, parallelism=1)
    assert allowed == meets_owasp(memory, passes)
    if allowed:
        assert len(derive_key("x", params)) == 32
        return
    with pytest.raises(UserError, match="below the safe minimum") as info:
        derive_key("a secret passphrase", params)
    assert "a secret passphrase" not in str(info.value)


@pytest.mark.usefixtures("real_policy")
def test_an_environment_variable_cannot_lower_the_cost_of_new_keys(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reference_case_path: Path, secrets: Secrets
) -> None:
    """The attack: CORROBORATE_ARGON2_MEMORY_KIB=16 made keys whose passphrase fell in 0.07 s."""
    monkeypatch.setenv("CORROBORATE_ARGON2_MEMORY_KIB", "16")
    monkeypatch.setenv("CORROBORATE_ARGON2_TIME_COST", "1")
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    with open_store(location) as store, store.transaction() as session:
        kdf = session.scalars(select(CaseKeyRow.kdf)).one()
    assert meets_owasp(kdf["memory_cost"], kdf["time_cost"]), kdf
    assert (kdf["memory_cost"], kdf["time_cost"]) == (SAFE_ARGON2.new_keys.memory_cost, SAFE_ARGON2.new_keys.time_cost)
    start = time.perf_counter()
    derive_key("a guess", KdfParams.from_json(kdf))
    assert time.perf_counter() - start > 0.01, "one guess is not cheap"


def test_stored_key_parameters_below_the_floor_are_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, reference_case_path: Path, secrets: Secrets
) -> None:
    """A case key made with weak parameters (by an old version, or planted) is not used."""
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    with open_store(location) as store, store.transaction(write=True) as session:
        kdf = dict(session.scalars(select(CaseKeyRow.kdf)).one())
        kdf.update(memory_cost=16, time_cost=1)
        session.execute(update(CaseKeyRow).values(kdf=kdf))
    monkeypatch.setattr(crypto, "argon2_policy", SAFE_ARGON2)
    with pytest.raises(UserError, match="below the safe minimum") as info:
        services.identities(location, actor=LOCAL_OWNER, secrets=secrets)
    assert PASSPHRASE not in str(info.value)
    for command in (services.unlock, services.rotate_key):
        with pytest.raises(UserError, match="below the safe minimum"):
            command(location, actor=LOCAL_OWNER, secrets=secrets, **({"minutes": 5} if command is services.unlock
                                                                      else {}))  # fmt: skip


def test_parameters_are_bounded_above_too(real_policy: None) -> None:
    """A planted 1 TiB or 10^6-pass parameter would hang the machine instead of opening the case."""
    for memory, passes, lanes in [(2**40, 3, 1), (65536, 10**6, 1), (65536, 3, 10**4)]:
        with pytest.raises(UserError, match="out of range"):
            derive_key("x", KdfParams(salt=os.urandom(16), time_cost=passes, memory_cost=memory, parallelism=lanes))


def test_the_test_policy_is_in_process_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """conftest lowers the cost by swapping a module attribute; a new process has the real policy."""
    import subprocess
    import sys

    assert crypto.argon2_policy is not SAFE_ARGON2, "conftest swaps the policy for speed"
    code = "from corroborate.store import crypto; print(crypto.argon2_policy == crypto.SAFE_ARGON2)"
    env = {**os.environ, "CORROBORATE_ARGON2_MEMORY_KIB": "16", "CORROBORATE_ARGON2_TIME_COST": "1"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"


def test_a_refusal_names_the_parameters_and_the_floor_in_plain_units() -> None:
    assert str(Argon2Cost(47104, 1, 1)) == "46 MiB with 1 pass"
    assert str(Argon2Cost(16, 3, 1)) == "16 KiB with 3 passes"
    reason = SAFE_ARGON2.refusal(Argon2Cost(16, 1, 1))
    assert reason is not None and reason.startswith("its Argon2id parameters (16 KiB with 1 pass) are below")
    assert "46 MiB with 1 pass or 19 MiB with 2 passes" in reason
