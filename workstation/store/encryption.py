"""SQLite files encrypted at rest with SQLCipher (``sqlcipher3``): create, recognise, open,
convert.

An encrypted store is a SQLCipher 4 file: every page encrypted (AES-256) and authenticated, so
the file does not start with SQLite's header and holds no readable text. A marker in the data
folder (``encryption.json``: which database file, and the name its key is kept under) tells
the program to get the key before opening the store; a file whose first bytes are not SQLite's
header is treated as encrypted too. The key is random (64 hex digits, used as a raw key: no
key derivation at each connection) when the program chooses it, or a passphrase a person
chose (then SQLCipher derives the key from it).

``sqlcipher3`` is imported only for an encrypted store: a plain one never loads it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

MARKER_FILE = "encryption.json"
CIPHER = "sqlcipher4"
SQLITE_HEADER = b"SQLite format 3\x00"
_RAW_KEY = re.compile(r"[0-9a-fA-F]{64}")


class StoreKeyRefused(RuntimeError):
    """An encrypted database cannot be opened: no key, or a key that does not open it."""

    def __init__(self, database: Path, reason: str) -> None:
        self.database = database
        self.reason = reason
        super().__init__(f"cannot open the encrypted database {database}: {reason}")


class EncryptionRefused(RuntimeError):
    """A store cannot be made or converted as asked (it exists already, is encrypted...)."""


@dataclass(frozen=True)
class Marker:
    """What ``encryption.json`` says: the database file it is about and its key's name."""

    database: str
    key_id: str
    cipher: str = CIPHER

    @classmethod
    def read(cls, data_dir: Path) -> Marker | None:
        path = data_dir / MARKER_FILE
        if not path.exists():
            return None
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(str(raw["database"]), str(raw["key_id"]), str(raw.get("cipher", CIPHER)))

    def write(self, data_dir: Path) -> Path:
        path = data_dir / MARKER_FILE
        tmp = path.with_name(path.name + ".tmp")
        body = {"database": self.database, "key_id": self.key_id, "cipher": self.cipher}
        tmp.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
        tmp.replace(path)
        return path


def new_key() -> str:
    """A random raw key: 256 bits as 64 hex digits."""
    return secrets.token_hex(32)


def new_key_id() -> str:
    return "db-" + secrets.token_hex(8)


def is_plain_sqlite(path: Path) -> bool:
    """True for a SQLite file readable without a key (or an empty / missing file)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return True
    return head == b"" or head == SQLITE_HEADER


def is_encrypted(data_dir: Path, database: Path) -> bool:
    """Whether ``database`` needs a key: its first bytes are not SQLite's (a file the marker
    names but that is still plain, e.g. a plain backup put back by hand, opens without)."""
    if database.exists():
        return not is_plain_sqlite(database)
    marker = Marker.read(data_dir)
    return marker is not None and marker.database == database.name


def sqlcipher() -> ModuleType:
    """The ``sqlcipher3`` DB-API module (a dependency; imported only when needed)."""
    import sqlcipher3.dbapi2 as module  # type: ignore[import-untyped]

    return module


def key_pragma(key: str) -> str:
    """``PRAGMA key`` for ``key``: a raw 64-hex-digit key as is, else a passphrase."""
    if _RAW_KEY.fullmatch(key):
        return f"PRAGMA key = \"x'{key}'\""
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


def url_password(key: str) -> str:
    """``key`` as SQLCipher's key text (``x'…'`` for a raw key): what SQLAlchemy's
    ``sqlite+pysqlcipher`` dialect quotes into its ``PRAGMA key``, and ``ATTACH … KEY ?``."""
    return f"x'{key}'" if _RAW_KEY.fullmatch(key) else key


def connect(path: Path, key: str, **kwargs: Any) -> Any:
    """A ``sqlcipher3`` connection to ``path`` with ``key`` applied; a key that does not open
    it is refused (``StoreKeyRefused`` naming the file)."""
    module = sqlcipher()
    connection = module.connect(str(path), **kwargs)
    try:
        # SQLCipher's own log goes to stderr; a wrong key is our one-line refusal instead
        # (the level is the whole process's, so the engine's connections are quiet too).
        connection.execute("PRAGMA cipher_log_level = NONE").fetchall()
        connection.execute(key_pragma(key))
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as exc:
        connection.close()
        raise StoreKeyRefused(path, "the key does not open it (wrong key?)") from exc
    return connection


def check_key(path: Path, key: str) -> None:
    """Refuse (``StoreKeyRefused``) unless ``key`` opens the encrypted ``path``."""
    connect(path, key).close()


def create_encrypted(path: Path, key: str) -> None:
    """A new, empty encrypted database at ``path`` (refused when a file is there)."""
    if path.exists() and path.stat().st_size > 0:
        raise EncryptionRefused(
            f"{path} exists already; `workstation db encrypt` converts an existing database"
        )
    connection = connect(path, key)
    try:
        # Writing a page makes the file (and its salt); an empty SQLCipher file has none.
        connection.execute("PRAGMA user_version = 0")
        connection.execute("CREATE TABLE _casework_init (x INTEGER)")
        connection.execute("DROP TABLE _casework_init")
        connection.commit()
    finally:
        connection.close()


@dataclass(frozen=True)
class Converted:
    database: Path
    #: Rows per table, the same before and after (checked).
    rows: dict[str, int]
    #: Where the plain copy was kept (asked for), else None: it was overwritten and removed.
    plain_kept: Path | None


def encrypt_file(path: Path, key: str, keep_plain: Path | None = None) -> Converted:
    """Convert the plain SQLite file ``path`` into an encrypted one in place.

    ``sqlcipher_export`` writes an encrypted copy beside it; every table's rows are counted in
    both; then the copy replaces the original in one rename. The plain original is moved to
    ``keep_plain`` when asked, else overwritten with zeros and removed (on SSDs and
    copy-on-write file systems old blocks may survive: the plain data can linger on the disk).
    No other process may use the database meanwhile.
    """
    if not path.exists():
        raise EncryptionRefused(f"database file not found: {path}")
    if not is_plain_sqlite(path):
        raise EncryptionRefused(f"{path} is encrypted already")
    module = sqlcipher()
    target = path.with_name(path.name + ".encrypting")
    target.unlink(missing_ok=True)
    plain = module.connect(str(path), timeout=2.0)
    try:
        # One file, no WAL beside it: the copy then holds every committed row. Leaving WAL
        # needs the only connection: another process using the store is refused here.
        try:
            mode = plain.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        except module.OperationalError:
            mode = "busy"
        if str(mode).lower() != "delete":
            raise EncryptionRefused(
                f"{path} is in use by another program (the workstation?); close it and try "
                "again; nothing was changed"
            )
        before = _row_counts(plain)
        plain.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), url_password(key)))
        plain.execute("SELECT sqlcipher_export('encrypted')").fetchone()
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()
    copy = connect(target, key)
    try:
        after = _row_counts(copy)
        copy.execute("PRAGMA journal_mode=WAL").fetchone()
    finally:
        copy.close()
    if after != before:
        target.unlink(missing_ok=True)
        raise EncryptionRefused(f"the encrypted copy of {path} differs; nothing was changed")
    kept = None
    if keep_plain is not None:
        kept = keep_plain.expanduser().resolve()
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, kept)
        os.replace(target, path)
    else:
        aside = path.with_name(path.name + ".plain")
        os.replace(path, aside)
        os.replace(target, path)
        wipe(aside)
    for suffix in ("-wal", "-shm", "-journal"):
        wipe(path.with_name(path.name + suffix))
    return Converted(path, after, kept)


def wipe(path: Path) -> None:
    """Overwrite ``path`` with zeros, flush it to the disk, then remove it (if it is there)."""
    if not path.exists():
        return
    size = path.stat().st_size
    with path.open("r+b") as handle:
        block = b"\x00" * 1_048_576
        left = size
        while left > 0:
            handle.write(block[: min(left, len(block))])
            left -= len(block)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()


def _row_counts(connection: Any) -> dict[str, int]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {
        name: int(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
        for name in names
    }
