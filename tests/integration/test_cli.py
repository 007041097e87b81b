"""The command line, run as a user would: real data dirs, real databases, real output."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from workstation import __version__
from workstation.app import App
from workstation.cli import main
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.store.migrate import head_revision
from workstation.store.models import Employee


def test_version_is_printed_by_the_module_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "workstation", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"workstation {__version__}"


def test_db_upgrade_then_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[..., str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "db", "upgrade"]) == 0
    assert f"-> {head_revision()}" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "db", "upgrade"]) == 0
    assert "already up to date" in capsys.readouterr().out

    target = tmp_path / "copies" / "backup.sqlite3"
    cli_as(data, Role.AUDITOR)
    assert main(["--data-dir", str(data), "db", "backup", str(target)]) == 1
    assert "may not do database.maintain" in capsys.readouterr().err
    cli_as(data, Role.ADMINISTRATOR)
    assert main(["--data-dir", str(data), "db", "backup", str(target)]) == 0
    assert "backup written to" in capsys.readouterr().out
    with sqlite3.connect(target) as conn:
        assert conn.execute("select version_num from alembic_version").fetchone() == (
            head_revision(),
        )


def test_db_backup_of_postgres_says_to_use_its_tools(
    postgres_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    cli_as: Callable[..., str],
) -> None:
    cli_as(tmp_path, Role.ADMINISTRATOR, postgres_url)
    url = make_url(postgres_url).set(password="s3cret-pw").render_as_string(hide_password=False)
    code = main(["--data-dir", str(tmp_path), "--db", url, "db", "backup", "x.db"])
    err = capsys.readouterr().err
    assert code == 1
    assert "pg_dump" in err, "the message names the tool to use"
    assert "s3cret-pw" not in err and "***" in err, "the password is hidden"


def test_demo_refuses_to_overwrite_a_real_database(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    with app.uow() as uow:
        uow.session.add(Employee(employee_no="E1", name="真实员工"))
        uow.commit()
    code = main(["--data-dir", str(app.settings.data_dir), "demo", "--headless"])
    assert code == 1
    assert "not a demo" in capsys.readouterr().err
    assert [e.employee_no for e in app.employees.list_employees()] == ["E1"]


def test_headless_demo_prints_counts_and_scenarios_as_json(
    demo_app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(demo_app.settings.data_dir)
    assert main(["--data-dir", data_dir, "demo", "--headless", "--seed", "7", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["counts"] == demo_app.database.table_counts()
    assert summary["counts"]["employees"] >= 40
    kinds = {s["kind"] for s in summary["scenarios"]}
    assert {"diverter", "fake_fieldwork"} <= kinds


def test_gui_without_a_display_explains_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert main(["--data-dir", str(tmp_path)]) == 1
    assert "demo --headless" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "--open map:HD1 opens the window on a view and does not go with `alerts`; "
            "run `workstation --open map:HD1` alone",
        ),
        (
            "zh_CN",
            "--open map:HD1 用于让窗口直接打开某个视图，不能与 `alerts` 一起使用；"
            "请单独运行 `workstation --open map:HD1`",
        ),
    ],
)
def test_open_with_a_command_that_opens_no_window_is_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    data = tmp_path / "data"
    argv = ["--data-dir", str(data), "--lang", lang, "--open", "map:HD1", "alerts"]
    assert main(argv) == 1
    assert capsys.readouterr().err == f"workstation: {expected}\n"
    # refused before anything was opened: no store was made
    store = load_settings(data).sqlite_path
    assert store is not None and not store.exists()
