"""The command line starts quickly: importing it loads none of the heavy libraries (they load
where a verb uses them), so ``workstation --version`` and ``--help`` take a blink. Checked in a
fresh interpreter, so that nothing another test imported hides a regression."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workstation.app import open_app
from workstation.config import load_settings
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
