"""Recording that the labour union was notified of a proposed termination (PRC Labour
Contract Law, art. 43): when, and the reference of the notification."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit, QLineEdit, QWidget

from workstation.gui.cases.form_dialog import FormDialog
from workstation.i18n import Translator


class UnionDialog(FormDialog):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(
            tr,
            tr("Record union notification"),
            tr(
                "Before a termination's notice is served, the labour union must be told of it "
                "(PRC Labour Contract Law, art. 43). Record when it was notified and the "
                "reference of the letter."
            ),
            tr("Record"),
            parent,
        )
        self.reference_edit = QLineEdit()
        self.reference_edit.setMaxLength(200)
        self.reference_edit.setPlaceholderText(tr("e.g. 工会函〔2026〕1号"))
        self.add_row(tr("Reference"), self.reference_edit)
        #: The time is on the company's clock (its day is the one the notice dialog counts).
        self._zone = tr.zone
        now = tr.clock.local_now()
        self.when_edit = QDateTimeEdit(
            QDateTime(QDate(now.year, now.month, now.day), QTime(now.hour, now.minute))
        )
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        zone = tr.clock.zone_label(tr.locale)
        self.add_row(tr("Notified at ({zone})", zone=zone), self.when_edit)
        self.watch(self.reference_edit)

    def set_reference(self, text: str) -> None:
        self.reference_edit.setText(text)

    def complete(self) -> bool:
        return bool(self.reference_edit.text().strip())

    def chosen(self) -> tuple[str, datetime]:
        """(reference, when: the time entered, on the company's clock)."""
        local = self.when_edit.dateTime().toPython()
        assert isinstance(local, datetime)
        return self.reference_edit.text().strip(), local.replace(tzinfo=self._zone)
