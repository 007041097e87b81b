"""Preview before import: columns mapped, first rows typed, problems shown, nothing written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from clocks import pinned

from workstation.app import App
from workstation.ingest.errors import FileRejected
from workstation.ingest.preview import preview_import


def test_preview_maps_columns_and_types_the_first_rows(app: App, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    lines = ["花名册 2026年10月", "工号,姓名,入职日期,爱好"]
    lines += [f"S{i},员工{i},2020-01-{i:02d},跑步" for i in range(1, 30)]
    lines[5] = "S4,员工4,不是日期,跑步"
    path.write_text("\n".join(lines) + "\n", encoding="gb18030")
    preview = preview_import(path, "employees", clock=pinned())
    assert preview.usable and preview.source == "csv" and preview.header_row == 2
    assert preview.columns == {"employee_no": "工号", "name": "姓名", "hire_date": "入职日期"}
    assert preview.unknown_headers == ("爱好",)
    assert len(preview.rows) == 20 and preview.rows[0].row == 3
    assert preview.rows[0].values == {
        "employee_no": "S1",
        "name": "员工1",
        "hire_date": date(2020, 1, 1),
    }
    bad = next(r for r in preview.rows if r.problem)
    assert bad.row == 6 and bad.problem is not None and bad.problem.field == "hire_date"
    assert app.imports.list_batches() == []


def test_preview_says_which_required_columns_are_missing(app: App, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text("order_no,amount\nO1,5\n", encoding="utf-8")
    preview = preview_import(path, "orders", clock=pinned())
    assert preview.file_columns == ("order_no", "amount") and preview.header_row == 1
    assert preview.missing_required == ("customer_code", "employee_no", "order_date", "status")
    with pytest.raises(FileRejected, match=r"columns missing .* customer_code"):
        app.imports.run(path, "orders")
    path.write_text(
        "order_no,customer_code,amount,状态,工号\nO1,C1,5,已完成,S1\n", encoding="utf-8"
    )
    preview = preview_import(path, "orders", clock=pinned())
    assert preview.missing_required == ("order_date",)
    assert not preview.usable
    # Nothing typed yet: the cells are shown as they are, to choose columns by.
    assert [(r.row, r.values, r.raw["状态"]) for r in preview.rows] == [(2, {}, "已完成")]
