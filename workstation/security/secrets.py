"""The one adapter over the OS keyring: passphrases of signing keys, never in settings or DB.

Entries live under the service name ``Casework`` with the key
``{installation_id}/{purpose}/{name}``, so two installations on one machine (or a demo and a
real database) never read each other's secrets.

When no usable keyring exists (a machine without a desktop session gets keyring's ``fail``
backend, which raises ``NoKeyringError`` on every call), nothing is stored anywhere: a new
secret is chosen by the person through the injected ``ask(prompt)`` callable, and a stored one
is asked for again each time it is needed. ``ask`` runs on the caller's thread; a GUI adapter
must hop to the GUI thread itself.
"""

from __future__ import annotations

import logging
import secrets as _random
from collections.abc import Callable
from dataclasses import dataclass

import keyring
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.errors import KeyringError, PasswordDeleteError

log = logging.getLogger(__name__)

SERVICE_NAME = "Casework"


#: ``PassphraseQuestion.owner`` of the installation's signing authority (= ``ca.CA_OWNER``).
AUTHORITY = "#ca"


@dataclass(frozen=True)
class PassphraseQuestion:
    """What is asked: whose key the passphrase opens (a username, or :data:`AUTHORITY` for
    the installation's signing authority), the name of the person asked (the key's owner, or
    the administrator opening the authority) and whether a passphrase is being chosen for a
    new key (the person then types it twice). Front ends word it in their language."""

    owner: str
    person: str
    new: bool = False

    @property
    def for_authority(self) -> bool:
        return self.owner == AUTHORITY

    @property
    def text(self) -> str:
        """The question in English (the command line's and the logs' words)."""
        if self.for_authority:
            what = f"this installation's signing authority (administrator {self.person})"
        else:
            what = f"the signing key of {self.person} ({self.owner})"
        return f"Choose a passphrase for {what}" if self.new else f"Passphrase of {what}"

    def __str__(self) -> str:
        return self.text


#: Asks a person for a passphrase; ``None`` (or "") means they declined.
AskPassphrase = Callable[[PassphraseQuestion], str | None]
#: Checks a passphrase a person chose for a new key; raises to refuse it.
CheckPassphrase = Callable[[str], None]
#: Backends that would "store" a secret in plain text or not at all.
_UNSAFE_BACKENDS = frozenset({"keyrings.alt.file.PlaintextKeyring"})


class SecretUnavailable(RuntimeError):
    """No keyring to keep the secret in and nobody (or no answer) to ask for it."""


def _qualified_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def keyring_usable(backend: KeyringBackend) -> bool:
    """False for the ``fail`` and ``null`` backends, an empty chain and plain-text files."""
    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if _qualified_name(backend) in _UNSAFE_BACKENDS:
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(keyring_usable(b) for b in backend.backends)
    return True


class SecretStore:
    """Get, set and delete secrets of one installation in the OS keyring (or ask for them)."""

    def __init__(
        self,
        installation_id: str,
        ask: AskPassphrase | None = None,
        *,
        backend: KeyringBackend | None = None,
        service: str = SERVICE_NAME,
    ) -> None:
        if not installation_id or "/" in installation_id:
            raise ValueError(f"bad installation id {installation_id!r}")
        self.installation_id = installation_id
        self.service = service
        self._ask = ask
        self._backend = backend
        #: Set after the keyring failed once in this process; from then on we only ask.
        self._broken = False

    # -- the backend -------------------------------------------------------------------------

    @property
    def backend(self) -> KeyringBackend:
        """The injected backend, else keyring's current one (read at each use)."""
        return self._backend if self._backend is not None else keyring.get_keyring()

    @property
    def keyring_available(self) -> bool:
        return not self._broken and keyring_usable(self.backend)

    @property
    def can_ask(self) -> bool:
        return self._ask is not None

    def set_ask(self, ask: AskPassphrase | None) -> None:
        """Install who is asked (the GUI does, once its windows exist; the CLI on a tty)."""
        self._ask = ask

    def describe(self) -> str:
        """Where secrets go, for the settings page and ``verify`` output."""
        if self.keyring_available:
            return f"keyring: {_qualified_name(self.backend)}"
        return "no keyring: passphrases are asked for" if self._ask else "no keyring"

    def key(self, purpose: str, name: str) -> str:
        return f"{self.installation_id}/{purpose}/{name}"

    def _failed(self, action: str, exc: KeyringError) -> None:
        log.warning("keyring %s failed (%s); falling back to asking", action, exc)
        self._broken = True

    # -- the verbs ---------------------------------------------------------------------------

    def get(self, purpose: str, name: str, prompt: PassphraseQuestion | None = None) -> str | None:
        """The stored secret; when the keyring has none (or none works), ask with ``prompt``.

        Returns ``None`` when there is no secret and nobody could or would give one.
        """
        if self.keyring_available:
            try:
                value = self.backend.get_password(self.service, self.key(purpose, name))
            except KeyringError as exc:
                self._failed("read", exc)
            else:
                if value:
                    return value
        return self._ask_for(prompt) if prompt else None

    def set(self, purpose: str, name: str, secret: str) -> bool:
        """Keep ``secret`` in the keyring; ``False`` when there is no usable keyring."""
        if not secret:
            raise ValueError("empty secret")
        if not self.keyring_available:
            return False
        try:
            self.backend.set_password(self.service, self.key(purpose, name), secret)
        except KeyringError as exc:
            self._failed("write", exc)
            return False
        return True

    def delete(self, purpose: str, name: str) -> None:
        """Forget the secret (no error when it is not there or there is no keyring)."""
        if not self.keyring_available:
            return
        try:
            self.backend.delete_password(self.service, self.key(purpose, name))
        except PasswordDeleteError:
            pass
        except KeyringError as exc:
            log.warning("keyring delete failed: %s", exc)

    def create(
        self,
        purpose: str,
        name: str,
        prompt: PassphraseQuestion,
        check: CheckPassphrase | None = None,
    ) -> str:
        """A new secret for a new key: random and kept in the keyring, or, without a keyring,
        chosen by the person asked with ``prompt`` (who must remember it) and passed through
        ``check``, which raises to refuse it (e.g. it already protects another key)."""
        generated = _random.token_urlsafe(32)
        if self.set(purpose, name, generated):
            return generated
        answer = self._ask_for(prompt)
        if answer is None:
            raise SecretUnavailable("no usable keyring and no passphrase given: " + self.describe())
        if check is not None:
            check(answer)
        return answer

    def _ask_for(self, prompt: PassphraseQuestion) -> str | None:
        if self._ask is None:
            return None
        answer = self._ask(prompt)
        return answer or None
