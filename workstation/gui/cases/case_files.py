"""``CaseFiles``: the evidence and documents of a case — link a new file or an imported one,
view a piece of evidence (a custody "viewed" event), generate a document (rendered, signed and
kept with the case by the documents service) and open one (an audited read). Files to read
are written to a private temporary folder and opened with the system's viewer."""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from workstation.cases.documents import CaseDocuments
from workstation.cases.service import CaseService
from workstation.cases.views import CaseDetail, EvidenceContent
from workstation.domain.cases import ENDED_STATES
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.cases.case_controller import CaseController
from workstation.gui.cases.document_dialog import DocumentDialog, generate_document
from workstation.gui.cases.evidence_dialog import EvidenceDialog
from workstation.gui.cases.import_link_dialog import ImportLinkDialog
from workstation.i18n import Translator
from workstation.security.permissions import Permission, allowed

if TYPE_CHECKING:
    from workstation.gui.cases.case_detail import CaseDetailView


def open_with_system(path: Path) -> bool:
    """Open ``path`` in the program the system uses for it (a PDF reader...)."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def choose_file(parent: QWidget, title: str) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, title)
    return Path(name) if name else None


class CaseFiles(CaseController):
    #: A file was written for the system to open (its path).
    file_opened = Signal(object)

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
        #: Opens a file written for reading (the system's viewer; tests record instead).
        self.opener: Callable[[Path], bool] = open_with_system
        self._folder: Path | None = None
        tabs = view.tabs
        tabs.link_file_button.clicked.connect(self.link_file)
        tabs.link_import_button.clicked.connect(self.link_import)
        tabs.open_evidence_button.clicked.connect(self.open_evidence)
        tabs.evidence_table.doubleClicked.connect(lambda _i: self.open_evidence())
        tabs.generate_button.clicked.connect(self.generate)
        tabs.open_document_button.clicked.connect(self.open_document)
        tabs.documents_table.doubleClicked.connect(lambda _i: self.open_document())

    def update_buttons(self, who: Identity | None, detail: CaseDetail | None) -> None:
        tabs = self._view.tabs
        active = detail is not None and detail.case.state not in ENDED_STATES
        link = active and allowed(who, Permission.CASE_LINK_EVIDENCE)
        tabs.link_file_button.setVisible(link)
        tabs.link_import_button.setVisible(link)
        tabs.open_evidence_button.setEnabled(bool(detail and detail.evidence))
        tabs.generate_button.setVisible(
            detail is not None
            and self.documents is not None
            and allowed(who, Permission.CASE_GENERATE_DOCUMENTS)
        )
        tabs.open_document_button.setVisible(self.documents is not None)
        tabs.open_document_button.setEnabled(tabs.selected_document() is not None)

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
                opener = lambda: self._open_bytes(name, data)  # noqa: E731
            self._open(EvidenceDialog(self._tr, content, opener, self._view), lambda: None)
            self._view.reload()  # the read is a custody event: show it

        return self._load_then(lambda: cases.view_evidence(who, number, listed.id), show)

    # -- documents ------------------------------------------------------------------------

    def generate(self) -> None:
        found, maker = self._who_and_case(), self.documents
        if found is None or maker is None:
            return
        who, detail = found
        colon = "：" if self._tr.locale == "zh_CN" else ": "
        facts = "\n".join(
            a.text + (colon + a.finding_note if a.finding_note else "")
            for a in detail.allegations
            if a.finding == "substantiated"
        )
        dialog = DocumentDialog(self._tr, detail.case.state.value, facts, self._view)

        def save() -> None:
            request = dialog.chosen()
            number, revision = detail.case.number, self._revision()
            self._view.write(lambda: generate_document(maker, who, number, revision, request))

        self._open(dialog, save)

    def open_document(self) -> Operation | None:
        found, listed, docs = (
            self._who_and_case(),
            self._view.tabs.selected_document(),
            self.documents,
        )
        if found is None or listed is None or docs is None:
            return None
        who, detail = found
        number = detail.case.number
        name = listed.file_name or f"{number}-{listed.kind}-{listed.locale}.pdf"

        def show(data: bytes) -> None:
            self._open_bytes(name, data)

        return self._load_then(lambda: docs.document_bytes(who, number, listed.id), show)

    def _open_bytes(self, name: str, data: bytes) -> None:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="casework-"))
        path = self._folder / Path(name).name
        path.write_bytes(data)
        self.file_opened.emit(path)
        if not self.opener(path):
            self._view.say(self._tr("No program could open {path}.", path=str(path)))


def _file_name(content: EvidenceContent) -> str:
    record = content.snapshot.get("record", {})
    name = record.get("original_name") or record.get("file_name") or "file"
    return str(name)
