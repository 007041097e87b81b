"""Encryption at rest, the use cases: a new encrypted store (``db init --encrypt``) and an
existing plain one converted (``db encrypt``).

Each keeps the key where ``security.store_key`` finds it again and writes the data folder's
marker before the database changes, so a crash in between leaves a plain store that still
opens (a marker naming a plain file is ignored).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workstation.config import Settings
from workstation.private_files import make_private_dir
from workstation.security.store_key import AskStoreKey, forget_key, new_store_key
from workstation.store.encryption import (
    MARKER_FILE,
    Converted,
    EncryptionRefused,
    create_encrypted,
    encrypt_file,
    is_plain_sqlite,
)


@dataclass(frozen=True)
class Encrypted:
    """An encrypted store made or converted: its settings (with the key) and where the key
    is kept."""

    settings: Settings
    kept_in: str
    converted: Converted | None = None


def _database(settings: Settings) -> Path:
    database = settings.sqlite_path
    if database is None:
        raise EncryptionRefused(
            "encryption at rest is for SQLite files; a database server encrypts its own storage"
        )
    return database


def init_encrypted(settings: Settings, ask: AskStoreKey | None = None) -> Encrypted:
    """A new, empty encrypted store at the settings' SQLite file (the caller opens it, which
    brings the schema to the head)."""
    database = _database(settings)
    if database.exists() and database.stat().st_size > 0:
        raise EncryptionRefused(
            f"{database} exists already; `workstation db encrypt` converts an existing database"
        )
    make_private_dir(settings.data_dir)
    chosen = new_store_key(database, ask)
    chosen.marker.write(settings.data_dir)
    try:
        create_encrypted(database, chosen.key)
    except BaseException:
        _undo(settings, chosen.marker.key_id)
        raise
    return Encrypted(settings.with_key(chosen.key), chosen.kept_in)


def encrypt_existing(
    settings: Settings, ask: AskStoreKey | None = None, keep_plain: Path | None = None
) -> Encrypted:
    """Convert the settings' plain SQLite file into an encrypted one (every row kept, checked
    by counting); the plain original is kept at ``keep_plain`` if given, else wiped."""
    database = _database(settings)
    if not database.exists():
        raise EncryptionRefused(f"database file not found: {database}")
    if not is_plain_sqlite(database):
        raise EncryptionRefused(f"{database} is encrypted already")
    chosen = new_store_key(database, ask)
    chosen.marker.write(settings.data_dir)
    try:
        converted = encrypt_file(database, chosen.key, keep_plain)
    except BaseException:
        _undo(settings, chosen.marker.key_id)
        raise
    return Encrypted(settings.with_key(chosen.key), chosen.kept_in, converted)


def _undo(settings: Settings, key_id: str) -> None:
    from workstation.store.encryption import Marker

    marker = Marker.read(settings.data_dir)
    if marker is not None and marker.key_id == key_id:
        (settings.data_dir / MARKER_FILE).unlink(missing_ok=True)
        forget_key(marker)
