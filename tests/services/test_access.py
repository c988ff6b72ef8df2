"""Every role against every service action, checked by calling the services themselves.

The expected answers are read from the table in docs/security.md, so the
documentation and the code cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from corroborate import services
from corroborate.domain import Claim
from corroborate.errors import Forbidden, UserError
from corroborate.ingest import read_casefile
from corroborate.services import LOCAL_OWNER, POLICY, Action, Actor, Role, Secrets, analysis
from corroborate.services import publish as publishing

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"


def documented_matrix() -> dict[tuple[str, str], bool]:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    table = text[text.index("| action | owner |") :]
    lines = [line for line in table.splitlines() if line.startswith("|")][2:]
    header = ["owner", "investigator", "analyst", "editor", "viewer"]
    matrix = {}
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")]
        for role, cell in zip(header, cells[1:], strict=True):
            assert cell in ("yes", "no"), line
            matrix[(cells[0], role)] = cell == "yes"
    return matrix


def test_the_documented_table_is_the_policy() -> None:
    matrix = documented_matrix()
    assert {action for action, _ in matrix} == {a.value for a in Action}
    for action in Action:
        for role in Role:
            assert matrix[(action.value, role.value)] == (role in POLICY[action]), (action, role)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, reference_case_path: Path) -> dict[str, Any]:
    mp = pytest.MonkeyPatch()
    mp.setenv("CORROBORATE_ARGON2_MEMORY_KIB", "8192")
    mp.setenv("CORROBORATE_ARGON2_TIME_COST", "1")
    tmp = tmp_path_factory.mktemp("access")
    location = str(tmp / "store.db")
    secrets = Secrets(passphrase=lambda case: "the case passphrase", session_dir=tmp / "sessions")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    for role in Role:
        services.add_user(location, f"{role.value}-user", PASSWORD, role, actor=LOCAL_OWNER, secrets=secrets)
    yield {"location": location, "secrets": secrets, "tmp": tmp, "case": read_casefile(reference_case_path)}
    mp.undo()


def _actions(world: dict[str, Any], role: Role) -> dict[Action, Callable[[Actor], object]]:
    loc, secrets, tmp, case = world["location"], world["secrets"], world["tmp"], world["case"]
    other = case.model_copy(update={"case": case.case.model_copy(update={"id": f"new-{role.value}"})})

    def backup(actor: Actor) -> object:
        from corroborate.services.backups import backup as run_backup

        return run_backup(loc, tmp / f"{role.value}.backup", actor=actor, passphrase="backup passphrase")

    return {
        Action.list_cases: lambda a: services.case_ids(loc, actor=a),
        Action.summary: lambda a: services.summary(loc, actor=a, case=case.case.id),
        Action.list_witnesses: lambda a: services.witnesses(loc, actor=a, case=case.case.id),
        Action.list_claims: lambda a: services.claims(loc, actor=a, case=case.case.id),
        Action.analyse: lambda a: analysis.assess(loc, actor=a, case=case.case.id),
        Action.code_claims: lambda a: analysis.add_claim(
            loc,
            Claim(id=f"C-by-{role.value}", excerpt=case.excerpts[0].id, proposition=case.propositions[0].key),
            actor=a,
            case=case.case.id,
        ),
        Action.publish: lambda a: publishing.check_disclosure(
            loc, ROOT / "examples/border-crossers-2007/briefing.yaml", actor=a, secrets=secrets, case=case.case.id
        ),
        Action.export_public: lambda a: services.export_case(loc, actor=a, case=case.case.id, public=True),
        Action.export_full: lambda a: services.export_case(loc, actor=a, secrets=secrets, case=case.case.id),
        Action.view_identities: lambda a: services.identities(loc, actor=a, secrets=secrets, case=case.case.id),
        Action.edit_identities: lambda a: services.set_identity(
            loc, "W-002", {"notes": f"checked by {a.name}"}, actor=a, secrets=secrets, case=case.case.id
        ),
        Action.unlock: lambda a: services.unlock(loc, actor=a, secrets=secrets, minutes=1, case=case.case.id),
        Action.import_case: lambda a: services.import_case(loc, other, actor=a, secrets=secrets),
        Action.replace_case: lambda a: services.import_case(loc, other, actor=a, secrets=secrets, replace=True),
        Action.rekey: lambda a: services.rekey(
            loc, "the case passphrase", actor=a, secrets=secrets, case=case.case.id
        ),  # fmt: skip
        Action.rotate_key: lambda a: services.rotate_key(loc, actor=a, secrets=secrets, case=case.case.id),
        Action.manage_users: lambda a: services.list_users(loc, actor=a),
        Action.audit_verify: lambda a: services.verify(loc, actor=a),
        Action.audit_sign: lambda a: _already_signed(
            lambda: services.sign_log(loc, actor=a, secrets=secrets, case=case.case.id)
        ),
        Action.audit_log: lambda a: services.audit_entries(loc, actor=a),
        Action.backup: backup,
    }


def _already_signed(call: Callable[[], object]) -> object:
    """Run a probe whose only non-role refusal is that the case's log is signed already."""
    try:
        return call()
    except UserError as exc:
        if "already has a signing key" not in str(exc):
            raise
        return None


@pytest.mark.parametrize("role", list(Role))
def test_role_against_every_action(world: dict[str, Any], role: Role) -> None:
    matrix = documented_matrix()
    actor = services.authenticate(world["location"], f"{role.value}-user", PASSWORD)
    assert actor.role_for(world["case"].case.id) is role
    actions = _actions(world, role)
    assert set(actions) == set(Action), "every action needs a probe"
    cells = 0
    for action in Action:  # import before replace: replace acts on the case import made
        allowed = matrix[(action.value, role.value)]
        if allowed:
            actions[action](actor)
        else:
            with pytest.raises(Forbidden) as info:
                actions[action](actor)
            assert info.value.action == action.value
        cells += 1
    assert cells == len(Action)


def test_the_matrix_has_enough_cells() -> None:
    assert len(documented_matrix()) >= 40


def test_a_role_on_one_case_gives_nothing_on_another(world: dict[str, Any]) -> None:
    loc = world["location"]
    services.add_user(loc, "scoped-analyst", PASSWORD, Role.analyst, actor=LOCAL_OWNER, case=world["case"].case.id,
                      secrets=world["secrets"])  # fmt: skip
    actor = services.authenticate(loc, "scoped-analyst", PASSWORD)
    assert services.summary(loc, actor=actor, case=world["case"].case.id).witnesses == 12
    assert world["case"].case.id in services.case_ids(loc, actor=actor)
    with pytest.raises(Forbidden):
        services.summary(loc, actor=actor, case="new-owner")
    assert "new-owner" not in services.case_ids(loc, actor=actor)
