"""One passphrase policy for every new case, every rekey and every backup."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from corroborate import services
from corroborate.errors import UserError
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, Secrets
from corroborate.services.backups import backup
from corroborate.services.passphrases import DEMO_PASSPHRASE, MIN_LENGTH, check_passphrase
from support import PASSPHRASE, ROOT

WEAK = [
    "x",  # the attack: `import` took a one-character passphrase
    "short pass",  # too short, whatever it is made of
    "password1234",
    "passwordpassword",
    "qwertyuiopasdfgh",
    "iloveyou12345678",
    "aaaaaaaaaaaaaaaa",
    "P@ssw0rd12345",
    "seoul2007seoul2007",
    "border-crossers-2007",  # the case's own id
]
STRONG = [
    PASSPHRASE,
    "the passphrase of the case",
    "an entirely new passphrase",
    "vivid lantern oyster mosaic",
    "우리집 강아지 이름은 바둑이였다",
]


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passphrases_are_refused_without_being_echoed(weak: str) -> None:
    with pytest.raises(UserError) as info:
        check_passphrase(weak, context=["border-crossers-2007"])
    message = str(info.value)
    assert weak not in message
    assert "passphrase" in message
    assert str(MIN_LENGTH) in message or "guess" in message, message


@pytest.mark.parametrize("strong", STRONG)
def test_strong_passphrases_pass(strong: str) -> None:
    check_passphrase(strong, context=["border-crossers-2007"])


def test_the_demo_passphrase_is_allowed_by_name() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"DEMO_PASSPHRASE := {DEMO_PASSPHRASE}\n" in makefile
    check_passphrase(DEMO_PASSPHRASE)


def test_a_short_passphrase_says_how_long_it_must_be() -> None:
    with pytest.raises(UserError, match=f"at least {MIN_LENGTH} characters"):
        check_passphrase("abc")


def test_a_long_passphrase_is_judged_on_its_start_only() -> None:
    check_passphrase(PASSPHRASE + " and more" * 20)


def test_checking_is_cheap() -> None:
    check_passphrase(PASSPHRASE)  # the first call loads the word lists
    start = time.perf_counter()
    for candidate in STRONG:
        check_passphrase(candidate)
    assert time.perf_counter() - start < 0.5


def test_import_refuses_a_new_case_with_a_weak_passphrase(tmp_path: Path, reference_case_path: Path) -> None:
    location = str(tmp_path / "store.db")
    with pytest.raises(UserError, match="passphrase") as info:
        services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER,
                                 secrets=Secrets(passphrase=lambda case: "x"))  # fmt: skip
    assert "'x'" not in str(info.value)
    assert not Path(location).exists() or services.case_ids(location, actor=LOCAL_OWNER) == []


def test_import_report_refuses_a_new_case_with_a_weak_passphrase(tmp_path: Path, reference_case_path: Path) -> None:
    case = read_casefile(reference_case_path)
    location = str(tmp_path / "store.db")
    with pytest.raises(UserError, match="passphrase"):
        services.import_case(location, case, actor=LOCAL_OWNER, secrets=Secrets(passphrase=lambda c: "password123"))


def test_replacing_a_case_keeps_working_with_its_passphrase(
    tmp_path: Path, reference_case_path: Path, secrets: Secrets
) -> None:
    """The policy applies to passphrases being set, not to proving one already set."""
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets, replace=True)


def test_backups_refuse_a_weak_passphrase(tmp_path: Path, reference_case_path: Path, secrets: Secrets) -> None:
    location = str(tmp_path / "store.db")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    for weak in ("12345678", "backupbackup"):
        with pytest.raises(UserError, match="backup passphrase"):
            backup(location, tmp_path / "store.backup", actor=LOCAL_OWNER, passphrase=weak)
    assert not (tmp_path / "store.backup").exists()
