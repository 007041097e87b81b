"""PAdES signatures on PDFs (dossiers, notices) with pyHanko, and their validation.

Signing is PAdES baseline B-B (``/ETSI.CAdES.detached``, SHA-256) with the user's key and
certificate, the installation CA in the chain, appended as an incremental update (the bytes
before stay as they were; earlier signatures stay intact). There is no timestamp server
offline, so no B-T: the signing time is the one the signer's machine reports (the app's
clock, handed in: pyHanko would read the wall clock itself).

Validation is pyHanko's, offline, against the installation CA as the only trust root. Any PDF
reader can check the same signature (it will call the CA unknown until it is trusted there).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from workstation.security.signatures import SigningKey
from workstation.security.signing import SigningService


class PdfUnreadable(ValueError):
    """The bytes are not a PDF pyHanko can read."""


@dataclass(frozen=True)
class PdfSignatureCheck:
    field_name: str
    #: Common name, username and role in the signer's certificate (None if unreadable).
    signer_name: str | None
    signer_username: str | None
    signer_role: str | None
    #: As reported by the signer (no timestamp token offline).
    signing_time: datetime | None
    #: The signed bytes hash to what was signed.
    intact: bool
    #: The CMS signature is cryptographically valid.
    valid: bool
    #: The signer's certificate chains to a trust root given (and key usage fits).
    trusted: bool
    #: NONE, LTA_UPDATES, FORM_FILLING, ANNOTATIONS or OTHER (changes after signing).
    modification_level: str | None
    #: ENTIRE_FILE, ENTIRE_REVISION, CONTIGUOUS_BLOCK_FROM_START or UNCLEAR.
    coverage: str | None
    #: pyHanko's overall judgement (intact, valid, trusted, allowed modifications only).
    ok: bool
    #: pyHanko's one-line summary, or the error met while validating.
    summary: str


def pdf_signer(key: SigningKey) -> signers.SimpleSigner:
    """A pyHanko signer for an opened key; the CA goes into the signature's chain."""
    der_key = key.private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return signers.SimpleSigner(
        signing_cert=_asn1_cert(key.certificate_pem),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_cert(key.ca_certificate_pem)]),
    )


class _SignerAt(signers.PdfSigner):
    """pyHanko's PDF signer, with the signing time given instead of read off the wall clock."""

    def __init__(
        self, meta: signers.PdfSignatureMetadata, signer: signers.Signer, at: datetime
    ) -> None:
        super().__init__(meta, signer=signer)
        self._at = at

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._at
        return session


def sign_pdf(
    pdf_bytes: bytes,
    signing: SigningService,
    user_id: int,
    reason: str,
    location: str,
    *,
    at: datetime,
    field_name: str | None = None,
) -> bytes:
    """Add the user's PAdES B-B signature, made ``at`` (an aware instant), as an incremental
    update; audited. May ask for the key's passphrase (through the signing service's secret
    store)."""
    key = signing.signing_key(user_id)
    try:
        writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
        taken = {s.field_name for s in writer.prev.embedded_signatures}
    except (PdfError, ValueError, KeyError) as exc:
        raise PdfUnreadable(str(exc)) from exc
    name = field_name or _free_field_name(taken)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    output = _SignerAt(meta, pdf_signer(key), at).sign_pdf(writer)
    signed: bytes = output.getvalue()
    signing.record_pdf_signature(
        key, hashlib.sha256(pdf_bytes).hexdigest(), hashlib.sha256(signed).hexdigest(), reason
    )
    return signed


def verify_pdf(
    pdf_bytes: bytes,
    trust_root_pem: str | Sequence[str],
    *,
    at: datetime,
) -> list[PdfSignatureCheck]:
    """Check every signature in the PDF against the given trust root(s), offline, as of ``at``
    (the app's now, usually). An empty list: the PDF carries no signature."""
    roots_pem = [trust_root_pem] if isinstance(trust_root_pem, str) else list(trust_root_pem)
    roots = [_asn1_cert(pem) for pem in roots_pem]
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError) as exc:
        raise PdfUnreadable(str(exc)) from exc
    checks = []
    for sig in embedded:
        context = ValidationContext(trust_roots=roots, moment=at, allow_fetching=False)
        try:
            status = validate_pdf_signature(sig, context)
        except Exception as exc:  # a damaged signature is a failed check, not a crash
            checks.append(_failed(sig.field_name, sig, exc))
            continue
        name, username, role = _subject(status.signing_cert)
        level = status.modification_level
        checks.append(
            PdfSignatureCheck(
                field_name=sig.field_name,
                signer_name=name,
                signer_username=username,
                signer_role=role,
                signing_time=status.signer_reported_dt,
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                modification_level=level.name if level is not None else None,
                coverage=status.coverage.name if status.coverage is not None else None,
                ok=status.bottom_line,
                summary=status.summary(),
            )
        )
    return checks


def _asn1_cert(pem: str) -> asn1_x509.Certificate:
    der = x509.load_pem_x509_certificate(pem.encode("ascii")).public_bytes(
        serialization.Encoding.DER
    )
    return asn1_x509.Certificate.load(der)


def _free_field_name(taken: set[str | None]) -> str:
    n = 1
    while f"Signature{n}" in taken:
        n += 1
    return f"Signature{n}"


def _subject(cert: asn1_x509.Certificate | None) -> tuple[str | None, str | None, str | None]:
    if cert is None:
        return None, None, None
    native = cert.subject.native
    return native.get("common_name"), native.get("user_id"), native.get("title")


def _failed(field_name: str, sig: object, exc: Exception) -> PdfSignatureCheck:
    try:
        cert = sig.signer_cert  # type: ignore[attr-defined]
    except Exception:
        cert = None
    name, username, role = _subject(cert)
    return PdfSignatureCheck(
        field_name=field_name,
        signer_name=name,
        signer_username=username,
        signer_role=role,
        signing_time=None,
        intact=False,
        valid=False,
        trusted=False,
        modification_level=None,
        coverage=None,
        ok=False,
        summary=f"{type(exc).__name__}: {exc}",
    )
