"""Linking an imported file (a whole import: the file as received and its batch) as evidence."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QLineEdit, QWidget

from workstation.cases.lookups import ImportChoice
from workstation.gui.cases.form_dialog import FormDialog, SearchCombo
from workstation.i18n import Translator


def import_text(tr: Translator, batch: ImportChoice) -> str:
    return tr(
        "{name} · {kind} · {rows} rows · {when}",
        name=batch.file_name,
        kind=batch.kind,
        rows=batch.rows_accepted,
        when=tr.time(batch.imported_at),
    )


class ImportLinkDialog(FormDialog):
    def __init__(
        self, tr: Translator, imports: Sequence[ImportChoice], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            tr,
            tr("Link an imported file"),
            tr(
                "Link a file as it was imported (the file kept by its SHA-256 and what the "
                "import made of it). Its snapshot is frozen now; later imports never change it."
            ),
            tr("Link"),
            parent,
            width=620,
        )
        self.batch = SearchCombo([(import_text(tr, b), b.batch_id) for b in imports])
        self.add_row(tr("Imported file"), self.batch)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(tr("(optional; else the file's own name)"))
        self.add_row(tr("Title in the case"), self.title_edit)
        self.watch(self.batch)

    def choose_batch(self, batch_id: int) -> None:
        self.batch.choose(batch_id)

    def complete(self) -> bool:
        return self.batch.value() is not None

    def chosen(self) -> tuple[int, str | None]:
        value = self.batch.value()
        assert value is not None
        return int(value), self.title_edit.text().strip() or None
