"""The map page: where the case's witnesses come from, on North Korea and its border with China.

The outlines are Natural Earth's, from the npm package world-atlas that ``make`` installs into node_modules
(found as ``assets`` finds htmx; never copied into the repository). They are read, clipped and simplified
once per process. The places come from witnesses' public descriptors (their place of origin) and from
claims, placed with the gazetteer by ``services.geography`` and listed through the same service as the
witnesses page, so a role that may not list witnesses (a viewer) gets 403 and nothing else; no restricted
field is ever read here.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from corroborate.errors import UserError
from corroborate.services.geography import place_named, place_origins

from . import assets, maps
from .auth import Signed
from .basemaps import Basemap, Frame, basemap
from .i18n import N_, language_of, translations
from .pages import nav
from .rendering import render

__all__ = ["OUTLINES", "FRAME", "outlines", "router"]

router = APIRouter()

OUTLINES = "world-atlas/countries-10m.json"  # inside node_modules: Natural Earth 1:10m, as TopoJSON
FRAME = Frame(west=122.0, south=37.5, east=131.5, north=43.5)  # North Korea and the Chinese border region
FOCUS = "North Korea"
RIVERS = (("North Korea", "China"), ("North Korea", "Russia"))  # the Yalu and the Tumen
# Fixed labels: countries by their name in the outlines, rivers where they run (lon, lat, text, kind, angle).
LABELS = (
    (126.9, 40.55, N_("North Korea"), "country", 0.0),
    (124.4, 42.4, N_("China"), "country", 0.0),
    (128.2, 37.8, N_("South Korea"), "country", 0.0),
    (130.9, 43.35, N_("Russia"), "country", 0.0),
    (125.55, 41.0, N_("Yalu (Amnok) River"), "river", -33.0),
    (128.75, 42.62, N_("Tumen (Tuman) River"), "river", -30.0),
)
# What a place that lies in no province is, for the table's province column.
TOP_LEVEL = {"province": N_("province"), "special_city": N_("special city"),
             "directly_governed_city": N_("directly governed city")}  # fmt: skip


def outlines(folder: Path | None = None) -> Basemap:
    """The frame's outlines from world-atlas; ``UserError`` naming ``make`` when they are not installed."""
    return _outlines((folder or assets.node_modules()) / OUTLINES)


@lru_cache(maxsize=4)
def _outlines(path: Path) -> Basemap:
    if not path.is_file():
        raise UserError(
            f"the map's outlines are missing ({path}): run `make` in the repository (it installs world-atlas "
            f"with `npm ci`), or set {assets.ASSETS_VARIABLE} to a node_modules folder that has them"
        )
    try:
        topology: Any = json.loads(path.read_text(encoding="utf-8"))
        return basemap(topology, FRAME, highlight=RIVERS, tolerance=0.4)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise UserError(f"the map's outlines ({path}) are not a TopoJSON topology of countries: run `make` "
                        "again to reinstall world-atlas") from exc  # fmt: skip


@router.get("/cases/{case}/map")
def origin_map(request: Request, case: str, who: Signed) -> Response:
    places, without = place_origins(request.app.state.location, actor=who.actor, case=case)  # 403 before anything
    base = outlines()
    catalog = translations(language_of(request))
    _, ngettext = catalog.gettext, catalog.ngettext
    placed = [o for o in places if o.place is not None and FRAME.contains(o.place.lon, o.place.lat)]
    unplaced = [o for o in places if o not in placed]
    markers = []
    for o in placed:
        assert o.place is not None
        witnesses = ngettext("%(num)d witness", "%(num)d witnesses", o.count) % {"num": o.count}
        where = f"{o.place.name} ({o.place.hangul})" + (f", {o.place.province}" if o.place.province else "")
        markers.append(maps.Marker(o.place.lon, o.place.lat, o.count, f"{o.place.name} {o.place.hangul}",
                                   f"{where}: {witnesses}"))  # fmt: skip
    named = place_named(request.app.state.location, actor=who.actor, case=case)
    for n in named:
        if n.place is not None and FRAME.contains(n.place.lon, n.place.lat):
            claims = ngettext("named in %(num)d claim", "named in %(num)d claims", n.claims) % {"num": n.claims}
            by = ngettext("by %(num)d witness", "by %(num)d witnesses", n.count) % {"num": n.count}
            said = _("%(place)s (%(hangul)s): %(claims)s %(witnesses)s") % {
                "place": n.place.name,
                "hangul": n.place.hangul,
                "claims": claims,
                "witnesses": by,
            }
            markers.append(maps.Marker(n.place.lon, n.place.lat, max(n.count, 1), f"{n.place.name} {n.place.hangul}",
                                       said, named=True))  # fmt: skip
    labels = [maps.Label(lon, lat, _(text), kind, angle) for lon, lat, text, kind, angle in LABELS]
    total = sum(o.count for o in placed)
    svg = maps.draw(
        base, markers=markers, labels=labels, focus=FOCUS, legend=_("Witnesses from a place"),
        named_legend=_("a place the testimony names"),
        title=_("Places of origin of the case's witnesses"),
        description=_("%(places)d places in North Korea, with %(witnesses)d witnesses; the table below lists them.")
        % {"places": len(placed), "witnesses": total},
    )  # fmt: skip
    return render(request, "map.html", {
        "case": case, "nav": nav(case, who), "query": "", "svg": Markup(svg), "placed": placed,
        "unplaced": unplaced, "without": without, "top_level": TOP_LEVEL, "named": named,
    })  # fmt: skip
