"""Column mappings chosen by the user and saved under a name, in the service and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from workstation.app import App
from workstation.cli import main
from workstation.domain.enums import CoordSystem, Role
from workstation.ingest.errors import FileRejected
from workstation.ingest.mapping_profiles import UnknownMapping
from workstation.ingest.model import ImportOptions
from workstation.ingest.profiles import MappingError
from workstation.store.models import AuditEntry, Employee, ImportBatch, TrackPoint

#: A tracker export whose headers no built-in name matches.
TRACKER = (
    "Device owner,Fix time (local),Breite,Laenge,Genauigkeit\n"
    "S1,2026-11-02 09:00:00,31.2304,121.4737,12\n"
    "S1,2026-11-02 09:00:30,31.2305,121.4738,10\n"
)
TRACKER_COLUMNS = {
    "employee_no": "Device owner",
    "time": "Fix time (local)",
    "lat": "Breite",
    "lon": "Laenge",
    "accuracy_m": "Genauigkeit",
}


def _roster(app: App) -> None:
    with app.uow() as uow:
        uow.session.add(Employee(employee_no="S1", name="张伟"))
        uow.commit()


def test_a_file_with_unknown_headers_is_refused_until_the_columns_are_chosen(
    app: App, tmp_path: Path
) -> None:
    _roster(app)
    path = tmp_path / "tracker.csv"
    path.write_text(TRACKER, encoding="utf-8")
    with pytest.raises(FileRejected, match=r"tracker\.csv"):
        app.imports.run(path, "tracks")

    preview = app.imports.preview(
        path, "tracks", ImportOptions(columns=tuple(TRACKER_COLUMNS.items()))
    )
    assert preview.usable and preview.mapping_editable
    assert preview.file_columns == tuple(TRACKER.splitlines()[0].split(","))
    assert preview.columns["lat"] == "Breite"
    assert [r.problem for r in preview.rows] == [None, None]

    saved = app.import_mappings.save("acme tracker", "tracks", TRACKER_COLUMNS)
    options = ImportOptions(columns=tuple(saved.columns.items()), mapping_name=saved.name)
    report = app.imports.run(path, "tracks", options)
    assert (report.accepted, report.rejected) == (2, 0)
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(TrackPoint)) == 2
        batch = uow.session.get(ImportBatch, report.batch_id)
        assert batch is not None and batch.options_json is not None
        recorded = json.loads(batch.options_json)
    assert recorded["mapping"] == "acme tracker"
    assert recorded["columns"]["time"] == "Fix time (local)"


def test_profiles_are_saved_listed_replaced_and_deleted_with_audit(app: App) -> None:
    service = app.import_mappings
    first = service.save("crm orders", "orders", {"order_no": "单据编号"}, tz="Asia/Tokyo")
    assert first.tz == "Asia/Tokyo" and first.crs is None
    with pytest.raises(MappingError, match="exists already"):
        service.save("crm orders", "orders", {"order_no": "编号"})
    service.save("crm orders", "orders", {"order_no": "编号"}, crs=CoordSystem.GCJ02, replace=True)
    service.save("gps", "tracks", {"lat": "Y"})
    assert [p.name for p in service.saved()] == ["crm orders", "gps"]
    assert [p.name for p in service.saved("tracks")] == ["gps"]
    again = service.get("crm orders")
    assert again.columns == {"order_no": "编号"} and again.crs is CoordSystem.GCJ02
    service.delete("gps")
    with pytest.raises(UnknownMapping, match="gps"):
        service.get("gps")
    with app.uow() as uow:
        actions = list(uow.session.scalars(select(AuditEntry.action)))
    assert actions.count("import.mapping_saved") == 3
    assert actions.count("import.mapping_deleted") == 1


@pytest.mark.parametrize(
    ("name", "kind", "columns", "message"),
    [
        ("  ", "tracks", {"lat": "Y"}, "give the mapping a name"),
        ("x", "payroll", {"lat": "Y"}, "unknown import kind"),
        ("x", "tracks", {"lat": ""}, "chooses no column"),
        ("x", "tracks", {"height": "H"}, "has no field height"),
    ],
)
def test_bad_profiles_are_refused(
    app: App, name: str, kind: str, columns: dict[str, str], message: str
) -> None:
    with pytest.raises(MappingError, match=message):
        app.import_mappings.save(name, kind, columns)
    assert app.import_mappings.saved() == []


def test_a_mapping_is_refused_for_a_fixed_layout_source(app: App, tmp_path: Path) -> None:
    path = tmp_path / "wecom.json"
    path.write_text(json.dumps({"errcode": 0, "checkindata": []}), encoding="utf-8")
    options = ImportOptions(source="wecom", columns=(("note", "notes"),))
    with pytest.raises(FileRejected, match="column mapping applies to generic"):
        app.imports.run(path, "checkins", options)


def test_cli_saves_a_mapping_then_reads_the_next_file_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data = str(tmp_path / "data")
    cli_as(tmp_path / "data", Role.HR_OFFICER)
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_no,name\nS1,张伟\n", encoding="utf-8")
    assert main(["--data-dir", data, "import", str(roster), "--kind", "employees"]) == 0
    capsys.readouterr()
    first = tmp_path / "week1.csv"
    first.write_text(TRACKER, encoding="utf-8")
    maps = [arg for f, c in TRACKER_COLUMNS.items() for arg in ("--map", f"{f}={c}")]
    argv = ["--data-dir", data, "import", str(first), "--kind", "tracks", *maps]
    assert main([*argv, "--crs", "gcj02", "--save-mapping", "acme", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["accepted"] == 2

    second = tmp_path / "week2.csv"
    second.write_text(TRACKER.replace("2026-11-02", "2026-11-03"), encoding="utf-8")
    assert (
        main(
            [
                "--data-dir",
                data,
                "import",
                str(second),
                "--kind",
                "tracks",
                "--mapping",
                "acme",
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["accepted"] == 2

    assert main(["--data-dir", data, "import", "--list-mappings", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(m["name"], m["kind"], m["crs"]) for m in listed] == [("acme", "tracks", "GCJ02")]

    code = main(
        ["--data-dir", data, "import", str(second), "--kind", "orders", "--mapping", "acme"]
    )
    assert code == 1
    assert "is for tracks, not orders" in capsys.readouterr().err
    code = main(
        ["--data-dir", data, "import", str(second), "--kind", "tracks", "--mapping", "nope"]
    )
    assert code == 1
    assert "no saved column mapping is called 'nope'" in capsys.readouterr().err
    code = main(["--data-dir", data, "import", str(second), "--kind", "tracks", "--map", "lat"])
    assert code == 1
    assert "--map wants FIELD=COLUMN" in capsys.readouterr().err
