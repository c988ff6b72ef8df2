"""Commands on organisations' person lists (issue 14): `simulate` writes a made-up population's lists,
`link` links lists and writes who is on which; `encode` encodes a list into keyed Bloom filters (or makes the
shared key) and `link-encoded` links such encodings, for organisations that may not share names.

Thin shells over ``corroborate.services.simulation``, ``corroborate.services.linking`` and
``corroborate.services.encoding``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corroborate.errors import UserError
from corroborate.services import encoding, linking, simulation

from .context import handles_errors, out

__all__ = ["Charts", "DuplicateFree", "ForceOutputs", "MatchThreshold", "OutFolder", "register", "said_linked"]

# The options every command that links and writes its outputs takes (`link`, `link-encoded`, `lists link`).
OutFolder = Annotated[Path, typer.Option("--out", metavar="FOLDER", help="where the outputs go (made when missing)")]
MatchThreshold = Annotated[
    float, typer.Option("--threshold", metavar="P", help="match probability from which two records are one person")
]
ForceOutputs = Annotated[bool, typer.Option("--force", help="replace outputs that are there already")]
DuplicateFree = Annotated[
    list[str] | None,
    typer.Option("--duplicate-free", metavar="LIST", help="a list holding each person at most once (repeatable)"),
]
Charts = Annotated[bool, typer.Option("--charts/--no-charts", help="write the charts (SVG, offline HTML)")]


def said_linked(made: linking.LinkedLists, folder: Path) -> None:
    """What a linkage found and the files it wrote."""
    out.print(f"{made.records:,} records of lists {', '.join(made.lists)} are {made.people:,} people; "
              f"{made.on_several:,} of them on more than one list; written to {folder}:", markup=False)  # fmt: skip
    for path in made.files:
        out.print(f"  {path.name}", markup=False)


@handles_errors
def simulate(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="where the files go (made when missing)")],
    people: Annotated[int, typer.Option("--people", metavar="N", help="how many people to make up")] = 2000,
    lists: Annotated[int, typer.Option("--lists", metavar="K", help="how many lists saw them (2 to 10)")] = 4,
    seed: Annotated[int, typer.Option("--seed", metavar="N", help="the same seed makes the same files")] = 0,
    force: Annotated[bool, typer.Option("--force", help="replace files that are there already")] = False,
) -> None:
    """Make up border crossers and the lists that saw them: one CSV a list, the truth, the capture histories."""
    made = simulation.simulate_lists(folder, people=people, lists=lists, seed=seed, force=force)
    out.print(f"{made.people:,} people made up; the {lists} lists hold {made.records:,} records of {made.seen:,} "
              f"of them; written to {folder}:", markup=False)  # fmt: skip
    for path in made.files:
        out.print(f"  {path.name}", markup=False)


@handles_errors
def link(
    lists: Annotated[
        list[Path], typer.Argument(metavar="LIST", help="the lists (two or more): CSV, XLSX or a YAML mapping")
    ],
    folder: OutFolder,
    threshold: MatchThreshold = 0.9,
    force: ForceOutputs = False,
    duplicate_free: DuplicateFree = None,
    charts: Charts = True,
    engine: Annotated[
        str, typer.Option("--engine", metavar="ENGINE", help="duckdb (here, the default) or spark (needs Java)")
    ] = "duckdb",
    spark_master: Annotated[
        str | None,
        typer.Option("--spark-master", metavar="URL", help="the Spark cluster (default: local[*], this machine)"),
    ] = None,
    truth: Annotated[
        Path | None,
        typer.Option("--truth", metavar="FILE", help="a made-up population's truth.csv (simulate): score the links"),
    ] = None,
) -> None:
    """Link person lists: who is on which list (clusters), the pairs to review, the capture histories."""
    made = linking.link_lists(lists, folder, threshold=threshold, force=force, duplicate_free=duplicate_free or (),
                              charts=charts, engine=engine, spark_master=spark_master, truth=truth)  # fmt: skip
    said_linked(made, folder)
    if made.scores is not None:
        precision, recall = made.scores
        out.print(f"against the truth in {truth}: of the pairs of records linked as one person, {precision:.1%} are "
                  f"(precision); of the pairs that are, {recall:.1%} were linked (recall)", markup=False)  # fmt: skip


@handles_errors
def encode(
    list_file: Annotated[
        Path | None, typer.Argument(metavar="LIST", help="the organisation's list (CSV, XLSX or its YAML mapping)")
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option("--key-file", metavar="KEYFILE", help="the key the organisations share")
    ] = None,
    out_file: Annotated[
        Path | None, typer.Option("--out", metavar="FILE", help="the encoding file to write (CSV, no name in it)")
    ] = None,
    new_key: Annotated[
        Path | None, typer.Option("--new-key", metavar="KEYFILE", help="make a new shared key in this new file")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="replace an encoding file that is there already")] = False,
) -> None:
    """Encode a person list into keyed Bloom filters, to link it without sharing names; or make the key."""
    if new_key is not None:
        if list_file is not None or key_file is not None or out_file is not None:
            raise UserError("--new-key makes a key and nothing else: encode a list in another run")
        encoding.new_key(new_key)
        out.print(f"a new key is in {new_key}, readable by you only. Give it, in person or end-to-end "
                  "encrypted, to the organisations that encode; never to whoever links.", markup=False)  # fmt: skip
        return
    if list_file is None or key_file is None or out_file is None:
        raise UserError("give a LIST, --key-file KEYFILE and --out FILE (or --new-key KEYFILE to make a key)")
    made = encoding.encode_list(list_file, key_file=key_file, out=out_file, force=force)
    out.print(f"{len(made.records):,} records of list {made.name} encoded into {made.path}", markup=False)
    if made.empty:
        out.print(f"{made.empty:,} of them had nothing to encode (no name, birth year, place or sex): they will "
                  "match no one", markup=False)  # fmt: skip


@handles_errors
def link_encoded(
    files: Annotated[list[Path], typer.Argument(metavar="FILE", help="the encoding files (two or more)")],
    folder: OutFolder,
    threshold: Annotated[
        float, typer.Option("--threshold", metavar="D", help="Dice coefficient from which two records are one person")
    ] = 0.9,
    force: ForceOutputs = False,
) -> None:
    """Link encoded person lists (no names): who is on which list, the pairs to review, the capture histories."""
    made = linking.link_encoded_lists(files, folder, threshold=threshold, force=force)
    said_linked(made, folder)


def register(app: typer.Typer) -> None:
    """Add `simulate`, `link`, `encode` and `link-encoded` to the main app."""
    app.command()(simulate)
    app.command()(link)
    app.command()(encode)
    app.command("link-encoded")(link_encoded)
