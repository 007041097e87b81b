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
