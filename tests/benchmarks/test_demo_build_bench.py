"""Building the demo company: generating it, writing its files, importing them through
``ImportService`` (full scale: the whole demo, about 2.1 million track points; tiny: the
smallest demo the scenarios allow). Wall and CPU time of the build and of each phase are
reported; only that the build finished is asserted.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from bench_tools import Results, Scale
from clocks import pinned

from workstation.app import open_app
from workstation.config import load_settings
from workstation.demo.world import FULL_SIZE, DemoSize

SMALLEST = DemoSize(salespeople_per_city=4, customers=200, days=40)
PHASES = (
    ("generate", "Generating"),
    ("write_files", "Writing"),
    ("users", "Signing in"),
    ("import", "Importing"),
    ("users_of_employees", "Making the users"),
    ("save", "Saving"),
)


def _source(message: str) -> str:
    """What an import step takes, without its city or its place in a series: "Importing GPS
    tracks (3/16): 王磊" → "GPS tracks", "Importing WeCom check-ins of 上海" → "WeCom check-ins"."""
    what = message.removeprefix("Importing").strip().removeprefix("the ")
    return what.split(" (")[0].split(" of ")[0]


class PhaseClock:
    """Wall and CPU seconds spent in each phase, told apart by the build's progress messages,
    and within the import phase by the source imported."""

    def __init__(self) -> None:
        self.spent: dict[str, tuple[float, float]] = {}
        self.imports: dict[str, tuple[float, float]] = {}
        self._phase, self._source = "other", ""
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def __call__(self, done: int, total: int, message: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        spent = (wall - self._wall, cpu - self._cpu)
        _add(self.spent, self._phase, spent)
        if self._phase == "import":
            _add(self.imports, self._source, spent)
        self._wall, self._cpu = wall, cpu
        self._phase = next((n for n, start in PHASES if message.startswith(start)), "other")
        self._source = _source(message)


def _add(into: dict[str, tuple[float, float]], key: str, spent: tuple[float, float]) -> None:
    before = into.get(key, (0.0, 0.0))
    into[key] = (before[0] + spent[0], before[1] + spent[1])


def test_demo_build(scale: Scale, results: Results, tmp_path: Path) -> None:
    size = scale.pick(FULL_SIZE, SMALLEST)
    app = open_app(load_settings(tmp_path / "data"), clock=pinned())
    phases = PhaseClock()
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        built = app.demo.build(seed=7, end_date=date(2026, 10, 30), size=size, progress=phases)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        app.close()
    points = built.counts["track_points"]
    assert points > 0 and len(built.imports) > 20
    results.add(
        "demo_build",
        "wall",
        wall,
        "s",
        cpu_s=cpu,
        track_points=points,
        files_imported=len(built.imports),
        rows_refused=sum(i["refused"] for i in built.imports),
    )
    for name, (phase_wall, phase_cpu) in phases.spent.items():
        if name != "other":
            results.add("demo_build", f"{name}_wall", phase_wall, "s", cpu_s=phase_cpu)
    for source, (source_wall, source_cpu) in phases.imports.items():
        results.add("demo_build", f"import {source}", source_wall, "s", cpu_s=source_cpu)
