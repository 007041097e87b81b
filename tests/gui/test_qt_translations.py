"""Qt's own dialogs speak the user's language: the standard buttons of message boxes and
button boxes, the file dialog (Qt's widget dialog, as on a desktop without a native one),
the editing context menu — from the wheel's Qt catalogs plus the supplement for what they
lack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
)

from workstation.config import Settings
from workstation.gui.application import create_qapplication
from workstation.gui.qt_translations import install_qt_translations, translation_dirs


@pytest.fixture
def chinese(settings: Settings) -> Iterator[QApplication]:
    qapp = create_qapplication(settings.with_preferences(locale="zh_CN"))
    yield qapp
    install_qt_translations(qapp, "zh_CN")


def _file_dialog_texts(qtbot: Any, tmp_path: Path) -> tuple[list[str], list[str]]:
    dialog = QFileDialog(None, "x", str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.show()
    labels = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
    buttons = [button.text() for button in dialog.findChildren(QPushButton)]
    dialog.close()
    return labels, buttons


def test_the_wheel_has_qts_chinese_catalog() -> None:
    assert any((folder / "qtbase_zh_CN.qm").is_file() for folder in translation_dirs())


def test_qts_dialogs_are_chinese(qtbot: Any, chinese: QApplication, tmp_path: Path) -> None:
    buttons = QMessageBox.StandardButton
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "t",
        "?",
        buttons.Yes | buttons.No | buttons.Cancel | buttons.Save,
    )
    assert sorted(b.text() for b in box.buttons()) == sorted(["是(&Y)", "否(&N)", "取消", "保存"])
    ok_cancel = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    assert [b.text() for b in ok_cancel.buttons()] == ["确定", "取消"]
    labels, pushed = _file_dialog_texts(qtbot, tmp_path)
    assert labels == [
        "查找范围(&L)：",
        "文件名称(&N)：",
        "文件类型(&T)：",
    ]  # two from the supplement
    assert sorted(pushed) == sorted(["保存(&S)", "取消"])
    line = QLineEdit()
    qtbot.addWidget(line)
    menu = line.createStandardContextMenu()
    assert [a.text().split("\t")[0] for a in menu.actions() if a.text()][:2] == [
        "撤消(&U)",
        "重做(&R)",
    ]


def test_english_takes_qts_own_words_and_chinese_comes_back(
    qtbot: Any, chinese: QApplication, tmp_path: Path
) -> None:
    install_qt_translations(chinese, "en")
    labels, pushed = _file_dialog_texts(qtbot, tmp_path)
    assert labels == ["&Look in:", "File &name:", "Files of &type:"]
    assert sorted(pushed) == ["&Save", "Cancel"]
    loaded = install_qt_translations(chinese, "zh_CN")
    assert [Path(p).name for p in loaded] == [
        "qtbase_supplement.zh_CN.json",
        "qtbase_zh_CN.qm",
        "qtwebengine_zh_CN.qm",
    ]
    assert _file_dialog_texts(qtbot, tmp_path)[0][0] == "查找范围(&L)："
