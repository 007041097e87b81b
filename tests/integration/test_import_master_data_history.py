"""Imports that never lie about people: a Big5 roster is refused instead of renaming everyone
to mojibake; changes to names and departments are kept as history; a file renaming more than
a tenth of the stored employees (or customers) asks first, in the service and on the command
line; ``--save-mapping`` saves only when the import succeeds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from store_state import store_counts

from workstation.app import App
from workstation.cli import main
from workstation.config import Settings, load_settings
from workstation.domain.enums import Role
from workstation.ingest.errors import FileRejected
from workstation.ingest.model import ImportOptions
from workstation.store.models import Employee, MasterDataChange


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """This module's stores: a real SQLite file and a real PostgreSQL database (``db_url``)."""
    return load_settings(tmp_path / "data", db_url)


#: Forty-five people, with names Big5 can also write (traditional characters).
SURNAMES = (
    "陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯"
)
GIVEN = ("志明", "淑芬", "家豪", "雅婷", "俊傑", "怡君", "建宏", "美玲", "冠宇")
NAMES = [SURNAMES[i] + GIVEN[i % len(GIVEN)] for i in range(45)]


def _roster(names: list[str], department: str = "台北業務部") -> str:
    rows = "".join(f"S{i:03d},{name},{department}\n" for i, name in enumerate(names, start=1))
    return "工号,姓名,部门\n" + rows


def _names(app: App) -> dict[str, tuple[str, str | None]]:
    with app.uow() as uow:
        return {
            e.employee_no: (e.name, e.department)
            for e in uow.session.scalars(select(Employee).order_by(Employee.employee_no))
        }


def _history(app: App) -> list[tuple[int, str, str, str | None, str | None, int | None]]:
    with app.uow() as uow:
        return [
            (c.batch_id, c.entity_key, c.field, c.old_value, c.new_value, c.source_row)
            for c in uow.session.scalars(select(MasterDataChange).order_by(MasterDataChange.id))
        ]


@pytest.fixture
def staffed(app: App, tmp_path: Path) -> App:
    roster = tmp_path / "roster.csv"
    roster.write_text(_roster(NAMES), encoding="utf-8")
    report = app.imports.run(roster, "employees")
    assert report.accepted == 45 and report.changes == []
    return app


def test_a_big5_roster_is_refused_not_imported_as_mojibake(staffed: App, tmp_path: Path) -> None:
    path = tmp_path / "roster_big5.csv"
    path.write_bytes(
        "工號,姓名,部門\n".encode("big5")
        + "".join(f"S{i:03d},{n},台北業務部\n" for i, n in enumerate(NAMES, 1)).encode("big5")
    )
    assert path.read_bytes().decode("gb18030")  # it does decode as GB18030: into nonsense
    before, names = store_counts(staffed), _names(staffed)
    with pytest.raises(FileRejected) as info:
        staffed.imports.run(path, "employees")
    assert str(info.value) == (
        "roster_big5.csv: the text is in Big5 (Traditional Chinese), not UTF-8 or GB18030; "
        "save it as UTF-8 and import it again"
    )
    with pytest.raises(FileRejected, match="Big5"):
        staffed.imports.preview(path, "employees")
    assert store_counts(staffed) == before and _names(staffed) == names


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_gb18030_and_utf8_rosters_still_read(app: App, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("工号,姓名,部门\nS001,张伟,苏州销售部\nS002,王磊,客户部\n", encoding=encoding)
    report = app.imports.run(path, "employees")
    assert report.accepted == 2
    assert _names(app)["S001"] == ("张伟", "苏州销售部")


def test_renaming_more_than_a_tenth_asks_first_and_keeps_history_when_confirmed(
    staffed: App, tmp_path: Path
) -> None:
    renamed = [name + "X" if i < 5 else name for i, name in enumerate(NAMES)]
    path = tmp_path / "renamed.csv"
    path.write_text(_roster(renamed), encoding="utf-8")
    before, names = store_counts(staffed), _names(staffed)

    asked = staffed.imports.run(path, "employees")
    assert asked.needs_confirmation and asked.batch_id is None and asked.accepted == 0
    assert asked.confirmation is not None
    assert (asked.confirmation.changed, asked.confirmation.existing) == (5, 45)
    assert asked.confirmation.text() == (
        "this file would change the names of 5 of the 45 stored employee records "
        "(more than a tenth)"
    )
    assert [(c.row, c.key, c.field, c.old, c.new) for c in asked.changes][:2] == [
        (2, "S001", "name", NAMES[0], NAMES[0] + "X"),
        (3, "S002", "name", NAMES[1], NAMES[1] + "X"),
    ]
    assert store_counts(staffed) == before and _names(staffed) == names

    done = staffed.imports.run(path, "employees", ImportOptions(confirm_changes=True))
    assert (done.accepted, done.duplicates, len(done.changes)) == (5, 40, 5)
    assert _names(staffed)["S001"] == (NAMES[0] + "X", "台北業務部")
    history = _history(staffed)
    assert len(history) == 5
    assert history[0] == (done.batch_id, "S001", "name", NAMES[0], NAMES[0] + "X", 2)


def test_a_tenth_or_less_is_applied_and_kept_as_history(staffed: App, tmp_path: Path) -> None:
    changed = [name + "X" if i < 4 else name for i, name in enumerate(NAMES)]  # 4 of 45
    path = tmp_path / "few.csv"
    rows = _roster(changed).replace(f"S045,{NAMES[44]},台北業務部", f"S045,{NAMES[44]},新竹業務處")
    path.write_text(rows, encoding="utf-8")
    report = staffed.imports.run(path, "employees")
    assert not report.needs_confirmation and report.accepted == 5
    assert [(c.key, c.field, c.old, c.new) for c in report.changes][-1] == (
        "S045",
        "department",
        "台北業務部",
        "新竹業務處",
    )
    assert {(key, field) for _, key, field, *_ in _history(staffed)} == {
        ("S001", "name"),
        ("S002", "name"),
        ("S003", "name"),
        ("S004", "name"),
        ("S045", "department"),
    }


def test_a_changed_manager_is_kept_as_history(staffed: App, tmp_path: Path) -> None:
    path = tmp_path / "managers.csv"
    path.write_text(f"工号,姓名,上级工号\nS002,{NAMES[1]},S001\n", encoding="utf-8")
    staffed.imports.run(path, "employees")
    path2 = tmp_path / "managers2.csv"
    path2.write_text(f"工号,姓名,上级工号\nS002,{NAMES[1]},S003\n", encoding="utf-8")
    report = staffed.imports.run(path2, "employees")
    assert [(c.key, c.field, c.old, c.new) for c in report.changes] == [
        ("S002", "manager_no", "S001", "S003")
    ]
    assert _history(staffed)[-1][1:5] == ("S002", "manager_no", "S001", "S003")


# --- the command line ----------------------------------------------------------------------


def test_the_cli_stops_lists_the_changes_and_applies_them_with_confirm_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data = str(tmp_path / "data")
    cli_as(tmp_path / "data", Role.HR_OFFICER)
    first = tmp_path / "roster.csv"
    first.write_text(_roster(NAMES), encoding="utf-8")
    assert main(["--data-dir", data, "import", str(first), "--kind", "employees"]) == 0
    capsys.readouterr()
    second = tmp_path / "roster2.csv"
    second.write_text(_roster([n + "X" for n in NAMES]), encoding="utf-8")
    argv = ["--data-dir", data, "import", str(second), "--kind", "employees"]

    assert main([*argv, "--save-mapping", "hr"]) == 1
    out, err = capsys.readouterr()
    assert f"  row 2: S001 name: '{NAMES[0]}' -> '{NAMES[0]}X'" in out
    assert "... and 25 more changes" in out
    assert err.strip().splitlines()[-1] == (
        "workstation: nothing imported: roster2.csv: this file would change the names of 45 "
        "of the 45 stored employee records (more than a tenth); check the changes above and "
        "import again with --confirm-changes to apply them"
    )
    assert main([*argv, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["needs_confirmation"] and len(report["changes"]) == 45
    assert report["confirmation"] == {"entity": "employee", "changed": 45, "existing": 45}
    # the refused import saved no mapping
    assert main(["--data-dir", data, "import", "--list-mappings", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []

    assert main([*argv, "--confirm-changes"]) == 0
    out = capsys.readouterr().out
    assert "accepted 45" in out and "changed 45 stored values (kept as history)" in out


def test_save_mapping_saves_only_when_the_import_succeeds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data = str(tmp_path / "data")
    cli_as(tmp_path / "data", Role.HR_OFFICER)
    hris = tmp_path / "hris.csv"
    hris.write_text("Staff ID,Full name\nS1,张伟\n", encoding="utf-8")
    maps = ["--map", "employee_no=Staff ID", "--map", "name=Full name", "--save-mapping", "hris"]
    base = ["--data-dir", data, "import"]

    missing = tmp_path / "missing.csv"
    assert main([*base, str(missing), "--kind", "employees", *maps]) == 1
    assert "nothing imported: missing.csv: file not found" in capsys.readouterr().err
    other = tmp_path / "other.csv"
    other.write_text("工号,姓名\nS1,张伟\n", encoding="utf-8")
    assert main([*base, str(other), "--kind", "employees", *maps]) == 1
    assert "the chosen column Full name, Staff ID is not in the file" in capsys.readouterr().err
    assert main([*base, "--list-mappings", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []

    assert main([*base, str(hris), "--kind", "employees", *maps]) == 0
    assert "saved the column mapping 'hris'" in capsys.readouterr().out
    assert main([*base, "--list-mappings", "--json"]) == 0
    assert [m["name"] for m in json.loads(capsys.readouterr().out)] == ["hris"]
