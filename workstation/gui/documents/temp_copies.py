"""Copies of documents written for a viewer to read: in one private temporary folder, removed
when the workstation quits (they are personal data) — or, should Qt never say so, when Python
exits."""

from __future__ import annotations

import shutil
import tempfile
import weakref
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject


class TempCopies(QObject):
    def __init__(self, parent: QObject | None = None, *, prefix: str = "casework-") -> None:
        super().__init__(parent)
        self._prefix = prefix
        self.folder: Path | None = None
        self._finalizer: weakref.finalize[..., object] | None = None
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.remove)

    def write(self, name: str, data: bytes) -> Path:
        """Write ``data`` as ``name`` (its last part only) in the private folder."""
        if self.folder is None or not self.folder.is_dir():
            self.folder = Path(tempfile.mkdtemp(prefix=self._prefix))
            self._finalizer = weakref.finalize(
                self, shutil.rmtree, str(self.folder), ignore_errors=True
            )
        path = self.folder / (Path(name).name or "document")
        path.write_bytes(data)
        return path

    def remove(self) -> None:
        """Delete the folder and every copy in it (a copy still open elsewhere may stay)."""
        if self._finalizer is not None:
            self._finalizer()
            self._finalizer = None
        self.folder = None
