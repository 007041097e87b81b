"""Screenshots of the Cases area on a demo database, for the docs and for looking at it.

    workstation --data-dir /tmp/cw-demo demo --headless --seed 7 --end-date 2026-10-30
    xvfb-run -a env QT_QPA_PLATFORM=xcb python -m workstation.gui.cases.screenshots OUTDIR \\
        --data-dir /tmp/cw-demo [--lang zh_CN|en]

The workstation starts as ``workstation`` starts it (``ScriptedSession``) and each picture is
taken as the demo user who would see it, signed in through the sign-in dialog: hr.zhou, the
administrator, the sales manager, legal.sun. It **changes the database**: it walks the
fake-field-work alert into a new case (review, confirm, open a case, an allegation, the
approvals...), so run it on a throwaway demo. Writes ``cases.png`` (the list), ``case.png``
(the diverter's served case: its timeline), ``case_approvals.png``, ``case_documents.png``,
``case_evidence.png``, ``case_new.png`` (by hand), ``case_from_alert.png``, ``case_draft.png``,
``case_allegation.png``, ``case_alternate.png``, ``cases_awaiting.png``, ``case_awaiting.png``
and ``case_approve.png`` (the sales manager's inbox, the case waiting for him, his approval),
``case_finding.png``, ``case_union.png``, ``case_document.png`` and ``case_proposed.png``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QPushButton, QWidget

from workstation.domain.cases import CaseState
from workstation.gui.cases.case_detail import CaseDetailView
from workstation.gui.cases.cases_page import CasesPage
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.scripted_session import ScriptedSession, run_script, save
from workstation.gui.waiting import pause


class Shooter:
    """The Cases area of whoever is signed in to ``session``."""

    def __init__(self, session: ScriptedSession, out: Path) -> None:
        self.session, self.out = session, out

    @property
    def window(self) -> MainWindow:
        return self.session.window

    @property
    def page(self) -> CasesPage:
        return self.window.cases_page

    @property
    def view(self) -> CaseDetailView:
        return self.page.detail_view

    def idle(self) -> None:
        self.session.idle()

    def save(self, widget: QWidget, name: str) -> None:
        save(widget, self.out / name)

    def dialog(self, signal: Any, action: Callable[[], object], name: str) -> Any:
        got: list[QDialog] = []
        signal.connect(got.append)
        action()
        self.session.wait_for(lambda: bool(got), f"opening the dialog of {name}")
        signal.disconnect(got.append)
        pause(300)
        return got[0]

    def snap(self, dialog: QDialog, name: str) -> None:
        pause(200)
        self.save(dialog, name)

    def accept(self, dialog: QDialog) -> None:
        dialog.accept()
        self.session.wait_signal(self.view.loaded, "saving and reloading the case")
        self.idle()

    def sign_in(self, username: str) -> None:
        """``username`` signs in (the one before signs out) and goes to the Cases area."""
        self.session.sign_in(username)
        self.window.show_area(Area.CASES)
        self.page.show_list()
        self.idle()

    def open(self, number: str, tab: int = 0) -> None:
        self.page.open_case(number)
        self.session.wait_signal(self.view.loaded, f"opening case {number}")
        self.idle()
        self.view.tabs.setCurrentIndex(tab)
        pause(200)

    def move(self, target: str) -> None:
        self.view.transition_buttons[target].click()
        self.session.wait_signal(self.view.loaded, f"moving the case to {target}")
        self.idle()

    def triage(self, button: QPushButton, what: str) -> None:
        """Press an alert's Start review or Confirm, if it is offered."""
        if not (button.isVisible() and button.isEnabled()):
            return
        detail = self.window.alerts_page.detail_view
        button.click()
        self.session.wait_signal(detail.changed, what)
        self.idle()


def take(session: ScriptedSession, out: Path) -> None:
    s = Shooter(session, out)
    s.sign_in("hr.zhou")
    app = session.app
    assert app is not None
    tabs = s.view.tabs
    s.save(s.window, "cases.png")
    served = [c for c in s.page.list_view.model.rows if c.state is CaseState.NOTICE_SERVED]
    if served:
        number = served[-1].number
        s.open(number, tabs.timeline_index)
        s.save(s.window, "case.png")
        for index, name in (
            (tabs.approvals_index, "case_approvals.png"),
            (tabs.documents_index, "case_documents.png"),
            (tabs.evidence_index, "case_evidence.png"),
        ):
            tabs.setCurrentIndex(index)
            pause(200)
            s.save(s.window, name)
    s.page.show_list()
    s.idle()
    new = s.dialog(s.page.dialog_opened, s.page.new_button.click, "case_new")
    new.set_title("疑似虚报外勤")
    s.snap(new, "case_new.png")
    new.reject()

    # The fake field work alert: reviewed and confirmed in the Alerts area, then a case.
    fake = next(sc for sc in app.demo.scenarios() if sc["kind"] == "fake_fieldwork")
    window = s.window
    window.show_area(Area.ALERTS)
    alerts = window.alerts_page
    alerts.reload()
    s.idle()
    rows = alerts.list_view.model.rows
    alert = next(a for a in rows if a.employee_no == fake["employee_no"])
    alerts.open_alert(alert.id)
    detail = alerts.detail_view
    session.wait_for(lambda: detail.detail is not None, "opening the alert")
    s.idle()
    s.triage(detail.review_button, "starting the review")
    s.triage(detail.confirm_button, "confirming the alert")
    dialog = s.dialog(s.page.dialog_opened, detail.escalate_button.click, "case_from_alert")
    dialog.set_summary("连续多日外勤打卡地点与定位轨迹不符")
    s.snap(dialog, "case_from_alert.png")
    dialog.accept()
    session.wait_signal(s.page.case_created, "opening the case")
    session.wait_signal(s.view.loaded, "showing the new case")
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

    # The subject's own manager has no account: the administrator names an alternate.
    s.sign_in("admin")
    s.open(number, s.view.tabs.parties_index)
    tabs = s.view.tabs
    alternate = s.dialog(s.view.edits.dialog_opened, tabs.alternate_button.click, "alternate")
    alternate.choose_user(app.cases.identity_of("sales.manager").user_id)
    alternate.note_edit.setText("调查对象的直属经理没有系统账号")
    s.snap(alternate, "case_alternate.png")
    s.accept(alternate)

    s.sign_in("sales.manager")
    s.page.list_view.awaiting_filter.setChecked(True)
    pause(200)
    s.save(s.window, "cases_awaiting.png")
    s.page.list_view.awaiting_filter.setChecked(False)
    s.open(number, s.view.tabs.timeline_index)
    s.save(s.window, "case_awaiting.png")
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
    tabs = s.view.tabs
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
    s.save(s.window, "case_proposed.png")


def main(argv: list[str] | None = None) -> int:
    return run_script("python -m workstation.gui.cases.screenshots", take, argv)


if __name__ == "__main__":
    sys.exit(main())
