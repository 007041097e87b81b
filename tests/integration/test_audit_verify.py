"""``workstation audit verify``: tampering with the audit log directly in SQLite is caught —
an edited, a deleted and an inserted entry each name the first broken entry and exit 1."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from acting import TEST_PASSWORD, identity_for
from clocks import pinned

from workstation.app import open_app
from workstation.cli import main
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.store.audit import append_audit


def _log(data: Path, entries: int = 6) -> Path:
    app = open_app(load_settings(data), clock=pinned())
    identity_for(app, Role.AUDITOR)
    try:
        with app.uow() as uow:
            for i in range(entries):
                append_audit(uow.session, "hr.li", "test.write", "thing", i, {"n": i})
            uow.commit()
    finally:
        app.close()
    return data / "casework.sqlite3"


@pytest.fixture(autouse=True)
def _as_the_auditor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line verifies as the auditor the store gets in ``_log``."""
    monkeypatch.setenv("WORKSTATION_USER", "test.auditor")
    monkeypatch.setenv("WORKSTATION_PASSWORD", TEST_PASSWORD)


def _verify(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    code = main(["--data-dir", str(data), "audit", "verify", "--json"])
    return code, json.loads(capsys.readouterr().out)


def _ids(db: Path) -> list[int]:
    with sqlite3.connect(db) as con:
        return [row[0] for row in con.execute("SELECT id FROM audit_log ORDER BY id")]


def test_an_intact_log_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _log(tmp_path / "d")
    code, report = _verify(tmp_path / "d", capsys)
    assert code == 0 and report["intact"] is True and report["first_broken_id"] is None
    assert main(["--data-dir", str(tmp_path / "d"), "audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out


def _edit(db: Path, target: int) -> None:
    with sqlite3.connect(db) as con:
        con.execute("UPDATE audit_log SET actor = 'someone.else' WHERE id = ?", (target,))


def _delete(db: Path, target: int) -> None:
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM audit_log WHERE id = ?", (target,))


def _insert(db: Path, target: int) -> None:
    """A forged entry squeezed in right after ``target`` (later entries moved up by 1000 to
    make room), claiming to follow an entry that does not exist."""
    with sqlite3.connect(db) as con:
        con.execute("UPDATE audit_log SET id = id + 1000 WHERE id > ?", (target,))
        con.execute(
            "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, details_json, "
            "prev_hash, entry_hash) SELECT id + 1, at, actor, 'export.evidence', entity, "
            "entity_id, details_json, ?, ? FROM audit_log WHERE id = ?",
            ("f" * 64, "e" * 64, target),
        )


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (_edit, "content does not match"),
        (_delete, "link broken"),
        (_insert, "link broken"),
    ],
)
def test_tampering_is_caught_and_named(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    tamper: Callable[[Path, int], None],
    reason: str,
) -> None:
    db = _log(tmp_path / "d")
    target = _ids(db)[2]
    tamper(db, target)
    code, report = _verify(tmp_path / "d", capsys)
    assert code == 1 and report["intact"] is False
    assert reason in str(report["reason"])
    # The first broken entry is the tampered one, or the one right after it.
    assert report["first_broken_id"] in (target, target + 1, target + 1001)
    assert main(["--data-dir", str(tmp_path / "d"), "audit", "verify"]) == 1
    assert f"#{report['first_broken_id']}" in capsys.readouterr().err


def test_an_anchor_kept_outside_catches_entries_cut_from_the_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cutting the anchored entry (and the one before) is caught: by the anchor, or first by
    the checkpoint the command line's sign-in sealed it with (the first entry of its day)."""
    data = tmp_path / "d"
    db = _log(data)
    assert main(["--data-dir", str(data), "audit", "anchor"]) == 0
    anchor = capsys.readouterr().out.strip()
    anchored_id = int(anchor.split(":")[0])
    assert anchored_id == _ids(db)[-1]
    with sqlite3.connect(db) as con:  # cut the tail: the anchored entry and the one before
        con.execute("DELETE FROM audit_log WHERE id >= ?", (anchored_id - 1,))

    code = main(["--data-dir", str(data), "audit", "verify", "--anchor", anchor, "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["first_broken_id"] == anchored_id
    assert "is gone" in str(report["reason"])

    assert main(["--data-dir", str(data), "audit", "verify", "--anchor", "7:abc"]) == 1
    assert "an anchor is ID:HASH" in capsys.readouterr().err


def test_an_intact_log_keeps_its_anchor_and_lists_who_did_what(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "d"
    _log(data)
    assert main(["--data-dir", str(data), "audit", "anchor", "--json"]) == 0
    head = json.loads(capsys.readouterr().out)
    assert main(["--data-dir", str(data), "audit", "verify", "--anchor", head["anchor"]]) == 0
    assert f"anchor #{head['entry_id']} holds" in capsys.readouterr().out

    argv = ["--data-dir", str(data), "audit", "list", "--action", "test.", "--json"]
    assert main([*argv, "--limit", "3"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [e["details"]["n"] for e in listed] == [5, 4, 3], "newest first, at most 3"
    assert main(["--data-dir", str(data), "audit", "list", "--actor", "test.auditor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("audit.read" in line for line in lines), "reading the log is logged too"
    assert all("test.auditor" in line for line in lines)


def test_only_auditors_and_administrators_read_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "d"
    _log(data)
    app = open_app(load_settings(data), clock=pinned())
    try:
        hr = identity_for(app, Role.HR_OFFICER)
    finally:
        app.close()
    monkeypatch.setenv("WORKSTATION_USER", hr.username)
    assert main(["--data-dir", str(data), "audit", "list"]) == 1
    assert "may not do audit.view" in capsys.readouterr().err
