"""``DocumentOpener``: a document the service has read (so the read is audited) is written to a
private temporary copy and opened in the desktop's viewer — or, for a PDF on a machine without
one, in the in-app viewer; "Save as…" asks where a copy goes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from workstation.gui.documents.pdf_viewer import PdfViewerDialog
from workstation.gui.documents.system_viewer import PDF, has_viewer, open_with_system
from workstation.gui.documents.temp_copies import TempCopies
from workstation.i18n import Translator


def choose_save_path(parent: QWidget, tr: Translator, suggested: str) -> Path | None:
    """Ask where to save a copy of ``suggested`` (a file name), in the Documents folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    start = str(Path(folder) / suggested) if folder else suggested
    suffix = Path(suggested).suffix.lower()
    filters = tr("PDF documents (*.pdf)") if suffix == ".pdf" else tr("All files (*)")
    chosen, _filter = QFileDialog.getSaveFileName(parent, tr("Save a copy"), start, filters)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix or not suffix else path.with_suffix(suffix)


class DocumentOpener(QObject):
    #: A copy was written for reading (its path).
    file_opened = Signal(object)
    #: The in-app viewer was opened (the dialog).
    viewer_opened = Signal(object)

    def __init__(self, tr: Translator, parent: QWidget) -> None:
        super().__init__(parent)
        self._tr, self._parent = tr, parent
        self.copies = TempCopies(self)
        #: Hands a file to the desktop (tests record instead).
        self.system_opener: Callable[[Path], bool] = open_with_system
        #: Whether the desktop has a program for a media type (tests answer for it).
        self.has_viewer: Callable[[str], bool] = has_viewer
        #: Asks where a copy goes (a file dialog; tests answer with a path).
        self.save_chooser: Callable[[str], Path | None] = lambda suggested: choose_save_path(
            parent, tr, suggested
        )
        self.viewer: PdfViewerDialog | None = None

    def open(
        self,
        name: str,
        data: bytes,
        *,
        media_type: str | None = None,
        save: Callable[[], object] | None = None,
    ) -> str | None:
        """Open ``data`` (called ``name``) for the reader. A PDF goes to the in-app viewer
        when the desktop has no PDF reader (its "Save as…" calls ``save``). Returns what to
        tell the reader when nothing could open the file, else None."""
        path = self.copies.write(name, data)
        self.file_opened.emit(path)
        pdf = media_type == PDF or data.startswith(b"%PDF")
        if (not pdf or self.has_viewer(PDF)) and self.system_opener(path):
            return None
        if pdf:
            self.show_viewer(path, name, save)
            return None
        if save is None:
            return self._tr("No program on this computer opens {name}.", name=name)
        return self._tr(
            "No program on this computer opens {name}. Save a copy with Save as… to open it "
            "elsewhere.",
            name=name,
        )

    def show_viewer(
        self, path: Path, title: str, save: Callable[[], object] | None = None
    ) -> PdfViewerDialog:
        viewer = PdfViewerDialog(self._tr, path, title, self._parent)
        viewer.save_button.setVisible(save is not None)
        if save is not None:
            viewer.save_requested.connect(save)
        self.viewer = viewer
        viewer.finished.connect(lambda _result: self._forget(viewer))
        viewer.show()
        self.viewer_opened.emit(viewer)
        return viewer

    def _forget(self, viewer: PdfViewerDialog) -> None:
        if self.viewer is viewer:
            self.viewer = None

    def ask_save_path(self, suggested: str) -> Path | None:
        return self.save_chooser(suggested)

    def remove_copies(self) -> None:
        """Delete every temporary copy now (also done when the workstation quits)."""
        self.copies.remove()
