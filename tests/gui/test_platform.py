"""Facts about the Qt binding the workstation depends on."""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtWidgets import QApplication, QLabel


def test_the_qt_binding_keeps_its_references_to_none(qapp: QApplication) -> None:
    """PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every call that returns
    nothing (``setText``, ``show``, ``processEvents``...). After a few thousand calls the
    interpreter aborts with "none_dealloc: deallocating None" at a random place. Python 3.12+
    is immune (``None`` is immortal there); PySide6 6.11.3 on Python 3.11 was checked to be
    fine. Fix: pin PySide6 below 6.12 on Python 3.11, or run on Python 3.12+.
    """
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("x")
    lost = before - sys.getrefcount(None)
    assert lost < 50, (
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} lost {lost} "
        "references to None in 200 calls: the GUI will abort with 'deallocating None'"
    )
