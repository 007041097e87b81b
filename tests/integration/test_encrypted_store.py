"""Encryption at rest (SQLCipher) as a user runs it: ``db init --encrypt`` with the key in the
keyring (or in ``$WORKSTATION_DB_KEY``), ``db encrypt`` of an existing store, the key refused
when wrong or missing, backups and schema upgrades that stay encrypted."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from acting import sign_in_as
from clocks import pinned
from memory_keyring import MemoryKeyring, installed

from workstation.app import open_app
from workstation.cli import main
from workstation.config import load_settings
from workstation.database_encryption import init_encrypted
from workstation.domain.enums import Role
from workstation.security.store_key import ENV_DB_KEY, PURPOSE, find_key
from workstation.store.encryption import (
    SQLITE_HEADER,
    Marker,
    StoreKeyRefused,
    connect,
    is_plain_sqlite,
)
from workstation.store.engine import make_engine
from workstation.store.migrate import head_revision, stored_revision, upgrade

#: Opens the database given, reads from it, says "open" and keeps it open until stdin closes.
HOLD_OPEN = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("PRAGMA journal_mode=WAL")
con.execute("SELECT count(*) FROM employees").fetchone()
print("open", flush=True)
sys.stdin.read()
con.close()
"""
#: A name no schema or program text holds: if the file carries it in plain, it shows.
NAME = "Zhuangbeixiang庄北翔"
ROSTER = f"工号,姓名,上级工号,入职日期\nS1,{NAME},,2020-01-01\nS2,王磊,S1,2021-01-01\n"


@pytest.fixture
def keyring() -> Iterator[MemoryKeyring]:
    with installed(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def _files(data: Path) -> list[Path]:
    return sorted(data.glob("casework.sqlite3*"))


def _holds_plaintext(path: Path) -> bool:
    raw = path.read_bytes()
    return NAME.encode("utf-8") in raw or NAME.encode("utf-16-le") in raw


def _counts(con: Any) -> dict[str, int]:
    """Rows per table through a DB-API connection (``sqlite3`` or ``sqlcipher3``)."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in sorted(names)}


def _import(data: Path, roster: Path, cli_as: Callable[..., str]) -> None:
    cli_as(data, Role.HR_OFFICER)
    assert main(["--data-dir", str(data), "import", str(roster), "--kind", "employees"]) == 0


def test_init_encrypt_keeps_the_key_in_the_keyring_and_no_plaintext_on_disk(
    tmp_path: Path,
    keyring: MemoryKeyring,
    roster: Path,
    cli_as: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "db", "init", "--encrypt"]) == 0
    out = capsys.readouterr().out
    assert "created the encrypted database" in out and "OS keyring" in out
    marker = Marker.read(data)
    assert marker is not None and marker.database == "casework.sqlite3"
    [(service, entry)] = keyring.entries
    assert entry == f"{marker.key_id}/{PURPOSE}/key" and service == "Casework"
    key = keyring.entries[(service, entry)]
    assert len(key) == 64

    _import(data, roster, cli_as)
    app = open_app(load_settings(data), clock=pinned())
    try:  # the app opens it with the key from the keyring, at the schema's head
        sign_in_as(app, Role.HR_OFFICER)
        assert NAME in {e.name for e in app.employees.list_employees()}
        assert app.database.encrypted
        assert app.database.schema_status() == (head_revision(), head_revision())
        with app.uow() as uow:  # open: the WAL is there, and encrypted too
            uow.session.connection()
            files = _files(data)
            assert [p.name for p in files if p.name.endswith("-wal")]
            assert not any(_holds_plaintext(p) for p in files)
    finally:
        app.close()

    db = data / "casework.sqlite3"
    assert not db.read_bytes().startswith(SQLITE_HEADER)
    assert not any(_holds_plaintext(p) for p in _files(data))
    with pytest.raises(sqlite3.DatabaseError):  # what anyone without the key gets
        sqlite3.connect(db).execute("SELECT count(*) FROM employees").fetchone()


def test_a_wrong_or_missing_key_is_a_one_line_refusal_naming_the_database(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv(ENV_DB_KEY, "the right passphrase")
    assert main(["--data-dir", str(data), "db", "init", "--encrypt"]) == 0
    assert "$WORKSTATION_DB_KEY" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "db", "status"]) == 0
    assert "encryption: SQLCipher" in capsys.readouterr().out
    db = data / "casework.sqlite3"

    monkeypatch.setenv(ENV_DB_KEY, "a wrong one")
    assert main(["--data-dir", str(data), "db", "status"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"workstation: cannot open the encrypted database {db}: the key does not open it "
        "(wrong key?)\n"
    )
    assert main(["--data-dir", str(data), "--lang", "zh_CN", "db", "status"]) == 1
    assert (
        capsys.readouterr().err
        == f"workstation: 无法打开加密数据库 {db}：密钥打不开它（密钥错误？）\n"
    )

    monkeypatch.delenv(ENV_DB_KEY)  # and no keyring (the suite's is the null one)
    assert main(["--data-dir", str(data), "db", "status"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(db) in err and ENV_DB_KEY in err
    with pytest.raises(StoreKeyRefused):
        open_app(load_settings(data), clock=pinned())


def test_db_encrypt_keeps_every_row_and_removes_the_plain_file(
    tmp_path: Path,
    keyring: MemoryKeyring,
    roster: Path,
    cli_as: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    _import(data, roster, cli_as)
    db = data / "casework.sqlite3"
    with sqlite3.connect(db) as plain:
        before = _counts(plain)
    assert before["employees"] == 2
    assert _holds_plaintext(db)
    capsys.readouterr()

    cli_as(data, Role.ADMINISTRATOR)
    assert main(["--data-dir", str(data), "db", "encrypt"]) == 0
    out = capsys.readouterr().out
    assert "rows kept" in out and "overwritten with zeros and removed" in out
    assert not is_plain_sqlite(db)
    assert [p.name for p in data.iterdir() if p.name.startswith("casework.sqlite3")] == [
        "casework.sqlite3"
    ]
    assert not _holds_plaintext(db)
    key = find_key(data, db)
    con = connect(db, key)
    try:
        after = _counts(con)
        added = con.execute(
            "SELECT action FROM audit_log WHERE id > ? ORDER BY id", (before["audit_log"],)
        ).fetchall()
    finally:
        con.close()
    # The command's own entries: the administrator's sign-in and the conversion.
    assert [a for (a,) in added] == ["user.signed_in", "database.encrypt"]
    before["audit_log"] += len(added)
    assert after == before

    assert main(["--data-dir", str(data), "db", "encrypt"]) == 1
    assert "is encrypted already" in capsys.readouterr().err


def test_db_encrypt_keeps_the_plain_copy_only_when_asked(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    roster: Path,
    cli_as: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    _import(data, roster, cli_as)
    cli_as(data, Role.ADMINISTRATOR)
    monkeypatch.setenv(ENV_DB_KEY, "a passphrase of the job's environment")
    kept = tmp_path / "plain" / "before.sqlite3"
    assert main(["--data-dir", str(data), "db", "encrypt", "--keep-plain", str(kept)]) == 0
    assert "NOT encrypted" in capsys.readouterr().out
    assert is_plain_sqlite(kept) and _holds_plaintext(kept)
    assert not is_plain_sqlite(data / "casework.sqlite3")


def test_a_backup_of_an_encrypted_store_stays_encrypted(
    tmp_path: Path,
    keyring: MemoryKeyring,
    roster: Path,
    cli_as: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "db", "init", "--encrypt"]) == 0
    _import(data, roster, cli_as)
    cli_as(data, Role.ADMINISTRATOR)
    copy = tmp_path / "backup.db"
    assert main(["--data-dir", str(data), "db", "backup", str(copy)]) == 0
    assert "encrypted with the database's key" in capsys.readouterr().out
    assert not is_plain_sqlite(copy) and not _holds_plaintext(copy)
    key = find_key(data, data / "casework.sqlite3")
    con = connect(copy, key)
    try:
        assert _counts(con)["employees"] == 2
    finally:
        con.close()


def test_migrations_run_on_an_encrypted_store_and_its_upgrade_copy_is_encrypted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv(ENV_DB_KEY, "0123456789abcdef" * 4)  # a raw key given by hand
    made = init_encrypted(load_settings(data))
    engine = make_engine(made.settings.db_url, key=made.settings.db_key)
    try:  # an older schema, as a store made by an older version has
        upgrade(engine, "0005")
        assert stored_revision(engine) == "0005"
    finally:
        engine.dispose()

    app = open_app(load_settings(data), clock=pinned())
    try:
        result = app.upgrade_result
        assert result is not None and result.from_revision == "0005"
        assert result.to_revision == head_revision() and result.backup_path is not None
        assert not is_plain_sqlite(result.backup_path)
        connect(result.backup_path, "0123456789abcdef" * 4).close()
    finally:
        app.close()


def test_db_encrypt_refuses_a_store_another_program_has_open(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    roster: Path,
    cli_as: Callable[..., str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    _import(data, roster, cli_as)
    cli_as(data, Role.ADMINISTRATOR)
    monkeypatch.setenv(ENV_DB_KEY, "a passphrase of the job's environment")
    db = data / "casework.sqlite3"
    # Another process with the store open (as the workstation's window keeps it), idle.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        capsys.readouterr()
        assert main(["--data-dir", str(data), "db", "encrypt"]) == 1
    finally:
        holder.communicate("")
    db = data / "casework.sqlite3"
    assert capsys.readouterr().err == (
        f"workstation: {db} is in use by another program (the workstation?); close it and try "
        "again; nothing was changed\n"
    )
    assert is_plain_sqlite(db) and Marker.read(data) is None
    assert not (data / "casework.sqlite3.encrypting").exists()
