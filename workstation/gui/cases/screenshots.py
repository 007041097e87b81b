"""Screenshots of the Cases area on a demo database, for the docs and for looking at it.

    workstation --data-dir /tmp/cw-demo demo --headless --seed 7 --end-date 2026-10-30
    xvfb-run -a env QT_QPA_PLATFORM=xcb python -m workstation.gui.cases.screenshots OUTDIR \\
        --data-dir /tmp/cw-demo [--lang zh_CN|en]

It **changes the database**: it walks the fake-field-work alert into a new case (review,
confirm, open a case, an allegation, the approvals...), so run it on a throwaway demo. Writes
``cases.png`` (the list), ``case.png`` (the diverter's served case: its timeline),
``case_approvals.png``, ``case_documents.png``, ``case_evidence.png``, ``case_new.png`` (by
hand), ``case_from_alert.png``, ``case_draft.png``, ``case_allegation.png``,
``case_alternate.png``, ``cases_awaiting.png``, ``case_awaiting.png`` and ``case_approve.png``
(the sales manager's inbox, the case waiting for him, his approval), ``case_finding.png``,
``case_union.png``, ``case_document.png`` and ``case_proposed.png``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QWidget

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.demo.people import DEMO_PASSWORD
from workstation.domain.cases import CaseState
from workstation.gui.application import create_main_window, create_qapplication
from workstation.gui.cases.from_alert import connect_alerts_to_cases
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.waiting import pause, wait_signal, wait_until
from workstation.i18n import Translator

WINDOW_SIZE = (1400, 900)
TIMEOUT_MS = 90_000


class Shooter:
    def __init__(self, app: App, window: MainWindow, out: Path) -> None:
        self.app, self.window, self.out = app, window, out
        self.page = window.cases_page
        self.view = self.page.detail_view

    def idle(self) -> None:
        if not wait_until(lambda: self.window.runner.active_count == 0, TIMEOUT_MS):
            raise TimeoutError("the workstation did not finish in time")
        pause(300)

    def save(self, widget: QWidget, name: str) -> None:
        path = self.out / name
        if not widget.grab().save(str(path), "PNG"):
            raise OSError(f"could not write {path}")
        print(f"wrote {path}")

    def dialog(self, signal: Any, action: Callable[[], object], name: str) -> Any:
        got: list[QDialog] = []
        signal.connect(got.append)
        action()
        if not wait_until(lambda: bool(got), TIMEOUT_MS):
            raise TimeoutError(f"no dialog for {name}")
        signal.disconnect(got.append)
        pause(300)
        return got[0]

    def snap(self, dialog: QDialog, name: str) -> None:
        pause(200)
        self.save(dialog, name)

    def accept(self, dialog: QDialog) -> None:
        dialog.accept()
        wait_signal(self.view.loaded, TIMEOUT_MS)
        self.idle()

    def sign_in(self, username: str) -> None:
        self.app.session.sign_in(self.app.cases.identity_of(username))
        self.page.show_list()
        self.idle()

    def open(self, number: str, tab: int = 0) -> None:
        self.page.open_case(number)
        wait_signal(self.view.loaded, TIMEOUT_MS)
        self.idle()
        self.view.tabs.setCurrentIndex(tab)
        pause(200)

    def move(self, target: str) -> None:
        self.view.transition_buttons[target].click()
        wait_signal(self.view.loaded, TIMEOUT_MS)
        self.idle()


def take(app: App, window: MainWindow, out: Path) -> None:
    s = Shooter(app, window, out)
    tabs = s.view.tabs
    window.show_area(Area.CASES)
    s.page.show_list()
    s.idle()
    s.save(window, "cases.png")
    served = [c for c in app.cases.list_cases(app.session.current()) if c.state.value]
    if served:
        number = served[-1].number
        s.open(number, tabs.timeline_index)
        s.save(window, "case.png")
        for index, name in (
            (tabs.approvals_index, "case_approvals.png"),
            (tabs.documents_index, "case_documents.png"),
            (tabs.evidence_index, "case_evidence.png"),
        ):
            tabs.setCurrentIndex(index)
            pause(200)
            s.save(window, name)
    s.page.show_list()
    s.idle()
    new = s.dialog(s.page.dialog_opened, s.page.new_button.click, "case_new")
    new.set_title("疑似虚报外勤")
    s.snap(new, "case_new.png")
    new.reject()

    fake = next(sc for sc in app.demo.scenarios() if sc["kind"] == "fake_fieldwork")
    alert = next(a for a in app.alerts.list_alerts(None) if a.employee_no == fake["employee_no"])
    if alert.status.value == "new":
        alert = app.alerts.start_review(alert.id, alert.revision)
    if alert.status.value == "reviewing":
        alert = app.alerts.confirm(alert.id, alert.revision)
    if alert.status.value != "confirmed":
        return
    window.show_area(Area.ALERTS)
    alerts = window.alerts_page
    alerts.open_alert(alert.id)
    wait_signal(alerts.detail_view.loaded, TIMEOUT_MS)
    s.idle()
    dialog = s.dialog(
        s.page.dialog_opened, alerts.detail_view.escalate_button.click, "case_from_alert"
    )
    dialog.set_summary("连续多日外勤打卡地点与定位轨迹不符")
    s.snap(dialog, "case_from_alert.png")
    dialog.accept()
    wait_signal(s.page.case_created, TIMEOUT_MS)
    wait_signal(s.view.loaded, TIMEOUT_MS)
    s.idle()
    s.save(window, "case_draft.png")
    assert s.view.case is not None
    number = s.view.case.number

    tabs.setCurrentIndex(tabs.allegations_index)
    allegation = s.dialog(
        s.view.edits.dialog_opened, tabs.add_allegation_button.click, "case_allegation"
    )
    allegation.set_text("虚报外勤：打卡地点与实际轨迹不符")
    s.snap(allegation, "case_allegation.png")
    s.accept(allegation)
    s.move(CaseState.INVESTIGATION_REQUESTED.value)

    s.sign_in("admin")
    s.open(number, tabs.parties_index)
    alternate = s.dialog(s.view.edits.dialog_opened, tabs.alternate_button.click, "alternate")
    alternate.choose_user(app.cases.identity_of("sales.manager").user_id)
    alternate.note_edit.setText("调查对象的直属经理没有系统账号")
    s.snap(alternate, "case_alternate.png")
    s.accept(alternate)

    s.sign_in("sales.manager")
    s.page.list_view.awaiting_filter.setChecked(True)
    pause(200)
    s.save(window, "cases_awaiting.png")
    s.page.list_view.awaiting_filter.setChecked(False)
    s.open(number, tabs.timeline_index)
    s.save(window, "case_awaiting.png")
    s.view.approve_button.click()
    approve = s.view.decision_dialog
    assert approve is not None
    s.snap(approve, "case_approve.png")
    s.accept(approve)
    s.sign_in("legal.sun")
    s.open(number)
    s.view.approve_button.click()
    assert s.view.decision_dialog is not None
    s.accept(s.view.decision_dialog)

    s.sign_in("hr.zhou")
    s.open(number, tabs.allegations_index)
    s.move(CaseState.UNDER_INVESTIGATION.value)
    tabs.setCurrentIndex(tabs.allegations_index)
    tabs.select_row(tabs.allegations_table, 0)
    finding = s.dialog(s.view.edits.dialog_opened, tabs.finding_button.click, "finding")
    finding.set_finding("substantiated")
    finding.set_note("定位轨迹、打卡记录与客户确认函相互印证")
    s.snap(finding, "case_finding.png")
    s.accept(finding)
    s.move(CaseState.FINDINGS_RECORDED.value)
    s.view.transition_buttons[CaseState.DISPOSITION_PROPOSED.value].click()
    proposal = s.view.transition_dialog
    assert proposal is not None
    proposal.set_disposition("termination")
    proposal.set_reason("严重违反公司规章制度")
    s.accept(proposal)
    union = s.dialog(s.view.edits.dialog_opened, s.view.union_button.click, "union")
    union.set_reference("工会函〔2026〕7号")
    s.snap(union, "case_union.png")
    union.reject()
    tabs.setCurrentIndex(tabs.documents_index)
    document = s.dialog(s.view.files.dialog_opened, tabs.generate_button.click, "document")
    s.snap(document, "case_document.png")
    document.reject()
    tabs.setCurrentIndex(tabs.timeline_index)
    pause(200)
    s.save(window, "case_proposed.png")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workstation.gui.cases.screenshots")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--data-dir", type=Path, help="data folder holding the demo database")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="language (default: settings)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = load_settings(args.data_dir)
    if args.lang:
        settings = settings.with_preferences(locale=args.lang)
    args.outdir.mkdir(parents=True, exist_ok=True)
    app = open_app(settings)
    if not app.secrets.keyring_available:
        app.secrets.set_ask(lambda _prompt: DEMO_PASSWORD)
    app.session.sign_in(app.cases.identity_of("hr.zhou"))
    try:
        create_qapplication(settings)
        window = create_main_window(app)
        window.resize(*WINDOW_SIZE)
        window.show()
        tr = Translator(settings.preferences.locale, app.clock)
        connect_alerts_to_cases(
            window.alerts_page.detail_view,
            window.cases_page,
            lambda: window.show_area(Area.CASES),
            tr,
        )
        window.cases_page.set_documents(app.documents)
        wait_until(lambda: window.runner.active_count == 0, TIMEOUT_MS)
        take(app, window, args.outdir)
        window.close()
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
