"""Benchmark: parse a ~1 MB report (the reference paper's body repeated, notes renumbered).

The issue requires a 1 MB report to parse in under a second. The body of the
reference paper is repeated until the text reaches about 1 MB; each copy's
markers and notes are renumbered so that the result has one long rising
sequence of markers and one note list at the end, like a real long report.
Each copy's interviewees get other ages and its news titles another suffix,
so that witnesses and documents are mostly distinct (the harder case for
resolving them) rather than 36 copies of the same twelve.

It prints the median wall-clock and CPU time of several runs and fails when
the median CPU time reaches the limit (CPU time, because on a shared machine
other processes stretch wall-clock time without the parser doing more work).

Run: .venv/bin/python benchmarks/parse_report.py
"""

from __future__ import annotations

import re
import statistics
import sys
import time
from pathlib import Path

from corroborate.ingest.report import parse_report_text

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "hrw-2007-north-korea-border-crossers.txt"
TARGET_BYTES = 1_000_000
RUNS = 5
LIMIT_SECONDS = 1.0


def _split(text: str) -> tuple[str, list[str]]:
    """The body (before the first note) and the notes of the reference paper."""
    first_note = re.search(r"^1 By a decree", text, re.M)
    assert first_note is not None, "the reference paper changed"
    notes = re.findall(r"^\d+ (.+)$", text[first_note.start() :], re.M)
    return text[: first_note.start()], notes


def _vary(note: str, copy: int) -> str:
    """The note as copy number ``copy`` cites it: other ages, other titles (copy 0 is the original)."""
    if copy == 0:
        return note
    note = re.sub(r"\bage (\d+)", lambda m: f"age {18 + (int(m.group(1)) + copy) % 70}", note)
    return re.sub(r'"([^"]+?),"', lambda m: f'"{m.group(1)} (part {copy}),"', note)


def build_report(seed: str, target: int = TARGET_BYTES) -> str:
    """A report of about ``target`` bytes: the seed's body repeated with its markers renumbered."""
    body, notes = _split(seed)
    marker = re.compile(r"(?<=[.,\"”)\]A-Za-z])(\d{1,2})(?=\s|$)")
    copies: list[str] = []
    all_notes: list[str] = []
    size = 0
    while size < target:
        offset = len(all_notes)

        def renumber(m: re.Match[str], offset: int = offset) -> str:
            number = int(m.group(1))
            return str(number + offset) if 1 <= number <= len(notes) else m.group(0)

        copy = marker.sub(renumber, body)
        copies.append(copy)
        all_notes += [_vary(note, len(copies) - 1) for note in notes]
        size += len(copy.encode()) + sum(len(n.encode()) + 8 for n in notes)
    note_lines = [f"{i} {text}" for i, text in enumerate(all_notes, start=1)]
    return "".join(copies) + "\n\n" + "\n\n".join(note_lines) + "\n"


def main() -> int:
    if not SEED.exists():
        print(f"reference paper not found at {SEED}", file=sys.stderr)
        return 1
    report = build_report(SEED.read_text(encoding="utf-8"))
    wall: list[float] = []
    cpu: list[float] = []
    parsed = parse_report_text(report)  # warm up: regular expressions compiled, gazetteer loaded
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        parsed = parse_report_text(report)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    size_mb = len(report.encode()) / 1_000_000
    print(
        f"parse_report: {size_mb:.2f} MB, {len(parsed.notes)} notes, {len(parsed.markers)} markers, "
        f"{len(parsed.witnesses)} witnesses, {len(parsed.documents)} documents, {len(parsed.excerpts)} excerpts; "
        f"median of {RUNS} runs: {statistics.median(wall):.3f} s wall, {statistics.median(cpu):.3f} s CPU "
        f"(limit {LIMIT_SECONDS:.1f} s)"
    )
    return 0 if statistics.median(cpu) < LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
