"""Where data came from and what happened to it: imports, evidence files, the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workstation.store.base import Base, UtcDateTime


class EvidenceFile(Base):
    """A file stored once by its SHA-256 and never changed (``evidence/ab/cd/abcd...``)."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str | None] = mapped_column(String(100))
    stored_at: Mapped[datetime] = mapped_column(UtcDateTime)
    stored_by: Mapped[str | None] = mapped_column(String(64))


class ImportBatch(Base):
    """One import of one file; all-or-nothing, with rejected rows kept beside it."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    source_profile: Mapped[str | None] = mapped_column(String(64))
    file_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_files.id"))
    file_name: Mapped[str] = mapped_column(String(300))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    imported_by: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_accepted: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    #: Rows already in the store (same natural key and values): skipped, not rejected.
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    options_json: Mapped[str | None] = mapped_column(Text)
    #: What the import kept but wants the user to know (JSON list of row, field, message):
    #: references not yet in the store, customers without coordinates, an assumed date.
    warnings_json: Mapped[str | None] = mapped_column(Text)


class RejectedRow(Base):
    __tablename__ = "rejected_rows"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text)
    raw_json: Mapped[str] = mapped_column(Text)


class MasterDataChange(Base):
    """A value an import changed on master data (an employee's name or department, a
    customer's name...): what it was and what the batch made it. Kept so a wrong file can be
    seen and undone; the batch says who imported it and when."""

    __tablename__ = "master_data_changes"
    __table_args__ = (Index("ix_master_data_changes_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    #: "employee" or "customer"
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    #: The record's key in the files: employee number, customer code.
    entity_key: Mapped[str] = mapped_column(String(64))
    field: Mapped[str] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    #: The row of the batch's file that made the change.
    source_row: Mapped[int | None] = mapped_column(Integer)


class ImportMappingProfile(Base):
    """A column mapping the user saved under a name, to read the next file of the same layout."""

    __tablename__ = "import_mapping_profiles"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(32))
    #: Target field -> the file's column header, as JSON; options such as crs/tz beside it.
    mapping_json: Mapped[str] = mapped_column(Text)
    options_json: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str | None] = mapped_column(String(64))


class AuditEntry(Base):
    """Append-only, hash-chained: ``entry_hash = sha256(prev_hash + canonical entry)``."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    entity: Mapped[str | None] = mapped_column(String(64))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    details_json: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditSeal(Base):
    """The public half of a workstation's installation seal (``security.seal``): shown to
    others, never trusted by itself (the trusted key is the local key file)."""

    __tablename__ = "audit_seals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    public_key_pem: Mapped[str] = mapped_column(Text)
    #: The machine the seal was made on (its host name), to tell workstations apart.
    host: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class AuditCheckpoint(Base):
    """The chain as it stood at one entry, signed by an installation seal: the entry's id and
    hash and the number of entries up to it. No foreign key: an entry cut from the log must
    leave its checkpoint behind to be caught."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(Integer, index=True)
    chain_hash: Mapped[str] = mapped_column(String(64))
    entry_count: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: Why it was made: the action of the entry (``case.approval``...), ``daily`` or ``asked``.
    reason: Mapped[str] = mapped_column(String(64))
    seal_fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    #: ECDSA P-256 / SHA-256 over the canonical JSON of the fields above (base64 DER).
    signature: Mapped[str] = mapped_column(Text)


class AppMeta(Base):
    """Small key/value facts about this database (e.g. that it holds the demo company)."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
