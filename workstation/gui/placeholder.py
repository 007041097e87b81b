"""A plain page for an area that is not built yet: what it will do, and that it is not there."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workstation.i18n import Translator


class PlaceholderPage(QWidget):
    def __init__(
        self,
        tr: Translator,
        title: str,
        coming: str,
        page_icon: QIcon,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        card = QFrame()
        card.setObjectName("placeholderCard")
        card.setMaximumWidth(640)

        icon_label = QLabel()
        icon_label.setPixmap(page_icon.pixmap(QSize(48, 48)))
        self.title_label = QLabel(title)
        self.title_label.setObjectName("placeholderTitle")
        self.badge_label = QLabel(tr("Not built yet"))
        self.badge_label.setObjectName("placeholderBadge")
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(icon_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.title_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        top.addWidget(self.badge_label, 0, Qt.AlignmentFlag.AlignVCenter)

        self.coming_label = QLabel(coming)
        self.coming_label.setObjectName("placeholderText")
        self.coming_label.setWordWrap(True)
        self.note_label = QLabel(
            tr(
                "This area is not built yet. It will arrive in a later version; until then "
                "use the Employees and Map areas."
            )
        )
        self.note_label.setObjectName("mutedLabel")
        self.note_label.setWordWrap(True)

        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 24)
        inner.setSpacing(14)
        inner.addLayout(top)
        inner.addWidget(self.coming_label)
        inner.addWidget(self.note_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        layout.setAlignment(row, Qt.AlignmentFlag.AlignHCenter)

    def texts(self) -> list[str]:
        return [
            self.title_label.text(),
            self.badge_label.text(),
            self.coming_label.text(),
            self.note_label.text(),
        ]
