"""``workstation case document`` and ``workstation case documents`` as a user runs them
(``cli_cases`` handlers on a copy of the walked demo, signing with the real signing service)."""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from clocks import TEST_NOW
from document_demo import walked_demo

from workstation.app import App
from workstation.cli_cases import CASE_COMMANDS, add_case_commands, run_case_command
from workstation.demo.case_walkthrough import HR, WalkedCase
from workstation.reports.pdf_signing import verify_pdf


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, WalkedCase]]:
    app, walked = walked_demo(tmp_path_factory)
    yield app, walked
    app.close()


def run(app: App, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="workstation")
    add_case_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    assert args.command in CASE_COMMANDS
    return run_case_command(args, app)


def _text(path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt poppler-utils)")
    done = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True)
    return re.sub(r"\s+", "", done.stdout)


def test_generate_a_dossier_with_a_copy(
    demo: tuple[App, WalkedCase], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    app, walked = demo
    out = tmp_path / "dossier.pdf"
    argv = ["case", "document", walked.number.lower(), "dossier", "--lang", "en"]
    assert run(app, *argv, "--out", str(out), "--json", "--user", HR) == 0
    made = json.loads(capsys.readouterr().out)
    assert (made["kind"], made["locale"], made["case"]) == ("dossier", "en", walked.number)
    assert made["signature_valid"] is True and made["out"] == str(out)
    pdf = out.read_bytes()
    [check] = verify_pdf(pdf, app.signing.trust_roots_pem(), at=TEST_NOW)
    assert check.ok and check.signer_username == HR
    assert "CaseEvidenceDossier" in _text(out)

    assert run(app, "case", "documents", walked.number, "--user", "legal.sun") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(walked.documents) + 1
    assert all(line.endswith(": valid") for line in lines), lines
    assert lines[-1].startswith(f"#{made['document_id']} dossier en  Case evidence dossier")

    copy = tmp_path / "copy.pdf"
    save = ["case", "documents", walked.number, "--save", str(made["document_id"])]
    assert run(app, *save, "--out", str(copy), "--user", "legal.sun") == 0
    assert capsys.readouterr().out == f"document #{made['document_id']} written to {copy}\n"
    assert copy.read_bytes() == pdf
    assert run(app, "case", "documents", walked.number, "--json", "--user", HR) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [d["sha256"] for d in listed][-1] == made["sha256"]


def test_a_notice_names_what_it_lacks_and_takes_it_from_the_options(
    demo: tuple[App, WalkedCase], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    app, walked = demo
    argv = ["case", "document", walked.number, "termination_notice", "--user", HR]
    assert run(app, *argv) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("workstation: the termination_notice of case")
    assert "--facts" not in err and "--effective-date YYYY-MM-DD" in err  # facts: the case's

    facts = "王磊在职期间将公司客户转给竞争对手。"
    rule = "销售人员守则|第五条|不得为竞争对手招揽客户"
    more = ["--facts", facts, "--effective-date", "2026-12-01", "--rule", rule]
    out = tmp_path / "notice.pdf"
    assert run(app, *argv, *more, "--out", str(out)) == 0
    said = capsys.readouterr().out
    assert said.startswith("document #") and f"copy written to {out}" in said
    text = _text(out)
    for fact in (facts, "不得为竞争对手招揽客户", "2026年12月1日"):
        assert fact in text

    assert run(app, *argv, "--facts", facts, "--rule", "only one part") == 1
    assert "--rule wants" in capsys.readouterr().err


def test_refusals_are_one_clear_line(
    demo: tuple[App, WalkedCase], capsys: pytest.CaptureFixture[str]
) -> None:
    app, walked = demo
    count = len(app.documents.stored(app.cases.identity_of(HR), walked.number))
    assert run(app, "case", "document", walked.number, "dossier", "--user", "sales.manager") == 1
    err = capsys.readouterr().err
    assert err.startswith("workstation: not allowed: sales.manager") and err.count("\n") == 1
    assert "case.generate_documents" in err
    assert run(app, "case", "document", "CW-2099-0001", "dossier", "--user", HR) == 1
    assert capsys.readouterr().err == "workstation: no case CW-2099-0001\n"
    assert run(app, "case", "documents", walked.number, "--save", "999", "--user", HR) == 1
    assert "--save ID needs --out" in capsys.readouterr().err
    save = ["case", "documents", walked.number, "--save", "999", "--out", "x.pdf"]
    assert run(app, *save, "--user", HR) == 1
    assert capsys.readouterr().err == f"workstation: case {walked.number} has no document #999\n"
    assert len(app.documents.stored(app.cases.identity_of(HR), walked.number)) == count
