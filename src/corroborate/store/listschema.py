"""SQLAlchemy tables of organisations' person lists kept in a case (migration 0015).

Apart from ``schema`` (which they extend, on the same ``Base``) only to keep that module small. The package
imports this module (through ``audit``), so ``Base.metadata`` always holds these tables: backups, restores
and the test that compares the models with the migrations see them.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .schema import Base

__all__ = ["PersonListRow", "PersonRecordRow"]


class PersonListRow(Base):
    """An organisation's person list kept in a case, for record linkage.

    Its records live in ``person_records``, each sealed under a random key of the list's own, which is
    stored here sealed under the case's data key (``wrapped_key``, ``key_version``), bound to the list's
    custody record (name, the source file's SHA-256, the record count, who added it and when): rotating the
    data key re-wraps that key and re-encrypts no record. ``case_pk`` is null only inside the transaction
    that replaces its case, while the list waits to be carried over to the new case row.
    """

    __tablename__ = "person_lists"
    __table_args__ = (UniqueConstraint("case_pk", "name"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_pk: Mapped[int | None] = mapped_column(ForeignKey("cases.pk", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    record_count: Mapped[int] = mapped_column(Integer)
    key_version: Mapped[int] = mapped_column(Integer)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    added_by: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[str] = mapped_column(String(40))
    row_version: Mapped[int] = mapped_column(Integer, server_default="1")  # counted up on every change


class PersonRecordRow(Base):
    """One record of a person list: its id (plain, to name it in outputs and the audit log) and the whole
    record as given (name, sex, birth year or age, origin, dates …), sealed under the list's key with
    AES-256-GCM, bound to the case, the list and the record id."""

    __tablename__ = "person_records"
    __table_args__ = (UniqueConstraint("list_pk", "record_id"),)

    list_pk: Mapped[int] = mapped_column(ForeignKey("person_lists.pk", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    record_id: Mapped[str] = mapped_column(String(200))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
