"""The import wizard's column-mapping actions: choose the file's columns by hand, save them
as a named mapping, and offer the saved ones on the Choose step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.imports.choose_step import ChooseStep
from workstation.gui.imports.column_mapping_dialog import ColumnMappingDialog
from workstation.gui.imports.preview_step import PreviewStep
from workstation.i18n import Translator
from workstation.ingest.mapping_profiles import MappingProfile
from workstation.ingest.profiles import KINDS
from workstation.service_text import error_text

if TYPE_CHECKING:
    from workstation.ingest.service import ImportService


class ColumnMappingActions:
    """Mixed into the wizard (a QWidget), whose steps, runner and service it uses."""

    _imports: ImportService
    _runner: BackgroundRunner
    _tr: Translator
    choose: ChooseStep
    preview: PreviewStep
    edited_columns: dict[str, str] | None
    mapping_saved: SignalInstance

    def load_preview(self) -> Operation | None:
        raise NotImplementedError

    def _parent_widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def reload_mappings(self, select: str | None = None) -> Operation:
        """Offer the saved mappings of the chosen kind on the Choose step."""
        mappings, kind = self._imports.mappings, self.choose.kind()
        return self._runner.run(
            lambda: mappings.saved(kind),
            on_result=lambda profiles: self.choose.set_mappings(profiles, select),
            label=self._tr("Loading saved mappings…"),
            dialog=False,
        )

    def choose_columns(self) -> None:
        preview = self.preview.preview
        if preview is None or not preview.mapping_editable:
            return
        dialog = ColumnMappingDialog(
            self._tr, preview.kind, preview.file_columns, preview.columns, self._parent_widget()
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_columns(dialog.chosen())

    def apply_columns(self, columns: dict[str, str]) -> Operation | None:
        """Read the preview again with ``columns`` (field → the file's column)."""
        self.edited_columns = dict(columns)
        return self.load_preview()

    def ask_mapping_name(self) -> None:
        preview = self.preview.preview
        if preview is None:
            return
        profile = self.choose.mapping()
        name, ok = QInputDialog.getText(
            self._parent_widget(),
            self._tr("Save as mapping"),
            self._tr("Name for these columns (e.g. the system the file comes from):"),
            text=profile.name if profile else "",
        )
        if ok and name.strip():
            self.save_mapping(name.strip())

    def save_mapping(self, name: str, *, overwrite: bool = False) -> Operation | None:
        """Save the columns of the current preview (and the coordinate system and time zone)
        as the mapping ``name``; asks before replacing one of the same name."""
        preview = self.preview.preview
        if preview is None:
            return None
        columns = {f.name: preview.columns.get(f.name, "") for f in KINDS[preview.kind].fields}
        options = self.choose.options()
        mappings = self._imports.mappings
        exists = name in {p.name for p in mappings.saved()}
        if exists and not overwrite:
            answer = QMessageBox.question(
                self._parent_widget(),
                self._tr("Save as mapping"),
                self._tr("A mapping called {name} exists. Replace it?", name=name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return None
        op = self._runner.run(
            lambda: mappings.save(
                name, preview.kind, columns, crs=options.crs, tz=options.tz, replace=True
            ),
            on_result=self._mapping_saved,
            on_error=lambda error: self.preview.say(
                self._tr(
                    "The mapping was not saved: {reason}",
                    reason=error_text(error, self._tr.locale),
                )
            ),
            label=self._tr("Saving the mapping…"),
            write=True,
        )
        return op

    def _mapping_saved(self, profile: MappingProfile) -> None:
        self.preview.say(
            self._tr("Saved as the mapping {name}: choose it for the next file.", name=profile.name)
        )
        self.reload_mappings(select=profile.name)
        self.mapping_saved.emit(profile.name)
