"""The employee file's Cases tab (the case archive, opening a document) and Communications tab
(read only when opened, every read audited), and both hidden from roles that may not see them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from acting import sign_in_as, sign_in_without_user
from gui_helpers import LOAD_TIMEOUT_MS, diverter
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from archive_cases import NOTICE_PDF, build_archive_cases
from case_world import CaseWorld

from workstation.app import App
from workstation.cases.archive import DocumentSource
from workstation.communications.service import READ_ACTION
from workstation.domain.enums import Role
from workstation.gui.background import BackgroundRunner
from workstation.gui.employees.file_tabs import employee_file_view
from workstation.gui.employees.file_view import EmployeeFileView
from workstation.i18n import Translator
from workstation.store.models import AuditEntry


@pytest.fixture
def runner(qtbot: Any) -> Iterator[BackgroundRunner]:
    background = BackgroundRunner()
    yield background
    background.shutdown()


def _file_view(qtbot: Any, app: App, runner: BackgroundRunner, locale: str) -> EmployeeFileView:
    view = employee_file_view(app, runner, Translator(locale, app.clock))
    qtbot.addWidget(view)
    view.resize(1300, 820)
    view.show()
    return view


def _open(qtbot: Any, view: EmployeeFileView, runner: BackgroundRunner, employee_id: int) -> None:
    with qtbot.waitSignal(view.loaded, timeout=LOAD_TIMEOUT_MS):
        view.open_employee(employee_id)
    qtbot.waitUntil(lambda: runner.active_count == 0, timeout=LOAD_TIMEOUT_MS)


def _audit(app: App, action: str) -> list[tuple[str, str | None, dict[str, Any]]]:
    with app.uow() as u:
        return [
            (e.actor, e.entity_id, json.loads(e.details_json))
            for e in u.session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        ]


def test_communications_are_read_only_when_the_tab_is_opened_and_each_read_is_audited(
    qtbot: Any, demo_app: App, runner: BackgroundRunner
) -> None:
    target = diverter(demo_app)
    view = _file_view(qtbot, demo_app, runner, "en")
    tab = view.communications_tab
    assert tab is not None
    before = len(_audit(demo_app, READ_ACTION))
    _open(qtbot, view, runner, target.id)
    index = view.tabs.indexOf(tab)
    assert view.tabs.isTabVisible(index) and view.tabs.tabText(index) == "Communications"
    assert tab.model.rowCount() == 0 and len(_audit(demo_app, READ_ACTION)) == before

    with qtbot.waitSignal(tab.loaded, timeout=LOAD_TIMEOUT_MS) as shown:
        view.tabs.setCurrentWidget(tab)
    assert shown.args[0] > 0 and tab.model.rowCount() == shown.args[0]
    reads = _audit(demo_app, READ_ACTION)
    assert len(reads) == before + 1
    actor, entity, details = reads[-1]
    assert (actor, entity, details["records"]) == ("hr.zhou", target.employee_no, shown.args[0])
    assert "audit log" in tab.audit_note.text() and tab.audit_note.isVisible()
    assert str(shown.args[0]) in tab.count_label.text()
    # The diverter's chats with the rival's contact are there, in words.
    counterparts = [r.counterpart for r in tab.model.rows]
    assert any(c.startswith(("刘经理（", "刘经理(")) for c in counterparts)
    channel = tab.model.column_headers().index("Channel")
    assert tab.model.index(0, channel).data() in {"WeCom", "Phone call", "DingTalk", "WeChat"}
    tab.table.setCurrentIndex(tab.model.index(0, 0))
    assert tab.model.rows[0].counterpart in tab.message_view.toPlainText()

    # Back and forth between tabs reads nothing again; "Show" reads the chosen period.
    view.tabs.setCurrentIndex(0)
    view.tabs.setCurrentWidget(tab)
    assert len(_audit(demo_app, READ_ACTION)) == before + 1
    until = tab.until_edit.date()
    tab.since_edit.setDate(until.addDays(-2))
    with qtbot.waitSignal(tab.loaded, timeout=LOAD_TIMEOUT_MS):
        qtbot.mouseClick(tab.show_button, Qt.MouseButton.LeftButton)
    reads = _audit(demo_app, READ_ACTION)
    assert len(reads) == before + 2
    assert reads[-1][2]["since"] == until.addDays(-2).toPython().isoformat()
    assert tab.model.rowCount() <= shown.args[0]
    view.tabs.setCurrentIndex(0)


def test_the_cases_tab_shows_the_archive_and_opens_a_document_after_logging_it(
    qtbot: Any,
    app: App,
    runner: BackgroundRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = CaseWorld(app.uow, app.evidence)
    built = build_archive_cases(world, tmp_path)
    opened_urls: list[QUrl] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", staticmethod(lambda url: opened_urls.append(url) or True)
    )
    view = _file_view(qtbot, app, runner, "zh_CN")
    tab = view.archive_tab
    assert tab is not None
    _open(qtbot, view, runner, world.emp["zhang"])
    index = view.tabs.indexOf(tab)
    assert view.tabs.isTabVisible(index) and view.tabs.tabText(index) == "案件 (4)"
    view.tabs.setCurrentWidget(tab)
    tab.opener.has_viewer = lambda _media_type: True  # the desktop has a PDF reader
    numbers = [c.number for c in tab.case_model.rows]
    assert numbers == [built.decided, built.withdrawn, built.rejected, built.closed]
    state = tab.case_model.column_headers().index("状态")
    assert tab.case_model.index(3, state).data() == "已结案"
    decision = tab.case_model.column_headers().index("决定")
    assert tab.case_model.index(3, decision).data() == "解除劳动合同"

    tab.case_table.setCurrentIndex(tab.case_model.index(3, 0))
    assert "hr.li" in tab.outcome_label.text() and "严重违纪" in tab.outcome_label.text()
    kinds = [(d.source, d.kind) for d in tab.document_model.rows]
    assert kinds == [
        (DocumentSource.EVIDENCE, "file"),
        (DocumentSource.GENERATED, "termination_notice"),
    ]
    assert tab.document_model.index(1, 0).data() == "解除劳动合同通知书（中文）"
    assert len(_audit(app, "case.document_viewed")) == 0

    row = tab.document_table.visualRect(tab.document_model.index(1, 0)).center()
    # A double-click is a press, a release and a double-click event on the same row.
    qtbot.mouseClick(tab.document_table.viewport(), Qt.MouseButton.LeftButton, pos=row)
    with qtbot.waitSignal(tab.document_opened, timeout=LOAD_TIMEOUT_MS) as opened:
        qtbot.mouseDClick(tab.document_table.viewport(), Qt.MouseButton.LeftButton, pos=row)
    path = opened.args[0]
    assert Path(path).read_bytes() == NOTICE_PDF
    assert [u.toLocalFile() for u in opened_urls] == [str(path)]
    viewed = _audit(app, "case.document_viewed")
    assert [(e[1], e[2]["kind"]) for e in viewed] == [(built.closed, "termination_notice")]

    # A rejected case: no decision, who rejected it and why.
    tab.case_table.setCurrentIndex(tab.case_model.index(2, 0))
    assert tab.case_model.index(2, decision).data() == "无决定"
    assert "legal.zhao" in tab.outcome_label.text() and "证据不足" in tab.outcome_label.text()
    assert tab.no_documents.isVisible() and not tab.document_table.isVisible()


def test_the_tabs_are_hidden_from_roles_that_may_not_see_them(
    qtbot: Any, app: App, runner: BackgroundRunner
) -> None:
    view = _file_view(qtbot, app, runner, "en")
    cases, comms = view.archive_tab, view.communications_tab
    assert cases is not None and comms is not None
    cases_at, comms_at = view.tabs.indexOf(cases), view.tabs.indexOf(comms)
    assert view.tabs.isTabVisible(cases_at) and view.tabs.isTabVisible(comms_at)

    view.tabs.setCurrentIndex(comms_at)
    sign_in_without_user(app, Role.LEGAL)  # cases yes, communications no
    view.update_tab_visibility()
    assert view.tabs.isTabVisible(cases_at) and not view.tabs.isTabVisible(comms_at)
    assert view.tabs.currentIndex() == 0
    sign_in_without_user(app, Role.SALES_MANAGER)
    view.update_tab_visibility()
    assert not view.tabs.isTabVisible(comms_at)
    app.session.sign_out()
    view.update_tab_visibility()
    assert not view.tabs.isTabVisible(cases_at) and not view.tabs.isTabVisible(comms_at)
    sign_in_as(app, Role.AUDITOR)
    view.update_tab_visibility()
    assert view.tabs.isTabVisible(cases_at) and view.tabs.isTabVisible(comms_at)


def test_a_new_file_forgets_the_last_employees_records(
    qtbot: Any, demo_app: App, runner: BackgroundRunner
) -> None:
    target = diverter(demo_app)
    view = _file_view(qtbot, demo_app, runner, "zh_CN")
    tab = view.communications_tab
    assert tab is not None
    _open(qtbot, view, runner, target.id)
    with qtbot.waitSignal(tab.loaded, timeout=LOAD_TIMEOUT_MS):
        view.tabs.setCurrentWidget(tab)
    assert tab.model.rowCount() > 0 and tab.loaded_for == target.id
    other = next(r for r in demo_app.employees.list_employees() if r.id != target.id)
    # The tab is on screen: the next employee's records are read when their file opens.
    with qtbot.waitSignal(tab.loaded, timeout=LOAD_TIMEOUT_MS):
        view.open_employee(other.id)
    qtbot.waitUntil(lambda: runner.active_count == 0, timeout=LOAD_TIMEOUT_MS)
    assert tab.loaded_for == other.id
    assert all(r.employee_id == other.id for r in tab.model.rows)
    assert tab.since_edit.date() <= tab.until_edit.date() <= QDate.currentDate().addYears(5)
    view.tabs.setCurrentIndex(0)
