"""Tables that are as tall as their rows (a few short lists stacked on one page)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QTableView


def fit_height(view: QTableView, rows: int, *, least: int = 1, most: int = 8) -> None:
    """Make ``view`` exactly tall enough for ``rows`` rows (within ``least``..``most``)."""
    shown = max(least, min(rows, most))
    header = view.horizontalHeader()
    header_height = header.height() if header.isVisible() else 0
    header_height = max(header_height, header.sizeHint().height())
    height = header_height + view.verticalHeader().defaultSectionSize() * shown
    view.setFixedHeight(height + 2 * view.frameWidth() + 2)


def stretch_column(view: QTableView, column: int) -> None:
    """After ``fit_columns``: ``column`` takes the width left (eliding), the others keep theirs,
    so the table never needs a horizontal scroll bar."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
