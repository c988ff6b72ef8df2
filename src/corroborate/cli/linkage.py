"""Commands on organisations' person lists (issue 14): `simulate` writes a made-up population's lists,
`link` links lists and writes who is on which.

Thin shells over ``corroborate.services.simulation`` and ``corroborate.services.linking``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corroborate.services import linking, simulation

from .context import handles_errors, out

__all__ = ["register"]


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
    lists: Annotated[list[Path], typer.Argument(metavar="LIST", help="the lists (two or more), one CSV file each")],
    folder: Annotated[Path, typer.Option("--out", metavar="FOLDER", help="where the outputs go (made when missing)")],
    threshold: Annotated[
        float, typer.Option("--threshold", metavar="P", help="match probability from which two records are one person")
    ] = 0.9,
    force: Annotated[bool, typer.Option("--force", help="replace outputs that are there already")] = False,
) -> None:
    """Link person lists: who is on which list (clusters), the pairs to review, the capture histories."""
    made = linking.link_lists(lists, folder, threshold=threshold, force=force)
    out.print(f"{made.records:,} records of lists {', '.join(made.lists)} are {made.people:,} people; "
              f"{made.on_several:,} of them on more than one list; written to {folder}:", markup=False)  # fmt: skip
    for path in made.files:
        out.print(f"  {path.name}", markup=False)


def register(app: typer.Typer) -> None:
    """Add `simulate` and `link` to the main app."""
    app.command()(simulate)
    app.command()(link)
