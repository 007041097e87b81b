"""``workstation user ...`` as an administrator runs it on a fresh data folder."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from acting import TEST_PASSWORD, sign_in_as
from clocks import pinned

from workstation.app import open_app
from workstation.cli import main
from workstation.cli_users import ENV_NEW_PASSWORD
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.security.model import AccountInactive

ADMIN_PASSWORD = "Keep-it-safe 2026"
NEW_PASSWORD = "Fresh-start 2026"


def sign_in(data_dir: Path, username: str, password: str) -> Role:
    app = open_app(load_settings(data_dir), clock=pinned())
    try:
        return app.users.sign_in(username, password).role
    finally:
        app.close()


@pytest.fixture
def as_admin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli_as: Callable[[Path, Role], str]
) -> Path:
    """A data folder whose administrator the command line signs in as."""
    data_dir = tmp_path / "data"
    cli_as(data_dir, Role.ADMINISTRATOR)
    monkeypatch.setenv(ENV_NEW_PASSWORD, NEW_PASSWORD)
    return data_dir


def run(data_dir: Path, *args: str) -> int:
    return main(["--data-dir", str(data_dir), "user", *args])


def test_init_admin_creates_the_first_administrator_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.delenv("WORKSTATION_USER", raising=False)
    monkeypatch.delenv("WORKSTATION_PASSWORD", raising=False)
    monkeypatch.setenv(ENV_NEW_PASSWORD, "admin-2026")  # contains the username
    assert run(data_dir, "init-admin", "Admin", "--name", "IT 部") == 1
    assert "do not use the username" in capsys.readouterr().err
    monkeypatch.setenv(ENV_NEW_PASSWORD, ADMIN_PASSWORD)
    assert run(data_dir, "init-admin", "Admin", "--name", "IT 部") == 0
    assert "administrator admin created" in capsys.readouterr().out
    assert sign_in(data_dir, "admin", ADMIN_PASSWORD) is Role.ADMINISTRATOR
    assert run(data_dir, "init-admin", "other", "--name", "Someone") == 1
    assert "an administrator exists already" in capsys.readouterr().err


def test_add_list_role_disable_enable(
    as_admin: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data_dir = as_admin
    roster = tmp_path / "roster.csv"
    roster.write_text("employee_no,name\nS1,张伟\n", encoding="utf-8")
    app = open_app(load_settings(data_dir), clock=pinned())
    try:
        sign_in_as(app, Role.HR_OFFICER)
        app.imports.run(roster, "employees")
    finally:
        app.close()

    added = ("zhang.wei", "--name", "张伟", "--role", "sales-manager", "--employee", "S1")
    assert run(data_dir, "add", *added) == 0
    assert "created zhang.wei (sales_manager)" in capsys.readouterr().out
    assert sign_in(data_dir, "zhang.wei", NEW_PASSWORD) is Role.SALES_MANAGER

    assert run(data_dir, "list", "--json") == 0
    listed = {u["username"]: u for u in json.loads(capsys.readouterr().out)}
    assert listed["zhang.wei"]["role"] == "sales_manager"
    assert listed["zhang.wei"]["employee_name"] == "张伟"
    assert listed["zhang.wei"]["active"] is True
    assert listed["test.administrator"]["last_sign_in_at"] is not None

    assert run(data_dir, "list") == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["USERNAME", "NAME", "ROLE"]
    assert any(line.startswith("zhang.wei") and "sales-manager" in line for line in table)

    assert run(data_dir, "role", "zhang.wei", "LEGAL") == 0
    assert "zhang.wei is now legal" in capsys.readouterr().out
    assert run(data_dir, "disable", "zhang.wei") == 0
    with pytest.raises(AccountInactive):
        sign_in(data_dir, "zhang.wei", NEW_PASSWORD)
    assert run(data_dir, "enable", "zhang.wei") == 0
    assert sign_in(data_dir, "zhang.wei", NEW_PASSWORD) is Role.LEGAL


def test_passwd_sets_a_new_password(
    as_admin: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(as_admin, "add", "qian", "--name", "钱", "--role", "auditor") == 0
    monkeypatch.setenv(ENV_NEW_PASSWORD, "Another-one 2027")
    assert run(as_admin, "passwd", "QIAN") == 0
    assert "password of qian set" in capsys.readouterr().out
    assert sign_in(as_admin, "qian", "Another-one 2027") is Role.AUDITOR


def test_refusals_are_one_clear_line(
    as_admin: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(as_admin, "disable", "test.administrator") == 1
    assert "you cannot deactivate your own account" in capsys.readouterr().err
    assert run(as_admin, "role", "nobody", "legal") == 1
    assert "no user 'nobody'" in capsys.readouterr().err
    assert run(as_admin, "add", "test.administrator", "--name", "x", "--role", "legal") == 1
    assert "is taken" in capsys.readouterr().err
    assert run(as_admin, "add", "x.y", "--name", "x", "--role", "legal", "--employee", "E9") == 1
    assert "no employee with number 'E9'" in capsys.readouterr().err
    monkeypatch.setenv(ENV_NEW_PASSWORD, "short")
    assert run(as_admin, "add", "x.y", "--name", "x", "--role", "legal") == 1
    assert "too weak" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run(as_admin, "add", "x.y", "--name", "x", "--role", "boss")
    assert "unknown role 'boss'" in capsys.readouterr().err


def test_only_an_administrator_manages_users(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_as: Callable[[Path, Role], str]
) -> None:
    data_dir = tmp_path / "data"
    cli_as(data_dir, Role.HR_OFFICER)
    assert run(data_dir, "list") == 1
    assert "not allowed" in capsys.readouterr().err
    # The acting user's own password is the sign-in one; it still works.
    assert sign_in(data_dir, "test.hr_officer", TEST_PASSWORD) is Role.HR_OFFICER


def _fail_sign_ins(data_dir: Path, username: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Five wrong passwords on the command line (its own clock): the account is locked."""
    monkeypatch.setenv("WORKSTATION_PASSWORD", "wrong password 1")
    for _ in range(5):
        assert main(["--data-dir", str(data_dir), "--user", username, "user", "list"]) == 1
    monkeypatch.setenv("WORKSTATION_PASSWORD", TEST_PASSWORD)
    return username


def test_an_administrator_unlocks_and_others_may_not(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cli_as: Callable[[Path, Role], str],
) -> None:
    data_dir = tmp_path / "data"
    legal = cli_as(data_dir, Role.LEGAL)
    hr = cli_as(data_dir, Role.HR_OFFICER)
    admin = cli_as(data_dir, Role.ADMINISTRATOR)
    _fail_sign_ins(data_dir, hr, monkeypatch)
    assert "locked" in capsys.readouterr().err.splitlines()[-1]

    assert run(data_dir, "unlock", hr, "--user", legal) == 1
    err = capsys.readouterr().err
    assert "may not do user.manage" in err and len(err.splitlines()) == 1
    assert run(data_dir, "unlock", hr, "--user", admin) == 0
    assert capsys.readouterr().out.strip() == (
        f"{hr} unlocked; the count of failed sign-ins starts again"
    )
    assert sign_in(data_dir, hr, TEST_PASSWORD) is Role.HR_OFFICER
    app = open_app(load_settings(data_dir), clock=pinned())
    try:
        sign_in_as(app, Role.AUDITOR)
        [entry] = app.audit.entries(action="user.unlocked")
    finally:
        app.close()
    assert (entry.actor, entry.details["username"], entry.details["failures"]) == (admin, hr, 5)


def test_the_machine_owner_unlocks_a_locked_out_administrator_without_signing_in(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cli_as: Callable[[Path, Role], str],
) -> None:
    data_dir = tmp_path / "data"
    admin = cli_as(data_dir, Role.ADMINISTRATOR)
    _fail_sign_ins(data_dir, admin, monkeypatch)
    assert run(data_dir, "unlock", admin, "--user", admin) == 1  # the only administrator
    assert "locked" in capsys.readouterr().err
    monkeypatch.delenv("WORKSTATION_USER")
    monkeypatch.delenv("WORKSTATION_PASSWORD")

    assert run(data_dir, "unlock", admin, "--machine-owner", "--user", admin) == 1
    assert "leave out --user" in capsys.readouterr().err
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 1)  # as another OS account
    assert (
        main(
            [
                "--lang",
                "zh_CN",
                "--data-dir",
                str(data_dir),
                "user",
                "unlock",
                admin,
                "--machine-owner",
            ]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "不属于操作系统账户" in err and len(err.splitlines()) == 1
    monkeypatch.setattr(os, "geteuid", lambda: real)

    assert run(data_dir, "unlock", admin, "--machine-owner") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{admin} unlocked by os:") and "audit log" in out
    assert sign_in(data_dir, admin, TEST_PASSWORD) is Role.ADMINISTRATOR
    assert run(data_dir, "unlock", "nobody", "--machine-owner") == 1
    assert "no user 'nobody'" in capsys.readouterr().err
