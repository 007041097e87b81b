"""``workstation import`` as a user runs it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from acting import TEST_PASSWORD

from workstation.cli import main
from workstation.domain.enums import Role

ROSTER = "employee_no,name,manager_no\nS1,张伟,\nS2,王磊,S1\nS3,李娜,S9\n"


def test_import_prints_json_and_lists_batches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data = str(tmp_path / "data")
    cli_as(tmp_path / "data", Role.HR_OFFICER)
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
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    cli_as(tmp_path / "d", Role.HR_OFFICER)
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


def test_attachments_dir_points_at_the_photos(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data = str(tmp_path / "d")
    cli_as(tmp_path / "d", Role.HR_OFFICER)
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_no,name\nS1,张伟\n", encoding="utf-8")
    assert main(["--data-dir", data, "import", str(roster), "--kind", "employees"]) == 0
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "a.jpg").write_bytes(b"jpeg")
    checkins = tmp_path / "checkins.csv"
    checkins.write_text("工号,打卡时间,类型,打卡图片1\nS1,2026-10-29 09:00,上班,a.jpg\n", "utf-8")
    args = ["--data-dir", data, "import", str(checkins), "--kind", "checkins", "--json"]
    capsys.readouterr()
    assert main([*args, "--attachments-dir", str(photos)]) == 0
    assert json.loads(capsys.readouterr().out)["accepted"] == 1
    assert list((tmp_path / "d" / "evidence").rglob("*")), "the photo was stored as evidence"
    stored = [p for p in (tmp_path / "d" / "evidence").rglob("*") if p.is_file()]
    assert any(p.read_bytes() == b"jpeg" for p in stored)


def test_nobody_named_or_a_role_without_the_right_is_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cli_as: Callable[[Path, Role], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = tmp_path / "d"
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    args = ["--data-dir", str(data), "import", str(roster), "--kind", "employees"]
    monkeypatch.delenv("WORKSTATION_USER", raising=False)
    assert main(args) == 1
    assert "say who is acting: --user NAME" in capsys.readouterr().err

    manager = cli_as(data, Role.SALES_MANAGER)
    assert main(args) == 1
    err = capsys.readouterr().err
    assert f"not allowed: {manager} (sales manager) may not do import.run" in err

    monkeypatch.setenv("WORKSTATION_PASSWORD", "wrong password")
    hr = cli_as(data, Role.HR_OFFICER)
    monkeypatch.setenv("WORKSTATION_PASSWORD", "wrong password")
    assert main(["--user", hr, *args]) == 1
    assert f"{hr} cannot sign in" in capsys.readouterr().err
    monkeypatch.setenv("WORKSTATION_PASSWORD", TEST_PASSWORD)
    assert main(["--data-dir", str(data), "import", "--list"]) == 0
    assert "roster.csv" not in capsys.readouterr().out, "refused users imported nothing"


def test_a_customer_list_as_of_a_day_and_its_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data = str(tmp_path / "d")
    cli_as(tmp_path / "d", Role.HR_OFFICER)
    master = tmp_path / "customers.csv"
    master.write_text(
        "客户编号,客户名称,地址,负责人工号\nC1,成都精工,成都市,S7\n", encoding="utf-8"
    )
    args = ["--data-dir", data, "import", str(master), "--kind", "customers"]
    assert main([*args, "--as-of", "2024-05-19", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["as_of"] == "2024-05-19" and report["accepted"] == 1
    assert [(w["row"], w["field"]) for w in report["warnings"]] == [(2, "owner_no"), (2, "lat")]

    again = tmp_path / "customers2.csv"
    again.write_text("客户编号,客户名称,地址\nC2,重庆电子,重庆市\n", encoding="utf-8")
    assert main(["--data-dir", data, "import", str(again), "--kind", "customers"]) == 0
    out = capsys.readouterr().out
    assert "read as of" in out and "2 warnings (rows kept):" in out
    assert "the import day" in out and "customer C2 has an address but no coordinates" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--as-of", "19.05.2024"], "--as-of wants a date as YYYY-MM-DD, not '19.05.2024'"),
        (["--kind", "orders", "--as-of", "2024-05-19"], "--as-of is for customer lists"),
    ],
)
def test_a_wrong_as_of_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    master = tmp_path / "customers.csv"
    master.write_text("客户编号,客户名称\nC1,成都精工\n", encoding="utf-8")
    args = ["--data-dir", str(tmp_path / "d"), "import", str(master), "--kind", "customers"]
    assert main([*args, *extra]) == 1
    assert message in capsys.readouterr().err
