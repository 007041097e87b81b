"""An import's report exported to XLSX: summary and rejected rows with their original cells."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workstation.app import App
from workstation.ingest.report_export import BatchNotFound, export_batch_xlsx

ROSTER = (
    "工号,姓名,上级工号,入职日期\nS1,张伟,,2020-01-01\nS2,王磊,S9,2021-01-01\nS3,李娜,S1,明天\n"
)


def test_report_lists_counts_and_each_rejected_row(app: App, tmp_path: Path) -> None:
    source = tmp_path / "roster.csv"
    source.write_text(ROSTER, encoding="utf-8")
    report = app.imports.run(source, "employees")
    out = export_batch_xlsx(app.uow, int(report.batch_id or 0), tmp_path / "out" / "report.xlsx")
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["概要", "被拒绝的行"]
    summary = {r[0]: r[1] for r in book["概要"].iter_rows(values_only=True)}
    assert summary["文件"] == "roster.csv"
    assert summary["SHA-256"] == report.sha256
    assert (summary["读取行数"], summary["已接受"], summary["已拒绝"]) == (3, 1, 2)
    labels = [k for k in summary if k != "SHA-256"]
    assert not [k for k in labels if re.search("[A-Za-z]", str(k))], "untranslated labels"
    rows = list(book["被拒绝的行"].iter_rows(values_only=True))
    assert rows[0][:3] == ("行号", "字段", "原因") and "姓名" in rows[0]
    assert [(r[0], r[1]) for r in rows[1:]] == [(3, "manager_no"), (4, "hire_date")]
    name_col = rows[0].index("姓名")
    assert [r[name_col] for r in rows[1:]] == ["王磊", "李娜"]


def test_english_report_and_unknown_batch(app: App, tmp_path: Path) -> None:
    source = tmp_path / "roster.csv"
    source.write_text(ROSTER, encoding="utf-8")
    report = app.imports.run(source, "employees")
    out = export_batch_xlsx(app.uow, int(report.batch_id or 0), tmp_path / "r.xlsx", "en")
    assert load_workbook(out, read_only=True).sheetnames == ["Summary", "Rejected rows"]
    with pytest.raises(BatchNotFound, match="#999"):
        export_batch_xlsx(app.uow, 999, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_cells_are_text_never_formulas(app: App, tmp_path: Path) -> None:
    """A file's cell ``=HYPERLINK(...)`` (and a file named ``=...``) came out as live
    formulas; a control character from a JSON file made the export fail."""
    source = tmp_path / "=HYPERLINK(1).csv"
    source.write_text(
        "工号,姓名,入职日期,=SUM(A1)\n"
        'S1,"=HYPERLINK(""http://example.invalid"",""点我"")",不是日期,@x\n'
        "S2,+1+1,不是日期,-2\n",
        encoding="utf-8",
    )
    first = app.imports.run(source, "employees")
    records = tmp_path / "records.json"
    records.write_text('[{"employee_no": "S3", "name": "x\\u0001y", "hire_date": "?"}]')
    second = app.imports.run(records, "employees")
    for report, expected in (
        (first, '=HYPERLINK("http://example.invalid","点我")'),
        (second, "x\ufffdy"),
    ):
        out = export_batch_xlsx(app.uow, int(report.batch_id or 0), tmp_path / "report.xlsx")
        book = load_workbook(out)
        cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        values = [c.value for c in cells]
        assert expected in values
    out = export_batch_xlsx(app.uow, int(first.batch_id or 0), tmp_path / "first.xlsx")
    summary = {r[0]: r[1] for r in load_workbook(out)["概要"].iter_rows(values_only=True)}
    assert summary["文件"] == "=HYPERLINK(1).csv"
    header = next(load_workbook(out)["被拒绝的行"].iter_rows(values_only=True))
    assert "=SUM(A1)" in header


def test_the_warnings_of_an_import_have_a_sheet(app: App, tmp_path: Path) -> None:
    source = tmp_path / "customers.csv"
    source.write_text("客户编号,客户名称,地址\nC1,成都精工,成都市武侯区\n", encoding="utf-8")
    report = app.imports.run(source, "customers")
    out = export_batch_xlsx(app.uow, int(report.batch_id or 0), tmp_path / "report.xlsx")
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["概要", "被拒绝的行", "已保留，但有提醒"]
    rows = list(book["已保留，但有提醒"].iter_rows(values_only=True))
    assert rows[0] == ("行号", "字段", "提醒")
    # the assumed as-of day (no row), then the customer without coordinates
    assert [(r[0], r[1]) for r in rows[1:]] == [(None, "as_of"), (2, "lat")]
    assert "导入当天" in str(rows[1][2]) and "C1" in str(rows[2][2])
