"""Helpers for GUI tests of the Cases page on the integration tests' small company (imported
as ``case_pages``; its fixtures ``world``, ``runner`` and ``make_page`` are in the conftest)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))


from workstation.gui.background import BackgroundRunner

TIMEOUT_MS = 20_000


def settle(qtbot: Any, runner: BackgroundRunner) -> None:
    qtbot.waitUntil(lambda: runner.active_count == 0, timeout=TIMEOUT_MS)
