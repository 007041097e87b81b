"""Keys are one person's (issue 12): the signing authority is an administrator's, each user's
key opens with that user's own passphrase only, and no passphrase opens two keys. Without a
keyring (where passphrases are typed) on a real SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from clocks import TEST_NOW
from keyring.backends import fail
from memory_keyring import installed
from sqlalchemy import select

from workstation.app import App
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.security import ca as ca_
from workstation.security.ca import WrongPassphrase, ensure_installation_id
from workstation.security.permissions import PermissionDenied
from workstation.security.secrets import PassphraseQuestion, SecretStore, SecretUnavailable
from workstation.security.signatures import SigningError
from workstation.security.signing import NO_AUTHORITY, KeyAwaitingCertification, SigningService
from workstation.store.models import AuditEntry, PendingSigningKey, SigningCertificate, User

STATE = {"case": "2026-0007", "step": "investigation", "decision": "approved"}
PASSPHRASES = {
    "#ca": "authority passphrase",
    "chen.admin": "admin's own passphrase",
    "wang.legal": "wang's own passphrase",
    "li.hr": "li's own passphrase",
}


class Person:
    """Answers passphrase questions as the people would; records every question."""

    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = dict(answers)
        self.asked: list[PassphraseQuestion] = []

    def __call__(self, question: PassphraseQuestion) -> str | None:
        self.asked.append(question)
        return self.answers.get(question.owner)


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    with installed(fail.Keyring()):
        yield


@pytest.fixture
def people() -> Person:
    return Person(PASSPHRASES)


def _add_user(app: App, username: str, display: str, role: Role) -> Identity:
    with app.uow() as work:
        user = User(
            username=username,
            display_name=display,
            role=role.value,
            active=True,
            created_at=TEST_NOW,
        )
        work.session.add(user)
        work.session.flush()
        identity = Identity(user.id, username, display, role)
        work.commit()
    return identity


@pytest.fixture
def signing(app: App, people: Person) -> SigningService:
    secrets = SecretStore(ensure_installation_id(app.uow), ask=people)
    return SigningService(app.uow, secrets, app.session, app.clock)


@pytest.fixture
def admin(app: App) -> Identity:
    return _add_user(app, "chen.admin", "陈管理员", Role.ADMINISTRATOR)


@pytest.fixture
def legal(app: App) -> Identity:
    return _add_user(app, "wang.legal", "王律师", Role.LEGAL)


@pytest.fixture
def hr(app: App) -> Identity:
    return _add_user(app, "li.hr", "李人事", Role.HR_OFFICER)


@pytest.fixture
def authority(app: App, signing: SigningService, admin: Identity) -> None:
    app.session.sign_in(admin)
    signing.create_ca(admin)


def _enrolled(app: App, signing: SigningService, who: Identity, admin: Identity) -> None:
    app.session.sign_in(who)
    signing.enrol(who)
    app.session.sign_in(admin)
    signing.certify(admin, [who.username])
    app.session.sign_in(who)


def _rows(app: App) -> list[tuple[str, str, str]]:
    """(owner, encrypted key, serial) of every key in the store, the CA's owner ``#ca``."""
    with app.uow() as work:
        found = [
            (
                work.session.get(User, r.user_id).username if r.user_id else "#ca",  # type: ignore[union-attr]
                r.private_key_pem,
                r.serial,
            )
            for r in work.session.scalars(select(SigningCertificate))
        ]
        found += [
            (work.session.get(User, k.user_id).username, k.private_key_pem, k.serial)  # type: ignore[union-attr]
            for k in work.session.scalars(select(PendingSigningKey))
        ]
    return found


def _actions(app: App) -> list[str]:
    with app.uow() as work:
        return list(work.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_no_signature_before_an_administrator_created_the_authority(
    app: App, signing: SigningService, legal: Identity
) -> None:
    app.session.sign_in(legal)
    with pytest.raises(SigningError) as refused:
        signing.sign(legal.user_id, STATE)
    assert str(refused.value) == NO_AUTHORITY
    assert "workstation ca init" in NO_AUTHORITY
    assert signing.authority() is None and _rows(app) == []  # no CA made on the way


def test_only_a_signed_in_administrator_creates_the_authority(
    app: App, signing: SigningService, admin: Identity, legal: Identity, people: Person
) -> None:
    app.session.sign_in(legal)
    with pytest.raises(PermissionDenied):
        signing.create_ca(legal)
    with pytest.raises(SigningError, match="opens only for its owner"):
        signing.create_ca(admin)  # legal is signed in, not the administrator
    assert signing.authority() is None
    app.session.sign_in(admin)
    view = signing.create_ca(admin)
    assert view.is_ca
    [question] = people.asked
    assert question.for_authority and question.new and question.person == "陈管理员"
    assert "signing authority (administrator 陈管理员)" in question.text
    [(_owner, pem, serial)] = _rows(app)
    salt = ca_.key_salt(signing.installation_id, "#ca", serial)
    ca_.decrypt_key(pem, PASSPHRASES["#ca"], salt)
    with pytest.raises(WrongPassphrase):
        ca_.decrypt_key(pem, PASSPHRASES["chen.admin"], salt)
    assert "signing.ca_created" in _actions(app)


@pytest.mark.usefixtures("authority")
def test_each_key_opens_with_its_owners_passphrase_only(
    app: App,
    signing: SigningService,
    admin: Identity,
    legal: Identity,
    hr: Identity,
    people: Person,
) -> None:
    _enrolled(app, signing, legal, admin)
    _enrolled(app, signing, hr, admin)
    app.session.sign_in(legal)
    signed = signing.sign(legal.user_id, STATE)
    assert signing.verify(signed.payload_json, signed.signature_b64, signed.certificate_id).valid
    keys = _rows(app)
    assert sorted(owner for owner, _, _ in keys) == ["#ca", "li.hr", "wang.legal"]
    for owner, pem, serial in keys:
        salt = ca_.key_salt(signing.installation_id, owner, serial)
        for other, passphrase in PASSPHRASES.items():
            if other == owner:
                ca_.decrypt_key(pem, passphrase, salt)
            else:
                with pytest.raises(WrongPassphrase):
                    ca_.decrypt_key(pem, passphrase, salt)
    # each person was asked for their own key, by name
    whose = [(q.owner, q.new) for q in people.asked]
    assert ("wang.legal", True) in whose and ("li.hr", True) in whose
    assert ("wang.legal", False) in whose  # to sign
    assert not any(q.owner == "li.hr" and not q.new for q in people.asked)  # never opened
    new_legal = next(q for q in people.asked if q.owner == "wang.legal" and q.new)
    assert new_legal.text == "Choose a passphrase for the signing key of 王律师 (wang.legal)"


@pytest.mark.usefixtures("authority")
def test_nobody_opens_another_users_key(
    app: App, signing: SigningService, admin: Identity, legal: Identity, hr: Identity
) -> None:
    _enrolled(app, signing, legal, admin)
    app.session.sign_in(hr)
    with pytest.raises(SigningError, match=r"opens only for its owner: li\.hr is signed in"):
        signing.sign(legal.user_id, STATE)
    with pytest.raises(SigningError, match="opens only for its owner"):
        signing.signing_key(legal.user_id)
    app.session.sign_out()
    with pytest.raises(SigningError, match="nobody is signed in"):
        signing.sign(legal.user_id, STATE)


@pytest.mark.usefixtures("authority")
def test_a_passphrase_that_already_protects_a_key_is_refused(
    app: App,
    signing: SigningService,
    admin: Identity,
    legal: Identity,
    hr: Identity,
    people: Person,
) -> None:
    _enrolled(app, signing, legal, admin)
    app.session.sign_in(hr)
    for taken in (PASSPHRASES["wang.legal"], PASSPHRASES["#ca"]):
        people.answers["li.hr"] = taken
        with pytest.raises(SigningError, match="this passphrase already protects another key"):
            signing.enrol(hr)
        assert signing.key_state(hr.user_id).pending is False  # nothing was stored
    people.answers["li.hr"] = "short"
    with pytest.raises(SigningError, match="at least 10 characters"):
        signing.enrol(hr)
    people.answers["li.hr"] = PASSPHRASES["li.hr"]
    assert signing.enrol(hr).pending
    # and a key awaiting certification counts too
    app.session.sign_in(admin)
    people.answers["chen.admin"] = PASSPHRASES["li.hr"]
    with pytest.raises(SigningError, match="already protects another key"):
        signing.enrol(admin)


@pytest.mark.usefixtures("authority")
def test_a_key_awaits_an_administrator_then_signs(
    app: App, signing: SigningService, admin: Identity, legal: Identity, people: Person
) -> None:
    app.session.sign_in(legal)
    with pytest.raises(KeyAwaitingCertification) as refused:
        signing.sign(legal.user_id, STATE)
    assert str(refused.value) == (
        "your signing key is ready; an administrator must certify it: "
        "workstation ca certify wang.legal, or Users → Certify"
    )
    assert not any(q.for_authority for q in people.asked[1:])  # the CA was not opened
    with pytest.raises(PermissionDenied):
        signing.certify(legal)
    with pytest.raises(PermissionDenied):
        signing.pending_keys(legal)
    app.session.sign_in(admin)
    [pending] = signing.pending_keys(admin)
    assert (pending.username, pending.display_name, pending.role) == (
        "wang.legal",
        "王律师",
        "legal",
    )
    with pytest.raises(SigningError, match="no signing key awaits certification for nobody"):
        signing.certify(admin, ["nobody"])
    [issued] = signing.certify(admin)
    assert issued.username == "wang.legal" and signing.pending_keys(admin) == []
    with app.uow() as work:
        entry = work.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "signing.certificate_issued")
        ).one()
        assert entry.actor == "chen.admin"
        assert json.loads(entry.details_json)["certified_by"] == "chen.admin"
    app.session.sign_in(legal)
    signed = signing.sign(legal.user_id, STATE)
    assert signed.certificate_id == issued.id
    assert signing.verify(signed.payload_json, signed.signature_b64, signed.certificate_id).valid
    assert "signing.key_created" in _actions(app)


@pytest.mark.usefixtures("authority")
def test_an_administrators_key_is_certified_at_once(
    app: App, signing: SigningService, admin: Identity
) -> None:
    app.session.sign_in(admin)
    signed = signing.sign(admin.user_id, STATE)
    assert signing.verify(signed.payload_json, signed.signature_b64, signed.certificate_id).valid


@pytest.mark.usefixtures("authority")
def test_without_the_authoritys_passphrase_nothing_is_certified(
    app: App, signing: SigningService, admin: Identity, legal: Identity, people: Person
) -> None:
    app.session.sign_in(legal)
    signing.enrol(legal)
    app.session.sign_in(admin)
    people.answers["#ca"] = "not the authority passphrase"
    with pytest.raises(WrongPassphrase):
        signing.certify(admin)
    del people.answers["#ca"]
    with pytest.raises(SecretUnavailable):
        signing.certify(admin)
    assert [k.username for k in signing.pending_keys(admin)] == ["wang.legal"]
