"""The demo's signing keys: the signing authority's passphrase and each demo signer's own.

They are published (the README's demo section lists them) and matter only where no OS keyring
keeps the keys' passphrases (a keyring gets random ones): the demo build then creates the
authority as the administrator, makes each signer's key under that signer's passphrase and
certifies it, all through the signing service, as people would. No two are alike, so each
opens one key only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workstation.demo.people import DEMO_PASSWORD
from workstation.security.secrets import PassphraseQuestion

if TYPE_CHECKING:
    from workstation.app import App

ADMIN = "admin"
#: The installation signing authority's passphrase (the administrator types it to certify).
DEMO_CA_PASSPHRASE = "authority-demo-2026"
#: Each demo signer's own signing-key passphrase.
DEMO_KEY_PASSPHRASES: dict[str, str] = {
    "hr.zhou": "zhou-signs-2026",
    "sales.manager": "manager-signs-2026",
    "legal.sun": "sun-signs-2026",
}


def demo_passphrase(question: PassphraseQuestion) -> str | None:
    """The demo's answer to a passphrase question (an ``ask`` for ``SecretStore``)."""
    if question.for_authority:
        return DEMO_CA_PASSPHRASE
    return DEMO_KEY_PASSPHRASES.get(question.owner)


def enrol_demo_signers(app: App) -> None:
    """The administrator creates the signing authority (unless there is one), each demo signer
    makes their key, and the administrator certifies them. Leaves the administrator signed in."""
    if not app.secrets.keyring_available:
        app.secrets.set_ask(demo_passphrase)
    signing = app.signing
    admin = app.users.sign_in(ADMIN, DEMO_PASSWORD)
    app.session.sign_in(admin)
    if signing.authority() is None:
        signing.create_ca(admin)
    for username in DEMO_KEY_PASSPHRASES:
        signer = app.users.sign_in(username, DEMO_PASSWORD)
        app.session.sign_in(signer)
        signing.enrol(signer)
    app.session.sign_in(admin)
    signing.certify(admin)
