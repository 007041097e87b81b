"""House rule: nothing under workstation/ reads the wall clock except domain/clock.py.

An AST scan of every module: calls to (or references of) ``datetime.now``, ``datetime.utcnow``,
``datetime.today``, ``date.today``, ``time.time``, Qt's ``currentDate``/``currentDateTime``,
pandas' ``Timestamp.now`` and the like, whatever name they were imported under. Durations
(``time.monotonic``, ``time.perf_counter``) are fine: they say how long, not when.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "workstation"
THE_CLOCK = PACKAGE / "domain" / "clock.py"

#: Qualified names that read the wall clock whenever they are used.
ALWAYS = frozenset(
    {
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "datetime.date.today",
        "time.time",
        "time.time_ns",
        "PySide6.QtCore.QDate.currentDate",
        "PySide6.QtCore.QDateTime.currentDateTime",
        "PySide6.QtCore.QDateTime.currentDateTimeUtc",
        "PySide6.QtCore.QDateTime.currentSecsSinceEpoch",
        "PySide6.QtCore.QDateTime.currentMSecsSinceEpoch",
        "PySide6.QtCore.QTime.currentTime",
        "pandas.Timestamp.now",
        "pandas.Timestamp.today",
        "pandas.Timestamp.utcnow",
    }
)
#: Functions that read the wall clock when called with fewer than this many arguments.
WITHOUT_ARGUMENT = {
    "time.localtime": 1,
    "time.gmtime": 1,
    "time.ctime": 1,
    "time.asctime": 1,
    "time.strftime": 2,
}


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """Local name -> qualified name, from the module's imports (any depth)."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                names[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _qualified(node: ast.expr, names: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in names:
        return None
    return ".".join([names[node.id], *reversed(parts)])


def wall_clock_reads(source: str) -> list[tuple[int, str]]:
    """(line, qualified name) of every wall-clock read in ``source``."""
    tree = ast.parse(source)
    names = _imported_names(tree)
    calls = {id(n.func): n for n in ast.walk(tree) if isinstance(n, ast.Call)}
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute | ast.Name) or isinstance(node.ctx, ast.Store):
            continue
        name = _qualified(node, names)
        if name is None:
            continue
        if name in ALWAYS:
            found.append((node.lineno, name))
        elif name in WITHOUT_ARGUMENT:
            call = calls.get(id(node))
            if call is None or len(call.args) < WITHOUT_ARGUMENT[name]:
                found.append((node.lineno, name))
    return sorted(set(found))


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == THE_CLOCK:
            continue
        for line, name in wall_clock_reads(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line} {name}")
    assert offenders == [], "read the time from the app's Clock instead:\n" + "\n".join(offenders)


def test_the_clock_module_itself_is_seen_reading_it() -> None:
    """The scan finds the one read there is (so it cannot pass by finding nothing anywhere)."""
    assert [name for _, name in wall_clock_reads(THE_CLOCK.read_text(encoding="utf-8"))] == [
        "datetime.datetime.now"
    ]


def test_the_scan_sees_through_aliases_and_references() -> None:
    source = (
        "import datetime as dt\n"
        "import time\n"
        "from datetime import date as D, datetime\n"
        "from time import time as seconds\n"
        "import pandas as pd\n"
        "from PySide6.QtCore import QDate\n"
        "a = dt.datetime.now()\n"
        "b = D.today()\n"
        "c = seconds()\n"
        "d = lambda: datetime.now(dt.UTC)\n"
        "e = field(default_factory=datetime.utcnow)\n"
        "f = pd.Timestamp.now()\n"
        "g = QDate.currentDate()\n"
        "h = time.localtime()\n"
        "i = time.strftime('%Y')\n"
    )
    assert [line for line, _ in wall_clock_reads(source)] == list(range(7, 16))


def test_durations_and_conversions_are_not_reads() -> None:
    source = (
        "import time\n"
        "from datetime import datetime, time as clock_time, UTC\n"
        "a = time.monotonic()\n"
        "b = time.perf_counter()\n"
        "c = datetime.fromtimestamp(0, UTC)\n"
        "d = clock_time(8, 30)\n"
        "e = time.localtime(0)\n"
        "f = time.strftime('%Y', time.gmtime(0))\n"
        "g = self.clock.now()\n"
        "h = clock.today()\n"
    )
    assert wall_clock_reads(source) == []
