"""Consistent copies of a live SQLite database via SQLite's online backup API.

The copy of an encrypted database (``store.encryption``) is encrypted with the same key: both
ends are ``sqlcipher3`` connections given the key, so no page is ever written in plain.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


class BackupNotSupported(RuntimeError):
    """Raised for databases other than SQLite files (use the server's own tools)."""


def backup_sqlite(source: Path, destination: Path, key: str | None = None) -> Path:
    """Copy ``source`` into ``destination`` page by page while other readers/writers go on
    (``key``: the encrypted ``source``'s, which the copy gets too)."""
    if not source.exists():
        raise FileNotFoundError(f"database file not found: {source}")
    destination = destination.expanduser().resolve()
    if destination == source.resolve():
        raise ValueError("the backup file must differ from the database file")
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    tmp.unlink(missing_ok=True)
    if key is not None:
        _backup_encrypted(source, tmp, key)
        tmp.replace(destination)
        return destination
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst, pages=4096)
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(destination)
    return destination


def _backup_encrypted(source: Path, destination: Path, key: str) -> None:
    from workstation.store.encryption import connect

    src = connect(source, key)
    try:
        dst = connect(destination, key)
        try:
            src.backup(dst, pages=4096)
        finally:
            dst.close()
    finally:
        src.close()
