"""``workstation import`` as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workstation.cli import main

ROSTER = "employee_no,name,manager_no\nS1,张伟,\nS2,王磊,S1\nS3,李娜,S9\n"


def test_import_prints_json_and_lists_batches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["--data-dir", data, "import", str(roster), "--kind", "employees", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    for key in (
        "batch_id",
        "kind",
        "file",
        "sha256",
        "rows_read",
        "accepted",
        "rejected",
        "duplicates",
    ):
        assert key in report
    assert (report["rows_read"], report["accepted"], report["rejected"]) == (3, 2, 1)
    assert report["problems"][0] == {
        "row": 4,
        "field": "manager_no",
        "message": "unknown employee S9",
    }

    assert main(["--data-dir", data, "import", str(roster), "--kind", "employees"]) == 0
    assert "imported before" in capsys.readouterr().out

    assert main(["--data-dir", data, "import", "--list"]) == 0
    listing = capsys.readouterr().out
    assert "employees" in listing and "roster.csv" in listing


def test_a_refused_file_exits_non_zero_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x00junk")
    code = main(["--data-dir", str(tmp_path / "d"), "import", str(bad), "--kind", "employees"])
    assert code == 1
    err = capsys.readouterr().err
    assert "nothing imported" in err and "bad.csv" in err


def test_unknown_kind_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert main(["--data-dir", str(tmp_path / "d"), "import", str(roster), "--kind", "x"]) == 1
    assert "unknown kind 'x'" in capsys.readouterr().err
