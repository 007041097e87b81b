"""The data folder is its owner's alone (POSIX): a run leaves every folder 0700 and every file
0600, wherever the program wrote them (database and WAL, logs, evidence, backups, a saved
export); an existing folder left open by an older version is tightened at start, and the log
says how many paths were."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from acting import sign_in_as
from clocks import pinned

from workstation.app import open_app
from workstation.cli import main
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.private_files import open_paths

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")

ROSTER = (
    "工号,姓名,上级工号,入职日期\nS1,张伟,,2020-01-01\nS2,王磊,S1,2021-01-01\nS3,李娜,S1,明天\n"
)


@pytest.fixture
def open_umask() -> Iterator[Callable[[], None]]:
    """``reset()`` puts back the umask most desktops start a program with (0o022), so that what
    the program writes is private only because it makes it so; the test's own is restored."""
    before = os.umask(0o022)

    def reset() -> None:
        os.umask(0o022)

    yield reset
    os.umask(before)


def _modes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): oct(stat.S_IMODE(p.lstat().st_mode))
        for p in [folder, *folder.rglob("*")]
    }


def test_a_run_leaves_nothing_readable_by_others(
    tmp_path: Path,
    cli_as: Callable[..., str],
    open_umask: Callable[[], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    cli_as(data, Role.HR_OFFICER)  # the store and its first users (the app was opened once)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    saved = tmp_path / "saved"
    saved.mkdir()
    open_umask()
    assert main(["--data-dir", str(data), "import", str(roster), "--kind", "employees"]) == 0
    assert open_paths(data) == [], "as the import left them (no start has tightened them)"
    cli_as(data, Role.ADMINISTRATOR)
    open_umask()
    assert main(["--data-dir", str(data), "db", "backup", str(data / "backups" / "b.db")]) == 0
    open_umask()
    assert main(["--data-dir", str(data), "db", "backup", str(saved / "copy.db")]) == 0
    open_umask()
    app = open_app(load_settings(data), clock=pinned())
    try:  # the import's report saved as a user does (Save as), outside the data folder
        sign_in_as(app, Role.HR_OFFICER)
        [batch] = app.imports.list_batches()
        report = app.imports.export_report(batch.id, saved / "report.xlsx", "en")
        with app.uow() as uow:  # a session left open: the WAL and its index are there now
            uow.session.connection()
            live = {p.name for p in data.iterdir()}
            assert {"casework.sqlite3-wal", "casework.sqlite3-shm"} <= live
            assert open_paths(data) == []
    finally:
        app.close()
    capsys.readouterr()

    modes = _modes(data)
    assert {"casework.sqlite3", "logs/workstation.log", "backups/b.db"} <= set(modes)
    assert any(name.startswith("evidence/") for name in modes), "the roster is stored"
    assert open_paths(data) == [], modes
    for path in [data, *data.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if path.is_dir():
            assert mode == 0o700, path
        elif "evidence" in path.parts:  # stored files are read-only besides
            assert mode == 0o400, path
        else:
            assert mode == 0o600, path
    for path in (report, saved / "copy.db"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_open_folder_is_tightened_at_start_and_the_log_says_so(
    tmp_path: Path, open_umask: Callable[[], None], caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    open_app(load_settings(data), clock=pinned()).close()
    (data / "evidence" / "ab").mkdir(parents=True)
    (data / "evidence" / "ab" / "file.bin").write_bytes(b"chat log")
    (data / "notes.txt").write_text("left by hand", encoding="utf-8")
    (data / "link").symlink_to(tmp_path / "elsewhere.txt")
    (tmp_path / "elsewhere.txt").write_text("not ours to change", encoding="utf-8")
    for path in [data, *data.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    (tmp_path / "elsewhere.txt").chmod(0o644)
    opened = open_paths(data)
    assert len(opened) == len([p for p in data.rglob("*") if not p.is_symlink()]) + 1

    open_umask()
    with caplog.at_level(logging.INFO, logger="workstation.app"):
        open_app(load_settings(data), clock=pinned()).close()

    assert open_paths(data) == []
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "notes.txt").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "elsewhere.txt").stat().st_mode) == 0o644, "link followed"
    lines = [r.getMessage() for r in caplog.records if "owner-only" in r.getMessage()]
    assert lines == [f"data folder {data}: {len(opened)} of {len(opened)} paths were readable "
                     "by others, now owner-only"]  # fmt: skip

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="workstation.app"):
        open_app(load_settings(data), clock=pinned()).close()
    assert not [r for r in caplog.records if "owner-only" in r.getMessage()], "nothing to do"
