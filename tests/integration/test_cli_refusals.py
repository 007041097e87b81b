"""Inputs that once ended in a traceback on the command line, fed again through ``main`` as a
user types them: each now gets one line naming what and why (in English or Chinese), exit
status 1, and leaves the store as it was. A bug gets one line naming the log file (exit 2)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from acting import TEST_PASSWORD
from case_world import CaseWorld
from document_demo import walked_demo
from sqlalchemy import func, select

from workstation.app import App, open_app
from workstation.cli import main
from workstation.cli_common import ENV_KEY_PASSPHRASE
from workstation.config import load_settings
from workstation.demo.case_walkthrough import HR, LEGAL, WalkedCase
from workstation.demo.people import DEMO_PASSWORD
from workstation.demo.signing_keys import DEMO_KEY_PASSPHRASES
from workstation.store.models import Alert, AuditEntry, Case, CaseApproval


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("workstation: "), err
    assert "Traceback" not in err
    return err.removeprefix("workstation: ").rstrip("\n")


def _as(monkeypatch: pytest.MonkeyPatch, user: str, password: str) -> None:
    monkeypatch.setenv("WORKSTATION_USER", user)
    monkeypatch.setenv("WORKSTATION_PASSWORD", password)


# -- a stale alert revision on ``case open`` -------------------------------------------------


def test_a_stale_alert_revision_is_refused_in_one_line(
    app: App, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = CaseWorld(app.uow, app.evidence)
    app.users.set_password(world.me("admin"), world.me("hr.li").user_id, TEST_PASSWORD)
    _as(monkeypatch, "hr.li", TEST_PASSWORD)
    alert = str(world.rec["alert"])
    data = str(app.settings.data_dir)
    argv = ["case", "open", "--alert", alert, "--alert-revision", "2", "--title", "跑单"]

    assert main(["--data-dir", data, "--lang", "en", *argv]) == 1
    assert _one_line(capsys.readouterr().err) == (
        f"alert #{alert} was changed after you opened it (it is now at revision 3, you saw 2): "
        "reload it, check what changed, and try again"
    )
    assert main(["--data-dir", data, "--lang", "zh_CN", *argv]) == 1
    assert _one_line(capsys.readouterr().err) == (
        f"预警 #{alert} 在您打开后已被修改（现为第 3 版，您看到的是第 2 版）："
        "请重新加载，查看变更后重试"
    )

    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Case)) == 0
        stored = uow.session.get(Alert, world.rec["alert"])
        assert stored is not None and (stored.status, stored.revision) == ("confirmed", 3)


# -- usage errors of ``case link`` ------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "english", "chinese"),
    [
        (
            ["2026-0001"],
            "give either KIND KEY or --file PATH",
            "请给出 KIND KEY（记录类型和编号）或 --file 路径，二者只能选一",
        ),
        (
            ["2026-0001", "order"],
            "give the record's KEY after its KIND",
            "请在记录类型 KIND 之后给出记录编号 KEY",
        ),
    ],
)
def test_the_usage_errors_of_case_link_are_one_line_in_either_language(
    app: App,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    english: str,
    chinese: str,
) -> None:
    world = CaseWorld(app.uow, app.evidence)
    app.users.set_password(world.me("admin"), world.me("hr.li").user_id, TEST_PASSWORD)
    _as(monkeypatch, "hr.li", TEST_PASSWORD)
    data = str(app.settings.data_dir)
    assert main(["--data-dir", data, "--lang", "en", "case", "link", *argv]) == 2
    assert _one_line(capsys.readouterr().err) == english
    assert main(["--data-dir", data, "--lang", "zh_CN", "case", "link", *argv]) == 2
    assert _one_line(capsys.readouterr().err) == chinese


# -- on the walked demo: signing keys, stored documents ---------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, WalkedCase]]:
    app, walked = walked_demo(tmp_path_factory)
    yield app, walked
    app.close()


def test_a_missing_signing_passphrase_on_approve_is_one_line(
    demo: tuple[App, WalkedCase],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, _walked = demo
    data = ["--data-dir", str(app.settings.data_dir), "--lang", "en"]
    subject = next(
        s["employee_no"]
        for s in app.demo.scenarios()
        if s["kind"] != "diverter" and s.get("employee_no")
    )
    monkeypatch.delenv(ENV_KEY_PASSPHRASE, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)  # no terminal to ask on
    _as(monkeypatch, HR, DEMO_PASSWORD)
    assert main([*data, "case", "open", "--subject", subject, "--title", "疑似虚假外勤"]) == 0
    number = capsys.readouterr().out.split()[0]
    assert main([*data, "case", "allege", number, "伪造外勤打卡"]) == 0
    assert main([*data, "case", "transition", number, "investigation_requested"]) == 0
    capsys.readouterr()

    def state() -> tuple[int, int]:
        with app.uow() as uow:
            case = uow.session.scalars(select(Case).where(Case.number == number)).one()
            approvals = uow.session.scalar(
                select(func.count())
                .select_from(CaseApproval)
                .where(CaseApproval.case_id == case.id)
            )
            return case.revision, int(approvals or 0)

    before = state()
    _as(monkeypatch, LEGAL, DEMO_PASSWORD)
    assert main([*data, "case", "approve", number, "investigation", "approve"]) == 1
    assert _one_line(capsys.readouterr().err) == (
        "cannot sign: the passphrase of your signing key is not in the keyring and was not "
        f"given (no keyring); give the passphrase in {ENV_KEY_PASSPHRASE} or run on a terminal"
    )
    assert state() == before, "nothing was approved"

    monkeypatch.setenv(ENV_KEY_PASSPHRASE, DEMO_KEY_PASSPHRASES[HR])  # another user's
    assert main([*data, "case", "approve", number, "investigation", "approve"]) == 1
    assert _one_line(capsys.readouterr().err) == (
        "cannot sign: the passphrase does not open this signing key; "
        f"give the passphrase in {ENV_KEY_PASSPHRASE} or run on a terminal"
    )
    assert state() == before, "nothing was approved"

    monkeypatch.setenv(ENV_KEY_PASSPHRASE, DEMO_KEY_PASSPHRASES[LEGAL])
    assert main([*data, "case", "approve", number, "investigation", "approve"]) == 0
    assert state()[1] == before[1] + 1


def test_saving_an_altered_document_is_refused_and_writes_nothing(
    demo: tuple[App, WalkedCase],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    app, walked = demo
    _as(monkeypatch, HR, DEMO_PASSWORD)
    hr = app.session.current()
    assert hr is not None and hr.username == HR
    [first, *_] = app.documents.stored(hr, walked.number)
    stored = app.evidence.path_for(first.sha256)
    os.chmod(stored, stat.S_IRUSR | stat.S_IWUSR)
    altered = bytearray(stored.read_bytes())
    altered[len(altered) // 2] ^= 0xFF
    stored.write_bytes(bytes(altered))

    def copies() -> int:
        with app.uow() as uow:
            found = uow.session.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.action.in_(["case.document_copied", "evidence.read"]))
            )
            return int(found or 0)

    before = copies()
    out = tmp_path / "copy.pdf"
    argv = ["case", "documents", walked.number, "--save", str(first.id), "--out", str(out)]
    assert main(["--data-dir", str(app.settings.data_dir), "--lang", "en", *argv]) == 1
    assert _one_line(capsys.readouterr().err) == (
        f"the stored file {first.file_name} ({first.sha256}) no longer matches its SHA-256 (it "
        "was altered or damaged); nothing was written. Restore the evidence folder from a backup"
    )
    assert not out.exists()
    assert copies() == before


# -- a bug, and what reaches the terminal ------------------------------------------------------


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    nowhere = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'x.sqlite3'}"
    assert main(["--data-dir", str(data), "--db", nowhere, "--lang", "en", "db", "status"]) == 2
    log_file = data / "logs" / "workstation.log"
    line = _one_line(capsys.readouterr().err)
    assert line.startswith("unexpected error: OperationalError: ")
    assert line.endswith(f" — details in {log_file}")
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged and "unable to open database" in logged


def test_a_command_prints_no_library_warning_and_no_alembic_lines(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONWARNINGS": "default"}  # as a developer's shell may have it
    data = str(tmp_path / "data")
    for argv in (["db", "upgrade"], ["db", "status"]):
        done = subprocess.run(
            [sys.executable, "-m", "workstation", "--data-dir", data, *argv],
            capture_output=True,
            text=True,
            env=env,
        )
        assert done.returncode == 0
        assert done.stderr == "", done.stderr
    app = open_app(load_settings(data))
    app.close()
    logged = (tmp_path / "data" / "logs" / "workstation.log").read_text(encoding="utf-8")
    assert "alembic.runtime" not in logged


def test_a_warning_goes_to_the_log_not_the_terminal(tmp_path: Path) -> None:
    script = (
        "import sys, warnings\n"
        "from workstation.logging_setup import configure_logging\n"
        "configure_logging(__import__('pathlib').Path(sys.argv[1]))\n"
        'warnings.warn("a library\'s deprecation", DeprecationWarning)\n'
    )
    env = {**os.environ, "PYTHONWARNINGS": "default"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env
    )
    assert (done.returncode, done.stderr) == (0, "")
    logged = (tmp_path / "workstation.log").read_text(encoding="utf-8")
    assert "WARNING py.warnings" in logged and "a library's deprecation" in logged
