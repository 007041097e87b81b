"""Content-addressed evidence files: stored once by SHA-256, never changed, reads logged.

Layout: ``<data dir>/evidence/ab/cd/abcd…`` (the full hash as file name). A file is written to
a temporary name in the same folder, hashed while copying, then renamed into place and made
read-only, so a crash never leaves a half-written file under a hash name.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.store.audit import append_audit
from workstation.store.models import EvidenceFile
from workstation.store.uow import clock_of

CHUNK = 1 << 20


class EvidenceCorrupted(RuntimeError):
    """The bytes on disk no longer match the hash they are stored under."""


@dataclass(frozen=True)
class StoredEvidence:
    id: int
    sha256: str
    size_bytes: int
    original_name: str
    media_type: str | None
    newly_stored: bool


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

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
        """Store the stream's bytes (once per content) and record it in the caller's unit."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", dir=self.root)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            final = self.path_for(sha)
            if final.exists():
                tmp.unlink()
            else:
                final.parent.mkdir(parents=True, exist_ok=True)
                tmp.replace(final)
                final.chmod(stat.S_IRUSR | stat.S_IRGRP)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        row = session.scalars(select(EvidenceFile).where(EvidenceFile.sha256 == sha)).first()
        newly = row is None
        if row is None:
            row = EvidenceFile(
                sha256=sha,
                size_bytes=size,
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
        """The file's bytes, checked against its hash; the read is written to the audit log."""
        data = self.path_for(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise EvidenceCorrupted(f"evidence {sha256} does not match its hash")
        append_audit(session, actor, "evidence.read", "evidence", sha256, {"bytes": len(data)})
        return data

    def verify(self, sha256: str) -> bool:
        """True when the file exists and its bytes still hash to its name."""
        path = self.path_for(sha256)
        if not path.exists():
            return False
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
        return digest.hexdigest() == sha256
