"""The command line starts quickly: importing it loads none of the heavy libraries (they load
where a verb uses them), so ``workstation --version`` and ``--help`` take a blink, and a
signed-in read loads only what it reads with. Checked in a fresh interpreter, so that nothing
another test imported hides a regression. (The times themselves: ``tests/benchmarks``.)"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

import pytest
from acting import sign_in_without_user

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.store.migrate import head_revision, script_heads

#: Libraries that take tens to hundreds of milliseconds to import.
HEAVY = (
    "pandas",
    "numpy",
    "scipy",
    "reportlab",
    "pyhanko",
    "PySide6",
    "folium",
    "openpyxl",
    "alembic",
    "sqlalchemy",
)
#: What opening the store and signing in needs; the libraries of documents, maps, imports and
#: the demo load with the first verb that uses them.
NOT_FOR_A_READ = ("pandas", "scipy", "reportlab", "pyhanko", "PySide6", "folium", "openpyxl")
#: ...and a store already at the schema's head opens without Alembic.
NOT_TO_OPEN = (*NOT_FOR_A_READ, "alembic")
#: A signed-in read loads none of these either: numpy comes with the computations and maps,
#: cryptography and the keyring with signing and checking signatures.
NOT_FOR_A_SIGNED_IN_READ = (*NOT_TO_OPEN, "numpy", "cryptography", "keyring")
#: Reads as a user types them, each by a role that may do it. (``audit verify`` checks the
#: checkpoints' signatures: it loads cryptography.)
READS = [
    (Role.HR_OFFICER, ["alerts", "--json"]),
    (Role.HR_OFFICER, ["case", "list", "--json"]),
    (Role.HR_OFFICER, ["places", "list"]),
    (Role.AUDITOR, ["audit", "list"]),
]


def _loaded_after(statement: str) -> set[str]:
    script = (
        f"import sys, json\n{statement}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


def test_importing_the_command_line_loads_no_heavy_library() -> None:
    loaded = _loaded_after("import workstation.cli; workstation.cli.build_parser()")
    assert sorted(loaded & set(HEAVY)) == []


@pytest.mark.parametrize("module", ["workstation.app"])
def test_opening_the_store_loads_no_document_map_or_import_library(module: str) -> None:
    loaded = _loaded_after(f"import {module}")
    assert sorted(loaded & set(NOT_FOR_A_READ)) == []


def test_opening_a_store_at_the_head_loads_no_alembic(tmp_path: Path) -> None:
    open_app(load_settings(tmp_path)).close()  # created and upgraded here
    opened = (
        "from workstation.app import open_app\n"
        "from workstation.config import load_settings\n"
        f"app = open_app(load_settings({str(tmp_path)!r}))\n"
        "assert app.upgrade_result is not None and not app.upgrade_result.changed\n"
        "app.alerts  # a read's service\n"
        "app.close()"
    )
    assert sorted(_loaded_after(opened) & set(NOT_TO_OPEN)) == []


def test_the_head_read_from_the_scripts_is_alembics() -> None:
    assert script_heads() == {head_revision()}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store at the schema's head (made and upgraded in this process, not in the reads'),
    its audit log sealed today: a day's first entry is sealed with the installation seal,
    which loads cryptography (once a day)."""
    data = tmp_path_factory.mktemp("reads") / "data"
    app = open_app(load_settings(data))
    try:
        sign_in_without_user(app, Role.AUDITOR)
        app.audit.entries()  # the day's first entry, sealed
    finally:
        app.close()
    return data


@pytest.mark.parametrize(("role", "argv"), READS, ids=[" ".join(a) for _, a in READS])
def test_a_signed_in_read_loads_no_heavy_library(
    store: Path, cli_as: Callable[[Path, Role], str], role: Role, argv: list[str]
) -> None:
    cli_as(store, role)  # the read signs in for real: WORKSTATION_USER, WORKSTATION_PASSWORD
    command = ["--data-dir", str(store), *argv]
    loaded = _loaded_after(
        "import contextlib, io\n"
        "from workstation.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main({command!r}) == 0"
    )
    assert sorted(loaded & set(NOT_FOR_A_SIGNED_IN_READ)) == []


def _built(app: App) -> set[str]:
    """The services ``app`` has built so far (each is a cached property until first used)."""
    return {name for name in vars(app) if isinstance(getattr(App, name, None), cached_property)}


def test_opening_the_app_builds_only_what_a_read_uses(tmp_path: Path) -> None:
    app = open_app(load_settings(tmp_path))
    try:
        assert _built(app) == {"evidence"}  # what a killed import left is swept at opening
        sign_in_without_user(app, Role.HR_OFFICER)
        app.alerts.list_alerts(None)
        assert _built(app) == {"evidence", "alerts"}
    finally:
        app.close()


def test_every_service_is_built_once_on_first_use(tmp_path: Path) -> None:
    app = open_app(load_settings(tmp_path))
    try:
        services = {n for n, v in vars(App).items() if isinstance(v, cached_property)}
        assert len(services) > 20
        for name in sorted(services):
            assert getattr(app, name) is getattr(app, name), name
        assert _built(app) == services
        assert app.import_mappings is app.imports.mappings
    finally:
        app.close()
