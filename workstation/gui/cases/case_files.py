"""``CaseFiles``: the evidence and documents of a case — link a new file or an imported one,
view a piece of evidence (a custody "viewed" event), generate a document (rendered, signed and
kept with the case by the documents service), open one (an audited read) and save a copy of
it (an audited copy). Files to read are written to a private temporary folder, removed when the
workstation quits, and opened with the desktop's viewer or, for a PDF on a machine without
one, the in-app viewer (``gui.documents``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from workstation.cases.case_actions import CaseAction
from workstation.cases.document_defaults import DocumentDefaults
from workstation.cases.documents import CaseDocuments
from workstation.cases.service import CaseService
from workstation.cases.views import CaseDetail, EvidenceContent
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.cases.case_controller import CaseController
from workstation.gui.cases.case_tables import DocumentRow
from workstation.gui.cases.document_dialog import DocumentDialog, generate_document
from workstation.gui.cases.evidence_dialog import EvidenceDialog
from workstation.gui.cases.import_link_dialog import ImportLinkDialog
from workstation.gui.documents.opener import DocumentOpener
from workstation.gui.documents.system_viewer import PDF
from workstation.gui.offer import offer
from workstation.i18n import Translator

if TYPE_CHECKING:
    from workstation.gui.cases.case_detail import CaseDetailView


def choose_file(parent: QWidget, title: str) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, title)
    return Path(name) if name else None


class CaseFiles(CaseController):
    #: A file was written for the system to open (its path).
    file_opened = Signal(object)
    #: A copy of a document was saved (its path).
    copy_saved = Signal(object)

    def __init__(
        self,
        view: CaseDetailView,
        cases: CaseService,
        runner: BackgroundRunner,
        tr: Translator,
        documents: CaseDocuments | None = None,
    ) -> None:
        super().__init__(view, cases, runner, tr)
        self.documents = documents
        #: Chooses a file to link (a file dialog; tests put a function here).
        self.file_chooser: Callable[[], Path | None] = lambda: choose_file(
            view, tr("Link a file to the case")
        )
        #: Opens what was read, and asks where copies go (tests answer for the desktop).
        self.opener = DocumentOpener(tr, view)
        self.opener.file_opened.connect(self.file_opened)
        tabs = view.tabs
        tabs.link_file_button.clicked.connect(self.link_file)
        tabs.link_import_button.clicked.connect(self.link_import)
        tabs.open_evidence_button.clicked.connect(self.open_evidence)
        tabs.evidence_table.doubleClicked.connect(lambda _i: self.open_evidence())
        tabs.generate_button.clicked.connect(self.generate)
        tabs.open_document_button.clicked.connect(self.open_document)
        tabs.save_document_button.clicked.connect(self.save_document)
        tabs.documents_table.doubleClicked.connect(lambda _i: self.open_document())

    def update_buttons(self, who: Identity | None, detail: CaseDetail | None) -> None:
        tabs, tr, can = self._view.tabs, self._tr, self._view.can
        link = can(CaseAction.LINK_EVIDENCE)
        offer(tabs.link_file_button, link, tr)
        offer(tabs.link_import_button, link, tr)
        tabs.open_evidence_button.setEnabled(bool(detail and detail.evidence))
        generate = can(CaseAction.GENERATE_DOCUMENT)
        offer(tabs.generate_button, generate, tr)
        tabs.generate_button.setVisible(generate.shown and self.documents is not None)
        selected = tabs.selected_document() is not None
        for button in (tabs.open_document_button, tabs.save_document_button):
            button.setVisible(self.documents is not None)
            button.setEnabled(selected)

    # -- evidence -------------------------------------------------------------------------

    def link_file(self) -> Operation | None:
        found = self._who_and_case()
        if found is None:
            return None
        path = self.file_chooser()
        if path is None:
            return None
        who, detail = found
        cases, number, revision = self._cases, detail.case.number, self._revision()
        return self._view.write(lambda: cases.link_file(who, number, path, revision))

    def link_import(self) -> Operation | None:
        found = self._who_and_case()
        if found is None:
            return None
        who, detail = found
        cases = self._cases

        def show(imports: Any) -> None:
            dialog = ImportLinkDialog(self._tr, imports, self._view)

            def save() -> None:
                batch, title = dialog.chosen()
                number, revision = detail.case.number, self._revision()
                self._view.write(
                    lambda: cases.link_record(
                        who, number, "import_file", str(batch), revision, title=title
                    )
                )

            self._open(dialog, save)

        return self._load_then(lambda: cases.import_choices(who), show)

    def open_evidence(self) -> Operation | None:
        found, listed = self._who_and_case(), self._view.tabs.selected_evidence()
        if found is None or listed is None:
            return None
        who, detail = found
        cases, number = self._cases, detail.case.number

        def show(content: EvidenceContent) -> None:
            content = dataclasses.replace(content, evidence=listed)
            data = content.file_bytes
            opener = None
            if data is not None:
                name = f"{number}-evidence-{listed.id}-{_file_name(content)}"
                opener = lambda: self._show(self.opener.open(name, data))  # noqa: E731
            self._open(EvidenceDialog(self._tr, content, opener, self._view), lambda: None)
            self._view.reload()  # the read is a custody event: show it

        return self._load_then(lambda: cases.view_evidence(who, number, listed.id), show)

    # -- documents ------------------------------------------------------------------------

    def generate(self) -> Operation | None:
        """Load what the case's documents say by default (its rules and facts), then ask
        (``DocumentDialog``); accepting it renders, signs and keeps the document."""
        found, maker = self._who_and_case(), self.documents
        if found is None or maker is None:
            return None
        who, detail = found
        number, locale = detail.case.number, self._tr.locale

        def show(defaults: DocumentDefaults) -> None:
            dialog = DocumentDialog(self._tr, detail.case.state.value, defaults, self._view)

            def save() -> None:
                request = dialog.chosen()
                revision = self._revision()
                self._view.write(lambda: generate_document(maker, who, number, revision, request))

            self._open(dialog, save)

        return self._load_then(lambda: maker.defaults(who, number, locale), show)

    def _listed_document(self) -> tuple[Identity, str, DocumentRow, CaseDocuments] | None:
        found, listed = self._who_and_case(), self._view.tabs.selected_document()
        if found is None or listed is None or self.documents is None:
            return None
        return found[0], found[1].case.number, listed, self.documents

    def open_document(self) -> Operation | None:
        """Read the selected document (audited) and open it for the reader."""
        chosen = self._listed_document()
        if chosen is None:
            return None
        who, number, listed, docs = chosen
        name = listed.file_name or f"{number}-{listed.kind}-{listed.locale}.pdf"

        def show(data: bytes) -> None:
            self._show(self.opener.open(name, data, media_type=PDF, save=self.save_document))

        return self._load_then(lambda: docs.document_bytes(who, number, listed.id), show)

    def save_document(self) -> Operation | None:
        """Ask where, then save a copy of the selected document (the copy is audited)."""
        chosen = self._listed_document()
        if chosen is None:
            return None
        who, number, listed, docs = chosen
        path = self.opener.ask_save_path(
            listed.file_name or f"{number}-{listed.kind}-{listed.locale}.pdf"
        )
        if path is None:
            return None
        return self._runner.run(
            lambda: docs.save_copy(who, number, listed.id, path),
            on_result=self._saved_copy,
            on_error=self._view.failed,
            label=self._tr("Saving a copy…"),
            write=True,
        )

    def _saved_copy(self, path: Path) -> None:
        self._view.say(self._tr("A copy was saved as {path}.", path=str(path)))
        self.copy_saved.emit(path)

    def _show(self, problem: str | None) -> None:
        if problem:
            self._view.say(problem)


def _file_name(content: EvidenceContent) -> str:
    record = content.snapshot.get("record", {})
    name = record.get("original_name") or record.get("file_name") or "file"
    return str(name)
