"""SecretStore: the keyring adapter, with a real in-memory keyring backend and without one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from keyring.backends import fail, null
from keyring.errors import KeyringLocked
from memory_keyring import MemoryKeyring, installed

from workstation.security.secrets import (
    AUTHORITY,
    SERVICE_NAME,
    PassphraseQuestion,
    SecretStore,
    SecretUnavailable,
    keyring_usable,
)


class LockedKeyring(MemoryKeyring):
    """A keyring that exists but fails on use (e.g. a locked Secret Service)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("locked")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with installed(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


@pytest.fixture
def no_keyring() -> Iterator[None]:
    with installed(fail.Keyring()):
        yield


#: A passphrase asked for an existing key, and one chosen for a new key.
ASK = PassphraseQuestion("li", "Li")
NEW = PassphraseQuestion("li", "Li", new=True)


class Asker:
    def __init__(self, *answers: str | None) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []

    def __call__(self, prompt: PassphraseQuestion) -> str | None:
        self.prompts.append(prompt.text)
        return self.answers.pop(0)


def test_set_get_delete_in_the_keyring_namespaced_by_installation(
    memory_keyring: MemoryKeyring,
) -> None:
    store = SecretStore("inst1")
    other = SecretStore("inst2")
    assert store.keyring_available
    assert store.set("signing-key", "li.hr", "s3cret")
    assert memory_keyring.entries == {(SERVICE_NAME, "inst1/signing-key/li.hr"): "s3cret"}
    assert store.get("signing-key", "li.hr") == "s3cret"
    assert other.get("signing-key", "li.hr") is None
    store.delete("signing-key", "li.hr")
    store.delete("signing-key", "li.hr")  # twice: no error
    assert memory_keyring.entries == {}


def test_create_generates_a_random_secret_and_keeps_it(memory_keyring: MemoryKeyring) -> None:
    asker = Asker()
    store = SecretStore("inst", ask=asker)
    first = store.create("ca-key", "1", NEW)
    second = store.create("ca-key", "2", NEW)
    assert len(first) >= 32 and first != second
    assert store.get("ca-key", "1", ASK) == first
    assert asker.prompts == []  # nobody was asked


def test_missing_entry_in_a_working_keyring_is_asked_for(memory_keyring: MemoryKeyring) -> None:
    asker = Asker("typed")
    store = SecretStore("inst", ask=asker)
    assert store.get("signing-key", "x") is None  # no prompt: no asking
    assert store.get("signing-key", "x", ASK) == "typed"
    assert asker.prompts == [ASK.text]


def test_fail_backend_falls_back_to_asking_and_stores_nothing(no_keyring: None) -> None:
    asker = Asker("chosen", "chosen again", None)
    store = SecretStore("inst", ask=asker)
    assert not store.keyring_available
    assert "no keyring" in store.describe()
    assert store.set("signing-key", "li", "x") is False
    assert store.create("signing-key", "li", NEW) == "chosen"
    assert store.get("signing-key", "li", ASK) == "chosen again"
    assert store.get("signing-key", "li", ASK) is None  # declined
    store.delete("signing-key", "li")  # no error
    assert asker.prompts == [NEW.text, ASK.text, ASK.text]


def test_no_keyring_and_nobody_to_ask(no_keyring: None) -> None:
    store = SecretStore("inst")
    assert store.get("signing-key", "li", ASK) is None
    store.set_ask(Asker("late"))
    assert store.can_ask and store.get("signing-key", "li", ASK) == "late"
    store.set_ask(None)
    with pytest.raises(SecretUnavailable):
        store.create("signing-key", "li", NEW)
    with pytest.raises(SecretUnavailable):
        SecretStore("inst", ask=Asker("")).create("signing-key", "li", NEW)


def test_a_keyring_that_fails_on_use_is_given_up_for_asking() -> None:
    asker = Asker("typed", "typed")
    store = SecretStore("inst", ask=asker, backend=LockedKeyring())
    assert store.keyring_available
    assert store.get("signing-key", "li", ASK) == "typed"
    assert not store.keyring_available
    assert store.create("signing-key", "li", NEW) == "typed"


def test_usable_backends() -> None:
    assert keyring_usable(MemoryKeyring())
    assert not keyring_usable(fail.Keyring())
    assert not keyring_usable(null.Keyring())


def test_bad_installation_id() -> None:
    with pytest.raises(ValueError):
        SecretStore("")
    with pytest.raises(ValueError):
        SecretStore("a/b")


def test_a_chosen_passphrase_passes_the_check_and_a_generated_one_needs_none(
    memory_keyring: MemoryKeyring,
) -> None:
    checked: list[str] = []

    def refuse_taken(passphrase: str) -> None:
        checked.append(passphrase)
        if passphrase == "taken":
            raise ValueError("already protects another key")

    typed = SecretStore("inst", ask=Asker("taken", "free"), backend=fail.Keyring())
    with pytest.raises(ValueError, match="already protects another key"):
        typed.create("signing-key", "li", NEW, refuse_taken)
    assert typed.create("signing-key", "li", NEW, refuse_taken) == "free"
    kept = SecretStore("inst", ask=Asker(), backend=memory_keyring)
    generated = kept.create("signing-key", "li", NEW, refuse_taken)
    assert checked == ["taken", "free"] and len(generated) >= 40  # random, never checked


def test_a_question_says_whose_key_it_opens() -> None:
    assert ASK.text == "Passphrase of the signing key of Li (li)"
    assert NEW.text == "Choose a passphrase for the signing key of Li (li)"
    authority = PassphraseQuestion(AUTHORITY, "Chen", new=True)
    assert authority.for_authority and not ASK.for_authority
    assert authority.text == (
        "Choose a passphrase for this installation's signing authority (administrator Chen)"
    )
