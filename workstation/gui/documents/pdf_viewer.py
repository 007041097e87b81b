"""The in-app PDF viewer (QtPdf): for a machine with no PDF reader of its own. Pages one below
the other, fitted to the width; zoom, page count, and "Save as…"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.i18n import Translator


class PdfViewerDialog(QDialog):
    #: "Save as…" was clicked.
    save_requested = Signal()

    def __init__(
        self, tr: Translator, path: Path, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(860, 980)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.path = path
        self.document = QPdfDocument(self)
        self.error = self.document.load(str(path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.pages_label = QLabel()
        self.pages_label.setObjectName("mutedLabel")
        if self.error == QPdfDocument.Error.None_:
            self.pages_label.setText(tr("{n} page(s)", n=self.document.pageCount()))
        else:
            self.pages_label.setText(tr("This PDF cannot be shown: the file is damaged."))
        self.zoom_in_button = QPushButton(tr("Zoom in"))
        self.zoom_out_button = QPushButton(tr("Zoom out"))
        self.fit_button = QPushButton(tr("Fit width"))
        self.save_button = QPushButton(tr("Save as…"))
        self.zoom_in_button.clicked.connect(lambda: self._zoom(1.25))
        self.zoom_out_button.clicked.connect(lambda: self._zoom(0.8))
        self.fit_button.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.save_button.clicked.connect(self.save_requested)
        tools = QHBoxLayout()
        tools.addWidget(self.pages_label)
        tools.addStretch(1)
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            tools.addWidget(button)
        tools.addSpacing(12)
        tools.addWidget(self.save_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)

    def page_count(self) -> int:
        return self.document.pageCount()

    def _zoom(self, factor: float) -> None:
        current = self.view.zoomFactor()
        if self.view.zoomMode() is not QPdfView.ZoomMode.Custom:
            width = self.view.viewport().width()
            page = self.document.pagePointSize(0).width() if self.page_count() else 0
            current = width / page if page else 1.0
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(current * factor, 6.0)))
