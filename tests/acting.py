"""Sign a user of a given role in on an App, for tests (imported as ``acting``).

The demo's users are used when the database has them (the demo company); otherwise real
users are created once per database (``test.<role>``, through the administrator path)."""

from __future__ import annotations

from pathlib import Path

from clocks import pinned

from workstation.app import App, open_app
from workstation.cases.service import UnknownUser
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.security.access import ActingAs
from workstation.security.secrets import PassphraseQuestion

TEST_PASSWORD = "casework-test-1"
#: Where no keyring keeps them (the tests' null keyring): the signing authority's passphrase
#: and each user's own (``test_passphrase``), all different.
TEST_CA_PASSPHRASE = "authority-test-passphrase"

DEMO_USERNAMES: dict[Role, str] = {
    Role.HR_OFFICER: "hr.zhou",
    Role.SALES_MANAGER: "sales.manager",
    Role.LEGAL: "legal.sun",
    Role.ADMINISTRATOR: "admin",
    Role.AUDITOR: "auditor.qian",
}


def identity_for(app: App, role: Role) -> Identity:
    """An active user with ``role`` in ``app``'s database (created when missing)."""
    for username in (DEMO_USERNAMES[role], f"test.{role.value}"):
        try:
            return app.cases.identity_of(username)
        except UnknownUser:
            continue
    if app.users.needs_first_admin():
        admin = app.users.create_first_admin("test.administrator", "Test admin", TEST_PASSWORD)
    else:
        admin = identity_for(app, Role.ADMINISTRATOR)
    if role is Role.ADMINISTRATOR:
        return admin
    app.users.create_user(admin, f"test.{role.value}", f"Test {role.value}", role, TEST_PASSWORD)
    return app.cases.identity_of(f"test.{role.value}")


def sign_in_as(app: App, role: Role) -> Identity:
    """Make a user with ``role`` the signed-in user of ``app``'s session; returns them."""
    identity = identity_for(app, role)
    app.session.sign_in(identity)
    return identity


def sign_in_without_user(app: App, role: Role) -> Identity:
    """Sign in an identity with ``role`` that has no user row (user id 0): enough for the
    services' permission checks, and leaves the users table empty for tests of first start."""
    identity = Identity(0, f"test.{role.value}", f"Test {role.value}", role)
    app.session.sign_in(identity)
    return identity


def key_passphrase(username: str) -> str:
    """The test passphrase of ``username``'s signing key (no two users share one)."""
    return f"{username}-key-passphrase"


def test_passphrase(question: PassphraseQuestion) -> str:
    """The tests' answer to a passphrase question: the authority's, or the key owner's own."""
    return TEST_CA_PASSPHRASE if question.for_authority else key_passphrase(question.owner)


def ensure_authority(app: App) -> Identity:
    """The signing authority, created by an administrator when there is none (signed in for
    it; the session keeps them); returns that administrator."""
    if not app.secrets.keyring_available:
        app.secrets.set_ask(test_passphrase)
    admin = identity_for(app, Role.ADMINISTRATOR)
    if app.signing.authority() is None:
        app.session.sign_in(admin)
        app.signing.create_ca(admin)
    return admin


def enrol_and_certify(app: App, identity: Identity) -> None:
    """Give ``identity`` a certified signing key, as people do: an administrator creates the
    signing authority (when there is none), the user makes their key signed in as themselves,
    an administrator certifies it; ``identity`` is signed in afterwards. Without a keyring the
    passphrases are ``test_passphrase``'s."""
    signing = app.signing
    admin = ensure_authority(app)
    app.session.sign_in(identity)
    if not signing.enrol(identity).certified:  # an administrator's is certified at once
        app.session.sign_in(admin)
        signing.certify(admin, [identity.username])
    app.session.sign_in(identity)


def acting(username: str = "tester", role: Role = Role.HR_OFFICER) -> ActingAs:
    """A fixed ``Acting`` for a service built by hand in a test (no user row needed)."""
    return ActingAs(Identity(0, username, username, role))


def make_user_in(data_dir: Path, role: Role, db_url: str | None = None) -> str:
    """Create (once) a user with ``role`` in the store of ``data_dir``; returns the username
    (password ``TEST_PASSWORD``): for tests of the command line, which signs in for real."""
    app = open_app(load_settings(data_dir, db_url), clock=pinned())
    try:
        return identity_for(app, role).username
    finally:
        app.close()
