"""``workstation case ...`` as a user runs it (handlers of ``cli_cases`` on a real SQLite
file; the service built as app.py will build it, with the HMAC test signer)."""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from case_world import CaseWorld
from sqlalchemy import update

from workstation.app import App
from workstation.cases.service import CaseService
from workstation.cli_cases import CASE_COMMANDS, add_case_commands, run_case_command
from workstation.domain.clock import Clock
from workstation.store.models import CaseApproval


@dataclass
class CasesApp:
    cases: CaseService
    clock: Clock


@pytest.fixture
def world(app: App) -> tuple[CaseWorld, CasesApp]:
    w = CaseWorld(app.uow, app.evidence)
    return w, CasesApp(w.cases, app.clock)


def run(app: CasesApp, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="workstation")
    add_case_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    assert args.command in CASE_COMMANDS
    return run_case_command(args, app)


def out_json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


def test_a_case_through_the_command_line(
    world: tuple[CaseWorld, CasesApp], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    w, app = world
    hr = ("--user", "hr.li")
    assert (
        run(app, "case", "open", "--alert", str(w.rec["alert"]), "--title", "跑单", "--json", *hr)
        == 0
    )
    opened = out_json(capsys)
    assert isinstance(opened, dict)
    number = opened["number"]
    assert (opened["state"], opened["revision"], opened["subject_employee_no"]) == (
        "draft",
        1,
        "S001",
    )

    assert run(app, "case", "allege", number, "华东机电转给对手公司", "--revision", "1", *hr) == 0
    assert capsys.readouterr().out.startswith("allegation #1 added; " + number)
    assert run(app, "case", "note", number, "约谈", *hr) == 0
    assert capsys.readouterr().out.startswith("note #1 added; ")
    key = f"{w.emp['zhang']}:{w.rec['track_start']}-{w.rec['track_end']}"
    assert run(app, "case", "link", number, "track_segment", key, "--json", *hr) == 0
    linked = out_json(capsys)
    assert isinstance(linked, dict) and linked["case"]["revision"] == 4
    proof = tmp_path / "proof.txt"
    proof.write_text("proof", encoding="utf-8")
    assert run(app, "case", "link", number, "--file", str(proof), *hr) == 0
    assert "linked" in capsys.readouterr().out

    assert run(app, "case", "transition", number, "investigation_requested", *hr) == 0
    assert (
        run(app, "case", "approve", number, "investigation", "approve", "--user", "mgr.wang") == 0
    )
    assert (
        run(app, "case", "approve", number, "investigation", "approve", "--user", "legal.zhao") == 0
    )
    assert run(app, "case", "transition", number, "under_investigation", *hr) == 0
    assert run(app, "case", "finding", number, "1", "substantiated", *hr) == 0
    assert run(app, "case", "transition", number, "findings_recorded", *hr) == 0
    capsys.readouterr()
    assert (
        run(
            app,
            "case",
            "transition",
            number,
            "disposition_proposed",
            "--disposition",
            "termination",
            "--reason",
            "严重违纪",
            *hr,
        )
        == 0
    )
    assert "disposition_proposed (termination)" in capsys.readouterr().out
    assert run(app, "case", "approve", number, "disposition", "approve", "--user", "mgr.wang") == 0
    assert (
        run(app, "case", "approve", number, "disposition", "approve", "--user", "legal.zhao") == 0
    )
    assert run(app, "case", "transition", number, "decided", "--reason", "解除", *hr) == 0
    capsys.readouterr()

    assert run(app, "case", "transition", number, "notice_served", *hr) == 1
    err = capsys.readouterr().err
    assert err.startswith("workstation: cannot move the case from decided to notice_served")
    assert "Labour Contract Law, art. 43" in err and err.count("\n") == 1
    assert run(app, "case", "union", number, "--reference", "工会函12号", *hr) == 0
    assert run(app, "case", "transition", number, "notice_served", *hr) == 0
    assert run(app, "case", "transition", number, "closed", *hr) == 0
    capsys.readouterr()

    assert run(app, "case", "show", number, *hr) == 0
    shown = capsys.readouterr().out
    assert "closed (termination)" in shown
    assert "decision approved by hr.li (hr_officer): valid" in shown
    assert "next: reopened" in shown
    # Every time is on the company's clock and says so (UTC+8; 北京时间 in Chinese).
    assert re.search(r"^opened 2026-11-30 10:\d\d UTC\+8 by \S+$", shown, re.M)
    assert re.search(r"^2026-11-30 10:\d\d UTC\+8 hr\.li ", shown, re.M)
    assert run(app, "case", "show", number, "--json", "--user", "audit") == 0
    detail = out_json(capsys)
    assert isinstance(detail, dict)
    assert len(detail["approvals"]) == 5 and all(a["valid"] for a in detail["approvals"])

    assert run(app, "case", "verify", number, *hr) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[-1] == "5 signature(s), all valid; the case is as signed; 1 file(s) intact"
    with w.uow() as u:
        u.session.execute(
            update(CaseApproval)
            .where(CaseApproval.id == 1)
            .values(payload_json=CaseApproval.payload_json + " ")
        )
        u.commit()
    assert run(app, "case", "verify", number, "--json", *hr) == 1
    report = out_json(capsys)
    assert isinstance(report, dict) and report["valid"] is False
    assert [a["valid"] for a in report["signatures"]] == [False, True, True, True, True]
    assert report["signatures"][0]["differences"][0]["kind"] == "signature"


def test_list_hides_conflicted_cases_and_errors_are_one_line(
    world: tuple[CaseWorld, CasesApp], capsys: pytest.CaptureFixture[str]
) -> None:
    _, app = world
    assert run(app, "case", "list", "--user", "hr.li") == 0
    assert capsys.readouterr().out == "no cases\n"
    assert run(app, "case", "open", "--subject", "S001", "--title", "t", "--user", "hr.li") == 0
    number = capsys.readouterr().out.split()[0]
    assert run(app, "case", "list", "--json", "--user", "audit") == 0
    listed = out_json(capsys)
    assert isinstance(listed, list) and [c["number"] for c in listed] == [number]
    assert run(app, "case", "list", "--json", "--user", "sales.zhang") == 0
    assert out_json(capsys) == []
    assert run(app, "case", "show", number, "--user", "sales.zhang") == 1
    assert capsys.readouterr().err == f"workstation: no case {number}\n"

    assert run(app, "case", "note", number, "x", "--revision", "7", "--user", "hr.li") == 1
    err = capsys.readouterr().err
    assert "was changed by someone else" in err and "nothing was saved" in err
    assert run(app, "case", "note", number, "x", "--user", "audit") == 1
    assert "may not do case.edit" in capsys.readouterr().err
    assert run(app, "case", "list", "--user", "nobody") == 1
    assert capsys.readouterr().err == "workstation: no active user 'nobody'\n"
    assert run(app, "case", "open", "--subject", "S999", "--title", "t", "--user", "hr.li") == 1
    assert run(app, "case", "link", number, "--user", "hr.li") == 2
    assert run(app, "case", "link", number, "order", "--user", "hr.li") == 2
    assert run(app, "case", "verify", "CW-1999-0001", "--user", "hr.li") == 1
    with pytest.raises(SystemExit) as caught:
        run(app, "case", "transition", number, "nowhere", "--user", "hr.li")
    assert caught.value.code == 2
    capsys.readouterr()
    assert run(app, "case", "list") == 1
    assert "say who is acting" in capsys.readouterr().err
