"""The real process, started as a person starts it, draws a map and lives on.

``python -m workstation --user hr.zhou --open map:HD10474`` on an X server of its own (Xvfb):
the demo password is typed into the sign-in dialog (xdotool, as a keyboard), the window opens
on the diverter's map, the process writes "map drawn" to its log once Leaflet says it drew,
the mouse moves and the wheel turns over the map, and Ctrl+Q closes the window with exit
status 0. Ten times in a row: the map once killed the process with a segmentation fault
(the idle lock filtered every event of the application, QtWebEngine's too).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gui_helpers import diverter
from pytestqt.qtbot import QtBot

from workstation.app import App
from workstation.config import load_settings
from workstation.demo.people import DEMO_PASSWORD
from workstation.i18n import Translator

#: The workstation as ``python -m workstation`` (with Python's fault handler on).
PYTHON = (sys.executable, "-X", "faulthandler", "-m", "workstation")
RUNS = 10
STEP_TIMEOUT_S = 90
TOOLS = ("Xvfb", "xdotool")

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="drives an X server (Xvfb) with xdotool"
)


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """An X server of the test's own (Xvfb picks a free display number)."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    assert not missing, f"install {missing} (installer/bootstrap.sh does)"
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    number = server.stdout.readline().strip()
    assert number.isdigit(), "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def data_dir(demo_app: App, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the session's demo store (the processes sign in and read tracks: audit
    entries the other tests need not see)."""
    source = demo_app.settings.sqlite_path
    assert source is not None
    folder = tmp_path_factory.mktemp("real") / "data"
    target = load_settings(folder).sqlite_path
    assert target is not None
    folder.mkdir(parents=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return folder


class Desktop:
    """xdotool on the test's display: find windows, type, press keys, move the mouse."""

    def __init__(self, display: str) -> None:
        self.env = dict(os.environ, DISPLAY=display)

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=STEP_TIMEOUT_S,
        )
        assert done.returncode == 0, f"xdotool {args}: {done.stderr}"
        return done.stdout.strip()

    def window(self, title: str) -> str:
        """The visible window whose title starts with ``title`` (waits for it; Qt adds the
        application's name to a dialog's title)."""
        pattern = "^" + re.escape(title)
        return self.xdotool("search", "--sync", "--onlyvisible", "--name", pattern).split()[0]

    def focus(self, window: str) -> None:
        self.xdotool("windowfocus", "--sync", window)


def wait_for(
    qtbot: QtBot, condition: Callable[[], bool], what: str, process: subprocess.Popen[bytes]
) -> None:
    qtbot.waitUntil(
        lambda: condition() or process.poll() is not None, timeout=STEP_TIMEOUT_S * 1000
    )
    assert process.poll() is None, f"the process ended (status {process.returncode}) {what}"


@pytest.mark.parametrize("run", range(1, RUNS + 1))
def test_the_real_process_signs_in_through_the_dialog_and_draws_a_map(
    run: int, display: str, data_dir: Path, demo_app: App, tmp_path: Path, qtbot: QtBot
) -> None:
    tr = Translator("zh_CN")  # the store's language (the default)
    employee_no = diverter(demo_app).employee_no
    desktop = Desktop(display)
    env = {k: v for k, v in desktop.env.items() if not k.startswith("WORKSTATION_")}
    env.update(WORKSTATION_HOME=str(data_dir), QT_QPA_PLATFORM="xcb")
    log = load_settings(data_dir).log_dir / "workstation.log"
    start = log.stat().st_size if log.exists() else 0

    def logged(text: str) -> bool:
        if not log.exists():
            return False
        with log.open(encoding="utf-8") as f:
            f.seek(start)
            return text in f.read()

    output = tmp_path / "output.txt"
    with output.open("wb") as out:
        process = subprocess.Popen(
            [*PYTHON, "--user", "hr.zhou", "--open", f"map:{employee_no}"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            # The sign-in dialog shows with the user name filled in; the password is typed.
            dialog = desktop.window(tr("Sign in to Casework"))
            desktop.focus(dialog)
            desktop.xdotool("type", "--delay", "20", DEMO_PASSWORD)
            desktop.xdotool("key", "Return")
            drawn = f"map drawn: employee {employee_no}"
            wait_for(qtbot, lambda: logged(drawn), "while drawing the map", process)

            # Input over the drawn map goes through the idle lock's filters to QtWebEngine.
            main = desktop.window(tr("Casework"))
            desktop.focus(main)
            for x, y in ((900, 600), (1000, 650), (1100, 700), (950, 620)):
                desktop.xdotool("mousemove", "--window", main, str(x), str(y))
            desktop.xdotool("click", "4")  # the wheel: Leaflet zooms in
            desktop.xdotool("click", "5")
            desktop.xdotool("key", "ctrl+q")
            status = process.wait(timeout=STEP_TIMEOUT_S)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    printed = output.read_text(encoding="utf-8", errors="replace")
    assert "Fatal Python error" not in printed, printed
    assert status == 0, printed
    assert logged("hr.zhou signed in")
