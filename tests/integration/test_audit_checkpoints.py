"""Audit checkpoints signed by the installation seal (issue 12): each attack is made in the
SQLite file with sqlite3, as whoever can write the database (but not read the data folder's
``keys/``) would, and ``audit verify`` names what broke.

The store is written and checked with a pinned clock through the services (``app.audit``);
the command line is run once per attack for its exit status and its JSON keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from acting import TEST_PASSWORD, identity_for, sign_in_as
from clocks import TEST_NOW, pinned

from workstation.app import App, open_app
from workstation.cli import main
from workstation.cli_audit import _problem, _verify_lines
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.i18n import Translator
from workstation.security.seal import InstallationSeal, fingerprint_of
from workstation.store.audit import GENESIS_HASH, append_audit, canonical_json
from workstation.store.audit_checkpoints import checkpoint_payload
from workstation.store.audit_verification import PROBLEMS, AuditVerification, CheckpointFailure


def _app(data: Path) -> App:
    app = open_app(load_settings(data), clock=pinned())
    app.session.sign_in(identity_for(app, Role.AUDITOR))
    return app


def _write(app: App, count: int, start: int = 0) -> None:
    with app.uow() as uow:
        for i in range(start, start + count):
            append_audit(uow.session, "hr.li", "test.write", "thing", i, {"n": i})
        uow.commit()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A store of two checkpoints: the day's first entry, and one asked for after 6 more
    entries; then 3 entries not yet anchored."""
    data = tmp_path / "d"
    app = _app(data)
    try:
        _write(app, 6)
        assert app.audit.checkpoint() is not None
        _write(app, 3, start=6)
    finally:
        app.close()
    return data


@pytest.fixture(autouse=True)
def _as_the_auditor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKSTATION_USER", "test.auditor")
    monkeypatch.setenv("WORKSTATION_PASSWORD", TEST_PASSWORD)


def _verify(data: Path) -> AuditVerification:
    app = _app(data)
    try:
        return app.audit.verify()
    finally:
        app.close()


def _cli(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    code = main(["--data-dir", str(data), "audit", "verify", "--json"])
    return code, json.loads(capsys.readouterr().out)


def _db(data: Path) -> Path:
    return data / "casework.sqlite3"


def _rows(data: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(_db(data)) as con:
        return list(con.execute(sql))


def _checkpoints(data: Path) -> list[tuple[int, int, int]]:
    return [
        (int(str(a)), int(str(b)), int(str(c)))
        for a, b, c in _rows(
            data, "SELECT id, entry_id, entry_count FROM audit_checkpoints ORDER BY id"
        )
    ]


def _recompute_chain(con: sqlite3.Connection) -> None:
    """Recompute every entry's hash and link in id order, as ``store.audit`` does."""
    prev = GENESIS_HASH
    rows = list(
        con.execute(
            "SELECT id, at, actor, action, entity, entity_id, details_json FROM audit_log "
            "ORDER BY id"
        )
    )
    con.execute("UPDATE audit_log SET prev_hash = 'x' || id, entry_hash = 'y' || id")
    for id_, at, actor, action, entity, entity_id, details in rows:
        when = datetime.fromisoformat(at).replace(tzinfo=UTC)  # SQLite keeps naive UTC
        body = canonical_json(
            {
                "at": when.isoformat(timespec="microseconds"),
                "actor": actor,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "details": details,
            }
        )
        digest = hashlib.sha256((prev + body).encode("utf-8")).hexdigest()
        con.execute(
            "UPDATE audit_log SET prev_hash = ?, entry_hash = ? WHERE id = ?", (prev, digest, id_)
        )
        prev = digest


def test_an_untouched_store_verifies_and_says_what_is_not_yet_anchored(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _verify(data)
    assert report.intact and report.failures == ()
    sealed = _checkpoints(data)
    assert len(sealed) == 2 and report.checked == 2
    assert report.anchored_through == sealed[-1][1]
    assert report.unanchored == 3, "the 3 entries after the asked-for checkpoint"

    code, out = _cli(data, capsys)
    assert code == 0 and out["intact"] is True
    assert set(out) >= {
        "intact",
        "entries",
        "first_broken_id",
        "reason",
        "first_failed_checkpoint_id",
        "seal",
        "checkpoints_checked",
        "failures",
        "foreign_seals",
        "anchored_through",
        "not_yet_anchored",
        "high_water_mark",
    }
    assert main(["--data-dir", str(data), "audit", "verify"]) == 0
    text = capsys.readouterr().out
    assert "audit log intact" in text and "not yet anchored:" in text
    assert main(["--data-dir", str(data), "--lang", "zh_CN", "audit", "verify"]) == 0
    assert "审计日志完整" in capsys.readouterr().out


def test_the_seal_key_lives_outside_the_database_readable_by_its_owner_only(data: Path) -> None:
    seal = InstallationSeal(data / "keys")
    assert seal.exists()
    if os.name == "posix":
        assert stat.S_IMODE(seal.key_path.stat().st_mode) == 0o600
        assert stat.S_IMODE(seal.mark_path.stat().st_mode) == 0o600
        assert stat.S_IMODE(seal.key_path.parent.stat().st_mode) == 0o700
    (row,) = _rows(data, "SELECT fingerprint, public_key_pem FROM audit_seals")
    assert row[0] == seal.fingerprint == fingerprint_of(str(row[1]))
    dump = _db(data).read_bytes()
    assert b"PRIVATE KEY" not in dump


def test_an_edit_with_the_whole_chain_recomputed_is_caught_naming_checkpoint_and_entry(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = _checkpoints(data)
    target = first[1] + 2  # an entry between the two checkpoints
    with sqlite3.connect(_db(data)) as con:
        con.execute("UPDATE audit_log SET actor = 'someone.else' WHERE id = ?", (target,))
        _recompute_chain(con)
    report = _verify(data)
    assert report.chain.intact, "the recomputed chain links and hashes hold by themselves"
    assert not report.intact
    (failure,) = report.failures
    assert failure.problem == "hash_differs"
    assert (failure.checkpoint_id, failure.entry_id) == (second[0], second[1])
    assert failure.fields["since"] == first[1], "the change lies after the first checkpoint"
    assert report.first_broken_id == second[1]

    code, out = _cli(data, capsys)
    assert code == 1 and out["intact"] is False
    assert out["first_failed_checkpoint_id"] == second[0]
    assert main(["--data-dir", str(data), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"checkpoint #{second[0]}" in err and f"entry #{second[1]}" in err


def test_a_cut_tail_is_caught(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, second = _checkpoints(data)
    with sqlite3.connect(_db(data)) as con:  # the sealed entry and everything after it
        con.execute("DELETE FROM audit_log WHERE id >= ?", (second[1],))
    report = _verify(data)
    assert report.chain.intact and not report.intact
    assert report.failures[0].problem == "entry_missing"
    assert report.failures[0].checkpoint_id == second[0]
    code, out = _cli(data, capsys)
    assert code == 1 and out["first_broken_id"] == second[1]


def test_a_tail_cut_with_its_checkpoint_is_caught_by_the_high_water_mark(data: Path) -> None:
    _, second = _checkpoints(data)
    with sqlite3.connect(_db(data)) as con:
        con.execute("DELETE FROM audit_log WHERE id >= ?", (second[1],))
        con.execute("DELETE FROM audit_checkpoints WHERE id = ?", (second[0],))
    report = _verify(data)
    assert not report.intact
    assert [f.problem for f in report.failures] == ["high_water_missing"]
    assert report.failures[0].checkpoint_id == second[0]


def test_wiping_the_log_and_its_checkpoints_is_caught(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, second = _checkpoints(data)
    with sqlite3.connect(_db(data)) as con:
        con.execute("DELETE FROM audit_log")
        con.execute("DELETE FROM audit_checkpoints")
        con.execute("DELETE FROM audit_seals")
    report = _verify(data)
    assert report.chain.intact, "an empty chain is a valid chain"
    assert not report.intact
    assert report.failures[-1].problem == "high_water_missing"
    assert report.failures[-1].checkpoint_id == second[0]
    code, out = _cli(data, capsys)
    assert code == 1 and out["intact"] is False
    assert main(["--data-dir", str(data), "--lang", "zh_CN", "audit", "verify"]) == 1
    assert "已从数据库中消失" in capsys.readouterr().err


def test_a_forged_entry_after_the_last_checkpoint_is_not_yet_anchored(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Appended with a correct link and hash: nothing can tell it from a real one, but it is
    reported as not yet anchored (and the next checkpoint would seal it)."""
    before = _verify(data)
    with sqlite3.connect(_db(data)) as con:
        (head_id, head_hash) = con.execute(
            "SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
        at = "2026-11-30 02:30:00.000000"
        details = canonical_json({"forged": True})
        body = canonical_json(
            {
                "at": "2026-11-30T02:30:00.000000+00:00",
                "actor": "boss",
                "action": "case.approval",
                "entity": "case",
                "entity_id": "C-1",
                "details": details,
            }
        )
        digest = hashlib.sha256((head_hash + body).encode("utf-8")).hexdigest()
        con.execute(
            "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, details_json, "
            "prev_hash, entry_hash) VALUES (?, ?, 'boss', 'case.approval', 'case', 'C-1', ?, "
            "?, ?)",
            (head_id + 1, at, details, head_hash, digest),
        )
    report = _verify(data)
    assert report.chain.intact, report.chain.reason
    assert report.intact
    assert report.anchored_through == before.anchored_through
    assert report.unanchored == before.unanchored + 1
    lines = _verify_lines(Translator("en"), report, None)
    assert (
        f"not yet anchored: {report.unanchored} entries after #{before.anchored_through}" in lines
    )
    zh = _verify_lines(Translator("zh_CN"), report, None)
    assert f"尚未锚定：#{before.anchored_through} 之后的 {report.unanchored} 条" in zh


def test_a_checkpoint_forged_with_another_key_and_its_own_seal_row_is_not_trusted(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The attacker recomputes the chain after an edit, makes a key of their own, lists it
    in ``audit_seals`` and seals the forged head with it: the checkpoint is reported as
    another workstation's and not checked; the workstation's own checkpoint still fails."""
    with sqlite3.connect(_db(data)) as con:
        con.execute("UPDATE audit_log SET actor = 'someone.else' WHERE id = 3")
        _recompute_chain(con)
        (head_id, head_hash, count) = con.execute(
            "SELECT max(id), (SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1), "
            "count(*) FROM audit_log"
        ).fetchone()
    forger = InstallationSeal(tmp_path / "forger")
    at = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
    payload = checkpoint_payload(head_id, head_hash, count, at, "asked", forger.fingerprint)
    with sqlite3.connect(_db(data)) as con:
        con.execute(
            "INSERT INTO audit_seals (fingerprint, public_key_pem, host, created_at) "
            "VALUES (?, ?, 'this-laptop', '2026-11-30 03:00:00.000000')",
            (forger.fingerprint, forger.public_key_pem),
        )
        con.execute(
            "INSERT INTO audit_checkpoints (entry_id, chain_hash, entry_count, at, reason, "
            "seal_fingerprint, signature) VALUES (?, ?, ?, '2026-11-30 03:00:00.000000', "
            "'asked', ?, ?)",
            (head_id, head_hash, count, forger.fingerprint, forger.sign(payload)),
        )
    report = _verify(data)
    assert not report.intact
    assert [s.fingerprint for s in report.foreign] == [forger.fingerprint]
    assert report.failures[0].problem == "hash_differs"
    assert report.anchored_through is None or report.anchored_through < head_id
    assert main(["--data-dir", str(data), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "sealed by another workstation (this-laptop" in err and "not checked here" in err


def test_a_checkpoint_altered_in_the_database_fails_its_signature(data: Path) -> None:
    first, _ = _checkpoints(data)
    with sqlite3.connect(_db(data)) as con:
        con.execute(
            "UPDATE audit_checkpoints SET entry_count = entry_count + 1 WHERE id = ?", (first[0],)
        )
    report = _verify(data)
    assert [f.problem for f in report.failures][:1] == ["signature"]
    assert report.failures[0].checkpoint_id == first[0]


def test_checkpoints_are_made_at_signatures_documents_and_each_new_day(tmp_path: Path) -> None:
    data = tmp_path / "d"
    app = _app(data)
    try:
        _write(app, 2)
        with app.uow() as uow:
            append_audit(uow.session, "hr.li", "case.approval", "case", "C-1", {})
            append_audit(uow.session, "hr.li", "test.write", "thing", 9, {})
            append_audit(uow.session, "hr.li", "case.dossier_generated", "case", "C-1", {})
            uow.commit()
        with app.uow() as uow:  # rolled back: no checkpoint, no high-water mark
            append_audit(uow.session, "hr.li", "signing.signed", "certificate", 1, {})
    finally:
        app.close()
    reasons = [r for (r,) in _rows(data, "SELECT reason FROM audit_checkpoints ORDER BY id")]
    assert reasons == ["daily", "case.approval", "case.dossier_generated"]
    mark = InstallationSeal(data / "keys").high_water(f"sqlite:///{_db(data).resolve()}")
    assert mark is not None and mark.checkpoint_id == 3

    later = open_app(load_settings(data), clock=pinned(TEST_NOW + timedelta(days=1)))
    try:
        later.session.sign_in(identity_for(later, Role.AUDITOR))
        _write(later, 2)
        assert later.audit.verify().intact
    finally:
        later.close()
    reasons = [r for (r,) in _rows(data, "SELECT reason FROM audit_checkpoints ORDER BY id")]
    assert reasons == ["daily", "case.approval", "case.dossier_generated", "daily"]


def test_workstations_sharing_a_database_each_check_their_own_checkpoints(
    tmp_path: Path, db_url: str
) -> None:
    """Two laptops on one database (PostgreSQL, here also a shared SQLite file): each has its
    own seal; each checks its own checkpoints and reports the other's as not checked here."""
    apps = [
        open_app(load_settings(tmp_path / name, db_url=db_url), clock=pinned())
        for name in ("laptop-a", "laptop-b")
    ]
    try:
        for app in apps:
            app.session.sign_in(identity_for(app, Role.AUDITOR))
            _write(app, 2)
            assert app.audit.checkpoint() is not None
        seals = [InstallationSeal(tmp_path / name / "keys") for name in ("laptop-a", "laptop-b")]
        assert seals[0].fingerprint != seals[1].fingerprint
        for app, mine, other in ((apps[0], seals[0], seals[1]), (apps[1], seals[1], seals[0])):
            report = app.audit.verify()
            assert report.intact, report.reason
            assert report.seal == mine.fingerprint and report.checked >= 2
            assert [s.fingerprint for s in report.foreign] == [other.fingerprint]
            assert report.foreign[0].host, "the other seal's row names its machine"
    finally:
        for app in apps:
            app.close()


def test_the_demo_store_verifies_untouched(demo_app: App) -> None:
    sign_in_as(demo_app, Role.AUDITOR)
    try:
        report = demo_app.audit.verify()
    finally:
        sign_in_as(demo_app, Role.HR_OFFICER)
    assert report.intact, report.reason
    assert report.checked >= 1, "the demo's build is sealed at its end"
    assert report.anchored_through is not None


def test_a_database_the_app_creates_anew_does_not_inherit_the_old_high_water_mark(
    data: Path,
) -> None:
    """Starting over (the database file removed, the app makes a new one) is not a wipe of
    the new database; the earlier mark is kept aside in the file."""
    _db(data).unlink()
    report = _verify(data)
    assert report.intact, report.reason
    marks = json.loads((data / "keys" / "audit-high-water.json").read_text(encoding="utf-8"))
    assert any("(replaced " in key for key in marks)


@pytest.mark.parametrize("text", sorted(PROBLEMS))
def test_each_failure_reads_the_same_in_the_command_line_and_in_chinese(text: str) -> None:
    problem = "hash_differs" if text.startswith("hash_differs") else text
    since = None if text == "hash_differs_start" else 4
    fields = {"checkpoint": 3, "entry": 12, "since": since, "found": 11, "sealed": 12}
    failure = CheckpointFailure(problem, 3, 12, fields)
    assert failure.text == text
    assert _problem(Translator("en"), failure) == failure.reason
    chinese = _problem(Translator("zh_CN"), failure)
    assert chinese != failure.reason and "#3" in chinese
    assert "#12" in chinese or text == "signature", "the sealed entry is named"


def test_an_unreadable_seal_key_is_one_line_not_a_traceback(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (data / "keys" / "installation-seal.pem").write_text("not a key", encoding="utf-8")
    assert main(["--data-dir", str(data), "audit", "verify"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "installation-seal.pem cannot be read" in err
    assert "Traceback" not in err


def test_audit_checkpoint_seals_the_newest_entry_now(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(data), "audit", "checkpoint", "--json"]) == 0
    sealed = json.loads(capsys.readouterr().out)
    (head,) = _rows(data, "SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1")
    assert (sealed["entry_id"], sealed["chain_hash"]) == head
    assert sealed["seal_fingerprint"] == InstallationSeal(data / "keys").fingerprint
    assert main(["--data-dir", str(data), "--lang", "zh_CN", "audit", "checkpoint"]) == 0
    assert "检查点 #" in capsys.readouterr().out
    report = _verify(data)
    assert report.intact and report.unanchored <= 1, "only the verifying sign-in may follow"
