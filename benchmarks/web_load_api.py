"""The JSON API's side of ``web_load.py`` (``--api``): the same mix of requests, sent to ``/api/v1``.

Each simulated user calls the API with their browser session (the session cookie, and on a change the
session's form token in ``X-CSRF-Token``), as the workbench's own pages would. Only the kinds whose route the
server's OpenAPI document lists are driven; the others are named and left out of the mix. Coding reads the
claims of one of the user's excerpts, then adds a claim for a proposition not yet coded on it
(``POST /api/v1/cases/{case}/claims``); a 201 answer is an acknowledged write.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Sequence
from typing import Any, Protocol

import httpx2 as httpx

__all__ = ["PREFIX", "api_kinds", "api_step"]

PREFIX = "/api/v1"
# kind -> route templates that serve it, the first one the server lists is used
ROUTES: dict[str, Sequence[str]] = {
    "dashboard": ["/cases/{case}"],
    "witnesses": ["/cases/{case}/witnesses"],
    "witness": ["/cases/{case}/witnesses/{ref}"],
    "interviews": ["/cases/{case}/interviews"],
    "interview": ["/cases/{case}/interviews/{ref}"],
    "excerpts": ["/cases/{case}/excerpts"],
    "excerpt": ["/cases/{case}/excerpts/{ref}"],
    "proposition": [
        "/cases/{case}/propositions/{key}/assessment",
        "/cases/{case}/explain/{key}",
        "/cases/{case}/propositions/{ref}",
    ],  # fmt: skip
    "search": ["/cases/{case}/search"],
    "code": ["/cases/{case}/claims"],
}
_RUN = uuid.uuid4().hex[:6]  # claim ids of this run: C-load-<run>-<user>-<n>


class Driving(Protocol):
    """What a simulated user of ``web_load.py`` offers this module."""

    n: int
    case: str
    csrf: str
    rnd: random.Random
    data: Any
    tally: Any
    mine: list[str]
    routes: dict[str, str]
    counter: int

    async def timed(self, kind: str, method: str, url: str, **kw: Any) -> httpx.Response | None: ...


def api_kinds(port: int) -> dict[str, str]:
    """Kind -> the route template the server lists for it (from its OpenAPI document)."""
    listed = httpx.get(f"http://127.0.0.1:{port}{PREFIX}/openapi.json", timeout=30).json()["paths"]
    found = {kind: next((t for t in templates if t in listed), "") for kind, templates in ROUTES.items()}
    return {kind: template for kind, template in found.items() if template}


def _url(user: Driving, kind: str, ref: str = "") -> str:
    template = user.routes[kind]
    return PREFIX + re.sub(r"\{(ref|key)\}", ref, template.replace("{case}", user.case))


async def api_step(user: Driving, kind: str) -> None:
    """One request (two for a listing's next page, or for coding) of ``kind`` through the API."""
    d, r = user.data, user.rnd
    if kind in ("witnesses", "interviews", "excerpts"):
        params = {
            "witnesses": lambda: r.choice(
                [
                    {"origin": r.choice(d.origins)} if d.origins else {},
                    {"gender": "female"},
                    {"age": r.choice(["20-29", "30-39", "40-49"])},
                    {},
                ]
            ),  # fmt: skip
            "interviews": lambda: {"witness": r.choice(d.witnesses)},
            "excerpts": lambda: {"proposition": r.choice(d.propositions)},
        }[kind]()
        page = await user.timed(kind, "GET", _url(user, kind), params={**params, "limit": 25})
        following = page.json().get("next") if page is not None else None
        if following and r.random() < 0.5:
            await user.timed(kind, "GET", _url(user, kind), params={**params, "limit": 25, "cursor": following})
    elif kind in ("witness", "interview", "excerpt"):
        pool = {"witness": d.witnesses, "interview": d.interviews, "excerpt": d.excerpts}[kind]
        await user.timed(kind, "GET", _url(user, kind, r.choice(pool)))
    elif kind == "proposition":
        await user.timed(kind, "GET", _url(user, kind, r.choice(d.propositions)))
    elif kind == "search":
        await user.timed(kind, "GET", _url(user, kind), params={"q": r.choice(d.queries)})
    elif kind == "dashboard":
        await user.timed(kind, "GET", _url(user, kind))
    else:
        await _code(user)


async def _code(user: Driving) -> None:
    """Add a claim to one of this user's excerpts, for a proposition not yet coded on it."""
    ref = user.rnd.choice(user.mine)
    listed = await user.timed("claims", "GET", _url(user, "code"), params={"excerpt": ref, "limit": 100})
    if listed is None:
        return
    taken = {c["proposition"] for c in listed.json()["items"]}
    free = [k for k in user.data.propositions if k not in taken]
    if not free:
        return
    user.counter += 1
    claim = {"id": f"C-load-{_RUN}-{user.n}-{user.counter}", "excerpt": ref, "proposition": user.rnd.choice(free),
             "stance": "supports", "attributes": {}}  # fmt: skip
    answer = await user.timed("code", "POST", _url(user, "code"), json=claim, headers={"X-CSRF-Token": user.csrf},
                              ok=201)  # fmt: skip
    if answer is not None:
        user.tally.coded.append((ref, answer.json()["id"]))
