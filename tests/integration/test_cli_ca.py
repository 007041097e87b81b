"""``workstation ca``: an administrator creates the signing authority and certifies the keys
users made under their own passphrases; nobody else can. Without a keyring: the passphrases
come from WORKSTATION_CA_PASSPHRASE and WORKSTATION_KEY_PASSPHRASE (no terminal)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from acting import TEST_PASSWORD, make_user_in

from workstation.cli import main
from workstation.cli_common import ENV_CA_PASSPHRASE, ENV_KEY_PASSPHRASE
from workstation.domain.enums import Role

CA_PASSPHRASE = "the authority's passphrase"
LEGAL_PASSPHRASE = "the legal user's passphrase"


def _one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("workstation: "), err
    assert "Traceback" not in err
    return err.removeprefix("workstation: ").rstrip("\n")


@pytest.fixture
def run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> object:
    data = tmp_path / "data"
    users = {role: make_user_in(data, role) for role in (Role.ADMINISTRATOR, Role.LEGAL)}
    monkeypatch.setenv("WORKSTATION_PASSWORD", TEST_PASSWORD)
    monkeypatch.delenv(ENV_CA_PASSPHRASE, raising=False)
    monkeypatch.delenv(ENV_KEY_PASSPHRASE, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)

    def ca(role: Role, *argv: str, lang: str = "en") -> tuple[int, str, str]:
        code = main(["--data-dir", str(data), "--lang", lang, "--user", users[role], "ca", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return ca


def test_the_administrator_creates_the_authority_and_certifies_a_users_key(
    run: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    ca = run
    assert callable(ca)
    code, _, err = ca(Role.LEGAL, "enrol")
    assert code == 1 and _one_line(err) == (
        "no signing authority yet: an administrator creates it with "
        "`workstation ca init --user ADMIN`, or Users → Create signing authority"
    )
    code, _, err = ca(Role.LEGAL, "init")
    assert code == 1 and _one_line(err).startswith("not allowed: ")
    code, _, err = ca(Role.ADMINISTRATOR, "init")
    assert code == 1 and _one_line(err) == (
        "no usable keyring and no passphrase given: no keyring; "
        f"give the passphrase in {ENV_CA_PASSPHRASE} or run on a terminal"
    )
    monkeypatch.setenv(ENV_CA_PASSPHRASE, CA_PASSPHRASE)
    code, out, _ = ca(Role.ADMINISTRATOR, "init")
    assert code == 0 and out.startswith("signing authority created (serial ")
    code, _, err = ca(Role.ADMINISTRATOR, "init")
    assert code == 1 and _one_line(err) == "this installation already has a signing authority"

    # the user's key: never under the authority's passphrase; then under their own
    monkeypatch.setenv(ENV_KEY_PASSPHRASE, CA_PASSPHRASE)
    code, _, err = ca(Role.LEGAL, "enrol")
    assert code == 1
    assert _one_line(err) == "this passphrase already protects another key; choose another"
    code, _, err = ca(Role.LEGAL, "enrol", lang="zh_CN")
    assert code == 1 and _one_line(err) == "此口令已在保护另一把密钥；请另选一个"
    monkeypatch.setenv(ENV_KEY_PASSPHRASE, LEGAL_PASSPHRASE)
    code, out, _ = ca(Role.LEGAL, "enrol")
    assert code == 0 and "is ready; an administrator certifies it: workstation ca certify" in out

    code, _, err = ca(Role.LEGAL, "certify", "--all")
    assert code == 1 and _one_line(err).startswith("not allowed: ")
    code, out, _ = ca(Role.ADMINISTRATOR, "pending", "--json")
    [pending] = json.loads(out)
    assert pending["username"] == "test.legal" and pending["role"] == "legal"
    code, _, err = ca(Role.ADMINISTRATOR, "certify")
    assert code == 1 and _one_line(err) == "name the users to certify, or --all"
    monkeypatch.setenv(ENV_CA_PASSPHRASE, LEGAL_PASSPHRASE)  # not the authority's
    code, _, err = ca(Role.ADMINISTRATOR, "certify", "test.legal")
    assert code == 1 and _one_line(err) == (
        "the passphrase does not open this signing key; "
        f"give the passphrase in {ENV_CA_PASSPHRASE} or run on a terminal"
    )
    monkeypatch.setenv(ENV_CA_PASSPHRASE, CA_PASSPHRASE)
    code, out, _ = ca(Role.ADMINISTRATOR, "certify", "test.legal")
    assert code == 0 and out.startswith("certified test.legal (serial ")
    code, out, _ = ca(Role.ADMINISTRATOR, "pending")
    assert out.strip() == "no signing key awaits certification"
    code, out, _ = ca(Role.LEGAL, "enrol")
    assert code == 0 and out.startswith("the signing key of test.legal is certified")
