"""The installation seal: the key that signs the audit log's checkpoints on this workstation.

It needs no person's passphrase (it signs at every approval, by any user, and daily), so its
private key (EC P-256) lives **outside the database**, in the data folder:
``<data dir>/keys/installation-seal.pem``, a file only this account can read (0600, in a 0700
folder). The database gets its public key and fingerprint (``audit_seals``), for others to
see; verification trusts only the key of the local file, never a key found in the database
alone (whoever writes the database can insert one).

Next to the key, the **high-water mark** (``audit-high-water.json``, 0600) remembers, per
database, the newest checkpoint this seal made: wiping the log *and* its checkpoints in the
database is then still caught.

What the seal does not stop: whoever can read this folder can take the key and forge
checkpoints (an administrator of this machine can). It catches an attacker who can write the
database only (the SQLite file, a PostgreSQL account).

``cryptography`` is imported where a key is used: reading the high-water mark (at every
day's first entry) loads none of it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
from dataclasses import asdict
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.store.audit_checkpoints import HighWaterMark

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric import ec

log = logging.getLogger(__name__)

KEYS_FOLDER = "keys"
KEY_FILE = "installation-seal.pem"
MARK_FILE = "audit-high-water.json"


class SealKeyUnreadable(RuntimeError):
    """The seal's key file exists but cannot be read as an EC private key."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"the installation seal {path} is unreadable")
        self.path = path


def fingerprint_of(public_key_pem: str) -> str:
    """SHA-256 (hex) of the public key's DER SubjectPublicKeyInfo."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_public_key(public_key_pem.encode("ascii"))
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


def signature_holds(public_key_pem: str, data: bytes, signature_b64: str) -> bool:
    """Whether ``signature_b64`` (ECDSA, SHA-256, DER) over ``data`` holds for the key."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    try:
        key = serialization.load_pem_public_key(public_key_pem.encode("ascii"))
        if not isinstance(key, ec.EllipticCurvePublicKey):
            return False
        key.verify(base64.b64decode(signature_b64, validate=True), data, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


class InstallationSeal:
    """The seal of the data folder ``keys_dir`` belongs to; the key is made at first use."""

    def __init__(self, keys_dir: Path) -> None:
        self.keys_dir = keys_dir

    @property
    def key_path(self) -> Path:
        return self.keys_dir / KEY_FILE

    @property
    def mark_path(self) -> Path:
        return self.keys_dir / MARK_FILE

    def exists(self) -> bool:
        return self.key_path.is_file()

    # -- the key ------------------------------------------------------------------------------

    @cached_property
    def _private_key(self) -> ec.EllipticCurvePrivateKey:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        if not self.key_path.exists():
            self._create_key()
        try:
            key = serialization.load_pem_private_key(self.key_path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as exc:
            raise SealKeyUnreadable(self.key_path) from exc
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise SealKeyUnreadable(self.key_path)
        return key

    def _create_key(self) -> None:
        """A new key, written 0600 under a temporary name and linked into place: when two
        processes race, the first link wins and both use that key."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec

        self.keys_dir.mkdir(parents=True, exist_ok=True)
        if os.name == "posix":
            os.chmod(self.keys_dir, 0o700)
        pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        tmp = self.keys_dir / f".{KEY_FILE}.{os.getpid()}"
        _write_private(tmp, pem)
        try:
            os.link(tmp, self.key_path)
            log.info("made the installation seal %s", self.key_path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)

    @cached_property
    def public_key_pem(self) -> str:
        from cryptography.hazmat.primitives import serialization

        return (
            self._private_key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )

    @cached_property
    def fingerprint(self) -> str:
        return fingerprint_of(self.public_key_pem)

    def local_fingerprint(self) -> str | None:
        """The fingerprint of the local key, or None when this workstation has none yet
        (nothing is made by asking)."""
        return self.fingerprint if self.exists() else None

    def sign(self, data: bytes) -> str:
        """ECDSA P-256 / SHA-256 signature over ``data``, base64 (DER)."""
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec

        signature = self._private_key.sign(data, ec.ECDSA(hashes.SHA256()))
        return base64.b64encode(signature).decode("ascii")

    def verifies(self, data: bytes, signature_b64: str) -> bool:
        """Whether ``signature_b64`` over ``data`` was made by this (local) key."""
        return signature_holds(self.public_key_pem, data, signature_b64)

    # -- the high-water mark ------------------------------------------------------------------

    def high_water(self, database: str) -> HighWaterMark | None:
        """The newest checkpoint this seal made in ``database`` (a URL without password)."""
        entry = self._marks().get(database)
        if not isinstance(entry, dict):
            return None
        try:
            return HighWaterMark(**entry)
        except TypeError:
            return None

    def raise_high_water(self, database: str, mark: HighWaterMark) -> None:
        """Remember ``mark`` for ``database`` unless a newer one is remembered already."""
        marks = self._marks()
        kept = self.high_water(database)
        if kept is not None and kept.checkpoint_id >= mark.checkpoint_id:
            return
        marks[database] = asdict(mark)
        self._save_marks(marks)

    def retire_high_water(self, database: str, when: str) -> bool:
        """``database`` was created anew (by the app, at its first opening): its mark is kept
        under ``"<database> (replaced <when>)"`` and the new database starts without one.
        True when there was one."""
        marks = self._marks()
        if database not in marks:
            return False
        marks[f"{database} (replaced {when})"] = marks.pop(database)
        self._save_marks(marks)
        return True

    def _save_marks(self, marks: dict[str, object]) -> None:
        self.keys_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.keys_dir / f".{MARK_FILE}.{os.getpid()}"
        _write_private(tmp, json.dumps(marks, indent=1, sort_keys=True).encode("utf-8"))
        tmp.replace(self.mark_path)

    def _marks(self) -> dict[str, object]:
        try:
            raw = json.loads(self.mark_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return raw if isinstance(raw, dict) else {}


def _write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file readable by this account only."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
