"""The application font: Chinese text in the bundled CJK face; English text in the system's own
face, with the CJK face behind it for the characters the system's lacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from workstation.config import load_settings
from workstation.gui.qt_setup import install_cjk_font


def test_english_is_set_in_the_systems_face_and_chinese_in_the_bundled_one(
    qapp: QApplication, tmp_path: Path
) -> None:
    settings = load_settings(tmp_path)
    saved = qapp.font()
    try:
        cjk = install_cjk_font(qapp, settings.with_preferences(locale="zh_CN"))
        assert cjk, "the bundled CJK font did not load"
        assert QFontInfo(qapp.font()).family() == cjk[0]

        install_cjk_font(qapp, settings.with_preferences(locale="en"))
        system = QFontInfo(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        if system.family() in cjk:
            pytest.skip("this system's own face is the CJK one")
        # not the CJK face: its "…" is centred ("New case···")
        assert QFontInfo(qapp.font()).family() == system.family()
        assert qapp.font().families()[-len(cjk) :] == cjk
    finally:
        qapp.setFont(saved)
