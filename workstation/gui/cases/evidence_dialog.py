"""One piece of evidence as read (the read is a custody "viewed" event): its frozen snapshot,
its hash, its chain of custody, and the file itself for a file."""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.cases.case_text import case_text
from workstation.cases.views import EvidenceContent
from workstation.gui.cases.labels import clause_separator, custody_label, evidence_kind_label
from workstation.i18n import Translator


class EvidenceDialog(QDialog):
    def __init__(
        self,
        tr: Translator,
        content: EvidenceContent,
        open_file: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        evidence = content.evidence
        self.setWindowTitle(tr("Evidence #{id}", id=evidence.id))
        self.resize(760, 620)
        title = QLabel(
            f"{evidence_kind_label(tr, evidence.kind)} · {case_text(evidence.title, tr.locale)}"
        )
        title.setObjectName("sectionTitle")
        title.setWordWrap(True)
        facts = QLabel(
            tr(
                "SHA-256 {sha} · {state} · linked by {who} at {when}",
                sha=evidence.snapshot_sha256,
                state=tr("snapshot intact") if evidence.snapshot_intact else tr("snapshot altered"),
                who=evidence.linked_by,
                when=tr.time(evidence.linked_at),
            )
        )
        facts.setObjectName("mutedLabel")
        facts.setWordWrap(True)
        self.snapshot_view = QPlainTextEdit()
        self.snapshot_view.setReadOnly(True)
        self.snapshot_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.snapshot_view.setPlainText(
            json.dumps(content.snapshot, ensure_ascii=False, indent=2, sort_keys=True)
        )
        custody = [
            tr(
                "{when} {what} by {who}",
                when=tr.time(c.at),
                what=custody_label(tr, c.action),
                who=c.actor,
            )
            for c in evidence.custody
        ]
        chain = QLabel(
            tr("Chain of custody: {events}", events=clause_separator(tr).join(custody) or "—")
        )
        chain.setWordWrap(True)
        chain.setObjectName("mutedLabel")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Close"))
        self.buttons.rejected.connect(self.reject)
        self.open_button = QPushButton(tr("Open the file"))
        self.open_button.setVisible(open_file is not None)
        if open_file is not None:
            self.open_button.clicked.connect(open_file)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(facts)
        layout.addWidget(self.snapshot_view, 1)
        layout.addWidget(chain)
        layout.addWidget(self.buttons)
