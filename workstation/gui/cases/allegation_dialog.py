"""An allegation: what the employee is suspected of, optionally about one customer and the
competitor it went to."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QWidget

from workstation.cases.lookups import NamedChoice
from workstation.gui.cases.form_dialog import FormDialog, SearchCombo, plain, text_box
from workstation.i18n import Translator


class AllegationDialog(FormDialog):
    def __init__(
        self,
        tr: Translator,
        customers: Sequence[NamedChoice] = (),
        competitors: Sequence[NamedChoice] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            tr,
            tr("Add allegation"),
            tr(
                "State one thing the employee is suspected of. Each allegation gets its own "
                "finding after the investigation."
            ),
            tr("Add allegation"),
            parent,
        )
        self.text_edit = text_box(tr("e.g. moved the orders of customer X to competitor Y"), 90)
        self.add_row(tr("Allegation"), self.text_edit)
        none = tr("(none)")
        self.customer = SearchCombo(
            [(f"{c.name}  {c.code or ''}".strip(), c.id) for c in customers], none
        )
        self.competitor = SearchCombo([(c.name, c.id) for c in competitors], none)
        self.add_row(tr("Customer (optional)"), self.customer)
        self.add_row(tr("Competitor (optional)"), self.competitor)
        self.watch(self.text_edit)

    def set_text(self, text: str) -> None:
        self.text_edit.setPlainText(text)

    def complete(self) -> bool:
        return bool(plain(self.text_edit))

    def chosen(self) -> tuple[str, int | None, int | None]:
        """(text, customer id, competitor id)."""
        return plain(self.text_edit), self.customer.value(), self.competitor.value()
