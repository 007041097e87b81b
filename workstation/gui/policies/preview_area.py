"""The preview side of the policy editor: how many days, the button, and the result (or a
hint before the first run, and a notice when the draft changed after it)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.gui.policies.editor_form import section_title
from workstation.gui.policies.preview_panel import PreviewPanel
from workstation.i18n import Translator


class PreviewArea(QWidget):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days_spin = QSpinBox()
        self.days_spin.setRange(1, 365)
        self.days_spin.setValue(30)
        self.days_spin.setSuffix(tr(" days"))
        self.preview_button = QPushButton(tr("Run preview"))
        controls = QHBoxLayout()
        controls.addWidget(section_title(tr("Preview over the last")))
        controls.addWidget(self.days_spin)
        controls.addWidget(self.preview_button)
        controls.addStretch(1)
        self.stale_label = QLabel(
            tr("The draft has changed since this preview: run it again to see the effect.")
        )
        self.stale_label.setObjectName("noticeBanner")
        self.stale_label.setWordWrap(True)
        self.stale_label.hide()
        self.panel = PreviewPanel(tr)
        self.hint = QLabel(
            tr(
                "Run the preview to see, beside the version in force, how many alerts this draft "
                "would have raised over the past days and for whom. Nothing is saved."
            )
        )
        self.hint.setObjectName("emptyState")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.hint)
        self.stack.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(controls)
        layout.addWidget(self.stale_label)
        layout.addWidget(self.stack, 1)

    def reset(self) -> None:
        self.stack.setCurrentWidget(self.hint)
        self.stale_label.hide()

    def showing_result(self) -> bool:
        return self.stack.currentWidget() is self.panel
