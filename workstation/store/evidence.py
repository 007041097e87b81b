"""Content-addressed evidence files: stored once by SHA-256, never changed, reads logged.

Layout: ``<data dir>/evidence/ab/cd/abcd…`` (the full hash as file name). A file is copied to
``evidence/.incoming/`` first, hashed while copying, and published under its hash (renamed into
place, made read-only) only when the transaction that recorded it commits; a refused, failed or
killed transaction leaves nothing under a hash name. ``recover`` (at start) sweeps what a killed
process left in ``.incoming``: a copy whose transaction committed is published, any other one
removed.

While a transaction stores a file, it holds a claim on its hash (a lock file in ``.incoming``;
on PostgreSQL also an advisory lock): a second process storing the same file at the same time
(the same file imported twice at once) is refused with ``EvidenceBeingStored`` at once, instead
of waiting for the first and failing on the hash's unique key.
"""

from __future__ import annotations

import hashlib
import io
import logging
import mimetypes
import os
import secrets
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from filelock import FileLock, Timeout
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, SessionTransaction

from workstation.private_files import PRIVATE_FILE_MODE
from workstation.store.audit import append_audit
from workstation.store.models import EvidenceFile
from workstation.store.uow import UnitOfWorkFactory, clock_of
from workstation.store.write_lock import take_write_lock

log = logging.getLogger(__name__)

CHUNK = 1 << 20
#: Where copies wait for their transaction, inside the evidence folder.
INCOMING = ".incoming"
#: The files' staged copies in a session's ``info``: sha256 → ``_Staged``.
_STAGED_KEY = "workstation.evidence_staged"


class EvidenceCorrupted(RuntimeError):
    """The bytes on disk no longer match the hash they are stored under (``missing``: there
    are no bytes: the file was deleted). Nothing is made from such a file."""

    def __init__(self, sha256: str, name: str | None = None, *, missing: bool = False) -> None:
        label = f"'{name}' ({sha256})" if name else sha256
        super().__init__(
            f"evidence file {label} is missing from the evidence folder"
            if missing
            else f"evidence file {label} no longer matches its SHA-256: it was changed on disk"
        )
        self.sha256, self.name, self.missing = sha256, name, missing


class EvidenceBeingStored(RuntimeError):
    """Another transaction (another process: the same file imported twice at once) is
    storing the same content right now."""

    def __init__(self, name: str, sha256: str) -> None:
        super().__init__(f"{name} is already being imported by another process")
        self.name, self.sha256 = name, sha256


@dataclass(frozen=True)
class StoredEvidence:
    id: int
    sha256: str
    size_bytes: int
    original_name: str
    media_type: str | None
    newly_stored: bool


@dataclass
class _Staged:
    """A copy in ``.incoming`` waiting for its transaction, and the locks it holds."""

    sha256: str
    part: Path
    owner: FileLock
    claims: list[FileLock] = field(default_factory=list)

    def release(self) -> None:
        for lock in (*self.claims, self.owner):
            lock.release()
            Path(lock.lock_file).unlink(missing_ok=True)


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def incoming(self) -> Path:
        return self.root / INCOMING

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def add_file(self, session: Session, path: Path, actor: str) -> StoredEvidence:
        with path.open("rb") as stream:
            return self.add_stream(session, stream, path.name, actor)

    def add_bytes(self, session: Session, data: bytes, name: str, actor: str) -> StoredEvidence:
        return self.add_stream(session, io.BytesIO(data), name, actor)

    def add_stream(
        self, session: Session, stream: BinaryIO, name: str, actor: str
    ) -> StoredEvidence:
        """Store the stream's bytes (once per content) and record it in the caller's unit; the
        file appears under its hash when that unit commits. Raises ``EvidenceBeingStored``
        when another transaction is storing the same content now."""
        staged = self._stage(session, stream, name)
        take_write_lock(session, "evidence_files", None)
        sha = staged.sha256
        row = session.scalars(select(EvidenceFile).where(EvidenceFile.sha256 == sha)).first()
        newly = row is None
        if row is None:
            row = EvidenceFile(
                sha256=sha,
                size_bytes=staged.part.stat().st_size,
                original_name=name,
                media_type=mimetypes.guess_type(name)[0],
                stored_at=clock_of(session).now(),
                stored_by=actor,
            )
            session.add(row)
            session.flush()
            append_audit(session, actor, "evidence.added", "evidence", sha, {"name": name})
        return StoredEvidence(row.id, sha, row.size_bytes, row.original_name, row.media_type, newly)

    def read(self, session: Session, sha256: str, actor: str) -> bytes:
        """The file's bytes, checked against its hash; the read is written to the audit log.
        Raises ``EvidenceCorrupted`` (naming the file) when they were changed or deleted."""
        staged = _staged(session).get(sha256)
        if staged is not None:  # stored by this transaction, not yet published
            data = staged.part.read_bytes()
            if hashlib.sha256(data).hexdigest() != sha256:
                raise EvidenceCorrupted(sha256, _recorded_name(session, sha256))
        else:
            try:
                data = self.checked_bytes(sha256)
            except EvidenceCorrupted as exc:
                name = _recorded_name(session, sha256)
                raise EvidenceCorrupted(sha256, name, missing=exc.missing) from None
        append_audit(session, actor, "evidence.read", "evidence", sha256, {"bytes": len(data)})
        return data

    def checked_bytes(self, sha256: str, name: str | None = None) -> bytes:
        """The published file's bytes, re-hashed: the one read of the evidence folder. Raises
        ``EvidenceCorrupted`` when the file is missing or its bytes no longer hash to its name.
        Not audited: a caller that shows or exports the bytes uses ``read``."""
        try:
            data = self.path_for(sha256).read_bytes()
        except FileNotFoundError:
            raise EvidenceCorrupted(sha256, name, missing=True) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise EvidenceCorrupted(sha256, name)
        return data

    def require_intact(self, sha256: str, name: str | None = None) -> None:
        """Re-hash the published file (in chunks, for a check before making something from
        it); raises ``EvidenceCorrupted`` naming it when it is missing or was changed."""
        path = self.path_for(sha256)
        try:
            found = hash_file(path)[0]
        except FileNotFoundError:
            raise EvidenceCorrupted(sha256, name, missing=True) from None
        if found != sha256:
            raise EvidenceCorrupted(sha256, name)

    def verify(self, sha256: str) -> bool:
        """True when the file exists and its bytes still hash to its name."""
        path = self.path_for(sha256)
        if not path.exists():
            return False
        return hash_file(path)[0] == sha256

    def recover(self, uow: UnitOfWorkFactory) -> int:
        """Sweep ``.incoming`` of what killed processes left (a live one's copies stay): a copy
        whose file was recorded is published, anything else removed. Returns files handled."""
        if not self.incoming.is_dir():
            return 0
        handled = 0
        for owner_path in sorted(self.incoming.glob("*.owner")):
            token = owner_path.stem
            owner = FileLock(owner_path, timeout=0, mode=PRIVATE_FILE_MODE)
            try:
                owner.acquire()
            except Timeout:
                continue  # its process is alive and storing
            try:
                for part in sorted(self.incoming.glob(f"{token}*.part")):
                    handled += 1
                    sha = part.stem.partition("-")[2]
                    if sha and self._recorded(uow, sha) and not self.path_for(sha).exists():
                        self._publish(part, sha)
                        log.warning("published evidence %s left by a killed process", sha)
                    else:
                        part.unlink(missing_ok=True)
                        log.info("removed %s left by a killed or refused import", part.name)
            finally:
                owner.release()
                owner_path.unlink(missing_ok=True)
        for claim_path in self.incoming.glob("*.claim"):
            claim = FileLock(claim_path, timeout=0, mode=PRIVATE_FILE_MODE)
            try:
                claim.acquire()
            except Timeout:
                continue
            claim.release()
            claim_path.unlink(missing_ok=True)
        return handled

    # -- inside ------------------------------------------------------------------------------

    def _stage(self, session: Session, stream: BinaryIO, name: str) -> _Staged:
        """Copy ``stream`` into ``.incoming`` while hashing it, then claim its hash."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        token = secrets.token_hex(8)
        owner = FileLock(self.incoming / f"{token}.owner", timeout=0, mode=PRIVATE_FILE_MODE)
        owner.acquire()
        part = self.incoming / f"{token}.part"
        digest = hashlib.sha256()
        claims: list[FileLock] = []
        try:
            with part.open("xb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            staged_here = _staged(session)
            if sha in staged_here:  # the same content twice in one transaction
                _discard(_Staged(sha, part, owner))
                return staged_here[sha]
            named = part.with_name(f"{token}-{sha}.part")
            part.replace(named)
            part = named
            staged = _Staged(sha, part, owner, claims)
            self._claim(session, staged, name)
        except BaseException:
            for leftover in self.incoming.glob(f"{token}*.part"):
                leftover.unlink(missing_ok=True)
            _Staged("", part, owner, claims).release()
            raise
        staged_here[sha] = staged
        _watch(session, self)
        return staged

    def _claim(self, session: Session, staged: _Staged, name: str) -> None:
        claim = FileLock(
            self.incoming / f"{staged.sha256}.claim", timeout=0, mode=PRIVATE_FILE_MODE
        )
        try:
            claim.acquire()
        except Timeout:
            raise EvidenceBeingStored(name, staged.sha256) from None
        staged.claims.append(claim)
        if session.get_bind().dialect.name == "postgresql":
            key = int(staged.sha256[:15], 16)  # a data folder of its own: claim in the DB too
            got = session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key})
            if not got.scalar():
                raise EvidenceBeingStored(name, staged.sha256)

    def _publish(self, part: Path, sha256: str) -> None:
        final = self.path_for(sha256)
        if final.exists():
            part.unlink(missing_ok=True)
            return
        final.parent.mkdir(parents=True, exist_ok=True)
        part.replace(final)
        final.chmod(stat.S_IRUSR)  # read-only, and its owner's alone

    def _publish_all(self, session: Session) -> None:
        """After the commit: each staged copy under its hash name."""
        staged_here = _staged(session)
        for sha, staged in list(staged_here.items()):
            try:
                self._publish(staged.part, sha)
            except OSError:  # recover() publishes it at the next start
                log.exception("evidence %s committed but not yet published", sha)
            finally:
                staged.release()
                del staged_here[sha]

    @staticmethod
    def _recorded(uow: UnitOfWorkFactory, sha256: str) -> bool:
        with uow() as work:
            found = work.session.scalar(
                select(EvidenceFile.id).where(EvidenceFile.sha256 == sha256)
            )
            return found is not None


def hash_file(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of the file at ``path``, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _recorded_name(session: Session, sha256: str) -> str | None:
    """The name the file was stored under (for a refusal that names it)."""
    return session.scalar(select(EvidenceFile.original_name).where(EvidenceFile.sha256 == sha256))


def _staged(session: Session) -> dict[str, _Staged]:
    found: dict[str, _Staged] = session.info.setdefault(_STAGED_KEY, {})
    return found


def _discard(staged: _Staged) -> None:
    staged.part.unlink(missing_ok=True)
    staged.release()


def _discard_all(session: Session) -> None:
    staged_here = _staged(session)
    for sha in list(staged_here):
        _discard(staged_here.pop(sha))


def _watch(session: Session, store: EvidenceStore) -> None:
    """Publish the session's staged copies when its transaction commits; drop them when it
    ends otherwise (rollback, close, a failure)."""
    if session.info.get(_STAGED_KEY + ".watched"):
        return
    session.info[_STAGED_KEY + ".watched"] = True

    def after_commit(s: Session) -> None:
        store._publish_all(s)

    def after_transaction_end(s: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None:
            _discard_all(s)

    event.listen(session, "after_commit", after_commit)
    event.listen(session, "after_transaction_end", after_transaction_end)


def iter_incoming(store: EvidenceStore) -> Iterator[Path]:
    """The files in ``.incoming`` (for checks: none should outlive its transaction)."""
    if store.incoming.is_dir():
        yield from sorted(store.incoming.iterdir())


__all__ = [
    "EvidenceBeingStored",
    "EvidenceCorrupted",
    "EvidenceStore",
    "StoredEvidence",
    "hash_file",
    "iter_incoming",
]
