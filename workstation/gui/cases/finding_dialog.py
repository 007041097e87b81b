"""The finding on one allegation: substantiated, unsubstantiated or inconclusive, and why."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from workstation.domain.cases import Finding
from workstation.gui.cases.form_dialog import FormDialog, plain, text_box
from workstation.gui.cases.labels import finding_label
from workstation.i18n import Translator


class FindingDialog(FormDialog):
    def __init__(
        self,
        tr: Translator,
        allegation: str,
        current: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            tr,
            tr("Record finding"),
            tr(
                "What the investigation established about this allegation. A warning, "
                "termination or referral must rest on at least one substantiated allegation."
            ),
            tr("Record finding"),
            parent,
        )
        shown = QLabel(allegation)
        shown.setWordWrap(True)
        shown.setObjectName("sectionTitle")
        self.add_row(tr("Allegation"), shown)
        self.finding_box = QComboBox()
        for finding in Finding:
            self.finding_box.addItem(finding_label(tr, finding.value), finding.value)
        if current:
            self.set_finding(current)
        self.add_row(tr("Finding"), self.finding_box)
        self.note_edit = text_box(tr("What supports it: records, interviews, documents"), 90)
        self.add_row(tr("Finding note"), self.note_edit)

    def set_finding(self, value: str) -> None:
        self.finding_box.setCurrentIndex(max(self.finding_box.findData(value), 0))

    def set_note(self, text: str) -> None:
        self.note_edit.setPlainText(text)

    def chosen(self) -> tuple[str, str | None]:
        return str(self.finding_box.currentData()), plain(self.note_edit) or None
