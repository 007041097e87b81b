"""Attacks on a signed case, made for real in the SQLite file and on disk of a copy of the walked
demo, then ``workstation case verify`` run as the command line runs it: the exact item is
named and the exit status is 1. Each test puts the store back as it found it (one copy per
module: copying the demo is slow)."""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from document_demo import walked_demo

from workstation.app import App
from workstation.cli import main
from workstation.cli_cases import CASE_COMMANDS, add_case_commands, run_case_command
from workstation.demo.case_walkthrough import HR, WalkedCase
from workstation.demo.people import DEMO_PASSWORD


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, WalkedCase]]:
    app, walked = walked_demo(tmp_path_factory)
    yield app, walked
    app.close()


def run(app: App, *argv: str, locale: str = "en") -> int:
    parser = argparse.ArgumentParser(prog="workstation")
    add_case_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    args.cli_locale = locale
    assert args.command in CASE_COMMANDS
    return run_case_command(args, app)


def verify(
    app: App, number: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, Any], str]:
    """``case verify NUMBER --json`` and ``case verify NUMBER``: exit status, report, text."""
    status = run(app, "case", "verify", number, "--json", "--user", HR)
    report = json.loads(capsys.readouterr().out)
    assert run(app, "case", "verify", number, "--user", HR) == status
    return status, report, capsys.readouterr().out


def failures(report: dict[str, Any]) -> list[dict[str, Any]]:
    found = [d for d in report["differences"] if d["failure"]]
    for signature in report["signatures"]:
        found += [d for d in signature["differences"] if d["failure"]]
    return found


def db(app: App) -> sqlite3.Connection:
    path = app.settings.sqlite_path
    assert path is not None
    return sqlite3.connect(path)


def sql(app: App, statement: str, *params: object) -> list[tuple[Any, ...]]:
    with closing(db(app)) as conn:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows


def case_id(app: App, number: str) -> int:
    [(found,)] = sql(app, "SELECT id FROM cases WHERE number = ?", number)
    return int(found)


def approvals(app: App, number: str) -> list[int]:
    return [
        int(r[0])
        for r in sql(
            app,
            "SELECT id FROM case_approvals WHERE case_id = ? ORDER BY id",
            case_id(app, number),
        )
    ]


def test_the_demo_case_untouched_verifies(
    demo: tuple[App, WalkedCase], capsys: pytest.CaptureFixture[str]
) -> None:
    app, walked = demo
    status, report, text = verify(app, walked.number, capsys)
    assert status == 0, text
    assert report["valid"] is True and failures(report) == []
    assert len(report["signatures"]) == walked.approvals == 5
    assert report["files_checked"] >= len(walked.documents) > 0
    assert text.splitlines()[-1] == (
        f"5 signature(s), all valid; the case is as signed; "
        f"{report['files_checked']} file(s) intact"
    )
    # What came after a signature is information, not a failure.
    first = report["signatures"][0]["differences"]
    assert {d["kind"] for d in first} <= {"added", "changed_by_step"} and first
    assert "  · added after it: " in text


def test_verify_through_the_real_command_line(
    demo: tuple[App, WalkedCase],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, walked = demo
    monkeypatch.setenv("WORKSTATION_USER", HR)
    monkeypatch.setenv("WORKSTATION_PASSWORD", DEMO_PASSWORD)
    data = str(app.settings.data_dir)
    argv = ["--data-dir", data, "--lang", "zh_CN", "case", "verify", walked.number]
    assert main(argv) == 0
    assert "项签名均有效；案件与签名时一致" in capsys.readouterr().out
    [(title,)] = sql(app, "SELECT title FROM cases WHERE number = ?", walked.number)
    sql(app, "UPDATE cases SET title = ? WHERE number = ?", title + "（已撤销）", walked.number)
    try:
        assert main(argv) == 1
        out = capsys.readouterr().out
        assert "案件标题在签名 #" in out and "之后被更改" in out
        assert out.splitlines()[-1].startswith("5 项签名：案件验证不通过（")
    finally:
        sql(app, "UPDATE cases SET title = ? WHERE number = ?", title, walked.number)


def test_an_evidence_amount_rewritten_with_its_hash_recomputed(
    demo: tuple[App, WalkedCase], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    app, walked = demo
    rows = sql(
        app,
        "SELECT id, title, snapshot_json, snapshot_sha256 FROM case_evidence "
        "WHERE case_id = ? AND record_kind = 'order' ORDER BY id",
        case_id(app, walked.number),
    )
    evidence_id, title, snapshot, stored_sha = rows[0]
    amount = json.loads(snapshot)["record"]["amount"]
    forged = snapshot.replace(f'"amount":"{amount}"', '"amount":"92350.00"')
    assert forged != snapshot
    forged_sha = hashlib.sha256(forged.encode("utf-8")).hexdigest()
    sql(
        app,
        "UPDATE case_evidence SET snapshot_json = ?, snapshot_sha256 = ? WHERE id = ?",
        forged,
        forged_sha,
        evidence_id,
    )
    try:
        status, report, text = verify(app, walked.number, capsys)
        assert status == 1 and report["valid"] is False
        named = [d for d in failures(report) if d["item"] == f"evidence #{evidence_id}"]
        # Its custody record kept the hash it was linked with...
        [linked] = [d for d in named if d["signature"] is None]
        assert (linked["signed"], linked["now"]) == (stored_sha, forged_sha)
        # ...and every signature made after the order was linked covered it.
        found = [d for d in named if d["signature"] is not None]
        assert [d["signature"] for d in found] == approvals(app, walked.number)
        assert {(d["kind"], d["part"], d["signed"], d["now"]) for d in found} == {
            ("changed", "frozen record", stored_sha, forged_sha)
        }
        assert found[0]["label"] == title
        line = (
            f"evidence #{evidence_id} ({title}): frozen record changed since signature "
            f"#{found[0]['signature']} (signed {stored_sha[:12]}…, now {forged_sha[:12]}…)"
        )
        assert line in text, text
        # No document is made from it: one line saying what differs.
        out = tmp_path / "dossier.pdf"
        argv = ("case", "document", walked.number, "dossier", "--out", str(out), "--user", HR)
        assert run(app, *argv) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"workstation: case {walked.number} does not verify, no document")
        assert f"evidence #{evidence_id}" in err and err.count("\n") == 1
        assert not out.exists()
        assert run(app, *argv, locale="zh_CN") == 1
        err = capsys.readouterr().err
        assert f"案件 {walked.number} 验证不通过，不能据此生成文书：证据 #{evidence_id}" in err
    finally:
        sql(
            app,
            "UPDATE case_evidence SET snapshot_json = ?, snapshot_sha256 = ? WHERE id = ?",
            snapshot,
            stored_sha,
            evidence_id,
        )
    assert verify(app, walked.number, capsys)[0] == 0


def test_the_subject_changed(
    demo: tuple[App, WalkedCase], capsys: pytest.CaptureFixture[str]
) -> None:
    app, walked = demo
    [(subject,)] = sql(app, "SELECT subject_employee_id FROM cases WHERE number = ?", walked.number)
    [(other,)] = sql(app, "SELECT min(id) FROM employees WHERE id != ?", subject)
    sql(app, "UPDATE cases SET subject_employee_id = ? WHERE number = ?", other, walked.number)
    try:
        status, report, text = verify(app, walked.number, capsys)
        assert status == 1
        found = [d for d in failures(report) if d["item"] == "subject"]
        assert found and {(d["kind"], d["part"]) for d in found} == {("changed", "employee")}
        assert found[0]["signed"].endswith(f"(#{subject})")
        assert found[0]["now"].endswith(f"(#{other})")
        assert "subject: employee changed since signature #" in text
    finally:
        sql(
            app, "UPDATE cases SET subject_employee_id = ? WHERE number = ?", subject, walked.number
        )


def test_an_allegation_text_changed(
    demo: tuple[App, WalkedCase], capsys: pytest.CaptureFixture[str]
) -> None:
    app, walked = demo
    [(allegation, text)] = sql(
        app,
        "SELECT id, text FROM case_allegations WHERE case_id = ? ORDER BY id LIMIT 1",
        case_id(app, walked.number),
    )
    sql(app, "UPDATE case_allegations SET text = ? WHERE id = ?", "无不当行为", allegation)
    try:
        status, report, said = verify(app, walked.number, capsys)
        assert status == 1
        found = [d for d in failures(report) if d["item"] == f"allegation #{allegation}"]
        assert found and {(d["kind"], d["part"], d["now"]) for d in found} == {
            ("changed", "text", "无不当行为")
        }
        assert f"allegation #{allegation}: text changed since signature #" in said
    finally:
        sql(app, "UPDATE case_allegations SET text = ? WHERE id = ?", text, allegation)


def _delete_approval(app: App, approval_id: int) -> tuple[list[str], tuple[Any, ...]]:
    with closing(db(app)) as conn:
        cursor = conn.execute("SELECT * FROM case_approvals WHERE id = ?", (approval_id,))
        names = [c[0] for c in cursor.description]
        row = cursor.fetchone()
        conn.execute("DELETE FROM case_approvals WHERE id = ?", (approval_id,))
        conn.commit()
    return names, row


def _restore_approval(app: App, names: list[str], row: tuple[Any, ...]) -> None:
    places = ", ".join("?" for _ in names)
    sql(app, f"INSERT INTO case_approvals ({', '.join(names)}) VALUES ({places})", *row)


def test_a_middle_approval_deleted(
    demo: tuple[App, WalkedCase], capsys: pytest.CaptureFixture[str]
) -> None:
    app, walked = demo
    ids = approvals(app, walked.number)
    gone = ids[1]
    names, row = _delete_approval(app, gone)
    try:
        status, report, text = verify(app, walked.number, capsys)
        assert status == 1
        found = [d for d in failures(report) if d["item"] == f"approval #{gone}"]
        assert [(d["signature"], d["kind"]) for d in found] == [(i, "missing") for i in ids[2:]]
        assert f"approval #{gone} missing since signature #{ids[2]}" in text
    finally:
        _restore_approval(app, names, row)
    assert verify(app, walked.number, capsys)[0] == 0


def test_the_last_approval_deleted(
    demo: tuple[App, WalkedCase], capsys: pytest.CaptureFixture[str]
) -> None:
    """No later signature covers the last one: the timeline and the audit log still record
    it (its ``approval`` entry and ``case.approval`` entry)."""
    app, walked = demo
    ids = approvals(app, walked.number)
    names, row = _delete_approval(app, ids[-1])
    try:
        status, report, text = verify(app, walked.number, capsys)
        assert status == 1
        assert len(report["signatures"]) == 4
        [found] = failures(report)
        assert (found["signature"], found["item"], found["kind"]) == (
            None,
            f"approval #{ids[-1]}",
            "missing",
        )
        assert found["signed"] == row[names.index("payload_sha256")]
        assert f"approval #{ids[-1]} missing: the timeline and the audit log record it" in text
    finally:
        _restore_approval(app, names, row)


def test_a_byte_flipped_in_an_evidence_file(
    demo: tuple[App, WalkedCase], capsys: pytest.CaptureFixture[str]
) -> None:
    app, walked = demo
    [(document, sha)] = sql(
        app,
        "SELECT d.id, f.sha256 FROM case_documents d JOIN evidence_files f "
        "ON f.id = d.evidence_file_id WHERE d.case_id = ? ORDER BY d.id LIMIT 1",
        case_id(app, walked.number),
    )
    path = app.evidence.path_for(sha)
    mode = path.stat().st_mode
    original = path.read_bytes()
    path.chmod(mode | stat.S_IWUSR)
    path.write_bytes(original[:100] + bytes([original[100] ^ 0x01]) + original[101:])
    try:
        status, report, text = verify(app, walked.number, capsys)
        assert status == 1
        relative = f"evidence/{sha[:2]}/{sha[2:4]}/{sha}"
        [found] = failures(report)
        assert (found["signature"], found["item"], found["kind"], found["now"]) == (
            None,
            f"document #{document}",
            "file_changed",
            relative,
        )
        assert f"document #{document} (Investigation request): file changed on disk" in text
        assert f"changed on disk ({relative})" in text
        path.unlink()
        [found] = failures(verify(app, walked.number, capsys)[1])
        assert found["kind"] == "file_missing"
    finally:
        path.write_bytes(original)
        path.chmod(mode)
    assert verify(app, walked.number, capsys)[0] == 0
