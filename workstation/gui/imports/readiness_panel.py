"""What the imported data lets Casework see: the readiness report (``workstation data check``)
in the Imports area and on the import wizard's last step.

Each line is a row: a mark (a gap, or none), what is counted, how many, a few keys, and what
to import to close the gap, naming the kind as the wizard's kind list does. The report is a
read (never the write lock), run in the background whenever ``refresh`` is called.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.imports.labels import kind_label
from workstation.i18n import Translator
from workstation.risk.readiness_model import ReadinessReport
from workstation.risk.readiness_text import ShownLine, heading, indicators_heading, shown_lines
from workstation.service_text import error_text

ATTENTION_MARK = "⚠"
FINE_MARK = "✓"


class ReadinessPanel(QFrame):
    #: The report was (re)loaded and is shown.
    loaded = Signal(object)
    #: Loading it failed: what the panel says instead.
    failed = Signal(str)

    def __init__(
        self,
        check: Callable[[], ReadinessReport],
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("readinessPanel")
        self._check = check
        self._runner = runner
        self._tr = tr
        self._op: Operation | None = None
        self.report: ReadinessReport | None = None

        self.title_label = QLabel(tr("What your data lets Casework see"))
        self.title_label.setObjectName("sectionTitle")
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title_label)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        self.heading_label = QLabel(tr("Loading…"))
        self.heading_label.setObjectName("mutedLabel")
        self.heading_label.setWordWrap(True)

        self.gaps_grid = QGridLayout()
        self.indicators_title = QLabel()
        self.indicators_title.setObjectName("sectionTitle")
        self.indicators_title.setWordWrap(True)
        self.indicators_grid = QGridLayout()
        body = QWidget()
        body.setObjectName("readinessBody")
        lines = QVBoxLayout(body)
        lines.setContentsMargins(0, 0, 8, 0)
        lines.setSpacing(6)
        lines.addLayout(self.gaps_grid)
        lines.addWidget(self.indicators_title)
        lines.addLayout(self.indicators_grid)
        lines.addStretch(1)
        for grid in (self.gaps_grid, self.indicators_grid):
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(2)
            grid.setColumnStretch(3, 1)  # the figures stand next to their labels
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(body)
        self.scroll_area.viewport().setAutoFillBackground(False)
        body.setAutoFillBackground(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.scroll_area, 1)
        #: The rows shown (gaps, then indicators), for tests and screenshots.
        self.shown: list[ShownLine] = []

    def refresh(self) -> Operation:
        """Take the report again, in the background."""
        if self._op is not None and not self._op.done:
            self._op.discard()
        self.refresh_button.setEnabled(False)
        self._op = self._runner.run(
            self._check,
            on_result=self.show_report,
            on_error=self._failed,
            label=self._tr("Checking what the data lets Casework see…"),
            dialog=False,
        )
        self._op.finished.connect(lambda: self.refresh_button.setEnabled(True))
        return self._op

    def show_report(self, report: ReadinessReport) -> None:
        tr = self._tr
        self.report = report
        self.heading_label.setText(heading(report, tr))
        gaps, indicators = shown_lines(report, tr, lambda kind: kind_label(tr, kind))
        self._fill(self.gaps_grid, gaps)
        self.indicators_title.setText(indicators_heading(report, tr))
        self._fill(self.indicators_grid, indicators)
        self.shown = gaps + indicators
        self.loaded.emit(report)

    def _failed(self, error: BaseException) -> None:
        text = self._tr(
            "The readiness report could not be taken: {reason}",
            reason=error_text(error, self._tr.locale),
        )
        self.heading_label.setText(text)
        self.failed.emit(text)

    def _fill(self, grid: QGridLayout, lines: list[ShownLine]) -> None:
        while grid.count():
            item = grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        row = 0
        for line in lines:
            mark = QLabel(ATTENTION_MARK if line.attention else FINE_MARK)
            mark.setObjectName("readinessMark")
            mark.setProperty("attention", line.attention)
            label = QLabel(line.label)
            label.setObjectName("readinessLabel")
            figure = QLabel(line.figure)
            figure.setObjectName("readinessFigure")
            figure.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, row, 1)
            grid.addWidget(figure, row, 2)
            row += 1
            detail = "\n".join(t for t in (line.examples, f"→ {line.fix}" if line.fix else "") if t)
            if detail:
                more = QLabel(detail)
                more.setObjectName("mutedLabel")
                more.setWordWrap(True)
                more.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                grid.addWidget(more, row, 1, 1, 3)
                row += 1
