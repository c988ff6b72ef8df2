"""Use cases of linkage without sharing names (issue 14, item 4): make the key the organisations share, encode
one organisation's list on its own machine, and read the encoding files whoever links receives.

An encoding file is a UTF-8 CSV, one row a record: ``list`` (the list's name), ``record_id``, ``scheme``
(the encoding method, ``stats.linkage.encoded.VERSION``), ``key_check`` (a keyed check of the key: the
same for every file encoded under one key, and useless without it) and ``encoding`` (the record's keyed
Bloom filter, base64). No name, birth year, place or sex is in it in clear. The key file holds 32 random
bytes in hex, readable by its owner only; the key is never printed, logged or put in an error message.
docs/linkage.md says what the encodings protect and what they do not.
"""

from __future__ import annotations

import csv
import os
import secrets
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corroborate.errors import DataFileInvalid, OutputExists, OutputFailed, Problem, UserError
from corroborate.ingest import read_person_lists
from corroborate.stats.linkage import BITS, decode_clk, encoded_text

from .casefiles import csv_text, write_output

__all__ = ["COLUMNS", "EncodedList", "encode_list", "new_key", "read_encodings"]

COLUMNS = ("list", "record_id", "scheme", "key_check", "encoding")
_KEY_BYTES = 32
_MIN_KEY_BYTES = 16
_MAX_PROBLEMS = 1000  # a file's problems listed one by one; past this, reading stops


@dataclass(frozen=True)
class EncodedList:
    """One organisation's encoded list: its name, its records' (id, encoding), how many of them had nothing
    to encode (no name, birth year, place or sex: they can match no one), and the file written or read."""

    name: str
    records: tuple[tuple[str, bytes], ...]
    empty: int
    path: Path


def new_key(path: str | Path) -> Path:
    """Make a new shared key (32 random bytes) in a new file readable by its owner only. An existing file is
    never replaced: a lost key means every list must be encoded again."""
    target = Path(path).expanduser()
    there = UserError(f"{path} already exists: a key file is never replaced (a lost key means every list must be "
                      "encoded again); name a new file")  # fmt: skip
    if target.exists():
        raise there
    try:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise there from None
    except OSError as exc:
        raise OutputFailed(str(path), exc.strerror or type(exc).__name__) from None
    try:
        with os.fdopen(handle, "w", encoding="ascii") as file:
            file.write(secrets.token_bytes(_KEY_BYTES).hex() + "\n")
            file.flush()
            os.fsync(file.fileno())
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise OutputFailed(str(path), exc.strerror or type(exc).__name__) from None
    return target


def _read_key(path: str | Path) -> bytes:
    """The key in ``path``; UserError when it is missing, readable by others, or not a key (never quoted)."""
    source = Path(path).expanduser()
    try:
        mode = source.stat().st_mode
        text = source.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise UserError(f"{path}: no such key file (make one with `corroborate encode --new-key {path}`)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: cannot read the key file ({type(exc).__name__})") from None
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise UserError(f"{path}: the key file can be read by other users of this computer; make it yours only "
                        f"(chmod 600 {path}) and keep it apart from the encodings")  # fmt: skip
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < _MIN_KEY_BYTES:
        raise UserError(f"{path}: not a key file (it holds no key of at least {_MIN_KEY_BYTES} bytes in hex, "
                        "as `corroborate encode --new-key` makes)")  # fmt: skip
    return key


def encode_list(
    path: str | Path, *, key_file: str | Path, out: str | Path, force: bool = False
) -> EncodedList:  # fmt: skip
    """Encode the person list at ``path`` (as ``corroborate link`` reads lists) under the key in ``key_file``
    and write the encoding file ``out``; nothing is written when ``out`` is there already, unless ``force``."""
    from corroborate.stats.linkage.encoded import VERSION, FeatureEncoder, key_check  # NumPy loads only here

    key = _read_key(key_file)
    if Path(out).expanduser().exists() and not force:
        raise OutputExists(str(out))
    (found,) = read_person_lists([path], action="encoded")
    encode = FeatureEncoder(key)
    check = key_check(key)
    encoded = tuple((record["record_id"], encode(record)) for record in found.records)
    rows = ((found.name, record_id, VERSION, check, encoded_text(e)) for record_id, e in encoded)
    written = write_output(out, csv_text(COLUMNS, rows), force=force)
    return EncodedList(found.name, encoded, sum(not any(e) for _, e in encoded), written)


def _read_one(path: Path, problems: list[Problem], version: str) -> tuple[EncodedList, str] | None:
    shown = str(path)
    start = len(problems)
    records: list[tuple[str, bytes]] = []
    names: set[str] = set()
    checks: set[str] = set()
    seen: set[str] = set()
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                problems.append(Problem(shown, 1, ", ".join(missing), "the header lacks this column (an encoding "
                                        "file is written by `corroborate encode`)"))  # fmt: skip
                return None
            for row in reader:
                line = reader.line_num
                if len(problems) - start >= _MAX_PROBLEMS:
                    problems.append(Problem(shown, line, "", f"{_MAX_PROBLEMS} problems already: the rows from "
                                            "here were not checked"))  # fmt: skip
                    break
                if None in row or any(row[c] is None for c in COLUMNS):
                    problems.append(Problem(shown, line, "", "this row has not as many cells as the header"))
                    continue
                record_id, list_name = row["record_id"].strip(), row["list"].strip()
                if not record_id:
                    problems.append(Problem(shown, line, "record_id", "empty"))
                elif record_id in seen:
                    problems.append(Problem(shown, line, "record_id", "the same id is on an earlier row"))
                seen.add(record_id)
                if not list_name:
                    problems.append(Problem(shown, line, "list", "empty"))
                names.add(list_name)
                if row["scheme"].strip() != version:
                    problems.append(Problem(shown, line, "scheme", f"encoded by another method than {version} "
                                            "(encode the list again with this version)"))  # fmt: skip
                checks.add(row["key_check"].strip())
                try:
                    records.append((record_id, decode_clk(row["encoding"], bits=BITS)))
                except ValueError as exc:
                    problems.append(Problem(shown, line, "encoding", str(exc)))
    except FileNotFoundError:
        problems.append(Problem(shown, None, "", "no such file"))
    except UnicodeDecodeError:
        problems.append(Problem(shown, None, "", "not UTF-8 text"))
    except (OSError, csv.Error) as exc:
        problems.append(Problem(shown, None, "", f"cannot be read as CSV ({type(exc).__name__})"))
    if len(names) > 1:
        problems.append(Problem(shown, None, "list", "the rows name more than one list"))
    if len(checks) > 1:
        problems.append(Problem(shown, None, "key_check", "the rows were encoded under more than one key"))
    if len(problems) == start and not records:
        problems.append(Problem(shown, None, "", "no records"))
    if len(problems) > start:
        return None
    return EncodedList(names.pop(), tuple(records), sum(not any(e) for _, e in records), path), checks.pop()


def read_encodings(paths: Sequence[str | Path]) -> list[EncodedList]:
    """Read every encoding file; DataFileInvalid listing every problem of every file (a bad row, another
    method, two files of one list, files encoded under different keys) when any has one."""
    from corroborate.stats.linkage.encoded import VERSION

    problems: list[Problem] = []
    found = [read for path in paths if (read := _read_one(Path(path), problems, VERSION)) is not None]
    names = [encoded.name for encoded, _ in found]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(name, None, "list", "two files hold the same list"))
    if found:
        first_file, first_check = found[0][0].path, found[0][1]
        for encoded, check in found[1:]:
            if check != first_check:
                problems.append(Problem(str(encoded.path), None, "key_check", f"encoded under another key than "
                                        f"{first_file}: every organisation must encode with the same key"))  # fmt: skip
    if problems:
        shown = "; ".join(str(p) for p in problems[:20])
        more = f"; and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise DataFileInvalid("encoding file", problems,
                              summary=f"{len(problems)} problem(s) in the encoding files; nothing was linked: "
                                      f"{shown}{more}")  # fmt: skip
    return [encoded for encoded, _ in found]
