"""Opening a case: by hand (choose the employee it is about) or from a confirmed alert (the
alert names the employee; its explanation and the records behind it come along)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from workstation.cases.lookups import EmployeeChoice
from workstation.gui.cases.form_dialog import FormDialog, SearchCombo, plain, text_box
from workstation.i18n import Translator


@dataclass(frozen=True)
class FromAlert:
    """The alert a case is opened from, as the alert view shows it."""

    alert_id: int
    revision: int
    employee_id: int
    employee_label: str
    #: The rules that fired, in the reader's words.
    rules: str


@dataclass(frozen=True)
class NewCase:
    subject_employee_id: int | None
    title: str
    summary: str | None
    alert: FromAlert | None = None


def employee_text(e: EmployeeChoice) -> str:
    return "  ".join(p for p in (e.name, e.employee_no, e.department or "") if p)


class NewCaseDialog(FormDialog):
    def __init__(
        self,
        tr: Translator,
        employees: Sequence[EmployeeChoice] = (),
        *,
        alert: FromAlert | None = None,
        parent: QWidget | None = None,
    ) -> None:
        if alert is None:
            intro = tr(
                "Open a case on an employee by hand. It starts as a draft: add allegations and "
                "evidence, then request the investigation."
            )
        else:
            intro = tr(
                "Open a case from alert #{id}. The alert is escalated to the case; why it "
                "fired goes into the timeline and the records behind it become evidence, "
                "frozen as they are now.",
                id=alert.alert_id,
            )
        super().__init__(tr, tr("New case"), intro, tr("Open case"), parent, width=560)
        self.alert = alert
        self.subject = SearchCombo(
            [(employee_text(e), e.id) for e in employees],
            preselect=False,
            placeholder=tr("Type a name or employee number"),
        )
        if alert is None:
            self.add_row(tr("Employee"), self.subject)
        else:
            who = QLabel(alert.employee_label)
            who.setObjectName("sectionTitle")
            self.add_row(tr("Employee"), who)
            fired = QLabel(alert.rules)
            fired.setWordWrap(True)
            self.add_row(tr("Why it fired"), fired)
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(300)
        self.title_edit.setPlaceholderText(tr("e.g. suspected transfer of customers to a rival"))
        self.add_row(tr("Case title"), self.title_edit)
        self.summary_edit = text_box(
            tr("What is known so far (optional; kept as the case's first note)"), 90
        )
        self.add_row(tr("Summary"), self.summary_edit)
        self.watch(self.subject, self.title_edit)

    def set_title(self, text: str) -> None:
        self.title_edit.setText(text)

    def set_summary(self, text: str) -> None:
        self.summary_edit.setPlainText(text)

    def choose_employee(self, employee_id: int) -> None:
        self.subject.choose(employee_id)

    def complete(self) -> bool:
        if not self.title_edit.text().strip():
            return False
        return self.alert is not None or self.subject.value() is not None

    def chosen(self) -> NewCase:
        subject = None if self.alert is not None else self.subject.value()
        return NewCase(
            subject_employee_id=subject,
            title=self.title_edit.text().strip(),
            summary=plain(self.summary_edit) or None,
            alert=self.alert,
        )
