"""Benchmarks: full scale with ``--run-benchmarks`` (``make benchmarks``), a tiny scale in the
default suite. Each measure is printed as one ``BENCH ...`` line and written to a JSON file
(``--benchmark-json PATH``, else ``benchmarks.json`` in pytest's temporary folder)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from acting import DEMO_USERNAMES
from bench_tools import DemoStore, Results, Scale

from workstation.app import App
from workstation.config import load_settings
from workstation.demo.people import DEMO_PASSWORD
from workstation.domain.enums import Role

RESULTS = pytest.StashKey[Results]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "benchmarks" in item.path.parts:
            item.add_marker(pytest.mark.benchmark)


@pytest.fixture(scope="session")
def scale(pytestconfig: pytest.Config) -> Scale:
    return Scale(bool(pytestconfig.getoption("--run-benchmarks")))


@pytest.fixture(scope="session")
def results(
    pytestconfig: pytest.Config, scale: Scale, tmp_path_factory: pytest.TempPathFactory
) -> Results:
    """Where the benchmarks put their measures (written at the end of the session)."""
    chosen = pytestconfig.getoption("--benchmark-json")
    path = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "benchmarks.json"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        path = path.with_name(f"{path.stem}-{worker}{path.suffix}")
    pytestconfig.stash[RESULTS] = Results(scale, path)
    return pytestconfig.stash[RESULTS]


def pytest_sessionfinish(session: pytest.Session) -> None:
    results = session.config.stash.get(RESULTS, None)
    if results is not None and results.measures:
        results.write()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    config = terminalreporter.config
    results = config.stash.get(RESULTS, None)
    if results is None or not results.measures:
        return
    if results.scale.full:
        terminalreporter.section("benchmarks")
        for measure in results.measures:
            terminalreporter.write_line(measure.line())
    count = len(results.measures)
    terminalreporter.write_line(
        f"benchmarks ({results.scale.name} scale): {count} measures in {results.path}"
    )


@pytest.fixture(scope="session")
def demo_store(demo_app: App, tmp_path_factory: pytest.TempPathFactory) -> DemoStore:
    """The session's demo company copied (SQLite backup) into a folder of its own, so the
    sign-ins and evaluations of the benchmarks leave ``demo_app`` as other tests expect it."""
    source = demo_app.settings.sqlite_path
    assert source is not None
    data_dir = tmp_path_factory.mktemp("bench_demo") / "data"
    data_dir.mkdir()
    target = load_settings(data_dir).sqlite_path
    assert target is not None
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return DemoStore(
        data_dir=data_dir,
        employees=len(demo_app.employees.list_employees()),
        end_date=demo_app.demo.summary().end_date,
        username=DEMO_USERNAMES[Role.HR_OFFICER],
        password=DEMO_PASSWORD,
    )


@pytest.fixture
def process_env() -> dict[str, str]:
    """The environment for a whole process of the workstation: this one's (with Qt's variables
    as the suite sets them), less any ``WORKSTATION_*`` left by the test process."""
    return {k: v for k, v in os.environ.items() if not k.startswith("WORKSTATION_")}
