"""How the command line signs its user in, and where it gets a signing-key passphrase."""

from __future__ import annotations

import pytest
from acting import TEST_PASSWORD, identity_for

from workstation.app import App
from workstation.cli_common import ENV_CA_PASSPHRASE, ENV_KEY_PASSPHRASE, CliError, sign_in
from workstation.domain.enums import Role
from workstation.security.secrets import AUTHORITY, PassphraseQuestion


def test_the_passphrase_comes_from_the_environment_without_keyring_or_terminal(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    hr = identity_for(app, Role.HR_OFFICER)
    app.session.sign_out()
    monkeypatch.setenv("WORKSTATION_PASSWORD", TEST_PASSWORD)
    monkeypatch.delenv(ENV_KEY_PASSPHRASE, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert sign_in(app, hr.username) == app.session.current()
    assert not app.secrets.keyring_available, "the tests run without an OS keyring"
    own = PassphraseQuestion(hr.username, hr.display_name)
    assert app.secrets.get("signing-key", hr.username, prompt=own) is None

    monkeypatch.setenv(ENV_KEY_PASSPHRASE, "correct horse battery")
    monkeypatch.setenv(ENV_CA_PASSPHRASE, "the authority's own")
    sign_in(app, hr.username)
    assert app.secrets.get("signing-key", hr.username, prompt=own) == "correct horse battery"
    # the acting user's passphrase answers for their own key only, the CA's for the CA only
    theirs = PassphraseQuestion("legal.sun", "孙律师")
    assert app.secrets.get("signing-key", "legal.sun", prompt=theirs) is None
    authority = PassphraseQuestion(AUTHORITY, hr.display_name)
    assert app.secrets.get("ca-key", "1", prompt=authority) == "the authority's own"


def test_a_wrong_password_is_one_clear_line(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    hr = identity_for(app, Role.HR_OFFICER)
    monkeypatch.setenv("WORKSTATION_PASSWORD", "not it")
    with pytest.raises(CliError, match=f"{hr.username} cannot sign in"):
        sign_in(app, hr.username)


def test_on_a_terminal_a_new_passphrase_is_typed_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    from workstation.cli_common import CliPassphrases

    monkeypatch.delenv(ENV_KEY_PASSPHRASE, raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    typed = iter(["my own passphrase", "my own passphrase", "first", "second"])
    prompts: list[str] = []

    def getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(typed)

    monkeypatch.setattr("getpass.getpass", getpass)
    ask = CliPassphrases("li.hr")
    new = PassphraseQuestion("li.hr", "李人事", new=True)
    assert ask(new) == "my own passphrase"
    assert prompts == [
        "Choose a passphrase for the signing key of 李人事 (li.hr): ",
        "the same passphrase again: ",
    ]
    with pytest.raises(CliError, match="the two passphrases differ; nothing was changed"):
        ask(new)
    assert ask(PassphraseQuestion("wang.legal", "王律师")) is None  # never another's key
