"""Every role against every service action, checked by calling the services themselves.

The expected answers are read from the table in docs/security.md, so the
documentation and the code cannot drift apart.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from corroborate import services
from corroborate.domain import Claim
from corroborate.errors import CaseAmbiguous, CaseNotFound, Forbidden, UserError
from corroborate.ingest import read_casefile
from corroborate.services import (
    LOCAL_OWNER,
    POLICY,
    Action,
    Actor,
    Role,
    Secrets,
    analysis,
    personlists,
    recommendations,
    records,
)
from corroborate.services import publish as publishing

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password"
_CLAIM_NUMBERS = itertools.count()  # each probe codes a claim of its own


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
    tmp = tmp_path_factory.mktemp("access")
    location = str(tmp / "store.db")
    secrets = Secrets(passphrase=lambda case: "the case passphrase", session_dir=tmp / "sessions")
    services.import_casefile(location, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)
    for role in Role:  # the owner first: the first account must own the store
        services.add_user(location, f"{role.value}-user", PASSWORD, role, actor=LOCAL_OWNER, secrets=secrets)
    return {"location": location, "secrets": secrets, "tmp": tmp, "case": read_casefile(reference_case_path)}


def _actions(
    world: dict[str, Any], role: Role, *, case: str | None, replace: str | None = None
) -> dict[Action, Callable[[Actor], object]]:
    """A probe per action. Case actions work on ``case`` (None: as a command without --case does);
    ``import_case`` adds a new case; ``replace_case`` replaces ``replace`` (default: the case import adds)."""
    loc, secrets, tmp, reference = world["location"], world["secrets"], world["tmp"], world["case"]
    ref = case
    new = reference.model_copy(update={"case": reference.case.model_copy(update={"id": f"new-{role.value}"})})
    replaced = new if replace is None else reference.model_copy(
        update={"case": reference.case.model_copy(update={"id": replace})})  # fmt: skip

    def backup(actor: Actor) -> object:
        from corroborate.services.backups import backup as run_backup

        return run_backup(loc, tmp / f"{role.value}.backup", actor=actor, passphrase="a backup passphrase for tests")

    return {
        Action.list_cases: lambda a: services.case_ids(loc, actor=a),
        Action.summary: lambda a: services.summary(loc, actor=a, case=ref),
        Action.list_witnesses: lambda a: services.witnesses(loc, actor=a, case=ref),
        Action.list_interviews: lambda a: services.interviews(loc, actor=a, case=ref),
        Action.list_documents: lambda a: services.documents(loc, actor=a, case=ref),
        Action.list_excerpts: lambda a: services.excerpts(loc, actor=a, case=ref),
        Action.list_claims: lambda a: services.claims(loc, actor=a, case=ref),
        Action.list_recommendations: lambda a: recommendations.recommendations(loc, actor=a, case=ref),
        Action.analyse: lambda a: analysis.assess(loc, actor=a, case=ref),
        Action.code_claims: lambda a: _code(loc, reference, a, ref),
        Action.publish: lambda a: publishing.check_disclosure(
            loc, ROOT / "examples/border-crossers-2007/briefing.yaml", actor=a, secrets=secrets, case=ref
        ),
        Action.export_public: lambda a: services.export_case(loc, actor=a, case=ref, public=True),
        Action.export_full: lambda a: services.export_case(loc, actor=a, secrets=secrets, case=ref),
        Action.view_identities: lambda a: services.identities(loc, actor=a, secrets=secrets, case=ref),
        Action.edit_identities: lambda a: services.set_identity(
            loc, "W-002", {"notes": f"checked by {a.name}"}, actor=a, secrets=secrets, case=ref
        ),
        Action.read_records: lambda a: records.get_record(loc, "witness", reference.witnesses[0].id, actor=a, case=ref),
        Action.edit_records: lambda a: _edit(world, a, ref),
        Action.delete_records: lambda a: _delete(world, a, ref),
        Action.unlock: lambda a: services.unlock(loc, actor=a, secrets=secrets, minutes=1, case=ref),
        Action.import_case: lambda a: services.import_case(loc, new, actor=a, secrets=secrets),
        Action.replace_case: lambda a: services.import_case(loc, replaced, actor=a, secrets=secrets, replace=True),
        Action.rekey: lambda a: services.rekey(loc, "the case passphrase", actor=a, secrets=secrets, case=ref),
        Action.rotate_key: lambda a: services.rotate_key(loc, actor=a, secrets=secrets, case=ref),
        Action.manage_users: lambda a: services.list_users(loc, actor=a),
        Action.audit_verify: lambda a: services.verify(loc, actor=a),
        Action.audit_sign: lambda a: _already_signed(
            lambda: services.sign_log(loc, actor=a, secrets=secrets, case=ref)
        ),
        Action.audit_log: lambda a: services.audit_entries(loc, actor=a, case=ref),
        Action.backup: backup,
        Action.attach: lambda a: services.attach(
            loc, reference.interviews[0].id, _probe_file(tmp, role), actor=a, secrets=secrets, case=ref
        ),
        Action.read_attachments: lambda a: services.list_attachments(loc, actor=a, secrets=secrets, case=ref),
        Action.add_lists: lambda a: personlists.add_lists(
            loc, [_probe_list(tmp, role)], actor=a, secrets=secrets, case=ref
        ),
        Action.list_lists: lambda a: personlists.list_lists(loc, actor=a, case=ref),
        Action.read_lists: lambda a: personlists.stored_lists(loc, actor=a, secrets=secrets, case=ref),
    }


def _probe_list(tmp: Path, role: Role) -> Path:
    """A person list of one made-up record, named anew for each probe (a list's name is refused twice)."""
    path = tmp / f"list-probe-{role.value}-{next(_CLAIM_NUMBERS)}.csv"
    path.write_text(f"record_id,name,birth_year\nR-1,Probe {role.value},1970\n", encoding="utf-8")
    return path


def _probe_file(tmp: Path, role: Role) -> Path:
    """A small file to attach (an evidence file's stand-in)."""
    path = tmp / f"probe-{role.value}.txt"
    path.write_text(f"attached by a {role.value}\n", encoding="utf-8")
    return path


def _code(location: str, reference: Any, actor: Actor, case: str | None) -> object:
    """Code a claim no probe coded before (an identical claim is refused, as it should be)."""
    n = next(_CLAIM_NUMBERS)
    excerpt = reference.excerpts[n % len(reference.excerpts)]
    proposition = reference.propositions[n // len(reference.excerpts) % len(reference.propositions)]
    claim = Claim(id=f"C-by-{actor.name}-{n}", excerpt=excerpt.id, proposition=proposition.key, note=f"probe {n}")
    return analysis.add_claim(location, claim, actor=actor, case=case)


def _edit(world: dict[str, Any], actor: Actor, case: str | None) -> object:
    """Retitle the case's first document, naming the version an owner just read."""
    loc, secrets, reference = world["location"], world["secrets"], world["case"]
    n = next(_CLAIM_NUMBERS)
    document = reference.documents[0]
    read = records.get_record(loc, "document", document.id, actor=LOCAL_OWNER, case=case or reference.case.id)
    changed = document.model_copy(update={"title": f"{document.title} (probe {n})"})
    return records.update_record(loc, "document", changed, version=read.version, actor=actor, case=case,
                                 secrets=secrets)  # fmt: skip


def _delete(world: dict[str, Any], actor: Actor, case: str | None) -> object:
    """Delete a document an owner just added (nothing cites it)."""
    loc, secrets, reference = world["location"], world["secrets"], world["case"]
    document = reference.documents[0].model_copy(update={"id": f"D-probe-{next(_CLAIM_NUMBERS)}"})
    made = records.create_record(loc, "document", document, actor=LOCAL_OWNER, case=case or reference.case.id,
                                 secrets=secrets)  # fmt: skip
    assert made.version is not None
    return records.delete_record(loc, "document", document.id, version=made.version, actor=actor, case=case,
                                 secrets=secrets)  # fmt: skip


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
    actions = _actions(world, role, case=world["case"].case.id)
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


# --- Users whose role is on one case ----------------------------------------------------------

OTHER = "other-case"
# Actions on the store as a whole, not on one case: a role on one case does not reach them.
STORE_ACTIONS = {Action.list_cases, Action.import_case, Action.manage_users, Action.backup, Action.audit_verify}


@pytest.fixture(scope="module")
def one_case_world(tmp_path_factory: pytest.TempPathFactory, reference_case_path: Path) -> dict[str, Any]:
    """The reference case and another; a store-wide owner; per role, a user whose role is on the reference case."""
    tmp = tmp_path_factory.mktemp("one-case")
    location = str(tmp / "store.db")
    secrets = Secrets(passphrase=lambda case: "the case passphrase", session_dir=tmp / "sessions")
    case = read_casefile(reference_case_path)
    services.import_case(location, case, actor=LOCAL_OWNER, secrets=secrets)
    other = case.model_copy(update={"case": case.case.model_copy(update={"id": OTHER})})
    services.import_case(location, other, actor=LOCAL_OWNER, secrets=secrets)
    services.add_user(location, "boss", PASSWORD, Role.owner, actor=LOCAL_OWNER, secrets=secrets)
    for role in Role:
        services.add_user(location, f"{role.value}-one", PASSWORD, role, actor=LOCAL_OWNER, case=case.case.id,
                          secrets=secrets)  # fmt: skip
    return {"location": location, "secrets": secrets, "tmp": tmp, "case": case}


def _walk(actions: dict[Action, Callable[[Actor], object]], actor: Actor, expected: dict[Action, bool]) -> None:
    for action, allowed in expected.items():
        if allowed:
            actions[action](actor)
        else:
            with pytest.raises(Forbidden) as info:
                actions[action](actor)
            assert info.value.action == action.value, action


@pytest.mark.parametrize("role", list(Role))
def test_a_role_on_one_case_answers_as_the_table_on_that_case_and_forbids_the_others(
    one_case_world: dict[str, Any], role: Role
) -> None:
    matrix = documented_matrix()
    world, ref = one_case_world, one_case_world["case"].case.id
    actor = services.authenticate(world["location"], f"{role.value}-one", PASSWORD)
    assert actor.roles == {ref: role}
    on_case = {a: matrix[(a.value, role.value)] for a in Action if a not in STORE_ACTIONS}
    # Named with --case, and without it: the only case the user has a role on is theirs by default.
    _walk(_actions(world, role, case=ref, replace=ref), actor, on_case)
    _walk(_actions(world, role, case=None, replace=ref), actor, on_case)
    # Every other case is closed, whatever the role.
    _walk(_actions(world, role, case=OTHER, replace=OTHER), actor, dict.fromkeys(on_case, False))
    # What belongs to the whole store stays with store-wide roles; listing cases shows their own only.
    store = _actions(world, role, case=ref)
    assert store[Action.list_cases](actor) == [ref]
    _walk(store, actor, {Action.import_case: False, Action.manage_users: False, Action.backup: False})


def test_a_case_owner_manages_the_users_of_their_case_only(one_case_world: dict[str, Any]) -> None:
    loc, ref = one_case_world["location"], one_case_world["case"].case.id
    owner = services.authenticate(loc, "owner-one", PASSWORD)
    own_key_only = Secrets(passphrase=lambda case: "the case passphrase" if case == ref else None)
    services.add_user(loc, "new-analyst", PASSWORD, Role.analyst, actor=owner, case=ref, secrets=own_key_only)
    with pytest.raises(Forbidden):
        services.add_user(loc, "new-analyst", PASSWORD, Role.analyst, actor=owner, case=OTHER, secrets=own_key_only)
    with pytest.raises(Forbidden):
        services.add_user(loc, "new-analyst", PASSWORD, Role.analyst, actor=owner, secrets=own_key_only)
    assert services.authenticate(loc, "new-analyst", PASSWORD).roles == {ref: Role.analyst}


def test_messages_name_only_cases_the_user_has_a_role_on(one_case_world: dict[str, Any]) -> None:
    """The attack: `summary` without --case, or with a wrong one, listed every case in the store."""
    loc, ref, secrets = one_case_world["location"], one_case_world["case"].case.id, one_case_world["secrets"]
    third = one_case_world["case"].model_copy(
        update={"case": one_case_world["case"].case.model_copy(update={"id": "third-case"})})  # fmt: skip
    services.import_case(loc, third, actor=LOCAL_OWNER, secrets=secrets)
    two = Actor("two-cases", {ref: Role.viewer, "third-case": Role.viewer})
    with pytest.raises(CaseAmbiguous) as ambiguous:
        services.summary(loc, actor=two)
    assert sorted(ambiguous.value.available) == [ref, "third-case"] and OTHER not in str(ambiguous.value)
    # A case the user has no role on is closed whether or not it exists: no names, no existence.
    viewer = services.authenticate(loc, "viewer-one", PASSWORD)
    for actor, case in [(viewer, OTHER), (viewer, "no-such-case"), (Actor("nobody", {}), None),
                        (Actor("nobody", {}), OTHER), (Actor("nobody", {}), "no-such-case")]:  # fmt: skip
        with pytest.raises(Forbidden) as info:
            services.summary(loc, actor=actor, case=case)
        shown = str(info.value).replace(f"'{case}'", "")
        assert OTHER not in shown and ref not in shown and "third-case" not in shown, shown
    # A store-wide user is told what the store holds: every case is theirs.
    with pytest.raises(CaseNotFound) as missing:
        services.summary(loc, actor=services.authenticate(loc, "boss", PASSWORD), case="no-such-case")
    assert sorted(missing.value.available) == sorted([ref, OTHER, "third-case"])
    assert services.summary(loc, actor=viewer).case == ref


def test_an_api_token_never_carries_a_session_only_right() -> None:
    """Managing users is kept to a person signed in: an owner's token is refused it, on its case or any."""
    from corroborate.services.access import SESSION_ONLY, allowed, authorize

    assert Action.manage_users in SESSION_ONLY
    by_token = Actor("tok", {"case-1": Role.owner}, by_token=True)
    signed_in = Actor("tok", {"case-1": Role.owner})
    for action in Action:
        expected = allowed(signed_in, action, case="case-1") and action not in SESSION_ONLY
        assert allowed(by_token, action, case="case-1") == expected, action
    with pytest.raises(Forbidden, match="API token"):
        authorize(by_token, Action.manage_users, case="case-1")
    authorize(by_token, Action.publish, case="case-1")
