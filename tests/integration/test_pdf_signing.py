"""PAdES signing of PDFs with pyHanko, checked by pyHanko and by external tools (poppler's
``pdfsig`` with NSS, ``qpdf --check``) when they are installed."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from acting import enrol_and_certify, ensure_authority
from clocks import TEST_NOW, pinned
from memory_keyring import MemoryKeyring, installed
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.pdfgen import canvas
from sqlalchemy import select

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.reports.pdf_signing import PdfUnreadable, sign_pdf, verify_pdf
from workstation.security.signing import SigningService
from workstation.store.models import AuditEntry, User

TEXT = "Dossier 2026-0007: order diversion"


def _pdf() -> bytes:
    """A small reportlab PDF whose page content is not compressed (so a test can edit it)."""
    buf = BytesIO()
    page = canvas.Canvas(buf, pageCompression=0, invariant=True)
    page.drawString(72, 720, TEXT)
    page.showPage()
    page.save()
    return buf.getvalue()


def _add_user(app: App, username: str = "wang.legal") -> int:
    """A legal user with a certified signing key (the authority made by an administrator),
    signed in to ``app``'s session (the service opens only the signed-in user's key)."""
    with app.uow() as work:
        user = User(username=username, display_name="王律师", role="legal", created_at=TEST_NOW)
        work.session.add(user)
        work.session.flush()
        identity = Identity(user.id, username, "王律师", Role.LEGAL)
        work.commit()
    enrol_and_certify(app, identity)
    return identity.user_id


def _signing(app: App) -> SigningService:
    return app.signing


def _authority_pem(signing: SigningService) -> str:
    authority = signing.authority()
    assert authority is not None
    return authority.certificate_pem


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with installed(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


@pytest.fixture
def signing(app: App, memory_keyring: MemoryKeyring) -> SigningService:
    ensure_authority(app)
    return _signing(app)


@pytest.fixture
def user_id(app: App, signing: SigningService) -> int:
    return _add_user(app)


@pytest.fixture
def signed(app: App, signing: SigningService, user_id: int) -> bytes:
    app.session.sign_in(Identity(user_id, "wang.legal", "王律师", Role.LEGAL))
    return sign_pdf(_pdf(), signing, user_id, "Investigation approved", "Shanghai", at=TEST_NOW)


def test_a_signed_pdf_verifies(app: App, signing: SigningService, signed: bytes) -> None:
    original = _pdf()
    assert signed.startswith(original[: original.rindex(b"%%EOF")])  # incremental update
    [check] = verify_pdf(signed, _authority_pem(signing), at=TEST_NOW)
    assert check.intact and check.valid and check.trusted and check.ok
    assert (check.signer_name, check.signer_username, check.signer_role) == (
        "王律师",
        "wang.legal",
        "legal",
    )
    assert check.modification_level == "NONE" and check.coverage == "ENTIRE_FILE"
    assert check.signing_time == TEST_NOW  # the app's clock, not the machine's
    assert b"/ETSI.CAdES.detached" in signed
    with app.uow() as work:
        actions = list(work.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions[-1] == "signing.pdf_signed"


def test_a_flipped_byte_in_the_signed_content_is_not_intact(
    signing: SigningService, signed: bytes
) -> None:
    tampered = bytearray(signed)
    at = tampered.index(TEXT.encode())
    tampered[at] ^= 0x01  # "Dossier" -> "Eossier"
    [check] = verify_pdf(bytes(tampered), _authority_pem(signing), at=TEST_NOW)
    assert not check.intact and not check.ok


def test_a_pdf_signed_under_a_foreign_ca_is_untrusted(
    tmp_path: Path, signing: SigningService, memory_keyring: MemoryKeyring
) -> None:
    foreign_app = open_app(load_settings(tmp_path / "elsewhere"), clock=pinned())
    try:
        foreign = _signing(foreign_app)
        pdf = sign_pdf(_pdf(), foreign, _add_user(foreign_app), "forged", "nowhere", at=TEST_NOW)
    finally:
        foreign_app.close()
    [check] = verify_pdf(pdf, _authority_pem(signing), at=TEST_NOW)
    assert check.intact and check.valid
    assert not check.trusted and not check.ok


def test_a_second_signature_keeps_the_first_valid(
    app: App, signing: SigningService, signed: bytes
) -> None:
    hr = _add_user(app, "li.hr")
    twice = sign_pdf(signed, signing, hr, "Decision approved", "Shanghai", at=TEST_NOW)
    first, second = verify_pdf(twice, signing.trust_roots_pem(), at=TEST_NOW)
    assert (first.field_name, second.field_name) == ("Signature1", "Signature2")
    assert first.ok and first.modification_level == "FORM_FILLING"
    assert second.ok and second.modification_level == "NONE"
    assert second.signer_username == "li.hr"


def test_a_change_appended_after_signing_is_reported(
    signing: SigningService, signed: bytes
) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)
    out = BytesIO()
    writer.write(out)
    [check] = verify_pdf(out.getvalue(), _authority_pem(signing), at=TEST_NOW)
    assert check.intact and check.trusted  # the signed revision itself is untouched
    assert check.modification_level == "OTHER" and not check.ok


def test_unsigned_and_unreadable(signing: SigningService) -> None:
    assert verify_pdf(_pdf(), _authority_pem(signing), at=TEST_NOW) == []
    with pytest.raises(PdfUnreadable):
        verify_pdf(b"not a pdf", _authority_pem(signing), at=TEST_NOW)


# -- external validators ---------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not installed (apt poppler-utils / qpdf / libnss3-tools)")
    return path


def test_qpdf_finds_the_signed_file_sound(tmp_path: Path, signed: bytes) -> None:
    qpdf = _tool("qpdf")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    done = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


def _pdfsig(path: Path, *nss: str) -> str:
    done = subprocess.run(
        [_tool("pdfsig"), *nss, str(path)], capture_output=True, text=True, timeout=60
    )
    return done.stdout


def test_pdfsig_checks_the_signature_and_catches_a_flipped_byte(
    tmp_path: Path, signed: bytes
) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    report = _pdfsig(path)
    assert "Signer Certificate Common Name: 王律师" in report
    assert "ETSI.CAdES.detached" in report
    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    tampered = bytearray(signed)
    tampered[tampered.index(TEXT.encode())] ^= 0x01
    path.write_bytes(bytes(tampered))
    assert "Signature Validation: Digest Mismatch." in _pdfsig(path)


def test_pdfsig_trusts_the_signer_once_the_ca_is_trusted(
    tmp_path: Path, signing: SigningService, signed: bytes
) -> None:
    _tool("pdfsig")
    certutil = _tool("certutil")
    nss = tmp_path / "nss"
    nss.mkdir()
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text(_authority_pem(signing))
    db = f"sql:{nss}"
    subprocess.run([certutil, "-N", "-d", db, "--empty-password"], check=True)
    add = [certutil, "-A", "-d", db, "-n", "casework-ca", "-t", "CT,C,C", "-i", str(ca_file)]
    subprocess.run(add, check=True)
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    report = _pdfsig(path, "-nssdir", db)
    assert "Signature Validation: Signature is Valid." in report
    assert "Certificate Validation: Certificate is Trusted." in report
