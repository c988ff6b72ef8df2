"""The API against its own live OpenAPI document (``/api/v1/openapi.json``): schemathesis makes requests for
every operation the document lists when the test runs, one at a time (stateless) and in sequences that pass the
ids one answer gives to the next request (stateful), and checks every answer: no server error, a status code
and a media type the document declares, a body its schema accepts.

The requests come from an owner's token with the case unlocked through it, so that writes are reached, over a
copy of the store of its own for each test (they write). The run is bounded and derandomized: the same requests
on every run. Stateless, each operation gets schemathesis's coverage requests (boundary and invalid values, no
randomness) and a few generated ones; statefully, each sequence starts from the same store.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from apiclient import CASE, bearer, copy_store, make_token, unlock
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python import asgi

from corroborate.services import apitokens
from corroborate.web import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
BOUNDED = {"deadline": None, "derandomize": True, "database": None, "suppress_health_check": list(HealthCheck),
           "phases": [Phase.explicit, Phase.generate]}  # fmt: skip  # no shrinking: a failure shows its request
STATELESS = settings(max_examples=8, **BOUNDED)  # type: ignore[arg-type]
STATEFUL = settings(max_examples=60, stateful_step_count=10, **BOUNDED)  # type: ignore[arg-type]
# Real ids of the reference case, sent in place of a generated one half the time, so reads and writes reach
# records (the rest of the time a generated id checks the answers for records that are not there).
REFS = ["W-002", "I-001", "D-hrw-2002", "X-body-airlift", "C-n01-decree", "R-dprk-1",
        "policy.crossers.lenient_before_2004"]  # fmt: skip


@dataclass(frozen=True)
class Contract:
    """The API's document loaded by schemathesis over the store at ``location``, the token its requests present
    (its number, and a spare token's), the store as it was before the run, and the statuses answered."""

    schema: Any
    headers: dict[str, str]
    location: str
    before: str
    trust: Path
    own: int
    spare: int
    answered: list[int] = field(default_factory=list)

    def reset(self) -> None:
        """Put the store back as it was (and forget the keys verifying pinned), so that a sequence of calls
        answers the same on every run."""
        copy_store(self.before, self.location)
        self.trust.unlink(missing_ok=True)

    def spare_own_token(self, case: Any) -> None:
        """Revoking the run's own token would leave every later request unauthenticated: revoke a spare."""
        if str((case.path_parameters or {}).get("number")) == str(self.own):  # a coverage case may send text
            case.path_parameters["number"] = self.spare


@pytest.fixture
def contract(web_store: str, tmp_path: Path) -> Iterator[Contract]:
    location, before = str(tmp_path / "case.db"), str(tmp_path / "before.db")
    copy_store(web_store, location)
    token = make_token(location, "owner", name="schemathesis")
    own, spare = (apitokens.caller_for(location, t) for t in (token, make_token(location, "owner", name="spare")))
    assert own is not None and spare is not None
    trust = tmp_path / "trust.json"
    app = create_app(location, trust_file=trust)
    with TestClient(app) as client:
        unlock(client, token)
    copy_store(location, before)
    config = schemathesis.Config.from_dict({
        "headers": bearer(token),
        "parameters": {"path.case": {"dictionary": "case", "probability": 0.9},
                       "path.ref": {"dictionary": "refs", "probability": 0.5},
                       "path.key": {"dictionary": "refs", "probability": 0.5}},
        "dictionaries": {"case": {"values": [CASE]}, "refs": {"values": REFS}},
    })  # fmt: skip
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=config)
    yield Contract(schema, bearer(token), location, before, trust, own.number, spare.number)
    asgi.shutdown_lifespans()  # schemathesis keeps each application it called running until told


def _negatable(operation: Any) -> bool:
    """Whether a request can be made invalid: a body or a query parameter (any text is a valid path part)."""
    definition = operation.definition.raw
    return "requestBody" in definition or any(p.get("in") == "query" for p in definition.get("parameters", []))


def _checked(contract: Contract, case: Any) -> str | None:
    """What is wrong with the answer to one request, or None."""
    contract.spare_own_token(case)
    try:
        answer = case.call(headers=contract.headers)
        contract.answered.append(answer.status_code)
        case.validate_response(answer, checks=CHECKS)
    except (Exception, BaseExceptionGroup) as exc:  # an exception the application raised is a server error too
        body = f" body={str(case.body)[:300]}" if "requestBody" in case.operation.definition.raw else ""
        sent = f"{case.method} {case.formatted_path} query={case.query}{body}"
        return f"{exc}" if isinstance(exc, BaseExceptionGroup) else f"{type(exc).__name__}: {exc} ({sent})"
    return None


def _beyond_64_bits(operation: Any) -> Iterator[Any]:
    """A request with each integer parameter that has no maximum one past what a 64-bit column holds: the
    document allows it, and schemathesis's coverage phase stops at 64 bits."""
    parameters = [p for p in operation.definition.raw.get("parameters", []) if p["in"] in ("path", "query")]
    for p in parameters:
        if p.get("schema", {}).get("type") == "integer" and "maximum" not in p["schema"]:
            values: dict[str, dict[str, Any]] = {"path": {q["name"]: "x" for q in parameters if q["in"] == "path"}}
            values.setdefault(p["in"], {})[p["name"]] = 2**63
            yield operation.Case(path_parameters=values["path"], query=values.get("query"))


def _covered(contract: Contract, operation: Any) -> str | None:
    """The first failure among the requests of schemathesis's coverage phase (boundary and invalid values of
    every parameter and property, made without randomness), on the reference case."""
    generation = contract.schema.config.generation_for(operation=operation)
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    covered = [c for m in modes for c in contract.schema.iter_coverage_cases(
        operation, generation_modes=[m], generation_config=generation)]  # fmt: skip
    for case in [*covered, *_beyond_64_bits(operation)]:
        if "case" in (case.path_parameters or {}):  # the reference case: its records answer, not a 403
            case.path_parameters["case"] = CASE
        if failure := _checked(contract, case):
            return failure
    return None


def _fuzzed(contract: Contract, operation: Any, mode: GenerationMode) -> str | None:
    """The first failure among requests generated at random (derandomized: the same ones on every run)."""
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @STATELESS
    def call(case: Any) -> None:
        if failure := _checked(contract, case):
            failures.append(failure)
            raise AssertionError(failure)

    try:
        call()
    except Unsatisfiable:  # nothing of this operation can be made invalid
        return None
    except (Exception, BaseExceptionGroup) as exc:  # the failure found, or a replay of it the store changed
        return failures[0] if failures else f"{type(exc).__name__}: {exc}"
    return None


def test_every_operation_answers_as_its_document_says(contract: Contract) -> None:
    failures = []
    for result in contract.schema.get_all_operations():
        operation = result.ok()
        found = [
            ("coverage", _covered(contract, operation)),
            ("positive data", _fuzzed(contract, operation, GenerationMode.POSITIVE)),
        ]
        if _negatable(operation):
            found.append(("negative data", _fuzzed(contract, operation, GenerationMode.NEGATIVE)))
        failures += [f"{operation.label} ({phase}): {failure}" for phase, failure in found if failure]
    assert not failures, "\n\n".join(failures)
    # Not a vacuous run: the token stayed valid, records were read and some deleted. (No record is ever created:
    # the document does not say the patterns ids, places and dates must have, so generated ones are refused.)
    assert 401 not in contract.answered and {200, 204} <= set(contract.answered)


def test_sequences_of_calls_answer_as_the_document_says(contract: Contract) -> None:
    seen: list[str] = []

    class Sequences(contract.schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            contract.reset()

        def before_call(self, case: Any) -> None:
            contract.spare_own_token(case)

        def validate_response(self, response: Any, case: Any, *args: Any, **kwargs: Any) -> None:
            seen.append(f"{case.operation.label} {response.status_code}")
            case.validate_response(response, checks=CHECKS)

    Sequences.run(settings=STATEFUL)
    # Not a vacuous run: the token stayed valid, and many operations answered with success.
    assert not [line for line in seen if line.endswith(" 401")]
    reached = {line.rsplit(" ", 1)[0] for line in seen if line.endswith((" 200", " 201", " 204"))}
    assert len(reached) >= 8, f"the sequences reached few operations: {sorted(set(seen))}"
