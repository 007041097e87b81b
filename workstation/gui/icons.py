"""Icons from ``resources/icons`` (small SVGs), with a Qt standard icon as a fallback.

The line icons are drawn in a dark slate; ``icon(name)`` adds a white variant for the
*selected* state so they stay visible on the accent-coloured selection of the navigation.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication, QStyle

from workstation.config import resources_dir

LINE_COLOR = "#34495e"
SELECTED_COLOR = "#ffffff"
_SIZES = (16, 20, 24, 32, 48)

_FALLBACK = {
    "alerts": QStyle.StandardPixmap.SP_MessageBoxWarning,
    "employees": QStyle.StandardPixmap.SP_DirHomeIcon,
    "map": QStyle.StandardPixmap.SP_DriveNetIcon,
    "cases": QStyle.StandardPixmap.SP_DirIcon,
    "imports": QStyle.StandardPixmap.SP_ArrowDown,
    "settings": QStyle.StandardPixmap.SP_FileDialogDetailedView,
    "back": QStyle.StandardPixmap.SP_ArrowBack,
}


def _render(svg: str, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


@cache
def icon(name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    if path.exists():
        svg = path.read_text(encoding="utf-8")
        result = QIcon()
        for size in _SIZES:
            result.addPixmap(_render(svg, size), QIcon.Mode.Normal)
            if LINE_COLOR in svg:
                white = svg.replace(LINE_COLOR, SELECTED_COLOR)
                result.addPixmap(_render(white, size), QIcon.Mode.Selected)
        if not result.isNull():
            return result
    style = QApplication.style() if QApplication.instance() else None
    if style is not None and name in _FALLBACK:
        return style.standardIcon(_FALLBACK[name])
    return QIcon()
