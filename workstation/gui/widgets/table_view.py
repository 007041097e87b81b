"""A table view set up the same way everywhere: sortable, whole-row selection, tidy headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

from workstation.gui.widgets.table_model import ROW_ROLE, SORT_ROLE


def make_proxy(model: QAbstractItemModel, parent: QWidget | None = None) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    return proxy


def make_table_view(
    model: QAbstractItemModel,
    parent: QWidget | None = None,
    *,
    sort_column: int = -1,
    descending: bool = False,
    stretch_last: bool = True,
) -> QTableView:
    """A configured table; ``sort_column`` -1 keeps the service's order until a header click."""
    view = QTableView(parent)
    view.setModel(model)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(False)
    view.setWordWrap(False)
    view.setShowGrid(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(28)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch_last)
    header.setMinimumSectionSize(60)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    header.setSortIndicator(sort_column, order)
    view.sortByColumn(sort_column, order)
    return view


def fit_columns(view: QTableView, max_width: int = 320) -> None:
    """Size columns to their contents once, capped, leaving them resizable by hand."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for section in range(header.count()):
        if header.sectionSize(section) > max_width:
            header.resizeSection(section, max_width)


class PredicateProxy(QSortFilterProxyModel):
    """A sortable proxy that can hide rows failing a predicate on the row object."""

    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSourceModel(model)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._predicate: Callable[[Any], bool] | None = None

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.9
            self.beginFilterChange()
            self._predicate = predicate
            self.endFilterChange()
        else:
            self._predicate = predicate
            self.invalidateRowsFilter()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if self._predicate is None:
            return True
        row = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return row is None or self._predicate(row)


def make_empty_state(text: str = "") -> QLabel:
    """The centred, wrapped note shown where a table or page has nothing to show yet."""
    label = QLabel(text)
    label.setObjectName("emptyState")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label
