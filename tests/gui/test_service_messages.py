"""Refusals of the services reach the Chinese GUI in Chinese (``service_text``): an import
refused as a whole, a column mapping refused, a policy version refused."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from gui_helpers import LOAD_TIMEOUT_MS, with_locale
from pytestqt.qtbot import QtBot

from workstation.app import App
from workstation.gui.imports.import_wizard import Step
from workstation.gui.imports.imports_page import ImportsPage
from workstation.gui.main_window import Area, MainWindow

#: English words of the service's message (what the Chinese GUI must not show).
ENGLISH = re.compile(r"\b(not|text|file|binary|data|byte|or)\b")


def _refused_binary(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> tuple[str, ImportsPage]:
    junk = tmp_path / "打卡.csv"
    junk.write_bytes(b"\x00\x01\x02binary\x00" * 64)
    window.show_area(Area.IMPORTS)
    page = window.imports_page
    page.new_button.click()
    wizard = page.wizard
    wizard.choose.path_edit.setText(str(junk))
    wizard.choose.set_kind("checkins")
    with qtbot.waitSignal(wizard.problem_shown, timeout=LOAD_TIMEOUT_MS) as said:
        wizard.next_button.click()
    assert wizard.current_step is Step.CHOOSE
    return str(said.args[0]), page


def test_an_import_refusal_reads_in_chinese_with_its_file_name(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, tmp_path: Path
) -> None:
    text, page = _refused_binary(qtbot, open_window(app), tmp_path)
    assert "打卡.csv：" in text and "不是 UTF-8 或 GB18030 编码的文本文件" in text, text
    assert ENGLISH.search(text) is None, text
    assert page.wizard.choose.error_label.text() == text
    assert app.imports.list_batches() == []


def test_the_english_gui_keeps_the_services_own_words(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot, tmp_path: Path
) -> None:
    text, _page = _refused_binary(qtbot, open_window(with_locale(app, "en")), tmp_path)
    assert "打卡.csv: not a text file in UTF-8 or GB18030" in text, text
