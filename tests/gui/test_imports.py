"""The Imports area: a file previewed, imported and reported through the widgets."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
import pytest
from gui_helpers import LOAD_TIMEOUT_MS
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog
from pytestqt.qtbot import QtBot

from workstation.app import App
from workstation.gui.employees.file_models import OwnershipTableModel
from workstation.gui.imports.import_wizard import ImportWizard, Step
from workstation.gui.imports.imports_page import ImportsPage
from workstation.gui.imports.labels import field_label, kind_label
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.widgets.table_model import Highlight
from workstation.ingest.model import BatchRow
from workstation.risk.readiness_model import Gap

ROSTER = (
    "工号,姓名,部门,入职日期,备用\n"
    "E001,张三,销售一部,2024-01-05,x\n"
    "E002,李四,销售一部,不是日期,y\n"
    "E003,王五,销售二部,2023-03-01,z\n"
)


def _page(window: MainWindow) -> ImportsPage:
    window.show_area(Area.IMPORTS)
    page = window.pages[Area.IMPORTS]
    assert isinstance(page, ImportsPage)
    return page


def _choose(qtbot: QtBot, page: ImportsPage, path: Path, kind: str = "employees") -> ImportWizard:
    page.new_button.click()
    wizard = page.wizard
    assert page.showing_wizard() and wizard.current_step is Step.CHOOSE
    wizard.choose.path_edit.setText(str(path))
    wizard.choose.set_kind(kind)
    return wizard


def _preview(qtbot: QtBot, wizard: ImportWizard) -> None:
    wizard.next_button.click()
    qtbot.waitUntil(lambda: wizard.current_step is Step.PREVIEW, timeout=LOAD_TIMEOUT_MS)


def _import(qtbot: QtBot, wizard: ImportWizard) -> list[object]:
    with qtbot.waitSignal(wizard.import_finished, timeout=LOAD_TIMEOUT_MS) as finished:
        wizard.next_button.click()
    return finished.args


@pytest.fixture
def roster(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def test_a_roster_is_previewed_imported_reported_and_exported(
    open_window: Callable[[App], MainWindow],
    app: App,
    qtbot: QtBot,
    roster: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(app)
    page = _page(window)
    assert page.batches() == []
    wizard = _choose(qtbot, page, roster)
    _preview(qtbot, wizard)

    mapping = {m.field: m.column for m in wizard.preview.mapping_model.rows}
    assert mapping["employee_no"] == "工号" and mapping["hire_date"] == "入职日期"
    assert "备用" in wizard.preview.unknown_label.text()
    assert not wizard.preview.missing_label.isVisible()
    rows = wizard.preview.rows_model
    assert rows.rowCount() == 3
    assert [rows.highlight_of(i) for i in range(3)] == [None, Highlight.ALERT, None]
    assert wizard.next_button.isEnabled()

    (report,) = _import(qtbot, wizard)
    assert wizard.current_step is Step.REPORT
    assert (report.accepted, report.rejected) == (2, 1)
    shown = wizard.report_step
    assert shown.accepted_tile.value_label.text() == "2"
    assert shown.rejected_tile.value_label.text() == "1"
    assert shown.read_tile.value_label.text() == "3"
    (problem,) = shown.rejected_model.rows
    assert problem.row == 3 and problem.field == "hire_date"
    assert shown.rejected_table.isVisible()
    assert [e.employee_no for e in app.employees.list_employees()] == ["E001", "E003"]
    qtbot.waitUntil(lambda: window.employee_list.model.rowCount() == 2, timeout=LOAD_TIMEOUT_MS)

    target = tmp_path / "out" / "report.xlsx"
    target.parent.mkdir()
    offered: list[str] = []

    def fake_save(*args: object, **_kwargs: object) -> tuple[str, str]:
        offered.append(str(args[2]))
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    with qtbot.waitSignal(wizard.exported, timeout=LOAD_TIMEOUT_MS):
        wizard.export_button.click()
    assert offered[0].endswith(f"import-{report.batch_id}.xlsx")
    assert target.is_file()
    openpyxl.load_workbook(target).close()
    assert str(target) in shown.export_status.text()

    qtbot.waitUntil(lambda: len(page.batches()) == 1, timeout=LOAD_TIMEOUT_MS)
    wizard.close_button.click()
    assert not page.showing_wizard()
    (batch,) = page.batches()
    assert (batch.id, batch.accepted, batch.rejected) == (report.batch_id, 2, 1)
    assert page.table.isVisible()


def test_a_binary_file_is_refused_with_its_reason_and_nothing_is_written(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 8)
    page = _page(open_window(app))
    wizard = _choose(qtbot, page, junk)
    with qtbot.waitSignal(wizard.problem_shown, timeout=LOAD_TIMEOUT_MS) as said:
        wizard.next_button.click()
    assert wizard.current_step is Step.CHOOSE
    assert "junk.csv" in said.args[0]
    assert wizard.choose.error_label.isVisible()
    assert "junk.csv" in wizard.choose.error_label.text()
    assert wizard.next_button.isEnabled()
    assert app.imports.list_batches() == []


def test_a_missing_file_is_said_before_reading(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, tmp_path: Path
) -> None:
    wizard = _choose(qtbot, _page(open_window(app)), tmp_path / "nowhere.csv")
    wizard.next_button.click()
    assert wizard.current_step is Step.CHOOSE
    assert "nowhere.csv" in wizard.choose.error_label.text()


def test_the_same_file_twice_says_it_was_imported_before(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, roster: Path
) -> None:
    page = _page(open_window(app))
    wizard = _choose(qtbot, page, roster)
    _preview(qtbot, wizard)
    (first,) = _import(qtbot, wizard)
    wizard.close_button.click()

    wizard = _choose(qtbot, page, roster)
    _preview(qtbot, wizard)
    (again,) = _import(qtbot, wizard)
    assert again.already_imported and again.batch_id == first.batch_id
    label = wizard.report_step.already_label
    assert label.isVisible() and f"#{first.batch_id}" in label.text()
    assert not wizard.report_step.tiles.isVisible()
    assert len(app.imports.list_batches()) == 1


def test_a_file_without_the_required_columns_cannot_go_on(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, tmp_path: Path
) -> None:
    path = tmp_path / "names.csv"
    path.write_text("姓名,部门\n张三,销售一部\n", encoding="utf-8")
    wizard = _choose(qtbot, _page(open_window(app)), path)
    _preview(qtbot, wizard)
    assert wizard.preview.missing_label.isVisible()
    assert not wizard.next_button.isEnabled()
    missing = [m for m in wizard.preview.mapping_model.rows if m.column is None and m.required]
    assert [m.field for m in missing] == ["employee_no"]
    wizard.back_button.click()
    assert wizard.current_step is Step.CHOOSE


def test_a_cancelled_import_writes_nothing(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, roster: Path
) -> None:
    window = open_window(app)
    wizard = _choose(qtbot, _page(window), roster)
    _preview(qtbot, wizard)
    gate = threading.Event()
    # Hold the single write thread so the import is still queued when Cancel is pressed.
    window.runner.run(lambda: gate.wait(10), write=True, dialog=False)
    with qtbot.waitSignal(wizard.import_finished, timeout=LOAD_TIMEOUT_MS) as finished:
        wizard.next_button.click()
        assert wizard.cancel_button.isVisible()
        wizard.cancel_button.click()
        gate.set()
    assert finished.args == [None]
    assert wizard.current_step is Step.PROGRESS
    assert "取消" in wizard.progress_label.text()
    assert not wizard.cancel_button.isVisible() and wizard.back_button.isEnabled()
    assert app.imports.list_batches() == []


HRIS = "Staff ID,Full name,Org unit\nH01,赵六,销售一部\nH02,钱七,销售二部\n"
HRIS_COLUMNS = {"employee_no": "Staff ID", "name": "Full name", "department": "Org unit"}


def test_columns_chosen_by_hand_are_saved_and_offered_for_the_next_file(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, tmp_path: Path
) -> None:
    first = tmp_path / "hris-1.csv"
    first.write_text(HRIS, encoding="utf-8")
    page = _page(open_window(app))
    wizard = _choose(qtbot, page, first)
    _preview(qtbot, wizard)
    preview = wizard.preview
    assert preview.missing_label.isVisible() and not wizard.next_button.isEnabled()
    assert preview.change_columns_button.isEnabled()

    wizard.apply_columns(HRIS_COLUMNS)
    qtbot.waitUntil(
        lambda: preview.preview is not None and preview.preview.usable, timeout=LOAD_TIMEOUT_MS
    )
    shown = {m.field: m.column for m in preview.mapping_model.rows}
    assert shown["employee_no"] == "Staff ID" and shown["department"] == "Org unit"
    assert wizard.next_button.isEnabled()

    with qtbot.waitSignal(wizard.mapping_saved, timeout=LOAD_TIMEOUT_MS):
        wizard.save_mapping("HRIS export")
    assert "HRIS export" in preview.mapping_note.text()
    qtbot.waitUntil(
        lambda: wizard.choose.mapping_combo.currentData() == "HRIS export",
        timeout=LOAD_TIMEOUT_MS,
    )
    (report,) = _import(qtbot, wizard)
    assert (report.accepted, report.rejected) == (2, 0)
    wizard.close_button.click()

    second = tmp_path / "hris-2.csv"
    second.write_text(HRIS.replace("H01", "H03").replace("H02", "H04"), encoding="utf-8")
    wizard = _choose(qtbot, page, second)
    combo = wizard.choose.mapping_combo
    qtbot.waitUntil(lambda: combo.findData("HRIS export") >= 0, timeout=LOAD_TIMEOUT_MS)
    combo.setCurrentIndex(combo.findData("HRIS export"))
    _preview(qtbot, wizard)
    assert preview.preview is not None and preview.preview.usable
    (report,) = _import(qtbot, wizard)
    assert report.accepted == 2
    assert [p.name for p in app.import_mappings.saved("employees")] == ["HRIS export"]


def test_the_column_dialog_refuses_one_column_for_two_fields(qtbot: QtBot, app: App) -> None:
    from workstation.gui.imports.column_mapping_dialog import ColumnMappingDialog
    from workstation.i18n import Translator

    dialog = ColumnMappingDialog(
        Translator("en"), "employees", ("Staff ID", "Full name", "Org unit"), HRIS_COLUMNS
    )
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.chosen()["name"] == "Full name" and dialog.problem() is None
    assert ok.isEnabled()
    dialog.combos["department"].setCurrentIndex(dialog.combos["department"].findData("Full name"))
    assert not ok.isEnabled()
    assert "Full name" in dialog.problem_label.text()
    dialog.combos["name"].setCurrentIndex(0)  # (not read)
    assert not ok.isEnabled()
    assert "required" in (dialog.problem() or "")


def test_a_file_renaming_many_stored_employees_asks_before_importing(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, tmp_path: Path
) -> None:
    first = tmp_path / "roster.csv"
    first.write_text("工号,姓名\nE001,张三\nE002,李四\nE003,王五\n", encoding="utf-8")
    app.imports.run(first, "employees")
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("工号,姓名\nE001,张三丰\nE002,李四\nE003,王五\n", encoding="utf-8")
    page = _page(open_window(app))
    wizard = _choose(qtbot, page, renamed)
    _preview(qtbot, wizard)

    with qtbot.waitSignal(wizard.confirmation_asked, timeout=LOAD_TIMEOUT_MS) as asked:
        wizard.next_button.click()
    assert asked.args[0].needs_confirmation
    assert wizard.current_step is Step.CONFIRM
    step = wizard.confirm_step
    assert "1" in step.reason_label.text() and "3" in step.reason_label.text()
    (change,) = step.changes_model.rows
    assert (change.row, change.key, change.old, change.new) == (2, "E001", "张三", "张三丰")
    assert wizard.next_button.isVisible() and wizard.next_button.isEnabled()
    assert wizard.next_button.text() == "按这些修改导入"
    assert app.employees.list_employees()[0].name == "张三"  # nothing written yet

    wizard.back_button.click()
    assert wizard.current_step is Step.PREVIEW
    with qtbot.waitSignal(wizard.confirmation_asked, timeout=LOAD_TIMEOUT_MS):
        wizard.next_button.click()
    (report,) = _import(qtbot, wizard)
    assert wizard.current_step is Step.REPORT
    assert not report.needs_confirmation and report.accepted == 1 and len(report.changes) == 1
    assert app.employees.list_employees()[0].name == "张三丰"


def test_a_customer_list_is_read_as_of_its_day_and_its_warnings_are_listed(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, tmp_path: Path
) -> None:
    """The as-of field is offered for customer lists only, takes the day the file's name
    carries, and the report says which day it read the owners as of and lists what it kept
    with a warning; the employee file shows a holding without a known start as such."""
    roster = tmp_path / "roster.csv"
    roster.write_text("工号,姓名\nS1,张伟\n", encoding="utf-8")
    assert app.imports.run(roster, "employees").accepted == 1
    master = tmp_path / "客户主数据_20240519.csv"
    master.write_text(
        "客户编号,客户名称,地址,纬度,经度,负责人工号,分配日期\n"
        "C1,成都精工,成都市武侯区,30.6,104.05,S1,\n"
        "C2,重庆电子,重庆市渝北区,,,S1,2023-05-01\n",
        encoding="utf-8",
    )
    window = open_window(app)
    page = _page(window)
    wizard = _choose(qtbot, page, roster)
    choose = wizard.choose
    assert choose.as_of() is None and not choose.as_of_edit.isVisible()
    choose.path_edit.setText(str(master))
    choose.set_kind("customers")
    assert choose.as_of_edit.isVisible()
    assert choose.as_of() == date(2024, 5, 19)
    _preview(qtbot, wizard)
    (report,) = _import(qtbot, wizard)
    assert report.as_of == date(2024, 5, 19) and report.accepted == 2
    shown = wizard.report_step
    tr = wizard._tr
    assert shown.as_of_label.isVisible()
    assert shown.as_of_label.text() == tr("Owners and statuses read as of {day}", day="2024-05-19")
    assert shown.warnings_table.isVisible()
    (warning,) = shown.warnings_model.rows
    assert (warning.row, warning.field) == (3, "lat") and "C2" in warning.message
    cell = shown.warnings_model.index(0, 2).data()
    assert "C2" in cell and cell != warning.message  # translated (zh_CN)
    assert field_label(tr, "customers", "as_of") == tr("List as of")  # the assumed-day warning

    file = app.employees.employee_file(app.employees.list_employees()[0].id)
    starts = {o.customer_code: o.start_date for o in file.ownerships}
    assert starts == {"C1": None, "C2": date(2023, 5, 1)}
    model = OwnershipTableModel(tr)
    model.set_rows(file.ownerships)
    held_from = {model.index(r, 0).data(): model.index(r, 2).data() for r in range(2)}
    assert held_from == {"C1": tr("before the records"), "C2": "2023-05-01"}


CUSTOMERS = (
    "客户编号,客户名称,纬度,经度\nC001,成都甲机械有限公司,30.66,104.06\nC002,成都乙精密有限公司,,\n"
)


def test_the_readiness_report_shows_in_imports_and_after_an_import(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, tmp_path: Path
) -> None:
    """Issue 11 §5: the Imports area shows what the data lets Casework see; the wizard's last
    step takes it again once the import finished, naming the kind to import as the wizard
    does; back in the list, the area's report is the new one."""
    window = open_window(app)
    page = _page(window)
    panel = page.readiness_panel
    assert panel is not None
    qtbot.waitUntil(lambda: panel.report is not None, timeout=LOAD_TIMEOUT_MS)
    assert panel.report is not None
    assert panel.report.day is None  # nothing dated yet
    assert panel.report.gap(Gap.CUSTOMERS_WITHOUT_POSITION).total == 0

    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    wizard = _choose(qtbot, page, path, "customers")
    _preview(qtbot, wizard)
    shown = wizard.readiness_panel
    assert shown is not None
    with qtbot.waitSignal(shown.loaded, timeout=LOAD_TIMEOUT_MS) as loaded:
        _import(qtbot, wizard)
    report = loaded.args[0]
    line = report.gap(Gap.CUSTOMERS_WITHOUT_POSITION)
    assert (line.count, line.total, line.examples) == (1, 2, ("C002",))
    assert wizard.current_step is Step.REPORT and shown.isVisible()
    row = next(s for s in shown.shown if s.key == Gap.CUSTOMERS_WITHOUT_POSITION.value)
    assert row.attention and "C002" in row.examples
    assert kind_label(window.tr_, "customers") in row.fix

    with qtbot.waitSignal(panel.loaded, timeout=LOAD_TIMEOUT_MS) as reloaded:
        wizard.close_button.click()
    assert reloaded.args[0].gap(Gap.CUSTOMERS_WITHOUT_POSITION).count == 1
    assert panel.isVisible() and not page.showing_wizard()


def test_the_batch_list_writes_counts_with_thousands_separators(
    open_window: Callable[[App], MainWindow], app: App
) -> None:
    """A track file of 51,738 rows reads as such in the list, as the readiness panel does."""
    page = _page(open_window(app))
    started = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
    page.model.set_rows(
        [BatchRow(54, "tracks", "轨迹.csv", None, started, "done", 51738, 51700, 38, 0, "hr")]
    )
    shown = [page.model.index(0, c).data() for c in range(5, 9)]
    assert shown == ["51,738", "51,700", "38", "0"]
