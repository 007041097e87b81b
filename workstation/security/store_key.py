"""The key of an encrypted store: chosen at ``db init --encrypt`` / ``db encrypt``, found again
at every start.

Where it comes from, first match wins:

1. ``$WORKSTATION_DB_KEY`` (a scheduled job's protected environment, or no keyring);
2. the OS keyring (``SecretStore``), under the name written in the data folder's marker;
3. the person, asked (a terminal; ``ask`` is injected by the command line).

A new key is random and goes into the keyring; without a usable keyring the person chooses a
passphrase (asked) or gives one in ``$WORKSTATION_DB_KEY``, and must keep it: nothing else
can open the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from keyring.backend import KeyringBackend

from workstation.security.secrets import SecretStore
from workstation.store.encryption import (
    EncryptionRefused,
    Marker,
    StoreKeyRefused,
    new_key,
    new_key_id,
)

#: Asks a person for the store's key with a prompt (English); ``None`` when they cannot.
AskStoreKey = Callable[[str], str | None]

ENV_DB_KEY = "WORKSTATION_DB_KEY"
PURPOSE = "database"
NAME = "key"


def _secrets(key_id: str, backend: KeyringBackend | None) -> SecretStore:
    return SecretStore(key_id, backend=backend)


def find_key(
    data_dir: Path,
    database: Path,
    ask: AskStoreKey | None = None,
    *,
    backend: KeyringBackend | None = None,
) -> str:
    """The key of the encrypted ``database`` (see the module's doc); refused when none."""
    given = os.environ.get(ENV_DB_KEY)
    if given:
        return given
    marker = Marker.read(data_dir)
    key_id = marker.key_id if marker is not None else "unmarked"
    found = _secrets(key_id, backend).get(PURPOSE, NAME)
    if not found and ask is not None:
        found = ask(f"key of the encrypted database {database}")
    if found:
        return found
    raise StoreKeyRefused(
        database,
        "its key is not in the keyring; give it in WORKSTATION_DB_KEY or run on a terminal",
    )


@dataclass(frozen=True)
class NewKey:
    key: str
    marker: Marker
    #: Where the key is kept: "keyring", the environment variable, or "asked" (remembered
    #: by the person only).
    kept_in: str


def new_store_key(
    database: Path,
    ask: AskStoreKey | None = None,
    *,
    backend: KeyringBackend | None = None,
) -> NewKey:
    """A key for a store about to be encrypted, kept where ``find_key`` looks first."""
    marker = Marker(database.name, new_key_id())
    given = os.environ.get(ENV_DB_KEY)
    if given:
        return NewKey(given, marker, ENV_DB_KEY)
    store = _secrets(marker.key_id, backend)
    key = new_key()
    if store.set(PURPOSE, NAME, key):
        return NewKey(key, marker, "keyring")
    chosen = (
        ask(f"choose the key (passphrase) of the encrypted database {database}") if ask else None
    )
    if not chosen:
        raise EncryptionRefused(
            f"cannot encrypt {database}: no usable keyring; give a key in WORKSTATION_DB_KEY "
            "or run on a terminal"
        )
    return NewKey(chosen, marker, "asked")


def forget_key(marker: Marker, *, backend: KeyringBackend | None = None) -> None:
    """Remove a key from the keyring (after a failed conversion)."""
    _secrets(marker.key_id, backend).delete(PURPOSE, NAME)
