"""``workstation db ...``: database housekeeping (status, upgrade, backup) and encryption at
rest (``init --encrypt``, ``encrypt``)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from workstation.cli_common import CliError, open_signed_in, open_store
from workstation.config import Settings
from workstation.security.permissions import Permission


def add_db_command(sub: Any) -> None:
    db = sub.add_parser("db", help="database housekeeping")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="bring the schema to this version (backs up SQLite first)")
    db_sub.add_parser("status", help="show the database, its schema revision and encryption")
    backup = db_sub.add_parser("backup", help="copy the SQLite database safely while in use")
    backup.add_argument("file", type=Path, help="where to write the copy")
    init = db_sub.add_parser("init", help="create a new, empty store (the data folder's)")
    init.add_argument(
        "--encrypt",
        action="store_true",
        help="encrypted at rest (SQLCipher); its random key goes into the OS keyring (else it "
        "is asked for, or taken from $WORKSTATION_DB_KEY)",
    )
    encrypt = db_sub.add_parser(
        "encrypt",
        help="convert the existing SQLite store into an encrypted one (close the workstation "
        "first); the plain file is overwritten and removed",
    )
    encrypt.add_argument(
        "--keep-plain",
        type=Path,
        metavar="FILE",
        help="keep the plain (unencrypted) database at FILE instead of removing it",
    )


def run_db(settings: Settings, args: argparse.Namespace) -> int:
    command = args.db_command
    if command == "upgrade":
        return _upgrade(settings)
    if command == "init":
        return _init(settings, encrypt=args.encrypt)
    if command == "encrypt":
        return _encrypt(settings, args)
    backup = command == "backup"
    app = open_signed_in(settings, args.acting_user) if backup else open_store(settings)
    try:
        if command == "status":
            current, head = app.database.schema_status()
            state = "SQLCipher (encrypted at rest)" if app.database.encrypted else "none"
            print(
                f"database:   {app.database.describe()}\nschema:     {current} (program: {head})"
                f"\nencryption: {state}"
            )
            return 0
        return _backup(app, args.file)
    finally:
        app.close()


def _upgrade(settings: Settings) -> int:
    app = open_store(settings)  # opening upgrades (and backs up) already
    result = app.upgrade_result
    app.close()
    if result and result.changed:
        print(f"upgraded {result.from_revision or 'empty'} -> {result.to_revision}")
        if result.backup_path:
            print(f"previous database copied to {result.backup_path}")
    else:
        print("schema already up to date")
    return 0


def _backup(app: Any, file: Path) -> int:
    from workstation.store.backup import BackupNotSupported

    try:
        path = app.database.backup(file)
    except (BackupNotSupported, FileNotFoundError, ValueError, OSError) as exc:
        raise CliError(str(exc)) from exc
    encrypted = " (encrypted with the database's key)" if app.database.encrypted else ""
    print(f"backup written to {path} ({path.stat().st_size:,} bytes){encrypted}")
    return 0


def _kept(kept_in: str) -> str:
    if kept_in == "keyring":
        return "its key is kept in the OS keyring"
    if kept_in == "asked":
        return "its key is the passphrase you chose: keep it safe, nothing else opens the store"
    return f"its key is the one in ${kept_in}: keep it safe, nothing else opens the store"


def _init(settings: Settings, *, encrypt: bool) -> int:
    from workstation.database_encryption import init_encrypted
    from workstation.store.encryption import EncryptionRefused

    database = settings.sqlite_path
    if not encrypt:
        if database is not None and database.exists() and database.stat().st_size > 0:
            raise CliError("{db} exists already; nothing was changed", db=str(database))
        open_store(settings).close()
        print(f"created {settings.db_url}")
        return 0
    try:
        made = init_encrypted(settings, _chooser())
    except EncryptionRefused as exc:
        raise CliError(str(exc)) from exc
    open_store(made.settings).close()  # the schema, on the encrypted file
    print(f"created the encrypted database {database}; {_kept(made.kept_in)}")
    return 0


def _encrypt(settings: Settings, args: argparse.Namespace) -> int:
    from workstation.database_encryption import encrypt_existing
    from workstation.store.audit import append_audit
    from workstation.store.encryption import EncryptionRefused

    app = open_signed_in(settings, args.acting_user)
    try:
        identity = app.session.require(Permission.DATABASE_MAINTAIN)
    finally:
        app.close()
    try:
        made = encrypt_existing(settings, _chooser(), args.keep_plain)
    except EncryptionRefused as exc:
        raise CliError(str(exc)) from exc
    converted = made.converted
    assert converted is not None
    app = open_store(made.settings)
    try:
        with app.uow() as uow:
            kept = str(converted.plain_kept) if converted.plain_kept else None
            details = {
                "tables": len(converted.rows),
                "rows": sum(converted.rows.values()),
                "plain_kept": kept,
            }
            append_audit(uow.session, identity.actor, "database.encrypt", "database", None, details)
            uow.commit()
    finally:
        app.close()
    rows = sum(converted.rows.values())
    print(f"encrypted {converted.database} ({rows:,} rows kept); {_kept(made.kept_in)}")
    if converted.plain_kept:
        print(f"the plain copy is at {converted.plain_kept}: it is NOT encrypted, remove it soon")
    else:
        print(
            "the plain file was overwritten with zeros and removed (on an SSD or a "
            "copy-on-write file system old blocks may remain until reused)"
        )
    return 0


def _chooser() -> Any:
    """On a terminal: a new passphrase asked twice (used only where there is no keyring)."""
    if not sys.stdin.isatty():
        return None

    def choose(prompt: str) -> str | None:
        first = getpass.getpass(f"{prompt}: ")
        if first and getpass.getpass("again: ") != first:
            raise CliError("the two passphrases differ; nothing was changed")
        return first or None

    return choose
