"""The installation's certificate authority, as plain functions: keys, certificates, checks.

No database or keyring here except :func:`ensure_installation_id` (one ``app_meta`` row).
Keys are EC P-256 (fast to make, small signatures, read by pyHanko, poppler and Acrobat).
Private keys leave this module only as encrypted PKCS#8 PEM (see :func:`stretch`).
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.x509.oid import NameOID
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workstation.security.secrets import AUTHORITY
from workstation.store.models import AppMeta
from workstation.store.uow import UnitOfWorkFactory
from workstation.store.write_lock import take_write_lock

META_INSTALLATION_ID = "installation.id"
ORGANISATION = "Casework"
CA_VALIDITY = timedelta(days=3652)  # ten years
USER_VALIDITY = timedelta(days=1095)  # three years
#: Advisory-lock key serialising certificate writers on PostgreSQL.
SIGNING_LOCK_KEY = 0x5349474E494E47
_CN_MAX = 64
#: scrypt cost for key passphrases (about 70 ms, 32 MB here).
SCRYPT_N = 2**15
#: The owner part of the CA key's salt (no username has a "#").
CA_OWNER = AUTHORITY


class WrongPassphrase(ValueError):
    """The passphrase does not open the private key."""


@dataclass(frozen=True)
class SubjectInfo:
    """Who a user certificate names (as certified when it was issued)."""

    display_name: str
    username: str
    role: str


def ensure_installation_id(uow: UnitOfWorkFactory) -> str:
    """This database's installation id (``app_meta['installation.id']``), made on first use.

    It namespaces keyring entries and names the CA; every machine sharing the database sees
    the same id.
    """
    with uow() as work:
        row = work.session.get(AppMeta, META_INSTALLATION_ID)
        if row is not None:
            return row.value
        work.session.add(AppMeta(key=META_INSTALLATION_ID, value=uuid.uuid4().hex))
        try:
            work.commit()
        except IntegrityError:  # another process made it first
            work.rollback()
    with uow() as work:
        row = work.session.get(AppMeta, META_INSTALLATION_ID)
        assert row is not None
        return row.value


def lock_signing(session: Session) -> None:
    """Serialise writers of ``signing_certificates`` until the transaction ends."""
    take_write_lock(session, "signing_certificates", SIGNING_LOCK_KEY)


# -- keys --------------------------------------------------------------------------------------


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def key_salt(installation_id: str, owner: str, serial: str) -> str:
    """What a key's encryption is salted with: the installation, whose key it is (a username,
    or :data:`CA_OWNER`) and the certificate serial it carries, so that one passphrase typed
    for two keys still derives two different encryption keys."""
    return f"{installation_id}/{owner}/{serial}"


def stretch(passphrase: str, salt: str) -> bytes:
    """scrypt of the passphrase, salted with :func:`key_salt` (keys made before it: with the
    certificate serial alone).

    PKCS#8's own PBKDF2 runs only 2,048 rounds; a passphrase a person chose (no keyring) needs
    more against someone holding a copy of the database, so the key is encrypted under this.
    """
    kdf = Scrypt(salt=salt.encode("utf-8"), length=32, n=SCRYPT_N, r=8, p=1)
    return base64.b64encode(kdf.derive(passphrase.encode("utf-8")))


def encrypt_key(key: ec.EllipticCurvePrivateKey, passphrase: str, salt: str) -> str:
    """PKCS#8 PEM (PBES2, AES-256) encrypted under :func:`stretch` of ``passphrase``."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(stretch(passphrase, salt)),
    ).decode("ascii")


def decrypt_key(pem: str, passphrase: str, *salts: str) -> ec.EllipticCurvePrivateKey:
    """The key ``passphrase`` opens, trying each salt in turn (the current one first, then the
    serial alone of keys made before :func:`key_salt`)."""
    key = None
    for salt in salts:
        try:
            key = serialization.load_pem_private_key(pem.encode("ascii"), stretch(passphrase, salt))
        except (ValueError, TypeError):
            continue
        break
    if key is None:
        raise WrongPassphrase("the passphrase does not open this signing key")
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise WrongPassphrase("not an EC signing key")
    return key


# -- certificates ------------------------------------------------------------------------------


def _name(*attributes: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in attributes if value])


def _short(value: str) -> str:
    return value.strip()[:_CN_MAX] or "?"


def _start(now: datetime) -> datetime:
    return now.replace(microsecond=0)


def make_ca_certificate(
    key: ec.EllipticCurvePrivateKey, installation_id: str, now: datetime
) -> x509.Certificate:
    """Self-signed, CA:TRUE (no intermediates), ten years from ``now``."""
    subject = _name(
        (NameOID.COMMON_NAME, f"{ORGANISATION} installation CA {installation_id[:8]}"),
        (NameOID.ORGANIZATION_NAME, ORGANISATION),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, f"installation {installation_id}"),
    )
    public = key.public_key()
    start = _start(now)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + CA_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def make_user_certificate(
    public_key: ec.EllipticCurvePublicKey,
    subject: SubjectInfo,
    installation_id: str,
    ca_key: ec.EllipticCurvePrivateKey,
    ca_cert: x509.Certificate,
    now: datetime,
    serial: int | None = None,
) -> x509.Certificate:
    """Issued by the CA: the user's name, username and role; for signatures only; 3 years.
    ``serial``: the one chosen when the key was made (its encryption is salted with it)."""
    start = _start(now)
    name = _name(
        (NameOID.COMMON_NAME, _short(subject.display_name)),
        (NameOID.USER_ID, _short(subject.username)),
        (NameOID.TITLE, _short(subject.role)),
        (NameOID.ORGANIZATION_NAME, ORGANISATION),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, f"installation {installation_id}"),
    )
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(serial if serial is not None else x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(min(start + USER_VALIDITY, ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )


def new_serial() -> int:
    return x509.random_serial_number()


def public_pem(key: ec.EllipticCurvePublicKey) -> str:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public_key(pem: str) -> ec.EllipticCurvePublicKey:
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise ValueError("not an EC public key")
    return key


def load_certificate(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode("ascii"))


def certificate_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def serial_hex(cert: x509.Certificate) -> str:
    return f"{cert.serial_number:x}"


def certified_subject(display_name: str, username: str, role: str) -> SubjectInfo:
    """The subject a certificate issued now would carry (names cut to what X.509 allows)."""
    return SubjectInfo(_short(display_name), _short(username), _short(role))


def subject_info(cert: x509.Certificate) -> SubjectInfo:
    def first(oid: x509.ObjectIdentifier) -> str:
        values = cert.subject.get_attributes_for_oid(oid)
        value = values[0].value if values else ""
        return value if isinstance(value, str) else value.decode("utf-8", "replace")

    return SubjectInfo(
        display_name=first(NameOID.COMMON_NAME),
        username=first(NameOID.USER_ID),
        role=first(NameOID.TITLE),
    )


def issued_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    """True when ``ca``'s key signed ``cert`` (and the issuer name matches)."""
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def verify_signature(cert: x509.Certificate, digest: bytes, signature: bytes) -> bool:
    """Check an ECDSA signature over a SHA-256 ``digest`` with ``cert``'s public key."""
    public = cert.public_key()
    if not isinstance(public, ec.EllipticCurvePublicKey):
        return False
    try:
        public.verify(signature, digest, ec.ECDSA(Prehashed(hashes.SHA256())))
    except InvalidSignature:
        return False
    return True


def sign_digest(key: ec.EllipticCurvePrivateKey, digest: bytes) -> bytes:
    """ECDSA (DER) over a SHA-256 ``digest``."""
    return key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
