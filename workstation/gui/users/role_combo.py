"""A combo box of the roles, with a line under it saying what the chosen role sees and does."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from workstation.domain.enums import Role
from workstation.gui.security.labels import role_description, role_label
from workstation.i18n import Translator

#: The order an administrator picks from: the everyday roles first.
ROLE_CHOICES = (
    Role.HR_OFFICER,
    Role.SALES_MANAGER,
    Role.LEGAL,
    Role.AUDITOR,
    Role.ADMINISTRATOR,
)


class RoleChooser(QWidget):
    def __init__(self, tr: Translator, role: Role = Role.HR_OFFICER) -> None:
        super().__init__()
        self._tr = tr
        self.combo = QComboBox()
        for choice in ROLE_CHOICES:
            self.combo.addItem(role_label(tr, choice), choice.value)
        self.about = QLabel()
        self.about.setObjectName("mutedLabel")
        self.about.setWordWrap(True)
        self.about.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.combo)
        layout.addWidget(self.about)
        self.combo.currentIndexChanged.connect(self._describe)
        self.choose(role)
        self._describe()

    def role(self) -> Role:
        return Role(self.combo.currentData())

    def choose(self, role: Role) -> None:
        index = self.combo.findData(Role(role).value)
        if index >= 0:
            self.combo.setCurrentIndex(index)

    def _describe(self) -> None:
        self.about.setText(role_description(self._tr, self.role()))
