"""The backup file format: a plaintext JSON header line, then AES-256-GCM sealed 1 MiB chunks.

Each chunk's nonce and additional data carry its number, whether it is the
last, and the hash of the header, so altering, reordering, truncating or
extending a file is detected. A key-check value in the header lets a wrong
passphrase be told apart from an altered file. Never puts a passphrase or key
into a message.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from corroborate import __version__
from corroborate.domain import Progress
from corroborate.errors import BackupInvalid

from .crypto import KdfParams, derive_key
from .keys import utc_now

__all__ = [
    "CHUNK_BYTES",
    "BackupInfo",
    "move_into_place",
    "open_chunks",
    "read_backup_info",
    "read_header",
    "temp_file",
    "unlock_backup",
    "write_file",
]

FORMAT = "corroborate-backup"
VERSION = 1
CHUNK_BYTES = 1 << 20
_TAG_BYTES = 16
_PREFIX_BYTES = 8
_KEY_CHECK = (0xFFFFFFFF).to_bytes(4, "big")  # a counter no chunk ever uses
_KEY_CHECK_AAD = b"corroborate-backup/1/key-check"
_MAX_HEADER = 64 * 1024


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds, as its header says: no passphrase is needed to read it."""

    kind: str  # "sqlite" (a database snapshot) or "logical" (rows as JSON lines)
    created: str  # UTC, ISO 8601
    revision: str  # schema revision of the store it was made from
    bytes: int  # size of the backup file
    digest: str  # content_digest of the store at the moment of the backup


@dataclass(frozen=True)
class _Header:
    line: bytes  # exactly as written, newline included; its hash is bound to every chunk
    info: BackupInfo
    kdf: KdfParams
    prefix: bytes
    key_check: bytes
    chunk_bytes: int
    made_by: str


def _aad(header_hash: bytes, counter: bytes, final: bool) -> bytes:
    return header_hash + counter + (b"\x01" if final else b"\x00")


def _sealed(body: Iterable[bytes], key: bytes, header: bytes, prefix: bytes) -> Iterator[bytes]:
    """The body sealed chunk by chunk; only the chunk that nothing follows is sealed as the last one."""
    aead, header_hash, buffer, index = AESGCM(key), hashlib.sha256(header).digest(), bytearray(), 0

    def seal(chunk: bytes, final: bool) -> bytes:
        counter = index.to_bytes(4, "big")
        if counter == _KEY_CHECK:
            raise ValueError("a backup cannot hold more than 2**32 - 1 chunks")
        return aead.encrypt(prefix + counter, chunk, _aad(header_hash, counter, final))

    for data in body:
        buffer += data
        while len(buffer) > CHUNK_BYTES:  # more follows, so this chunk is not the last
            yield seal(bytes(buffer[:CHUNK_BYTES]), False)
            del buffer[:CHUNK_BYTES]
            index += 1
    yield seal(bytes(buffer), True)


def temp_file(directory: Path | None, prefix: str) -> Path:
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=directory)
    os.close(fd)
    return Path(name)


def move_into_place(tmp: Path, target: Path) -> None:
    os.replace(tmp, target)
    with suppress(OSError):  # make the rename itself durable; not every platform can open a directory
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_file(out: Path, kind: str, revision: str, digest: str, passphrase: str, body: Iterable[bytes]
                ) -> BackupInfo:  # fmt: skip
    """Write header and sealed body to a temporary file beside ``out``, then move it into place."""
    params, prefix = KdfParams.fresh(), os.urandom(_PREFIX_BYTES)
    key = derive_key(passphrase, params)
    key_check = AESGCM(key).encrypt(prefix + _KEY_CHECK, b"", _KEY_CHECK_AAD)
    created = utc_now()
    fields = {
        "format": FORMAT, "version": VERSION, "kind": kind, "created": created, "revision": revision,
        "digest": digest, "made_by": f"corroborate {__version__}", "cipher": "AES-256-GCM",
        "chunk_bytes": CHUNK_BYTES, "nonce_prefix": base64.b64encode(prefix).decode(),
        "key_check": base64.b64encode(key_check).decode(), "kdf": params.to_json(),
    }  # fmt: skip
    header = json.dumps(fields, separators=(",", ":")).encode() + b"\n"
    tmp = temp_file(out.parent, f".{out.name}.")
    try:
        with tmp.open("wb") as handle:
            handle.write(header)
            handle.writelines(_sealed(body, key, header, prefix))
            handle.flush()
            os.fsync(handle.fileno())
        move_into_place(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupInfo(kind, created, revision, out.stat().st_size, digest)


def read_header(path: Path) -> _Header:
    try:
        with path.open("rb") as handle:
            first = handle.read(_MAX_HEADER)
        size = path.stat().st_size
    except FileNotFoundError:
        raise BackupInvalid(f"{path} does not exist") from None
    except OSError as exc:
        raise BackupInvalid(f"cannot read {path}: {exc.strerror}") from exc
    line = first[: first.find(b"\n") + 1]
    header: Any = None
    with suppress(ValueError):
        header = json.loads(line)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupInvalid(f"{path} is not a Corroborate backup file")
    if header.get("version") != VERSION:
        raise BackupInvalid(f"backup format version {header.get('version')!r} is not supported by "
                            f"corroborate {__version__} (it reads version {VERSION})")  # fmt: skip
    try:
        kind, created, revision, digest = (str(header[k]) for k in ("kind", "created", "revision", "digest"))
        info = BackupInfo(kind, created, revision, size, digest)
        chunk_bytes, kdf = int(header["chunk_bytes"]), KdfParams.from_json(header["kdf"])
        prefix, check = (base64.b64decode(header[k], validate=True) for k in ("nonce_prefix", "key_check"))
        # Refuse parameters that would make deriving the key take forever or exhaust memory.
        if not (kind in ("sqlite", "logical") and 4096 <= chunk_bytes <= 64 * CHUNK_BYTES
                and len(prefix) == _PREFIX_BYTES and len(check) == _TAG_BYTES and len(kdf.salt) >= 8
                and 1 <= kdf.time_cost <= 64 and 1 <= kdf.parallelism <= 64
                and 8 * kdf.parallelism <= kdf.memory_cost <= 4 * 1024 * 1024):  # fmt: skip
            raise ValueError("header fields out of range")
        made_by = str(header.get("made_by", "an unknown version"))
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupInvalid("the backup's header is damaged") from exc
    refusal = kdf.refusal()  # a key below the Argon2id floor is never derived, for backups too
    if refusal is not None:
        raise BackupInvalid(f"the backup's key is unsafe: {refusal}")
    return _Header(line, info, kdf, prefix, check, chunk_bytes, made_by)


def read_backup_info(path: Path) -> BackupInfo:
    """What a backup holds, read from its plaintext header (no passphrase needed)."""
    return read_header(Path(path)).info


def unlock_backup(header: _Header, passphrase: str) -> bytes:
    key = derive_key(passphrase, header.kdf)
    try:
        AESGCM(key).decrypt(header.prefix + _KEY_CHECK, header.key_check, _KEY_CHECK_AAD)
    except InvalidTag as exc:
        raise BackupInvalid("wrong passphrase for this backup (or its header was altered)") from exc
    return key


def open_chunks(path: Path, header: _Header, key: bytes, progress: Progress) -> Iterator[bytes]:
    """The plaintext of the body, chunk by chunk, each authenticated before it is given out."""
    aead, header_hash = AESGCM(key), hashlib.sha256(header.line).digest()
    size, total = header.chunk_bytes + _TAG_BYTES, header.info.bytes

    def attempt(block: bytes, counter: bytes, final: bool) -> bytes | None:
        try:
            return aead.decrypt(header.prefix + counter, block, _aad(header_hash, counter, final))
        except InvalidTag:
            return None

    with path.open("rb") as handle:
        handle.seek(len(header.line))
        block, index, done = handle.read(size), 0, len(header.line)
        if not block:
            raise BackupInvalid("the file ends after its header (it was truncated)")
        while block:
            following = handle.read(size)
            counter = index.to_bytes(4, "big")
            plain = attempt(block, counter, not following) if counter != _KEY_CHECK else None
            if plain is None:
                if not following and attempt(block, counter, False) is not None:
                    raise BackupInvalid("the file was truncated (its last part is missing)")
                if following and attempt(block, counter, True) is not None:
                    raise BackupInvalid("data was appended after the end of the backup")
                raise BackupInvalid(f"part {index + 1} of the backup failed authentication: "
                                    "the file was altered, truncated or reordered")  # fmt: skip
            done += len(block)
            progress(done, total)
            yield plain
            block, index = following, index + 1
