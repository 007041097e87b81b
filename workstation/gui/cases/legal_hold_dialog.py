"""Putting a case on legal hold, or lifting it: what the hold does, the reason (it goes into the
case's timeline), and an explicit confirmation."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QWidget

from workstation.gui.cases.form_dialog import FormDialog, plain, text_box
from workstation.i18n import Translator


class LegalHoldDialog(FormDialog):
    def __init__(
        self, tr: Translator, number: str, on: bool, parent: QWidget | None = None
    ) -> None:
        if on:
            title = tr("Put case {number} on legal hold", number=number)
            intro = tr(
                "While the hold is on, this case and all its evidence are kept from every "
                "retention purge, whatever their age. Say why (for example the arbitration or "
                "lawsuit it is kept for); the reason goes into the case's timeline."
            )
            ok, confirm = (
                tr("Put on legal hold"),
                tr("I confirm: keep this case and its evidence until the hold is lifted."),
            )
        else:
            title = tr("Lift the legal hold of case {number}", number=number)
            intro = tr(
                "Once the hold is lifted, the retention purge may delete this case's evidence "
                "when its retention period is over. Say why the hold is no longer needed; the "
                "reason goes into the case's timeline."
            )
            ok, confirm = (
                tr("Lift the legal hold"),
                tr("I confirm: the case no longer needs to be kept beyond its retention period."),
            )
        super().__init__(tr, title, intro, ok, parent)
        #: True: the dialog puts the hold on; False: it lifts it.
        self.on = on
        self.reason_edit = text_box(tr("Why? (required)"), 80)
        self.add_row(tr("Reason"), self.reason_edit)
        self.confirm_box = QCheckBox(confirm)
        self.form.addRow(self.confirm_box)
        self.watch(self.reason_edit, self.confirm_box)

    def set_reason(self, text: str) -> None:
        self.reason_edit.setPlainText(text)

    def reason(self) -> str:
        return plain(self.reason_edit)

    def complete(self) -> bool:
        return bool(self.reason()) and self.confirm_box.isChecked()
