"""Pages of what the analysis finds across a case: the timeline (a chart and its table) and the law check.

Both read the case as analysis does (without restricted identities) and are open to whoever may analyse
it; the services refuse anyone else. The chart is drawn by ``charts`` from plain rows built here, and the
table under it holds the same data for those who do not see the chart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import Response

from corroborate.domain import DateInterval
from corroborate.services import analysis as analysing

from . import charts
from .auth import Signed
from .i18n import N_, language_of, translations
from .pages import nav
from .rendering import render

__all__ = ["between", "law_by_state", "link_text", "router", "timeline_rows"]

router = APIRouter()

# How well a date of entry into force is supported (the law book's words), as the law page says it.
DATE_STATUS = {
    "verified": N_("verified"),
    "derived": N_("derived by the treaty's rule from a verified date"),
    "unverified": N_("UNVERIFIED: best knowledge"),
    "n/a": N_("not applicable"),
}
THROUGHOUT = {True: N_("yes"), False: N_("NO"), None: N_("cannot tell")}


def between(start: date | None, end: date | None) -> str:
    """The days a date may denote, as '2004-09-01 – 2004-12-31' ('…' for an open end, one day alone)."""
    first = start.isoformat() if start else "…"
    last = end.isoformat() if end else "…"
    return first if first == last else f"{first} – {last}"


def timeline_rows(
    entries: Iterable[Any], patterns: Iterable[Any], conflicts: dict[str, list[str]], *,
    gettext: Callable[[str], str] = str,
) -> list[charts.Row]:  # fmt: skip
    """One chart row per proposition and date attribute, in the order of their first date; a pattern's
    span behind its rows; a row flagged when its proposition's sources disagree on an attribute."""
    spans = {p.proposition: DateInterval(p.start, p.end) for p in patterns}
    grouped: dict[tuple[str, str], list[Any]] = {}
    for entry in entries:
        grouped.setdefault((entry.proposition, entry.attribute), []).append(entry)
    several = Counter(key for key, _ in grouped)
    rows = []
    for (key, attribute), group in grouped.items():
        marks = []
        for e in group:
            said = [f"{e.when} ({between(e.interval.start, e.interval.end)})", attribute]
            said += [e.occurrence] if e.occurrence else []
            said += ["; ".join(e.sources)]
            if e.stance == "contradicts":
                said.append(gettext("against the proposition"))
            if e.disagreement:
                said.append(f"{gettext('other sources give')} {', '.join(e.other_dates)}")
            marks.append(charts.Mark(e.interval, e.when, " · ".join(said), against=e.stance == "contradicts",
                                     disagreement=e.disagreement))  # fmt: skip
        flagged = conflicts.get(key)
        rows.append(charts.Row(
            f"{key} ({attribute})" if several[key] > 1 else key, tuple(marks), title=f"{key}: {group[0].statement}",
            band=spans.get(key),
            conflict=f"{gettext('Sources disagree on:')} {', '.join(flagged)}" if flagged else "",
        ))  # fmt: skip
    return rows


@router.get("/cases/{case}/timeline")
def timeline(request: Request, case: str, who: Signed) -> Response:
    location = request.app.state.location
    entries, patterns = analysing.timeline(location, actor=who.actor, case=case)
    assessed = analysing.assess(location, actor=who.actor, case=case)
    conflicts = {a.proposition.key: [f.name for f in a.conflicts] for a in assessed.assessments if a.conflicts}
    gettext = translations(language_of(request)).gettext
    rows = timeline_rows(entries, patterns, conflicts, gettext=gettext)
    chart = charts.timeline_svg(rows, gettext=gettext, label=gettext("Timeline of the case's dated claims"))
    return render(request, "timeline.html", {
        "case": case, "nav": nav(case, who), "query": "", "chart": chart, "entries": entries,
        "patterns": patterns, "conflicts": sorted(conflicts.items()), "between": between,
    })  # fmt: skip


def link_text(source: str) -> str | None:
    """A web source as a short link text ('austlii.edu.au/…/8.html'); None when it is not a web address."""
    if not source.startswith(("https://", "http://")):
        return None
    parts = urlsplit(source)
    host = parts.netloc.removeprefix("www.")
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if not tail:
        return host
    tail = tail if len(tail) <= 28 else tail[:27] + "…"
    return f"{host}/…/{tail}" if parts.path.strip("/").count("/") else f"{host}/{tail}"


def law_by_state(findings: Iterable[Any]) -> list[tuple[str, list[tuple[str, list[Any]]]]]:
    """The findings grouped by the state that bears the duty, then by proposition (in the order found)."""
    states: dict[str, dict[str, list[Any]]] = {}
    for finding in findings:
        states.setdefault(finding.duty_bearer, {}).setdefault(finding.proposition, []).append(finding)
    return [(state, list(states[state].items())) for state in sorted(states)]


@router.get("/cases/{case}/law")
def law(request: Request, case: str, who: Signed) -> Response:
    location = request.app.state.location
    findings = analysing.law(location, actor=who.actor, case=case)
    assessed = {a.proposition.key: a for a in analysing.assess(location, actor=who.actor, case=case).assessments}
    states = law_by_state(findings)
    tally = {state: Counter(f.bound_throughout if f.binding != "declaration" else "declaration"
                            for _, group in propositions for f in group)
             for state, propositions in states}  # fmt: skip
    return render(request, "law.html", {
        "case": case, "nav": nav(case, who), "query": "", "states": states, "assessed": assessed,
        "tally": tally, "date_status": DATE_STATUS, "throughout": THROUGHOUT, "link_text": link_text,
    })  # fmt: skip
