"""(Administrator) Give the manager approval of a case to another sales manager, when the
subject's own management is involved or has no user of the workstation."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from workstation.cases.lookups import UserChoice
from workstation.gui.cases.form_dialog import FormDialog, SearchCombo
from workstation.gui.cases.task_dialog import user_text
from workstation.i18n import Translator


class AlternateDialog(FormDialog):
    def __init__(
        self,
        tr: Translator,
        managers: Sequence[UserChoice],
        route: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            tr,
            tr("Choose alternate approver"),
            tr(
                "The alternate approver gives the manager approval of this case instead of the "
                "subject's management chain. Choose a sales manager who is not involved."
            ),
            tr("Choose"),
            parent,
        )
        now = QLabel(route)
        now.setWordWrap(True)
        self.add_row(tr("Now goes to"), now)
        self.manager = SearchCombo([(user_text(tr, u), u.id) for u in managers])
        self.add_row(tr("Alternate approver"), self.manager)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(tr("Why (e.g. the subject's manager has no account)"))
        self.add_row(tr("Note"), self.note_edit)
        self.watch(self.manager)

    def choose_user(self, user_id: int) -> None:
        self.manager.choose(user_id)

    def complete(self) -> bool:
        return self.manager.value() is not None

    def chosen(self) -> tuple[int, str | None]:
        value = self.manager.value()
        assert value is not None
        return int(value), self.note_edit.text().strip() or None
