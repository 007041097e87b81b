"""The Settings area: choosing the language saves it for the next start."""

from __future__ import annotations

import json
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from workstation.app import App
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.settings_page import SettingsPage


def test_choosing_english_saves_it_for_the_next_start(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot
) -> None:
    window = open_window(app)
    window.show_area(Area.SETTINGS)
    page = window.stack.currentWidget()
    assert isinstance(page, SettingsPage)
    assert page.chosen_locale() == "zh_CN"
    texts = [
        page.locations_form.itemAt(i).widget().text() for i in range(page.locations_form.count())
    ]
    assert str(app.settings.data_dir) in texts

    page.language_combo.setCurrentIndex(page.language_combo.findData("en"))
    with qtbot.waitSignal(page.locale_saved, timeout=5_000) as saved:
        page.save_button.click()
    assert saved.args == ["en"]
    stored = json.loads(app.settings.preferences_path.read_text(encoding="utf-8"))
    assert stored["locale"] == "en"
    assert "English" in page.status_label.text()
    assert page.save_button.isEnabled()
    # the running window keeps its language until the next start
    assert window.nav_texts()[0] == "预警"


def test_a_failed_save_is_said_on_the_page(
    open_window: Callable[[App], MainWindow], app: App, qtbot: QtBot
) -> None:
    window = open_window(app)
    page = window.pages[Area.SETTINGS]
    assert isinstance(page, SettingsPage)
    app.settings.preferences_path.mkdir(parents=True)  # a folder where the file should go
    page.save_language()
    qtbot.waitUntil(lambda: page.save_button.isEnabled(), timeout=5_000)
    assert page.status_label.text().startswith("未能保存")
