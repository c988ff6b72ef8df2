"""One record at a time: read, create, replace and delete witnesses, interviews, documents, excerpts,
propositions, claims and recommendations; a witness's identity on its own route.

Every answer that shows a record carries its version as a strong ``ETag``. A replacement or a deletion must
name the version it read in ``If-Match``: without one it is refused (428), and when someone changed the
record since, it is refused (412) with who changed it and when, and nothing is written. The services check
the roles of docs/security.md, the references around the record, and sign the change (a claim with the
caller's own key; other records with the case's key, so the case must be unlocked through this token or
session first: ``POST /cases/{case}/unlock``).
"""

# No `from __future__ import annotations`: each kind's routes take its own model, read when they are defined.

from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request
from fastapi.responses import JSONResponse, Response

from corroborate.domain import RestrictedIdentity
from corroborate.errors import UserError, VersionNeeded
from corroborate.services import Action, records
from corroborate.services import restricted as identities

from .callers import Calling, acts
from .models import RECORD_MODELS, public
from .problems import problem, responses

__all__ = ["ETAG_HEADER", "LOCATION_HEADER", "router"]

router = APIRouter()

ETAG_HEADER = {"description": 'the version of the record: send it back in If-Match to change it (e.g. "3")',
         "schema": {"type": "string", "pattern": '^"[0-9]+"$'}}  # fmt: skip
LOCATION_HEADER = {"description": "where the new record is read", "schema": {"type": "string"}}
_READ = {**responses("forbidden", "not-found"), 200: {"headers": {"ETag": ETAG_HEADER}}}
_WRITE = {**responses("invalid", "forbidden", "not-found", "exists", "locked"),
          201: {"headers": {"ETag": ETAG_HEADER, "Location": LOCATION_HEADER}}}  # fmt: skip
_CHANGE = responses("invalid", "forbidden", "not-found", "locked", "stale", "precondition-required", "in-use")
_REPLACE = {**_CHANGE, 200: {"headers": {"ETag": ETAG_HEADER}}}


def _etag(version: int | None) -> str:
    return f'"{version}"'


def _version(if_match: str | None) -> int:
    """The version an If-Match header names (a strong ETag of this API)."""
    if if_match is None:
        raise VersionNeeded()
    value = if_match.strip()
    if value.startswith("W/"):
        raise UserError('If-Match takes the strong ETag this API answered with, e.g. "3"')
    try:
        return int(value.strip('"'))
    except ValueError:
        raise UserError(f'If-Match {value!r} is not an ETag this API gave (they look like "3")') from None


def _answer(kind: str, item: Any, version: int | None, *, status: int = 200, location: str | None = None) -> Response:
    headers = {"ETag": _etag(version)}
    if location is not None:
        headers["Location"] = location
    return JSONResponse(public(kind, item), status_code=status, headers=headers)


def _routes(kind: str, segment: str, model: type[Any]) -> None:
    noun = kind.replace("_", " ")
    writes = acts(Action.code_claims if kind == "claim" else Action.edit_records)
    deletes = acts(Action.code_claims if kind == "claim" else Action.delete_records)

    @router.get(f"/cases/{{case}}/{segment}/{{ref}}", response_model=model, responses=_READ,
                openapi_extra=acts(Action.read_records),
                summary=f"One {noun}, with its version as ETag", tags=[segment])  # fmt: skip
    def read(request: Request, case: str, ref: str, who: Calling) -> Response:
        found = records.get_record(request.app.state.location, kind, ref, actor=who.actor, case=case)
        return _answer(kind, found.item, found.version)

    @router.post(f"/cases/{{case}}/{segment}", response_model=model, status_code=201, responses=_WRITE,
                 openapi_extra=writes,
                 summary=f"Add a {noun}", tags=[segment])  # fmt: skip
    def create(request: Request, case: str, who: Calling, body: Annotated[model, Body()]) -> Response:  # type: ignore[valid-type]
        item = _domain(kind, body)
        change, written = records.write(request.app.state.location, kind, item, actor=who.actor, case=case,
                                        secrets=who.secrets(case), version=None, mode="create")  # fmt: skip
        where = f"{request.scope.get('root_path', '')}/cases/{case}/{segment}/{change.ref}"
        return _answer(kind, written, change.version, status=201, location=where)

    @router.put(f"/cases/{{case}}/{segment}/{{ref}}", response_model=model, responses=_REPLACE,
                openapi_extra=writes,
                summary=f"Replace a {noun} (If-Match: the version read)", tags=[segment])  # fmt: skip
    def replace(
        request: Request, case: str, ref: str, who: Calling, body: Annotated[model, Body()],  # type: ignore[valid-type]
        if_match: Annotated[str | None, Header()] = None,
    ) -> Response:  # fmt: skip
        version = _version(if_match)
        item = _domain(kind, body)
        if _ref(kind, item) != ref:
            raise UserError(f"the {noun} sent is {_ref(kind, item)!r}, not {ref!r}: a record keeps its id")
        change, written = records.write(request.app.state.location, kind, item, actor=who.actor, case=case,
                                        secrets=who.secrets(case), version=version, mode="update")  # fmt: skip
        return _answer(kind, written, change.version if change.version is not None else version)

    @router.delete(f"/cases/{{case}}/{segment}/{{ref}}", status_code=204, responses=_CHANGE,
                   openapi_extra=deletes,
                   summary=f"Delete a {noun} nothing points to (If-Match: version read)", tags=[segment])  # fmt: skip
    def delete(
        request: Request, case: str, ref: str, who: Calling, if_match: Annotated[str | None, Header()] = None
    ) -> Response:
        records.delete_record(request.app.state.location, kind, ref, version=_version(if_match), actor=who.actor,
                              case=case, secrets=who.secrets(case))  # fmt: skip
        return Response(status_code=204)


def _domain(kind: str, body: Any) -> Any:
    """The domain record a request's body describes (a witness without identity keeps its stored one)."""
    return records.record_model(kind).model_validate(body.model_dump())


def _ref(kind: str, item: Any) -> str:
    return str(item.key if kind == "proposition" else item.id)


for _kind, (_segment, _model) in RECORD_MODELS.items():
    _routes(_kind, _segment, _model)


@router.get("/cases/{case}/witnesses/{ref}/identity", response_model=RestrictedIdentity,
            openapi_extra=acts(Action.view_identities),
            responses=responses("invalid", "forbidden", "not-found", "locked"), tags=["witnesses"],
            summary="A witness's restricted identity (owners and investigators, case unlocked)")  # fmt: skip
def read_identity(request: Request, case: str, ref: str, who: Calling) -> Any:
    found = records.get_record(request.app.state.location, "witness", ref, actor=who.actor, case=case,
                               secrets=who.secrets(case), identity=True)  # fmt: skip
    if found.item.restricted is None:
        return problem(request, "not-found", f"witness {ref} has no identity recorded")
    return found.item.restricted


@router.put("/cases/{case}/witnesses/{ref}/identity", status_code=204, openapi_extra=acts(Action.edit_identities),
            responses=responses("invalid", "forbidden", "not-found", "locked"), tags=["witnesses"],
            summary="Replace a witness's restricted identity (sealed, audited)")  # fmt: skip
def replace_identity(request: Request, case: str, ref: str, who: Calling, body: RestrictedIdentity) -> Response:
    identities.set_identity(request.app.state.location, ref, body.model_dump(mode="json"), actor=who.actor,
                            secrets=who.secrets(case), case=case)  # fmt: skip
    return Response(status_code=204)


@router.delete("/cases/{case}/witnesses/{ref}/identity", status_code=204,
               openapi_extra=acts(Action.edit_identities),
               responses=responses("invalid", "forbidden", "not-found", "locked"), tags=["witnesses"],
               summary="Delete a witness's restricted identity (the witness stays, by pseudonym)")  # fmt: skip
def delete_identity(request: Request, case: str, ref: str, who: Calling) -> Response:
    if not identities.remove_identity(request.app.state.location, ref, actor=who.actor, secrets=who.secrets(case),
                                      case=case):  # fmt: skip
        return problem(request, "not-found", f"witness {ref} has no identity recorded")
    return Response(status_code=204)
