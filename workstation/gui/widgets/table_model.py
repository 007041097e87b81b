"""A read-only table model over a list of plain rows (dataclasses from the services)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workstation.domain.clock import format_moment
from workstation.i18n import Translator

R = TypeVar("R")

#: The role a ``QSortFilterProxyModel`` sorts by (raw values: dates sort as dates).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The role returning the whole row object.
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class Highlight(Enum):
    """How a row stands out: ``ALERT`` for evidence (lost, outside), ``NOTE`` for context."""

    ALERT = "alert"
    NOTE = "note"


HIGHLIGHT_COLORS: dict[Highlight, tuple[QColor, QColor]] = {
    Highlight.ALERT: (QColor("#fde8e7"), QColor("#9b1c1c")),
    Highlight.NOTE: (QColor("#fff6dc"), QColor("#6b4e00")),
}


@dataclass(frozen=True)
class Column(Generic[R]):
    header: str
    value: Callable[[R], Any]
    #: Text shown; defaults to a formatted ``value``.
    text: Callable[[R], str] | None = None
    align_right: bool = False
    tooltip: Callable[[R], str | None] | None = None
    #: What the column sorts by; defaults to ``value`` (``None`` sorts after everything).
    sort: Callable[[R], Any] | None = None


def format_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return str(value)


def format_datetime(value: datetime) -> str:
    """A time with no reader's context: in UTC, saying so. Tables show times with
    ``time_column`` (the company's clock, in the reader's words: ``tr.time``)."""
    return format_moment(value, UTC, "en")


def time_column(
    tr: Translator, header: str, value: Callable[[R], datetime | None], *, seconds: bool = False
) -> Column[R]:
    """A column of times: on the company's clock, saying which (``tr.time``); sorts by time."""

    def text(row: R) -> str:
        moment = value(row)
        return tr.time(moment, seconds=seconds) if moment is not None else ""

    return Column(header, value, text=text)


def count_column(header: str, value: Callable[[R], int]) -> Column[R]:
    """A column of counts, right-aligned, with thousands separators (51,738)."""
    return Column(header, value, text=lambda row: f"{value(row):,}", align_right=True)


def _sort_key(value: Any) -> Any:
    if value is None:
        return None  # an invalid QVariant: Qt sorts it after every value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return int(value)
    return value


class RowTableModel(QAbstractTableModel, Generic[R]):
    def __init__(
        self,
        columns: Sequence[Column[R]],
        highlight: Callable[[R], Highlight | None] | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._highlight = highlight
        self._rows: list[R] = []

    # -- data -------------------------------------------------------------------------------

    @property
    def rows(self) -> list[R]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def column_headers(self) -> list[str]:
        return [c.header for c in self._columns]

    # -- Qt model interface -----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            return self._columns[section].header
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row) if column.text else format_value(column.value(row))
        if role == SORT_ROLE:
            return _sort_key(column.sort(row) if column.sort else column.value(row))
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(row)
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            mark = self._highlight(row) if self._highlight else None
            if mark is None:
                return None
            background, foreground = HIGHLIGHT_COLORS[mark]
            return QBrush(background if role == Qt.ItemDataRole.BackgroundRole else foreground)
        return None

    def highlight_of(self, row: int) -> Highlight | None:
        return self._highlight(self._rows[row]) if self._highlight else None
