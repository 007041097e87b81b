"""A new password typed twice, with the policy shown before anyone types and what is wrong
shown as they type: the rows every form that sets a password shares (new user, reset, change
my own)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit

from workstation.gui.security.labels import password_problem_label, password_rules
from workstation.i18n import Translator
from workstation.security.passwords import password_problems


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class PasswordFields(QObject):
    """Adds "Password", "Repeat password", the rules and the problems to ``form``."""

    #: Either field changed.
    changed = Signal()

    def __init__(
        self,
        tr: Translator,
        form: QFormLayout,
        *,
        label: str | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        self.password = password_edit()
        self.repeat = password_edit()
        self.rules = QLabel(password_rules(tr))
        self.rules.setObjectName("passwordRules")
        self.rules.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("passwordProblems")
        self.problems.setWordWrap(True)
        self.problems.setVisible(False)
        form.addRow(label or tr("Password"), self.password)
        form.addRow(tr("Repeat password"), self.repeat)
        form.addRow("", self.rules)
        form.addRow("", self.problems)
        self.password.textChanged.connect(self.changed)
        self.repeat.textChanged.connect(self.changed)

    def text(self) -> str:
        return self.password.text()

    def fill(self, password: str, repeat: str | None = None) -> None:
        self.password.setText(password)
        self.repeat.setText(password if repeat is None else repeat)

    def clear(self) -> None:
        self.password.clear()
        self.repeat.clear()

    def typed(self) -> bool:
        return bool(self.password.text() or self.repeat.text())

    def problem_texts(self, username: str | None = None) -> list[str]:
        """Rules the password breaks and whether the two differ (empty: nothing typed yet)."""
        password = self.password.text()
        if not password:
            return []
        tr = self._tr
        texts = [password_problem_label(tr, p) for p in password_problems(password, username)]
        if self.repeat.text() and self.repeat.text() != password:
            texts.append(tr("The two passwords differ."))
        return texts

    def ready(self, username: str | None = None) -> bool:
        """Typed twice alike and within the policy."""
        password = self.password.text()
        return (
            bool(password)
            and self.repeat.text() == password
            and not password_problems(password, username)
        )

    def show_problems(self, texts: list[str]) -> None:
        self.problems.setText("\n".join(f"• {t}" for t in texts))
        self.problems.setVisible(bool(texts))
