"""The workstation collects garbage on the GUI thread, never automatically elsewhere."""

from __future__ import annotations

import gc
from typing import Any

from workstation.gui.collector import FULL_EVERY, GuiThreadCollector


def test_automatic_collection_is_off_while_it_runs_and_its_ticks_collect(qtbot: Any) -> None:
    gc.enable()
    collector = GuiThreadCollector()
    collector.start()
    try:
        assert not gc.isenabled()

        class Cycle:
            def __init__(self) -> None:
                self.me = self

        for _ in range(50):
            Cycle()
        assert collector.collect() >= 50, "a tick frees the young cycles"
        freed = [collector.collect() for _ in range(FULL_EVERY)]
        assert len(freed) == FULL_EVERY
    finally:
        collector.stop()
    assert gc.isenabled()
    gc.disable()  # as the GUI tests' own fixture left it
