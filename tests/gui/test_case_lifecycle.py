"""A case from a confirmed alert to closed, in the main window of a copy of the demo, driving
the real widgets: HR reviews and confirms the fake-field-work alert and opens a case from it,
adds an allegation, a task and a file, requests the investigation; the administrator gives
the manager approval to the sales manager (the subject's own manager has no account); the
sales manager and legal approve (signed); HR records the finding, proposes a termination,
both approve; HR records the union's notification, decides (signed), generates and opens the
termination notice, serves it and closes the case."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from case_demo import (
    TIMEOUT_MS,
    copy_demo,
    opened_by,
    scenario_alert,
    settle,
)
from PySide6.QtWidgets import QInputDialog

from workstation.app import App
from workstation.demo.company import DEMO_FIELDWORK_RULE, DEMO_RULES
from workstation.demo.signing_keys import DEMO_KEY_PASSPHRASES
from workstation.gui.cases.case_detail import CaseDetailView
from workstation.gui.main_window import Area, MainWindow


@pytest.fixture
def demo_copy(demo_app: App, tmp_path: Path) -> Iterator[App]:
    app = copy_demo(demo_app, tmp_path / "data")
    yield app
    app.close()


@pytest.fixture
def passphrase_typed(monkeypatch: pytest.MonkeyPatch, demo_copy: App) -> list[str]:
    """No keyring keeps the signing keys' passphrases here: the window asks for them (its
    ``PassphrasePrompter``), and the signer types their own demo passphrase (the dialog names
    whose key it opens)."""
    asked: list[str] = []

    def get_text(_parent: Any, _title: str, label: str, *_args: Any) -> tuple[str, bool]:
        asked.append(label)
        who = demo_copy.session.current()
        assert who is not None and f"{who.username}）" in label, label
        return DEMO_KEY_PASSPHRASES[who.username], True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))
    return asked


class Driver:
    """Clicks through the main window, waiting for each save and reload."""

    def __init__(self, qtbot: Any, window: MainWindow, app: App) -> None:
        self.qtbot, self.window, self.app = qtbot, window, app
        self.page = window.cases_page
        self.view: CaseDetailView = self.page.detail_view

    def settle(self) -> None:
        settle(self.qtbot, self.window.runner)

    def saves(self, action: Callable[[], object]) -> None:
        """Run ``action`` (a click, a dialog accepted) and wait until the change is saved and
        the case reloaded; a refusal fails the test with the banner's text."""
        seen: list[object] = []
        self.view.changed.connect(seen.append)
        self.view.problem_shown.connect(seen.append)
        try:
            action()
            self.qtbot.waitUntil(lambda: bool(seen), timeout=TIMEOUT_MS)
        finally:
            self.view.changed.disconnect(seen.append)
            self.view.problem_shown.disconnect(seen.append)
        assert not isinstance(seen[0], str), seen[0]
        self.settle()

    def move(self, target: str) -> None:
        self.saves(self.view.transition_buttons[target].click)
        assert self.state() == target

    def state(self) -> str:
        case = self.view.case
        assert case is not None
        return case.state.value

    def sign_in(self, username: str) -> None:
        self.app.session.sign_in(self.app.cases.identity_of(username))
        with self.qtbot.waitSignal(self.page.cases_loaded, timeout=TIMEOUT_MS):
            self.page.show_list()
        self.settle()

    def open(self, number: str) -> None:
        with self.qtbot.waitSignal(self.view.loaded, timeout=TIMEOUT_MS):
            self.page.open_case(number)
        self.settle()

    def approve(self, username: str, number: str) -> None:
        self.sign_in(username)
        assert number in self.page.awaiting, (username, self.page.awaiting)
        self.page.list_view.awaiting_filter.setChecked(True)
        shown = self.page.list_view.visible_cases()
        assert [c.number for c in shown] == [number]
        self.page.list_view.awaiting_filter.setChecked(False)
        self.open(number)
        tabs = self.view.tabs
        assert self.view.transition_buttons == {}  # approvers do not move the case
        assert tabs.add_task_button.isHidden() and tabs.add_allegation_button.isHidden()
        assert self.view.approve_button.isVisible() and self.view.approve_button.isEnabled()
        assert "等待您审批" in self.view.pending_label.text()
        self.view.approve_button.click()
        dialog = self.view.decision_dialog
        assert dialog is not None
        self.saves(dialog.accept)

    def dialog(self, button: Any, controller: Any = None) -> Any:
        """Click ``button`` and return the dialog it opens (of the edits, or ``controller``)."""
        signal = (controller or self.view.edits).dialog_opened
        return opened_by(self.qtbot, signal, button.click)

    def texts(self, model: Any, row: int = 0) -> list[str]:
        return [str(model.index(row, c).data()) for c in range(model.columnCount())]


def test_a_case_walks_from_a_confirmed_alert_to_closed(
    qtbot: Any,
    open_window: Callable[[App], MainWindow],
    demo_copy: App,
    tmp_path: Path,
    passphrase_typed: list[str],
) -> None:
    app = demo_copy
    window = open_window(app)
    alerts = window.alerts_page
    d = Driver(qtbot, window, app)

    # HR: review and confirm the alert, then open a case from it.
    alert = scenario_alert(app, "fake_fieldwork")
    window.show_area(Area.ALERTS)
    detail = alerts.detail_view
    with qtbot.waitSignal(detail.loaded, timeout=TIMEOUT_MS):
        alerts.open_alert(alert.id)
    for button in (detail.review_button, detail.confirm_button):
        assert button.isVisible()
        with qtbot.waitSignal(detail.loaded, timeout=TIMEOUT_MS):
            button.click()
    assert detail.escalate_button.isVisible() and detail.escalate_button.text() == "立案…"
    dialog = opened_by(qtbot, window.cases_page.dialog_opened, detail.escalate_button.click)
    assert window.current_area() is Area.CASES
    assert alert.employee_name in dialog.title_edit.text() and dialog.ok_button.isEnabled()
    dialog.set_summary("连续多日外勤打卡地点与轨迹不符")
    with (
        qtbot.waitSignal(d.view.loaded, timeout=TIMEOUT_MS),
        qtbot.waitSignal(window.cases_page.case_created, timeout=TIMEOUT_MS) as created,
    ):
        dialog.accept()
    d.settle()
    number = created.args[0].number
    assert d.state() == "draft" and number in d.view.title_label.text()
    assert f"来自预警 #{alert.id}" in d.view.facts_label.text()
    kinds = [e.kind for e in d.view.tabs.timeline_model.rows]
    assert kinds[:2] == ["opened", "alert_explanation"] and "note_added" in kinds
    evidence = d.view.tabs.evidence_model.rows
    assert evidence and evidence[0].kind == "alert"
    assert d.texts(d.view.tabs.evidence_model)[1].startswith("预警 #")  # title in Chinese
    assert app.alerts.get(alert.id).status.value == "escalated"
    # The alert view (now behind the Cases area) was reloaded: it offers the case.
    qtbot.waitUntil(
        lambda: detail.alert is not None and detail.alert.case_id is not None, timeout=TIMEOUT_MS
    )
    assert not detail.case_button.isHidden() and detail.escalate_button.isHidden()

    # HR: an allegation, a task, a file; then ask for the investigation.
    finding_button = d.view.tabs.finding_button  # findings come under investigation
    assert not finding_button.isEnabled() and "调查中" in finding_button.toolTip()
    allegation = d.dialog(d.view.tabs.add_allegation_button)
    allegation.set_text("虚报外勤：打卡地点与实际轨迹不符")
    d.saves(allegation.accept)
    task = d.dialog(d.view.tabs.add_task_button)
    task.set_title("约谈员工本人")
    d.saves(task.accept)
    note = tmp_path / "客户确认函.txt"
    note.write_text("客户确认当日未见到该员工。", encoding="utf-8")
    d.view.files.file_chooser = lambda: note
    d.saves(d.view.tabs.link_file_button.click)
    assert "文件 客户确认函.txt" in [
        d.texts(d.view.tabs.evidence_model, r)[1]
        for r in range(d.view.tabs.evidence_model.rowCount())
    ]
    d.move("investigation_requested")
    assert "须由系统管理员指定替代审批人" in d.view.pending_label.text()

    # Administrator: the subject's manager has no account, so the sales manager approves.
    d.sign_in("admin")
    assert not window.cases_page.new_button.isVisible()
    d.open(number)
    assert d.view.transition_buttons == {} and not d.view.approve_button.isVisible()
    alternate = d.dialog(d.view.tabs.alternate_button)
    alternate.choose_user(app.cases.identity_of("sales.manager").user_id)
    d.saves(alternate.accept)
    assert [p.role for p in d.view.tabs.parties_model.rows] == ["alternate_approver"]

    d.approve("sales.manager", number)
    d.approve("legal.sun", number)
    assert [a.decision for a in d.view.tabs.approvals_model.rows] == ["approved", "approved"]
    assert "有效" in d.texts(d.view.tabs.approvals_model, 1)
    d.view.hold_button.click()
    hold = d.view.hold_dialog
    assert hold is not None
    hold.set_reason("可能进入劳动仲裁")
    hold.confirm_box.setChecked(True)
    d.saves(hold.accept)
    assert "法律保全：开启" in d.view.facts_label.text()

    # HR: investigate, find, propose a termination.
    d.sign_in("hr.zhou")
    d.open(number)
    d.move("under_investigation")
    d.view.tabs.select_row(d.view.tabs.allegations_table, 0)
    finding = d.dialog(d.view.tabs.finding_button)
    finding.set_finding("substantiated")
    finding.set_note("轨迹与打卡记录、客户确认函相互印证")
    d.saves(finding.accept)
    assert d.view.tabs.allegations_model.rows[0].finding == "substantiated"
    d.view.tabs.note_edit.setPlainText("已约谈员工，本人承认虚报")
    d.saves(d.view.tabs.add_note_button.click)
    d.view.tabs.select_row(d.view.tabs.tasks_table, 0)
    d.saves(d.view.tabs.complete_task_button.click)
    assert d.view.tabs.tasks_model.rows[0].done_at is not None
    d.move("findings_recorded")
    d.view.transition_buttons["disposition_proposed"].click()
    proposal = d.view.transition_dialog
    assert proposal is not None
    proposal.set_disposition("termination")
    proposal.set_reason("严重违反公司规章制度")
    d.saves(proposal.accept)
    assert d.state() == "disposition_proposed"

    d.approve("sales.manager", number)
    d.approve("legal.sun", number)

    # HR: the union's notification, the signed decision, the notice; served and closed.
    d.sign_in("hr.zhou")
    d.open(number)
    assert d.view.union_button.isVisible()
    union = opened_by(qtbot, d.view.edits.dialog_opened, d.view.union_button.click)
    union.set_reference("工会函〔2026〕7号")
    d.saves(union.accept)
    assert "工会函〔2026〕7号" in d.view.facts_label.text()
    d.view.transition_buttons["decided"].click()
    decision = d.view.transition_dialog
    assert decision is not None
    d.saves(decision.accept)
    assert d.state() == "decided"
    notice = d.dialog(d.view.tabs.generate_button, d.view.files)
    notice.set_kind("termination_notice")
    # The case is about faked field work: its rule is proposed, not the diversion rule.
    assert notice.chosen_rule() == DEMO_FIELDWORK_RULE
    assert notice.rule_article.text() == "第七章第五条" and notice.rule_article.isReadOnly()
    assert [notice.rule_box.itemData(i) for i in range(notice.rule_box.count())] == [
        *DEMO_RULES,
        None,
    ]
    facts = notice.facts_edit.toPlainText()
    assert facts == "虚报外勤：打卡地点与实际轨迹不符（轨迹与打卡记录、客户确认函相互印证）。"
    d.saves(notice.accept)
    assert [doc.kind for doc in d.view.tabs.documents_model.rows] == ["termination_notice"]
    opened: list[Path] = []
    d.view.files.opener.has_viewer = lambda _media_type: True
    d.view.files.opener.system_opener = lambda path: opened.append(path) or True
    d.view.tabs.select_row(d.view.tabs.documents_table, 0)
    with qtbot.waitSignal(d.view.files.file_opened, timeout=TIMEOUT_MS):
        d.view.tabs.open_document_button.click()
    assert opened and opened[0].read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):  # the notice cites the case's rule
        printed = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(opened[0]), "-"], capture_output=True, text=True
        ).stdout
        assert "第七章第五条" in printed and "第七章第三条" not in printed
    d.move("notice_served")
    d.move("closed")

    assert d.view.state_badge.text() == "已结案"
    assert d.view.tabs.add_task_button.isHidden() and d.view.tabs.note_edit.isHidden()
    assert set(d.view.transition_buttons) == {"reopened"}
    approvals = d.view.tabs.approvals_model.rows
    assert [(a.step, a.decision) for a in approvals] == [
        ("investigation", "approved"),
        ("investigation", "approved"),
        ("disposition", "approved"),
        ("disposition", "approved"),
        ("decision", "approved"),
    ]
    assert all(d.view.tabs.check_of(a).valid for a in approvals)
    assert not d.view.banner.isVisible()
    # the signatures were made with passphrases typed into the window's own prompt
    assert passphrase_typed and all("签名" in label for label in passphrase_typed)
