"""Consistent copies of a live SQLite database via SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class BackupNotSupported(RuntimeError):
    """Raised for databases other than SQLite files (use the server's own tools)."""


def backup_sqlite(source: Path, destination: Path) -> Path:
    """Copy ``source`` into ``destination`` page by page while other readers/writers go on."""
    if not source.exists():
        raise FileNotFoundError(f"database file not found: {source}")
    destination = destination.expanduser().resolve()
    if destination == source.resolve():
        raise ValueError("the backup file must differ from the database file")
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".part")
    tmp.unlink(missing_ok=True)
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
