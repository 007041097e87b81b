"""``CaseListView``: the cases the reader may see, filtered by state or by "awaiting my
approval"; a case that does not verify is marked (red row, "Does not verify")."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.cases.views import CaseView
from workstation.domain.cases import CaseState
from workstation.gui.cases.labels import disposition_label, state_label
from workstation.gui.widgets.table_model import (
    ROW_ROLE,
    Column,
    Highlight,
    RowTableModel,
    time_column,
)
from workstation.gui.widgets.table_view import (
    PredicateProxy,
    fit_columns,
    make_empty_state,
    make_table_view,
)
from workstation.i18n import Translator


class CaseListView(QWidget):
    """The table and its filters; loading is the page's job (``show_cases``)."""

    #: A case was opened (double click or Enter): its number.
    case_activated = Signal(str)
    #: The state filter changed (the page reloads).
    state_changed = Signal()
    #: "Awaiting my approval" was switched (the page reloads).
    awaiting_changed = Signal(bool)

    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._awaiting: frozenset[str] = frozenset()
        self._broken: frozenset[str] = frozenset()
        self.state_filter = QComboBox()
        self.state_filter.addItem(tr("All states"), None)
        for state in CaseState:
            self.state_filter.addItem(state_label(tr, state.value), state.value)
        self.awaiting_filter = QCheckBox(tr("Awaiting my approval"))
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Search by case number, name or title"))
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("mutedLabel")
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.state_filter)
        filters.addWidget(self.awaiting_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)

        self.model: RowTableModel[CaseView] = RowTableModel(
            [
                Column(tr("Case no."), lambda c: c.number),
                Column(tr("Employee no."), lambda c: c.subject_employee_no),
                Column(tr("Name"), lambda c: c.subject_name),
                Column(tr("Case title"), lambda c: c.title, tooltip=lambda c: c.title),
                Column(tr("State"), lambda c: state_label(tr, c.state.value)),
                Column(
                    tr("Disposition"),
                    lambda c: disposition_label(tr, c.disposition.value if c.disposition else None),
                ),
                Column(tr("Legal hold"), lambda c: tr("On hold") if c.legal_hold else ""),
                Column(
                    tr("Signatures"),
                    lambda c: (
                        tr("✗ Does not verify") if c.number in self._broken else tr("✓ Verifies")
                    ),
                    tooltip=lambda c: (
                        tr("What this case holds now is not what was signed: open it to see")
                        if c.number in self._broken
                        else None
                    ),
                ),
                time_column(tr, tr("Updated"), lambda c: c.updated_at),
            ],
            highlight=self._highlight,
            parent=self,
        )
        self.proxy = PredicateProxy(self.model, self)
        self.table = make_table_view(self.proxy, sort_column=-1)
        self.table.setToolTip(tr("Double-click or press Enter to open the case"))
        self.table.doubleClicked.connect(self._on_activated)
        self.table.activated.connect(self._on_activated)
        self.empty_label = make_empty_state()
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(filters)
        layout.addWidget(self.body, 1)
        self.state_filter.currentIndexChanged.connect(lambda _i: self.state_changed.emit())
        self.awaiting_filter.toggled.connect(self._on_awaiting)
        self.search.textChanged.connect(self._apply_filter)

    def state_choice(self) -> str | None:
        choice = self.state_filter.currentData()
        return None if choice is None else str(choice)

    def awaiting_only(self) -> bool:
        return self.awaiting_filter.isChecked()

    def _highlight(self, case: CaseView) -> Highlight | None:
        if case.number in self._broken:
            return Highlight.ALERT
        return Highlight.NOTE if case.number in self._awaiting else None

    def show_cases(
        self,
        cases: Sequence[CaseView],
        awaiting: Collection[str] = (),
        broken: Collection[str] = (),
    ) -> None:
        """Show ``cases``; the numbers in ``awaiting`` wait for the reader's approval, those in
        ``broken`` do not verify."""
        self._awaiting, self._broken = frozenset(awaiting), frozenset(broken)
        self.model.set_rows(list(cases))
        fit_columns(self.table, max_width=300)
        self._apply_filter()

    def visible_cases(self) -> list[CaseView]:
        return [self.proxy.index(row, 0).data(ROW_ROLE) for row in range(self.proxy.rowCount())]

    def _on_awaiting(self, on: bool) -> None:
        self._apply_filter()
        self.awaiting_changed.emit(on)

    def _apply_filter(self) -> None:
        needle = self.search.text().strip().casefold()
        awaiting_only, awaiting = self.awaiting_only(), self._awaiting

        def keep(case: CaseView) -> bool:
            if awaiting_only and case.number not in awaiting:
                return False
            text = f"{case.number} {case.subject_employee_no} {case.subject_name} {case.title}"
            return not needle or needle in text.casefold()

        self.proxy.set_predicate(keep)
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(self._tr("{shown} of {total} cases", shown=shown, total=total))
        if total == 0:
            self.empty_label.setText(
                self._tr(
                    "No cases here. An HR officer opens a case from a confirmed alert "
                    "(Escalate to a case) or with `workstation case open`."
                )
            )
        elif awaiting_only and shown == 0:
            self.empty_label.setText(self._tr("No case waits for your approval."))
        else:
            self.empty_label.setText(self._tr("No case matches the filters."))
        self.body.setCurrentWidget(self.table if shown else self.empty_label)

    def _on_activated(self, index: QModelIndex) -> None:
        case = index.data(ROW_ROLE)
        if case is not None:
            self.case_activated.emit(case.number)
