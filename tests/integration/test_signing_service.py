"""SigningService on a real SQLite file: the CA, user certificates, signatures and tampering."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from clocks import TEST_NOW
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from memory_keyring import MemoryKeyring, installed
from sqlalchemy import select

from workstation.app import App
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.security import ca as ca_
from workstation.security.ca import ensure_installation_id
from workstation.security.secrets import (
    SERVICE_NAME,
    SecretStore,
)
from workstation.security.signatures import SignatureProblem, SigningError, make_envelope
from workstation.security.signing import KeyAwaitingCertification, SigningService
from workstation.store.audit import canonical_json, verify_audit_chain
from workstation.store.models import AuditEntry, SigningCertificate, User

CASE_STATE = {
    "case": "2026-0007",
    "step": "investigation",
    "decision": "approved",
    "allegations": ["order diversion", "客户转移"],
    "evidence": [{"id": 3, "sha256": "ab" * 32}],
}


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with installed(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


def _add_user(app: App, username: str, display: str, role: str, active: bool = True) -> int:
    with app.uow() as work:
        user = User(
            username=username,
            display_name=display,
            role=role,
            active=active,
            created_at=TEST_NOW,
        )
        work.session.add(user)
        work.session.flush()
        user_id = user.id
        work.commit()
    return user_id


def _service(app: App, ask: object = None) -> SigningService:
    secrets = SecretStore(ensure_installation_id(app.uow), ask=ask)  # type: ignore[arg-type]
    return SigningService(app.uow, secrets, app.session, app.clock)


def _identity(app: App, user_id: int) -> Identity:
    with app.uow() as work:
        user = work.session.get(User, user_id)
        assert user is not None
        return Identity(user.id, user.username, user.display_name, Role(user.role))


def _as(app: App, user_id: int) -> Identity:
    """Sign ``user_id`` in (the service opens only the signed-in user's key)."""
    identity = _identity(app, user_id)
    app.session.sign_in(identity)
    return identity


def _certified(app: App, signing: SigningService, user_id: int, admin: int) -> None:
    """The user makes their key, the administrator certifies it; the user is signed in."""
    who = _as(app, user_id)
    if not signing.enrol(who).certified:
        boss = _as(app, admin)
        signing.certify(boss, [who.username])
    _as(app, user_id)


def _actions(app: App) -> list[str]:
    with app.uow() as work:
        return list(work.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


@pytest.fixture
def admin(app: App) -> int:
    return _add_user(app, "chen.admin", "陈管理员", "administrator")


@pytest.fixture
def signing(app: App, memory_keyring: MemoryKeyring, admin: int) -> SigningService:
    """A service whose signing authority the administrator created (keyring: random)."""
    service = _service(app)
    service.create_ca(_as(app, admin))
    return service


@pytest.fixture
def legal(app: App, signing: SigningService, admin: int) -> int:
    """A legal user with a certified key, signed in."""
    user_id = _add_user(app, "wang.legal", "王律师", "legal")
    _certified(app, signing, user_id, admin)
    return user_id


@pytest.fixture
def hr(app: App) -> int:
    return _add_user(app, "li.hr", "李人事", "hr_officer")


def test_installation_id_is_made_once(app: App) -> None:
    first = ensure_installation_id(app.uow)
    assert len(first) == 32
    assert ensure_installation_id(app.uow) == first


def test_the_ca_is_created_once_and_its_passphrase_stays_in_the_keyring(
    app: App, signing: SigningService, memory_keyring: MemoryKeyring, admin: int
) -> None:
    view = signing.authority()
    assert view is not None
    with pytest.raises(SigningError, match="already has a signing authority"):
        signing.create_ca(_identity(app, admin))
    assert view.is_ca and view.user_id is None and not view.revoked
    cert = ca_.load_certificate(view.certificate_pem)
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ca_.issued_by(cert, cert)  # self-signed
    assert timedelta(days=3650) <= view.not_after - view.not_before <= timedelta(days=3653)
    assert ca_.fingerprint(cert) == view.fingerprint_sha256
    key = f"{signing.installation_id}/ca-key/{view.serial}"
    passphrase = memory_keyring.entries[(SERVICE_NAME, key)]
    with app.uow() as work:
        row = work.session.get(SigningCertificate, view.id)
        assert row is not None
        assert row.private_key_pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
        salt = ca_.key_salt(signing.installation_id, ca_.CA_OWNER, row.serial)
        ca_.decrypt_key(row.private_key_pem, passphrase, salt)  # the keyring opens it
        with pytest.raises(ValueError):  # only through scrypt of it
            serialization.load_pem_private_key(row.private_key_pem.encode(), passphrase.encode())
    db_file = app.settings.sqlite_path
    assert db_file is not None and passphrase.encode() not in db_file.read_bytes()
    assert not any(passphrase in f.read_text() for f in app.settings.data_dir.glob("*.json"))
    assert _actions(app).count("signing.ca_created") == 1


def test_a_user_certificate_names_the_user_and_is_issued_by_the_ca(
    app: App, signing: SigningService, legal: int
) -> None:
    view = signing.key_state(legal).certificate
    assert view is not None and signing.key_state(legal).certificate == view
    assert view.username == "wang.legal" and not view.is_ca
    cert = ca_.load_certificate(view.certificate_pem)
    ca_view = signing.authority()
    assert ca_view is not None
    authority = ca_.load_certificate(ca_view.certificate_pem)
    assert ca_.issued_by(cert, authority)
    subject = cert.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "王律师"
    assert subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "wang.legal"
    assert subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "legal"
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_oid(ExtendedKeyUsageOID.CODE_SIGNING)
    assert timedelta(days=1094) <= view.not_after - view.not_before <= timedelta(days=1096)
    assert [c.id for c in signing.certificates()] == [ca_view.id, view.id]
    assert _actions(app)[-3:] == [
        "signing.ca_created",
        "signing.key_created",
        "signing.certificate_issued",
    ]


def test_a_role_change_issues_a_new_certificate(
    app: App, signing: SigningService, legal: int
) -> None:
    old = signing.sign(legal, CASE_STATE)
    with app.uow() as work:
        user = work.session.get(User, legal)
        assert user is not None
        user.role = "administrator"
        work.commit()
    _as(app, legal)  # signed in again, as an administrator: their new key is certified at once
    new = signing.sign(legal, CASE_STATE)
    assert new.certificate_id != old.certificate_id
    assert signing.verify(old.payload_json, old.signature_b64, old.certificate_id).signer_role == (
        "legal"
    )
    check = signing.verify(new.payload_json, new.signature_b64, new.certificate_id)
    assert check.valid and check.signer_role == "administrator"


def test_sign_and_verify(app: App, signing: SigningService, legal: int) -> None:
    signed = signing.sign(legal, CASE_STATE, context="case 2026-0007 investigation approval")
    assert signed.payload_sha256 == hashlib.sha256(signed.payload_json.encode()).hexdigest()
    envelope = json.loads(signed.payload_json)
    assert envelope["content"] == CASE_STATE
    assert signed.payload_json == canonical_json(envelope)
    check = signing.verify(signed.payload_json, signed.signature_b64, signed.certificate_id)
    assert check.valid and check.problem is None and check.reason is None
    assert (check.signer_name, check.signer_username, check.signer_role) == (
        "王律师",
        "wang.legal",
        "legal",
    )
    assert check.signed_at == signed.signed_at
    assert check.content_json == canonical_json(CASE_STATE)
    assert _actions(app)[-1] == "signing.signed"
    with app.uow() as work:
        assert verify_audit_chain(work.session).intact


def test_bytes_payload_is_signed_as_json(signing: SigningService, legal: int) -> None:
    signed = signing.sign(legal, canonical_json(CASE_STATE).encode("utf-8"))
    check = signing.verify(signed.payload_json, signed.signature_b64, signed.certificate_id)
    assert check.valid and check.content_json == canonical_json(CASE_STATE)
    with pytest.raises(ValueError):
        signing.sign(legal, b"\x89PNG not json")


def test_one_changed_character_fails_as_content_changed(
    signing: SigningService, legal: int
) -> None:
    signed = signing.sign(legal, CASE_STATE)
    tampered = signed.payload_json.replace('"approved"', '"rejected"')
    assert tampered != signed.payload_json
    check = signing.verify(tampered, signed.signature_b64, signed.certificate_id)
    assert not check.valid and check.problem is SignatureProblem.CONTENT_CHANGED
    assert check.reason == "content changed since it was signed"
    one_char = signed.payload_json.replace("2026-0007", "2026-0008")
    assert signing.verify(one_char, signed.signature_b64, signed.certificate_id).problem is (
        SignatureProblem.CONTENT_CHANGED
    )
    # the signing time is covered too
    later = signed.payload_json.replace(signed.signed_at.strftime("%Y"), "2099", 1)
    assert not signing.verify(later, signed.signature_b64, signed.certificate_id).valid
    # and so is the signature itself
    raw = bytearray(base64.b64decode(signed.signature_b64))
    raw[-1] ^= 0x01
    bad = base64.b64encode(bytes(raw)).decode()
    assert signing.verify(signed.payload_json, bad, signed.certificate_id).problem is (
        SignatureProblem.CONTENT_CHANGED
    )
    assert signing.verify(signed.payload_json, "not base64!", signed.certificate_id).problem is (
        SignatureProblem.CONTENT_CHANGED
    )


def test_a_swapped_certificate_fails(
    app: App, signing: SigningService, legal: int, hr: int, admin: int
) -> None:
    signed = signing.sign(legal, CASE_STATE)
    _certified(app, signing, hr, admin)
    other = signing.key_state(hr).certificate
    assert other is not None
    check = signing.verify(signed.payload_json, signed.signature_b64, other.id)
    assert not check.valid and check.problem is SignatureProblem.WRONG_CERTIFICATE
    assert check.signer_username == "li.hr"  # the certificate named, not the real signer
    # swapping the fingerprint inside the envelope as well only breaks the signature
    forged = signed.payload_json.replace(
        json.loads(signed.payload_json)["signer"]["certificate_sha256"], other.fingerprint_sha256
    )
    assert signing.verify(forged, signed.signature_b64, other.id).problem is (
        SignatureProblem.CONTENT_CHANGED
    )
    assert signing.verify(signed.payload_json, signed.signature_b64, 999).problem is (
        SignatureProblem.UNKNOWN_CERTIFICATE
    )
    ca_view = signing.authority()
    assert ca_view is not None
    assert signing.verify(signed.payload_json, signed.signature_b64, ca_view.id).problem is (
        SignatureProblem.UNKNOWN_CERTIFICATE
    )


def test_a_certificate_from_a_foreign_ca_fails(
    app: App, signing: SigningService, legal: int
) -> None:
    signed = signing.sign(legal, CASE_STATE)
    # Someone with database access replaces the user's certificate and key by their own
    # (from a CA they made): the signature they make verifies against that certificate,
    # but the certificate is not from this installation's CA.
    foreign_key = ca_.new_key()
    foreign_ca = ca_.make_ca_certificate(foreign_key, "f" * 32, TEST_NOW)
    user_key = ca_.new_key()
    wanted = ca_.certified_subject("王律师", "wang.legal", "legal")
    forged_cert = ca_.make_user_certificate(
        user_key.public_key(), wanted, "f" * 32, foreign_key, foreign_ca, TEST_NOW
    )
    with app.uow() as work:
        row = work.session.get(SigningCertificate, signed.certificate_id)
        assert row is not None
        row.certificate_pem = ca_.certificate_pem(forged_cert)
        row.fingerprint_sha256 = ca_.fingerprint(forged_cert)
        work.commit()
    envelope = json.loads(signed.payload_json)
    envelope["signer"]["certificate_sha256"] = ca_.fingerprint(forged_cert)
    payload_json = canonical_json(envelope)
    digest = hashlib.sha256(payload_json.encode()).digest()
    signature = base64.b64encode(ca_.sign_digest(user_key, digest)).decode()
    check = signing.verify(payload_json, signature, signed.certificate_id)
    assert not check.valid and check.problem is SignatureProblem.NOT_FROM_THIS_CA
    assert check.reason == "certificate not issued by this installation's CA"
    # the original signature no longer verifies either
    assert not signing.verify(
        signed.payload_json, signed.signature_b64, signed.certificate_id
    ).valid


def test_a_revoked_certificate_fails_and_a_new_one_is_issued(
    app: App, signing: SigningService, legal: int, memory_keyring: MemoryKeyring, admin: int
) -> None:
    signed = signing.sign(legal, CASE_STATE)
    entries = len(memory_keyring.entries)
    revoked = signing.revoke_certificate(signed.certificate_id, "laptop lost")
    assert revoked.revoked
    assert len(memory_keyring.entries) == entries - 1  # the key's passphrase is gone
    check = signing.verify(signed.payload_json, signed.signature_b64, signed.certificate_id)
    assert not check.valid and check.problem is SignatureProblem.REVOKED
    with pytest.raises(KeyAwaitingCertification, match=r"workstation ca certify wang\.legal"):
        signing.sign(legal, CASE_STATE)  # a new key, for an administrator to certify
    _certified(app, signing, legal, admin)
    again = signing.sign(legal, CASE_STATE)
    assert again.certificate_id != signed.certificate_id
    assert signing.verify(again.payload_json, again.signature_b64, again.certificate_id).valid
    assert "signing.certificate_revoked" in _actions(app)


def test_revoking_the_ca_fails_every_signature_it_vouched_for(
    signing: SigningService, legal: int
) -> None:
    signed = signing.sign(legal, CASE_STATE)
    authority = signing.authority()
    assert authority is not None
    signing.revoke_certificate(authority.id, "compromised")
    assert signing.verify(
        signed.payload_json, signed.signature_b64, signed.certificate_id
    ).problem is (SignatureProblem.REVOKED)


def test_signed_outside_the_certificate_validity_fails(signing: SigningService, legal: int) -> None:
    opened = signing.signing_key(legal)
    cert = ca_.load_certificate(opened.certificate_pem)
    after_expiry = cert.not_valid_after_utc + timedelta(days=1)
    payload_json = make_envelope(
        CASE_STATE,
        signing.installation_id,
        after_expiry,
        legal,
        "wang.legal",
        ca_.fingerprint(cert),
    )
    digest = hashlib.sha256(payload_json.encode()).digest()
    signature = base64.b64encode(ca_.sign_digest(opened.private_key, digest)).decode()
    check = signing.verify(payload_json, signature, opened.certificate_id)
    assert not check.valid and check.problem is SignatureProblem.EXPIRED


def test_inactive_or_unknown_users_cannot_sign(app: App, signing: SigningService) -> None:
    gone = _add_user(app, "zhao.gone", "赵离职", "legal", active=False)
    _as(app, gone)
    with pytest.raises(SigningError):
        signing.sign(gone, CASE_STATE)
    with pytest.raises(SigningError):
        signing.key_state(12345)
