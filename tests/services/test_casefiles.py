"""Reading casefiles as a user meets them: every problem listed, no restricted value ever quoted back.

Attacks: a restricted value typed into the wrong field, or a restricted line
indented wrongly, so that a validation message would print it. Each message
must keep saying what is wrong and where, with the value replaced.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from corroborate import services
from corroborate.errors import CasefileInvalid, CaseNotFound, PassphraseNeeded, UnknownPlace
from corroborate.services import LOCAL_OWNER, Secrets

REFERENCE = yaml.safe_load((Path(__file__).parents[2] / "examples/border-crossers-2007/case.yaml").read_text("utf-8"))
W = 1  # witnesses[1] is W-002, whose (invented) identity the attacks use
IDENTITY: dict[str, Any] = REFERENCE["witnesses"][W]["restricted"]
NAME, HANGUL, PHONE = IDENTITY["name"], IDENTITY["name_hangul"], IDENTITY["contacts"][0]
BIRTH, LOCATION = IDENTITY["birth_date"], IDENTITY["current_location"]
LOCATION_HEAD = LOCATION.split(",")[0]  # "Helong"
SECRETS = [NAME, HANGUL, PHONE, BIRTH, LOCATION, LOCATION_HEAD, "Chol-min", "5550 0147"]


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


# (what goes wrong, where the problem is reported, what the message still says)
ATTACKS: dict[str, tuple[Callable[[dict[str, Any]], None], str, str]] = {
    "location as origin": (_set(("witnesses", W, "descriptor", "origin"), LOCATION),
                           "witnesses[1].descriptor.origin", "unknown place"),
    "place of location as origin": (_set(("witnesses", W, "descriptor", "origin"), LOCATION_HEAD),
                                    "witnesses[1].descriptor.origin", "unknown place"),
    "name as interview date": (_set(("interviews", 0, "date"), NAME), "interviews[0].date", "not a date"),
    "Hangul as nationality": (_set(("witnesses", W, "descriptor", "nationality"), HANGUL),
                              "witnesses[1].descriptor.nationality", "unknown country"),
    "phone as country": (_set(("interviews", 0, "country"), PHONE), "interviews[0].country", "unknown country"),
    "birth date as country": (_set(("interviews", 0, "country"), BIRTH), "interviews[0].country", "unknown country"),
    "name as age band": (_set(("witnesses", W, "descriptor", "age_band"), NAME),
                         "witnesses[1].descriptor.age_band", "not an age"),
    "name as a witness id": (_set(("witnesses", W, "id"), NAME), "witnesses[1].id", "pseudonym"),
    "name as a claim date": (_set(("claims", 0, "attributes", "effective"), NAME),
                             "claims[0].attributes.effective", ""),
    "name as a key under restricted": (_set(("witnesses", W, "restricted", NAME), "yes"),
                                       "witnesses[1].restricted", "unknown key #8"),
    "location as a key under restricted": (_set(("witnesses", W, "restricted", LOCATION), None),
                                           "witnesses[1].restricted", "unknown key #8"),
}  # fmt: skip


def _rendered(error: CasefileInvalid) -> str:
    return "\n".join(str(p) for p in error.problems) + "\n" + str(error)


def _attack(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> CasefileInvalid:
    data = copy.deepcopy(REFERENCE)
    change(data)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(CasefileInvalid) as info:
        services.read_casefile(path)
    return info.value


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_a_restricted_value_in_the_wrong_field_is_never_quoted(tmp_path: Path, attack: str) -> None:
    change, path, says = ATTACKS[attack]
    error = _attack(tmp_path, change)
    rendered = _rendered(error)
    for value in SECRETS:
        assert value not in rendered, f"{attack}: {value!r} printed in\n{rendered}"
    assert "[restricted]" in rendered or "unknown key #" in rendered, rendered
    problems = [p for p in error.problems if p.path.startswith(path)]
    assert problems, rendered
    assert any(says in p.message for p in problems), rendered
    assert all(p.line is not None for p in problems)


def test_the_error_keeps_no_trace_of_the_values(tmp_path: Path) -> None:
    """Neither the exception's cause nor its context holds the unredacted problems."""
    error = _attack(tmp_path, ATTACKS["location as origin"][0])
    assert error.__cause__ is None and error.__context__ is None


def _text_attack(tmp_path: Path, old: str, new: str) -> str:
    text = (Path(__file__).parents[2] / "examples/border-crossers-2007/case.yaml").read_text("utf-8")
    assert old in text
    path = tmp_path / "case.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CasefileInvalid) as info:
        services.read_casefile(path)
    return _rendered(info.value)


MISINDENTED = {
    # A restricted line that YAML reads as a key of the witness (valid YAML, wrong place).
    "dedented to the witness": (f"      current_location: {LOCATION}\n", f"    {LOCATION_HEAD} Jilin: room\n"),
    # Lines YAML cannot read at all, whose problem text would quote the source.
    "half an indent": (f"      name: {NAME}\n", f"      name: {NAME}\n     {NAME} lives in {LOCATION_HEAD}\n"),
    "an alias": (f"      name: {NAME}\n", f"      name: *{NAME.replace(' ', '').replace('-', '')}\n"),
    "a tag": (f"      name: {NAME}\n", f"      name: !{NAME.replace(' ', '').replace('-', '')} x\n"),
    "a tab": (f"      name: {NAME}\n", f"      name:\t{NAME}\n\t{LOCATION}\n"),
    "an unclosed quote": (f"      name: {NAME}\n", f'      name: "{NAME}\n'),
}


@pytest.mark.parametrize("attack", list(MISINDENTED))
def test_a_misindented_restricted_line_is_never_quoted(tmp_path: Path, attack: str) -> None:
    old, new = MISINDENTED[attack]
    rendered = _text_attack(tmp_path, old, new)
    for value in [*SECRETS, NAME.replace(" ", "").replace("-", "")]:
        assert value not in rendered, f"{attack}: {value!r} printed in\n{rendered}"
    assert "case.yaml:" in rendered  # the problem still says where


def test_yaml_syntax_errors_do_not_print_the_source_line(tmp_path: Path) -> None:
    rendered = _text_attack(tmp_path, f"      name: {NAME}\n", f"      name: {NAME}\n   broken: [x\n")
    assert "broken" not in rendered and "^" not in rendered
    assert "not valid YAML" in rendered


def test_a_valid_casefile_reads_as_before(reference_case_path: Path) -> None:
    case = services.read_casefile(reference_case_path)
    assert case.case.id == "border-crossers-2007" and len(case.witnesses) == 12


def test_validating_reads_the_same_way(tmp_path: Path) -> None:
    data = copy.deepcopy(REFERENCE)
    ATTACKS["name as interview date"][0](data)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CasefileInvalid) as info:
        services.read_casefile(path)
    assert NAME not in _rendered(info.value)


def test_a_non_utf8_casefile_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("case:\n  id: x\n  title: café\n".encode("latin-1"))
    with pytest.raises(CasefileInvalid) as info:
        services.read_casefile(path)
    (problem,) = info.value.problems
    assert "not UTF-8" in problem.message


def test_import_casefile_redacts_too(tmp_path: Path, secrets: Secrets) -> None:
    data = copy.deepcopy(REFERENCE)
    ATTACKS["phone as country"][0](data)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    store = str(tmp_path / "s.db")
    with pytest.raises(CasefileInvalid) as info:
        services.import_casefile(store, path, actor=LOCAL_OWNER, secrets=secrets)
    assert PHONE not in _rendered(info.value)
    assert not Path(store).exists()


def test_a_new_case_needs_a_passphrase_before_anything_is_created(tmp_path: Path, reference_case_path: Path) -> None:
    store = tmp_path / "s.db"
    with pytest.raises(PassphraseNeeded) as info:
        services.import_casefile(str(store), reference_case_path, actor=LOCAL_OWNER, secrets=Secrets())
    assert "set" in str(info.value) and "CORROBORATE_PASSPHRASE" in str(info.value)
    assert "locked" not in str(info.value)
    assert list(tmp_path.iterdir()) == []


def test_an_empty_store_says_so(tmp_path: Path) -> None:
    store = str(tmp_path / "s.db")
    services.init_store(store)
    with pytest.raises(CaseNotFound) as info:
        services.summary(store, actor=LOCAL_OWNER)
    assert "(any)" not in str(info.value) and "no case yet" in str(info.value)


def test_redact_error_keeps_the_type_and_hides_fields() -> None:
    redactor = services.casefile_redactor(f"witnesses:\n  - id: W-001\n    restricted:\n      name: {NAME}\n")
    error = services.redact_error(UnknownPlace(NAME, [LOCATION_HEAD]), redactor)
    assert isinstance(error, UnknownPlace)
    assert NAME not in str(error) and NAME not in error.name and "unknown place" in str(error)


def test_an_error_while_a_case_is_open_is_redacted_against_its_identities(
    tmp_path: Path, reference_case_path: Path, secrets: Secrets
) -> None:
    store = str(tmp_path / "s.db")
    services.import_casefile(store, reference_case_path, actor=LOCAL_OWNER, secrets=secrets)

    def change(_case: Any) -> Any:
        raise UnknownPlace(f"{NAME} in {LOCATION_HEAD}")

    with pytest.raises(UnknownPlace) as info:
        services.update_case(store, change, actor=LOCAL_OWNER, secrets=secrets)
    assert NAME not in str(info.value) and LOCATION_HEAD not in info.value.name
    assert "unknown place '[restricted] in [restricted]'" in str(info.value)
