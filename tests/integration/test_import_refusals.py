"""Files that crashed the importer (issue 10) now get a one-line refusal naming the file, or
single rejected rows naming row and field, and the store is left as it was.

Each test feeds the same kind of input that crashed: a WeCom ``lng`` of ``Infinity``
(OverflowError), deeply nested JSON (RecursionError), damaged workbooks (XMLSyntaxError,
IndexError), missing files and folders (FileNotFoundError, IsADirectoryError), a 5 KB workbook
declaring ``A1:XFD1048576`` (5.8 GB, MemoryError).
"""

from __future__ import annotations

import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from acting import sign_in_without_user
from store_state import store_counts

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.ingest import readers_xlsx
from workstation.ingest.errors import FileRejected
from workstation.ingest.readers import read_table

ROSTER = "工号,姓名,企业微信账号\nS001,张伟,zhangwei\n"


@pytest.fixture
def staffed(app: App, tmp_path: Path) -> App:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    app.imports.run(roster, "employees")
    return app


def _refused(app: App, path: Path, kind: str) -> str:
    """The one-line reason ``path`` is refused for; the store must not change."""
    before = store_counts(app)
    with pytest.raises(FileRejected) as info:
        app.imports.run(path, kind)
    reason = str(info.value)
    assert reason.startswith(f"{path.name}: ") and "\n" not in reason
    assert store_counts(app) == before
    return reason


# --- JSON ----------------------------------------------------------------------------------


def test_a_wecom_longitude_of_infinity_is_a_rejected_row(staffed: App, tmp_path: Path) -> None:
    path = tmp_path / "wecom.json"
    path.write_text(
        '{"errcode": 0, "checkindata": ['
        '{"userid": "zhangwei", "checkin_type": "上班打卡", "checkin_time": 1790000000,'
        ' "lat": 31230000, "lng": Infinity},'
        '{"userid": "zhangwei", "checkin_type": "下班打卡", "checkin_time": 1790030000,'
        ' "lat": 31230000, "lng": 121470000}]}',
        encoding="utf-8",
    )
    report = staffed.imports.run(path, "checkins")
    assert (report.accepted, report.rejected) == (1, 1)
    problem = report.problems[0]
    assert (problem.row, problem.field) == (1, "lon")
    assert "not a finite number: 'inf'" in problem.message


def test_a_wecom_csv_longitude_of_inf_is_a_rejected_row(staffed: App, tmp_path: Path) -> None:
    path = tmp_path / "wecom.csv"
    path.write_text(
        "userid,checkin_type,checkin_time,lat,lng\n"
        "zhangwei,上班打卡,1790000000,31230000,inf\n"
        "zhangwei,下班打卡,1790030000,abc,121470000\n",
        encoding="utf-8",
    )
    report = staffed.imports.run(path, "checkins")
    assert [(p.row, p.field) for p in report.problems] == [(2, "lon"), (3, "lat")]


def test_deeply_nested_json_is_refused(staffed: App, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for kind in ("checkins", "employees"):
        assert _refused(staffed, path, kind) == "deep.json: invalid JSON: nested too deeply"


def test_an_integer_too_long_for_python_is_refused(staffed: App, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    path.write_text('[{"employee_no": ' + "9" * 5000 + ', "name": "x"}]', encoding="utf-8")
    assert (
        _refused(staffed, path, "employees")
        == "huge.json: invalid JSON: a number with too many digits"
    )


# --- missing files and folders -------------------------------------------------------------


@pytest.mark.parametrize("name", ["missing.csv", "missing.json", "missing.xlsx", "missing.gpx"])
def test_a_missing_file_is_refused(staffed: App, tmp_path: Path, name: str) -> None:
    kind = "tracks" if name.endswith(".gpx") else "checkins"
    assert _refused(staffed, tmp_path / name, kind) == f"{name}: file not found"
    with pytest.raises(FileRejected, match=f"^{name}: file not found$"):
        staffed.imports.preview(tmp_path / name, kind)


def test_a_folder_is_refused(staffed: App, tmp_path: Path) -> None:
    folder = tmp_path / "exports.csv"
    folder.mkdir()
    assert _refused(staffed, folder, "employees") == "exports.csv: is a folder, not a file"


# --- workbooks -----------------------------------------------------------------------------


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工号", "姓名"])
    sheet.append(["S002", "王磊"])
    book.save(path)
    return path


def _rewrite(
    source: Path, target: Path, member: str, change: Callable[[bytes], bytes | None]
) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data: bytes | None = zin.read(item.filename)
            if item.filename == member:
                data = change(data)  # type: ignore[arg-type]
            if data is not None:
                zout.writestr(item, data)
    return target


@pytest.mark.parametrize(
    ("member", "change", "detail"),
    [
        # lxml's XMLSyntaxError while the workbook opens
        ("xl/styles.xml", lambda b: b"<<<" + b, "XMLSyntaxError"),
        ("docProps/core.xml", lambda b: b[: len(b) // 2], "XMLSyntaxError"),
        # the sheet the workbook names is gone: IndexError before
        ("xl/worksheets/sheet1.xml", lambda b: None, "the workbook has no sheets"),
        ("xl/worksheets/sheet1.xml", lambda b: b[: len(b) // 2], "ParseError"),
    ],
)
def test_a_damaged_workbook_is_refused(
    staffed: App,
    tmp_path: Path,
    member: str,
    change: Callable[[bytes], bytes | None],
    detail: str,
) -> None:
    good = _workbook(tmp_path / "good.xlsx")
    bad = _rewrite(good, tmp_path / "damaged.xlsx", member, change)
    reason = _refused(staffed, bad, "employees")
    assert reason.startswith("damaged.xlsx: damaged or not an XLSX file (") and detail in reason


def _declaring_the_whole_sheet(tmp_path: Path) -> Path:
    """A 5 KB workbook whose sheet says it spans A1:XFD1048576 and has a (formatted, empty)
    last row: the shape that made 5.8 GB."""
    good = _workbook(tmp_path / "good.xlsx")

    def declare(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
        return xml.replace(
            b"</sheetData>", b'<row r="1048576" s="1" customFormat="1"/></sheetData>'
        )

    return _rewrite(good, tmp_path / "whole_sheet.xlsx", "xl/worksheets/sheet1.xml", declare)


def test_a_workbook_declaring_the_whole_sheet_reads_only_its_cells(
    staffed: App, tmp_path: Path
) -> None:
    path = _declaring_the_whole_sheet(tmp_path)
    assert path.stat().st_size < 6_000
    tracemalloc.start()
    try:
        table = read_table(path, header_names=["工号", "姓名"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert table.frame.values.tolist() == [["S002", "王磊"]]
    assert peak < 50_000_000
    report = staffed.imports.run(path, "employees")
    assert (report.rows_read, report.accepted) == (1, 1)


def test_a_sheet_beyond_the_limits_is_refused_with_the_reason(
    staffed: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["工号", "姓名"])
    for i in range(30):
        sheet.append([f"S{i:03d}", f"员工{i}"])
    book.save(tmp_path / "rows.xlsx")
    monkeypatch.setattr(readers_xlsx, "MAX_ROWS", 20)
    assert _refused(staffed, tmp_path / "rows.xlsx", "employees") == (
        "rows.xlsx: sheet 'Sheet' has data beyond row 20 (on row 21); save it as CSV, or split it"
    )
    sheet["XFD5"] = "far away"
    book.save(tmp_path / "columns.xlsx")
    monkeypatch.setattr(readers_xlsx, "MAX_ROWS", 500_000)
    assert _refused(staffed, tmp_path / "columns.xlsx", "employees") == (
        "columns.xlsx: sheet 'Sheet' has data in column XFD (row 5), beyond the 500 columns read"
    )
    del sheet["XFD5"]
    sheet["B7"] = "LONG-CELL"
    book.save(tmp_path / "marked.xlsx")
    # (openpyxl itself cuts what it writes to 32,767 characters; other writers do not)
    _rewrite(
        tmp_path / "marked.xlsx",
        tmp_path / "cell.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"LONG-CELL", "长".encode() * 40_000),
    )
    assert _refused(staffed, tmp_path / "cell.xlsx", "employees") == (
        "cell.xlsx: cell B7 of sheet 'Sheet' holds 40,000 characters, more than a cell can (32,767)"
    )


# --- CSV -----------------------------------------------------------------------------------


def test_rows_with_extra_fields_are_rejected_naming_their_rows(
    staffed: App, tmp_path: Path
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("工号,姓名\nS010,甲\nS011,乙,多余\nS012,丙\nS013,丁,多,余\n", encoding="utf-8")
    report = staffed.imports.run(path, "employees")
    assert (report.rows_read, report.accepted, report.rejected) == (4, 2, 2)
    assert [(p.row, p.field, p.message) for p in report.problems] == [
        (3, None, "3 fields where the header row has 2"),
        (5, None, "4 fields where the header row has 2"),
    ]
    assert staffed.imports.rejected_rows(report.batch_id or 0)[0].raw["(extra field)"] == "多余"


def test_a_header_below_row_10_is_found(staffed: App, tmp_path: Path) -> None:
    path = tmp_path / "notes_first.csv"
    notes = "".join(f"导出说明第{i}行,,\n" for i in range(1, 12))
    path.write_text(notes + "工号,姓名,部门\nS020,周杰,苏州销售部\n", encoding="utf-8")
    preview = staffed.imports.preview(path, "employees")
    assert preview.header_row == 12 and preview.usable
    report = staffed.imports.run(path, "employees")
    assert report.accepted == 1 and report.problems == []


def test_a_header_not_found_is_reported_as_such(staffed: App, tmp_path: Path) -> None:
    path = tmp_path / "no_header.csv"
    path.write_text("导出说明,,\n" + "a,b,c\n" * 5, encoding="utf-8")
    reason = _refused(staffed, path, "employees")
    assert reason == (
        "no_header.csv: columns missing or given twice for employees: employee_no, name "
        "(no header row with the expected columns (employee_no, name) in the first 100 rows; "
        "row 1 was read as the header)"
    )


def _big_roster(rows: int, encoding: str, bad_line: int) -> bytes:
    lines = ["工号,姓名,部门"] + [f"S{i:05d},员工{i},苏州销售部" for i in range(rows)]
    data = [line.encode(encoding) for line in lines]
    data[bad_line - 1] = data[bad_line - 1].replace(b"S", b"\xff", 1)
    return b"\n".join(data) + b"\n"


@pytest.mark.parametrize(
    ("encoding", "text"), [("utf-8", "not valid UTF-8"), ("gb18030", "not GB18030 text")]
)
def test_a_bad_byte_late_in_a_big_file_names_its_line(
    staffed: App, tmp_path: Path, encoding: str, text: str
) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(_big_roster(20_000, encoding, bad_line=15_000))
    assert path.stat().st_size > 300_000  # far beyond the 64 KB the encoding is decided on
    reason = _refused(staffed, path, "employees")
    assert reason.startswith(f"big.csv: {text} at line 15000 (byte ")


def test_a_bad_byte_late_in_a_big_track_file_names_its_line(app: App, tmp_path: Path) -> None:
    path = tmp_path / "tracks.csv"
    rows = [f"S001,2026-10-01 08:{i // 60 % 60:02d}:{i % 60:02d},31.2,121.4" for i in range(9_000)]
    text = "工号,时间,纬度,经度\n" + "\n".join(rows) + "\n"
    data = bytearray(text.encode("utf-8"))
    at = data.index(b"S001", len(data) - 500)
    data[at] = 0xFF
    path.write_bytes(bytes(data))
    reason = _refused(app, path, "tracks")
    line = text.encode("utf-8").count(b"\n", 0, at) + 1
    assert reason.startswith(f"tracks.csv: not valid UTF-8 at line {line} (byte {at})")


# --- the same limits on SQLite and PostgreSQL ----------------------------------------------


def test_text_too_long_or_with_nul_is_a_rejected_row_on_both_databases(
    db_url: str, tmp_path: Path
) -> None:
    """SQLite kept a 31-million-character name; PostgreSQL failed the batch with ``DataError:
    value too long`` (and on a NUL character). Both now refuse those rows, with the reason."""
    app = open_app(load_settings(tmp_path / "data", db_url))
    sign_in_without_user(app, Role.HR_OFFICER)
    try:
        roster = tmp_path / "roster.csv"
        huge = "名" * 31_000_000
        roster.write_text(
            f"工号,姓名,部门\nS001,{huge},苏州销售部\nS002,王磊,{'部' * 101}\n"
            f"S003,李娜,苏州销售部\n{'S' * 33},赵敏,苏州销售部\n",
            encoding="utf-8",
        )
        report = app.imports.run(roster, "employees")
        assert [(p.row, p.field, p.message) for p in report.problems] == [
            (
                2,
                "name",
                "name: text of 31,000,000 characters is longer than the 100 this field holds",
            ),
            (
                3,
                "department",
                "department: text of 101 characters is longer than the 100 this field holds",
            ),
            (
                5,
                "employee_no",
                "employee_no: text of 33 characters is longer than the 32 this field holds",
            ),
        ]
        assert report.accepted == 1
        kept = app.imports.rejected_rows(report.batch_id or 0)[0].raw["姓名"]
        assert len(kept) == 32_767 and kept.endswith("(31,000,000 characters)")

        records = tmp_path / "comms.json"
        records.write_text(
            '[{"employee_no": "S003", "time": "2026-10-01T08:00:00+08:00", "channel": "微信",'
            ' "counterpart": "客户\\u0000甲", "content": "你好"},'
            ' {"employee_no": "S003", "time": "2026-10-01T08:01:00+08:00", "channel": "微信",'
            ' "counterpart": "客户乙", "content": "你好"}]',
            encoding="utf-8",
        )
        report = app.imports.run(records, "communications")
        assert [(p.row, p.field) for p in report.problems] == [(1, "counterpart")]
        assert report.problems[0].message == "counterpart: text contains a NUL character"
        assert report.accepted == 1
    finally:
        app.close()
