"""The Imports area: every batch imported so far, and a new import one step at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QSplitter, QStackedWidget, QVBoxLayout, QWidget

from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.icons import icon
from workstation.gui.imports.import_wizard import ImportWizard
from workstation.gui.imports.labels import kind_label, status_label
from workstation.gui.imports.readiness_panel import ReadinessPanel
from workstation.gui.widgets.page_header import PageHeader
from workstation.gui.widgets.table_model import (
    Column,
    Highlight,
    RowTableModel,
    count_column,
    time_column,
)
from workstation.gui.widgets.table_view import (
    fit_columns,
    make_empty_state,
    make_proxy,
    make_table_view,
)
from workstation.i18n import Translator
from workstation.ingest.model import BatchRow

if TYPE_CHECKING:
    from collections.abc import Callable

    from workstation.ingest.service import ImportService
    from workstation.risk.readiness_model import ReadinessReport


class ImportsPage(QWidget):
    #: The history was (re)loaded with this many batches.
    history_loaded = Signal(int)

    def __init__(
        self,
        imports: ImportService,
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
        *,
        may_import: bool = True,
        readiness: Callable[[], ReadinessReport] | None = None,
    ) -> None:
        """``readiness`` takes the whole store's readiness report (``ReadinessService.check``),
        shown below the history and on the wizard's last step."""
        super().__init__(parent)
        self._imports = imports
        self._runner = runner
        self._tr = tr
        self._op: Operation | None = None

        self.header = PageHeader(
            tr("Imports"),
            tr(
                "HR rosters, CRM exports, check-ins and tracks brought in so far. Each file is "
                "kept as evidence; rows that fail a check are listed, never silently dropped."
            ),
        )
        self.new_button = QPushButton(icon("imports"), tr("New import…"))
        self.new_button.clicked.connect(self.start_import)
        self.new_button.setVisible(may_import)  # the service refuses anyway
        self.header.action_row.addWidget(self.new_button)

        self.model: RowTableModel[BatchRow] = RowTableModel(
            [
                Column(tr("Batch"), lambda b: b.id, align_right=True),
                time_column(tr, tr("Started"), lambda b: b.started_at),
                Column(tr("Kind"), lambda b: kind_label(tr, b.kind)),
                Column(tr("File"), lambda b: b.file_name, tooltip=lambda b: b.sha256),
                Column(tr("Status"), lambda b: status_label(tr, b.status)),
                count_column(tr("Rows read"), lambda b: b.rows_total),
                count_column(tr("Imported"), lambda b: b.accepted),
                count_column(tr("Rejected"), lambda b: b.rejected),
                count_column(tr("Already stored (skipped)"), lambda b: b.duplicates),
                Column(tr("Imported by"), lambda b: b.imported_by or ""),
            ],
            highlight=lambda b: Highlight.NOTE if b.rejected else None,
            parent=self,
        )
        self.proxy = make_proxy(self.model, self)
        self.table = make_table_view(self.proxy, sort_column=0, descending=True)
        #: Employees in the database (None until the main window's counts are in).
        self._employees: int | None = None
        self.empty_label = make_empty_state(self.empty_text())
        self.history = QStackedWidget()
        self.history.addWidget(self.table)
        self.history.addWidget(self.empty_label)
        self.history.setCurrentWidget(self.empty_label)
        self.readiness_panel: ReadinessPanel | None = None
        self.overview = QSplitter(Qt.Orientation.Vertical)
        self.overview.setChildrenCollapsible(False)
        self.overview.addWidget(self.history)
        if readiness is not None:
            self.readiness_panel = ReadinessPanel(readiness, runner, tr)
            self.overview.addWidget(self.readiness_panel)
            self.overview.setStretchFactor(0, 1)
            self.overview.setStretchFactor(1, 1)

        self.wizard = ImportWizard(imports, runner, tr, readiness=readiness)
        self.wizard.import_finished.connect(lambda _report: self.reload())
        self.wizard.closed.connect(self.show_history)
        self.body = QStackedWidget()
        self.body.addWidget(self.overview)
        self.body.addWidget(self.wizard)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.header)
        layout.addWidget(self.body, 1)
        self.reload()

    # -- history ----------------------------------------------------------------------------

    def reload(self) -> Operation:
        """The history again (and the readiness report beside it)."""
        if self.readiness_panel is not None:
            self.readiness_panel.refresh()
        if self._op is not None and not self._op.done:
            self._op.discard()
        self._op = self._runner.run(
            self._imports.list_batches,
            on_result=self._show_batches,
            label=self._tr("Loading imports…"),
            dialog=False,
        )
        return self._op

    def _show_batches(self, batches: list[BatchRow]) -> None:
        self.model.set_rows(batches)
        fit_columns(self.table)
        self.history.setCurrentWidget(self.table if batches else self.empty_label)
        self.history_loaded.emit(len(batches))

    def batches(self) -> list[BatchRow]:
        return self.model.rows

    def set_employee_count(self, employees: int) -> None:
        """How many employees the database holds (the empty list says where they came from)."""
        self._employees = employees
        self.empty_label.setText(self.empty_text())

    def empty_text(self) -> str:
        """What the empty list says: a roster first on an empty database; otherwise that the
        employees came with the database (the demo, another tool) and not from an import."""
        tr, may_import = self._tr, not self.new_button.isHidden()
        if self._employees is None:
            text = tr("No file was imported here yet.")
        elif self._employees == 0:
            if not may_import:
                return tr("Nothing imported yet. HR officers import the files.")
            return tr("Nothing imported yet. Start with the HR roster: choose New import….")
        else:
            text = tr(
                "No file was imported here yet: the {n} employees in the database came with "
                "it (the demo company, or data written by another tool).",
                n=self._employees,
            )
        if may_import:
            space = "" if tr.locale == "zh_CN" else " "
            text += space + tr("Choose New import… to bring in a file.")
        return text

    # -- the wizard -------------------------------------------------------------------------

    def start_import(self) -> None:
        self.wizard.reset()
        self.body.setCurrentWidget(self.wizard)
        self.new_button.setEnabled(False)
        self.header.set_title(self._tr("New import"))

    def show_history(self) -> None:
        self.body.setCurrentWidget(self.overview)
        self.new_button.setEnabled(True)
        self.header.set_title(self._tr("Imports"))
        self.reload()

    def showing_wizard(self) -> bool:
        return self.body.currentWidget() is self.wizard
