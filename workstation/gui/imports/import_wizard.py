"""One import, step by step: choose the file, preview it, import it, read the report.

Every service call runs through the ``BackgroundRunner``; a file the service refuses
(``FileRejected``) is said on the step where it happened, and nothing is written. A file that
would rename more than a tenth of the stored employees or customers stops on a confirm step
listing the changes; confirming imports it again with ``confirm_changes``.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.imports.choose_step import ChooseStep
from workstation.gui.imports.confirm_step import ConfirmStep
from workstation.gui.imports.mapping_actions import ColumnMappingActions
from workstation.gui.imports.preview_step import PreviewStep
from workstation.gui.imports.report_step import ReportStep
from workstation.i18n import Translator
from workstation.ingest.errors import FileRejected
from workstation.ingest.model import ImportOptions, ImportReport
from workstation.ingest.preview import ImportPreview
from workstation.service_text import error_text

if TYPE_CHECKING:
    from workstation.ingest.service import ImportService

log = logging.getLogger(__name__)


class Step(IntEnum):
    CHOOSE = 0
    PREVIEW = 1
    PROGRESS = 2
    REPORT = 3
    #: (shown as part of step 3) the changes to stored names to confirm
    CONFIRM = 4


class ImportWizard(ColumnMappingActions, QWidget):
    #: The wizard moved to another step.
    step_changed = Signal(int)
    #: An import ended: the report, or None when it was cancelled or refused.
    import_finished = Signal(object)
    #: A problem was said to the user on the current step.
    problem_shown = Signal(str)
    #: The report workbook was written to this path.
    exported = Signal(str)
    #: The user closed the wizard.
    closed = Signal()
    #: A column mapping was saved under this name.
    mapping_saved = Signal(str)
    #: The import stopped to ask: the report lists the changes to confirm.
    confirmation_asked = Signal(object)

    def __init__(
        self,
        imports: ImportService,
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._imports = imports
        self._runner = runner
        self._tr = tr
        self._op: Operation | None = None
        self._running = False
        self.report: ImportReport | None = None
        #: Columns the user chose on the preview step (None: as the Choose step says).
        self.edited_columns: dict[str, str] | None = None

        self.step_label = QLabel()
        self.step_label.setObjectName("sectionTitle")
        self.choose = ChooseStep(tr, imports.kinds(), imports.default_time_zone)
        self.preview = PreviewStep(tr)
        self.progress_page, self.progress_bar, self.progress_label = self._progress_page()
        self.report_step = ReportStep(tr)
        self.confirm_step = ConfirmStep(tr)
        self.steps = QStackedWidget()
        for page in (
            self.choose,
            self.preview,
            self.progress_page,
            self.report_step,
            self.confirm_step,
        ):
            self.steps.addWidget(page)

        self.back_button = QPushButton(tr("Back"))
        self.next_button = QPushButton()
        self.next_button.setDefault(True)
        self.cancel_button = QPushButton(tr("Cancel"))
        self.export_button = QPushButton(tr("Export report (XLSX)…"))
        self.close_button = QPushButton(tr("Close"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.cancel_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.step_label)
        layout.addWidget(self.steps, 1)
        layout.addLayout(buttons)

        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.export_button.clicked.connect(self.export_report)
        self.close_button.clicked.connect(self.closed)
        self.preview.change_columns_requested.connect(self.choose_columns)
        self.preview.save_mapping_requested.connect(self.ask_mapping_name)
        self.choose.kind_combo.currentIndexChanged.connect(self._choice_changed)
        self.choose.mapping_combo.currentIndexChanged.connect(self._forget_edits)
        self.choose.path_edit.textChanged.connect(self._forget_edits)
        self._show_step(Step.CHOOSE)
        self.reload_mappings()

    def _progress_page(self) -> tuple[QWidget, QProgressBar, QLabel]:
        page = QWidget()
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setMinimumWidth(420)
        label = QLabel()
        label.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 24, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(label)
        layout.addWidget(bar)
        layout.addStretch(1)
        return page, bar, label

    # -- state ------------------------------------------------------------------------------

    @property
    def current_step(self) -> Step:
        return Step(self.steps.currentIndex())

    @property
    def busy(self) -> bool:
        return self._op is not None and not self._op.done

    def reset(self) -> None:
        """Start a new import from the first step (the chosen options are kept)."""
        if self.busy and not self._running:
            assert self._op is not None
            self._op.discard()
        self.report = None
        self.choose.path_edit.clear()
        self.choose.show_error("")
        self.edited_columns = None
        self._show_step(Step.CHOOSE)
        self.reload_mappings()

    def options(self) -> ImportOptions:
        """What the Choose step says, with the columns chosen on the preview step."""
        options = self.choose.options()
        if self.edited_columns is not None:
            columns = tuple(sorted(self.edited_columns.items()))
            options = replace(options, columns=columns, mapping_name=None)
        return options

    def _choice_changed(self) -> None:
        self._forget_edits()
        self.reload_mappings()

    def _forget_edits(self) -> None:
        self.edited_columns = None

    def _show_step(self, step: Step) -> None:
        tr = self._tr
        names = {
            Step.CHOOSE: tr("Choose the file"),
            Step.PREVIEW: tr("Check the columns and first rows"),
            Step.PROGRESS: tr("Import"),
            Step.REPORT: tr("Report"),
            Step.CONFIRM: tr("Confirm the changes to stored names"),
        }
        number = int(Step.PROGRESS if step is Step.CONFIRM else step) + 1
        self.steps.setCurrentIndex(int(step))
        self.step_label.setText(tr("Step {n} of 4: {name}", n=number, name=names[step]))
        self._update_buttons()
        self.step_changed.emit(int(step))

    def _update_buttons(self) -> None:
        tr = self._tr
        step = self.current_step
        self.back_button.setVisible(step in (Step.PREVIEW, Step.PROGRESS, Step.CONFIRM))
        self.back_button.setEnabled(not self.busy)
        self.next_button.setVisible(step in (Step.CHOOSE, Step.PREVIEW, Step.CONFIRM))
        self.next_button.setText(
            tr("Preview")
            if step == Step.CHOOSE
            else tr("Import with these changes")
            if step == Step.CONFIRM
            else tr("Import")
        )
        usable = self.preview.preview is not None and self.preview.preview.usable
        self.next_button.setEnabled(not self.busy and (step == Step.CHOOSE or usable))
        self.cancel_button.setVisible(step == Step.PROGRESS and self._running)
        self.export_button.setVisible(
            step == Step.REPORT and self.report is not None and self.report.batch_id is not None
        )
        self.close_button.setEnabled(not self._running)

    def _say(self, text: str) -> None:
        if self.current_step == Step.CHOOSE:
            self.choose.show_error(text)
        elif self.current_step == Step.PROGRESS:
            self.progress_label.setText(text)
        else:
            self.report_step.say(text)
        self.problem_shown.emit(text)

    def _reason(self, error: BaseException) -> str:
        if isinstance(error, FileRejected):
            return self._tr(
                "This file cannot be imported: {reason}",
                reason=error_text(error, self._tr.locale),
            )
        log.error("import step failed", exc_info=(type(error), error, error.__traceback__))
        return self._tr("Something went wrong: {reason}", reason=error_text(error, self._tr.locale))

    # -- navigation -------------------------------------------------------------------------

    def go_next(self) -> None:
        if self.current_step == Step.CHOOSE:
            self.load_preview()
        elif self.current_step == Step.PREVIEW:
            self.start_import()
        elif self.current_step == Step.CONFIRM:
            self.start_import(confirm_changes=True)

    def go_back(self) -> None:
        if self.busy:
            return
        if self.current_step == Step.PREVIEW:
            self._show_step(Step.CHOOSE)
        elif self.current_step in (Step.PROGRESS, Step.CONFIRM):
            self._show_step(Step.PREVIEW)

    # -- preview ----------------------------------------------------------------------------

    def load_preview(self) -> Operation | None:
        problem = self.choose.check()
        if problem is not None:
            self._say(problem)
            return None
        self.choose.show_error("")
        path, kind, options = self.choose.path(), self.choose.kind(), self.options()
        assert path is not None
        imports = self._imports
        self._op = self._runner.run(
            lambda: imports.preview(path, kind, options),
            on_result=self._show_preview,
            on_error=lambda error: self._say(self._reason(error)),
            label=self._tr("Reading {file}…", file=path.name),
        )
        self._op.finished.connect(self._update_buttons)
        self._update_buttons()
        return self._op

    def _show_preview(self, preview: ImportPreview) -> None:
        self.preview.show_preview(preview)
        self._show_step(Step.PREVIEW)

    # -- import -----------------------------------------------------------------------------

    def start_import(self, *, confirm_changes: bool = False) -> Operation | None:
        """Import the chosen file; ``confirm_changes`` after the user saw the changes."""
        path, kind, options = self.choose.path(), self.choose.kind(), self.options()
        if path is None or self.preview.preview is None or not self.preview.preview.usable:
            return None
        options = replace(options, confirm_changes=confirm_changes)
        imports = self._imports
        self._running = True
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.progress_label.setText(self._tr("Importing {file}…", file=path.name))
        self._show_step(Step.PROGRESS)
        self._op = self._runner.run(
            lambda progress, cancel: imports.run(
                path, kind, options, progress=progress, cancel=cancel
            ),
            on_result=self._imported,
            on_error=self._import_failed,
            on_cancelled=self._import_cancelled,
            label=self._tr("Importing {file}…", file=path.name),
            write=True,
            progress=True,
            dialog=False,
        )
        self._op.progressed.connect(self._on_progress)
        self._update_buttons()
        return self._op

    def _on_progress(self, done: int, total: int, _message: str) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))

    def cancel_import(self) -> None:
        if self._op is not None and not self._op.done:
            self.cancel_button.setEnabled(False)
            self.progress_label.setText(self._tr("Cancelling…"))
            self._op.cancel()

    def _ended(self) -> None:
        self._running = False
        self.cancel_button.setEnabled(True)
        self.progress_bar.hide()

    def _imported(self, report: ImportReport) -> None:
        self._ended()
        if report.needs_confirmation:
            self.confirm_step.show_changes(report)
            self._show_step(Step.CONFIRM)
            self.confirmation_asked.emit(report)
            return
        self.report = report
        self.report_step.show_report(report)
        self._show_step(Step.REPORT)
        self.import_finished.emit(report)

    def _import_failed(self, error: BaseException) -> None:
        self._ended()
        self._say(self._reason(error) + "\n" + self._tr("Nothing was imported."))
        self._update_buttons()
        self.import_finished.emit(None)

    def _import_cancelled(self) -> None:
        self._ended()
        self._say(self._tr("The import was cancelled: nothing was imported."))
        self._update_buttons()
        self.import_finished.emit(None)

    # -- report export ----------------------------------------------------------------------

    def export_report(self) -> Operation | None:
        report = self.report
        if report is None or report.batch_id is None:
            return None
        start = Path.home() / f"import-{report.batch_id}.xlsx"
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            self._tr("Export report"),
            str(start),
            self._tr("Excel workbook (*.xlsx)"),
        )
        if not chosen:
            return None
        destination = Path(chosen)
        if destination.suffix.lower() != ".xlsx":
            destination = destination.with_suffix(".xlsx")
        imports, batch_id, locale = self._imports, report.batch_id, self._tr.locale
        self.export_button.setEnabled(False)
        op = self._runner.run(
            lambda: imports.export_report(batch_id, destination, locale),
            on_result=self._exported,
            on_error=lambda error: self._say(
                self._tr(
                    "The report was not saved: {reason}",
                    reason=error_text(error, self._tr.locale),
                )
            ),
            label=self._tr("Saving the report…"),
            write=True,
        )
        op.finished.connect(lambda: self.export_button.setEnabled(True))
        return op

    def _exported(self, path: Path) -> None:
        self.report_step.say(self._tr("Report saved to {path}", path=str(path)))
        self.exported.emit(str(path))
