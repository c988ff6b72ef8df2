"""Browser sessions: tokens kept only as hashes, expiry by idleness and by age, signing out everywhere, and
guessing slowed down per name and per address."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from corroborate import services
from corroborate.errors import NotAuthenticated, TooManyAttempts
from corroborate.services import Role, Secrets, websessions
from support import PASSPHRASE

PASSWORD = "a long enough password"  # every user's in the `store` of conftest.py
T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_a_session_names_its_user_and_their_roles_as_they_are_now(store: str) -> None:
    login = websessions.start_session(store, "ana", PASSWORD, address="10.0.0.1", now=T0)
    found = websessions.session_for(store, login.token, now=T0 + timedelta(minutes=5))
    assert found is not None and found.actor.name == "ana" and found.csrf == login.csrf
    assert found.actor.role_for("border-crossers-2007") is Role.analyst
    assert websessions.session_for(store, login.token + "x", now=T0) is None
    assert websessions.session_for(store, None) is None
    with sqlite3.connect(store) as db:  # only the token's hash is kept
        assert login.token.encode() not in b"".join(str(r).encode() for r in db.execute("SELECT * FROM web_sessions"))


def test_sessions_end_when_idle_and_after_a_working_day(store: str) -> None:
    idle = websessions.start_session(store, "ana", PASSWORD, address="a", now=T0)
    assert websessions.session_for(store, idle.token, now=T0 + websessions.SESSION_IDLE + timedelta(seconds=1)) is None
    busy = websessions.start_session(store, "ana", PASSWORD, address="a", now=T0)
    moment = T0
    while moment < T0 + websessions.SESSION_LIFETIME - timedelta(hours=1):
        moment += timedelta(hours=1)
        assert websessions.session_for(store, busy.token, now=moment) is not None, moment
    too_late = T0 + websessions.SESSION_LIFETIME + timedelta(minutes=1)
    assert websessions.session_for(store, busy.token, now=too_late) is None


def _seen_at(store: str) -> list[str]:
    with sqlite3.connect(store) as db:
        return [row[0] for row in db.execute("SELECT seen_at FROM web_sessions ORDER BY seen_at")]


def test_a_session_used_again_soon_is_only_read_and_its_use_is_written_once_a_step_has_passed(store: str) -> None:
    login = websessions.start_session(store, "ana", PASSWORD, address="a", now=T0)
    started = _seen_at(store)
    soon = T0 + websessions.SEEN_STEP - timedelta(seconds=1)
    for _ in range(3):
        assert websessions.session_for(store, login.token, now=soon) is not None
    assert _seen_at(store) == started  # nothing written
    later = T0 + websessions.SEEN_STEP + timedelta(seconds=1)
    assert websessions.session_for(store, login.token, now=later) is not None
    assert _seen_at(store) == [later.isoformat(timespec="microseconds")]
    # Used within every step, the session lives on past its first idle time, up to the working day.
    moment = later
    while moment < T0 + 2 * websessions.SESSION_IDLE:
        moment += websessions.SEEN_STEP * 2
        assert websessions.session_for(store, login.token, now=moment) is not None, moment
    # Then left idle: gone, and its row dropped by the first request that finds it so.
    gone = moment + websessions.SESSION_IDLE + timedelta(seconds=1)
    assert websessions.session_for(store, login.token, now=gone) is None
    assert _seen_at(store) == []


def test_signing_out_everywhere_ends_only_that_users_sessions(store: str) -> None:
    now = datetime.now(UTC)
    ana = [websessions.start_session(store, "ana", PASSWORD, address="a", now=now) for _ in range(3)]
    olga = websessions.start_session(store, "olga", PASSWORD, address="b", now=now)
    websessions.end_session(store, ana[0].token)
    assert websessions.session_for(store, ana[0].token) is None and websessions.session_for(store, ana[1].token)
    assert websessions.end_everywhere(store, ana[1].token) == 2
    assert all(websessions.session_for(store, s.token) is None for s in ana)
    assert websessions.session_for(store, olga.token) is not None


def test_a_removed_user_has_no_session(store: str, secrets: Secrets) -> None:
    login = websessions.start_session(store, "ana", PASSWORD, address="a")
    olga = services.authenticate(store, "olga", PASSWORD)
    services.remove_user(store, "ana", actor=olga, secrets=secrets)
    assert websessions.session_for(store, login.token) is None


def test_guessing_is_slowed_per_name_and_per_address(store: str) -> None:
    for _ in range(websessions.MAX_FAILURES):
        with pytest.raises(NotAuthenticated):
            websessions.start_session(store, "ana", "wrong password", address="10.0.0.9", now=T0)
    with pytest.raises(TooManyAttempts) as refused:  # even the right password, from anywhere
        websessions.start_session(store, "ana", PASSWORD, address="10.0.0.10", now=T0 + timedelta(minutes=1))
    assert 0 < refused.value.retry_after <= websessions.FAILURE_WINDOW.total_seconds()
    assert "try again in 14 minutes" in str(refused.value)
    with pytest.raises(TooManyAttempts):  # another name from the guessing address
        websessions.start_session(store, "olga", PASSWORD, address="10.0.0.9", now=T0 + timedelta(minutes=1))
    websessions.start_session(store, "olga", PASSWORD, address="10.0.0.11", now=T0 + timedelta(minutes=1))
    later = T0 + websessions.FAILURE_WINDOW + timedelta(seconds=1)
    websessions.start_session(store, "ana", PASSWORD, address="10.0.0.9", now=later)  # the window has passed


def test_wrong_passphrases_are_counted_per_user_and_case_and_per_address(store: str) -> None:
    from corroborate.errors import WrongPassphrase

    case = services.case_ids(store, actor=services.LOCAL_OWNER)[0]
    ivan, olga = (services.authenticate(store, name, PASSWORD) for name in ("ivan", "olga"))
    for _ in range(websessions.MAX_FAILURES - 1):
        with pytest.raises(WrongPassphrase):
            websessions.open_keys(store, actor=ivan, passphrase="a guess", case=case, address="10.0.0.9", now=T0)
    websessions.open_keys(store, actor=ivan, passphrase=PASSPHRASE, case=case, address="10.0.0.9", now=T0)
    for _ in range(websessions.MAX_FAILURES):  # the right one cleared the count: five more may fail
        with pytest.raises(WrongPassphrase):
            websessions.open_keys(store, actor=ivan, passphrase="a guess", case=case, address="10.0.0.9", now=T0)
    soon = T0 + timedelta(minutes=1)
    with pytest.raises(TooManyAttempts, match="too many failed unlock attempts; try again in 14 minutes"):
        websessions.open_keys(store, actor=ivan, passphrase=PASSPHRASE, case=case, address="10.0.0.10", now=soon)
    with pytest.raises(TooManyAttempts):  # another user at the guessing address
        websessions.open_keys(store, actor=olga, passphrase=PASSPHRASE, case=case, address="10.0.0.9", now=soon)
    assert websessions.open_keys(store, actor=olga, passphrase=PASSPHRASE, case=case, address="10.0.0.11", now=soon)
    websessions.start_session(store, "ivan", PASSWORD, address="10.0.0.12", now=soon)  # signing in is not held
    later = T0 + websessions.FAILURE_WINDOW + timedelta(seconds=1)
    websessions.open_keys(store, actor=ivan, passphrase=PASSPHRASE, case=case, address="10.0.0.9", now=later)


def test_a_wrong_one_time_code_is_refused(store: str, secrets: Secrets) -> None:
    olga = services.authenticate(store, "olga", PASSWORD)
    services.enable_totp(store, "ana", actor=olga, secrets=secrets)
    with pytest.raises(NotAuthenticated, match="one-time code is required"):
        websessions.start_session(store, "ana", PASSWORD, address="a")
    with pytest.raises(NotAuthenticated, match="wrong one-time code"):
        websessions.start_session(store, "ana", PASSWORD, "000000", address="a")


def test_the_signing_key_and_unlocked_keys_are_sealed_under_the_cookie(store: str, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    from corroborate.services import keychanges

    login = websessions.start_session(store, "olga", PASSWORD, address="a")
    found = websessions.session_for(store, login.token)
    assert found is not None and found.actor.signing_key is not None and found.opened == {}
    raw = found.actor.signing_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    keys = keychanges.open_keys(store, actor=found.actor, passphrase=PASSPHRASE, case="border-crossers-2007")
    websessions.keep_unlocked(store, login.token, keys, minutes=60)
    again = websessions.session_for(store, login.token)
    assert again is not None and again.opened["border-crossers-2007"].keys == keys.keys
    with sqlite3.connect(store) as db:  # a copy of the store holds neither key in the clear
        row = b"".join(bytes(v) if isinstance(v, bytes) else str(v).encode() for v in
                       db.execute("SELECT * FROM web_sessions").fetchone())  # fmt: skip
    assert raw not in row and all(k.key not in row for k in keys.keys.values())
    websessions.keep_unlocked(store, login.token, keys, minutes=-1)  # expired at once
    later = websessions.session_for(store, login.token)
    assert later is not None and later.opened == {} and later.actor.signing_key is not None
    other = websessions.start_session(store, "olga", PASSWORD, address="a")  # another browser: its own
    assert websessions.session_for(store, other.token).opened == {}  # type: ignore[union-attr]
