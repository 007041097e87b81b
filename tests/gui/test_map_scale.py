"""The map's scale bar is metric only: one bar, in metres or kilometres, in the drawn page."""

from __future__ import annotations

import json
import re
from typing import Any

from gui_helpers import LOAD_TIMEOUT_MS, diverter
from pytestqt.qtbot import QtBot
from test_map import draw

from workstation.app import App
from workstation.gui.main_window import MainWindow

SCALE_SCRIPT = (
    "JSON.stringify(Array.from("
    "document.querySelectorAll('.leaflet-control-scale-line'), e => e.textContent))"
)


def test_the_scale_bar_says_metres_or_kilometres_only(
    demo_window: MainWindow, demo_app: App, qtbot: QtBot
) -> None:
    draw(demo_window, qtbot, diverter(demo_app).id, None)
    answers: list[Any] = []
    demo_window.map_view.count_in_page(SCALE_SCRIPT, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=LOAD_TIMEOUT_MS)
    lines = json.loads(answers[0])
    assert len(lines) == 1, lines  # no second bar in miles or feet
    assert re.fullmatch(r"\d+ k?m", lines[0]), lines
