"""The whole evidence folder checked against the store: ``workstation evidence verify``.

Every recorded file is re-hashed (``changed`` when its bytes no longer hash to its name),
looked for (``missing`` when it is recorded but not on disk), and every file on disk that no
record names is reported (``extra``; the ``.incoming`` staging folder is the store's own and
is skipped). Each problem names the file by its SHA-256, original name, size and the cases
that link it. The run is audited once (``evidence.verified``), not per file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.domain.progress import ProgressCallback
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.evidence import INCOMING, EvidenceStore, hash_file
from workstation.store.models import Case, CaseDocument, CaseEvidence, EvidenceFile
from workstation.store.uow import UnitOfWorkFactory

CHANGED, MISSING, EXTRA = "changed", "missing", "extra"
_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class EvidenceProblem:
    """One file that is not as the store recorded it."""

    kind: str  # changed | missing | extra
    sha256: str  # the recorded hash (extra: the hash of the bytes found)
    original_name: str | None  # as imported (extra: None, nothing recorded it)
    size_bytes: int  # as recorded (extra: as found)
    path: str
    found_sha256: str | None = None  # changed: what the bytes hash to now
    found_size: int | None = None  # changed: the size on disk now
    cases: tuple[str, ...] = ()  # the numbers of the cases that link the file

    def to_json_dict(self) -> dict[str, Any]:
        return {**asdict(self), "cases": list(self.cases)}


@dataclass(frozen=True)
class EvidenceStoreReport:
    recorded: int  # files the store records
    checked: int  # of those, re-hashed (present on disk)
    bytes_checked: int
    problems: tuple[EvidenceProblem, ...] = field(default_factory=tuple)

    @property
    def intact(self) -> bool:
        return not self.problems

    def count(self, kind: str) -> int:
        return sum(1 for p in self.problems if p.kind == kind)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "intact": self.intact,
            "recorded": self.recorded,
            "checked": self.checked,
            "bytes_checked": self.bytes_checked,
            "changed": self.count(CHANGED),
            "missing": self.count(MISSING),
            "extra": self.count(EXTRA),
            "problems": [p.to_json_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class _Recorded:
    id: int
    sha256: str
    size_bytes: int
    original_name: str


class EvidenceCheckService:
    """The store-wide check of the evidence folder (auditors and administrators)."""

    def __init__(self, uow: UnitOfWorkFactory, store: EvidenceStore, acting: Acting) -> None:
        self._uow = uow
        self._store = store
        self._acting = acting

    def verify_store(
        self,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> EvidenceStoreReport:
        """Re-hash every recorded file, name the missing ones and the extra files on disk.
        ``progress(done, total, message)`` per file; ``cancelled()`` stops between files (the
        report then covers the files checked so far)."""
        me = self._acting.require(Permission.AUDIT_VERIFY)
        with self._uow() as uow:
            recorded = _recorded(uow.session)
        report = progress or (lambda done, total, message: None)
        problems: list[EvidenceProblem] = []
        checked = bytes_checked = 0
        total = len(recorded)
        for done, row in enumerate(recorded.values()):
            if cancelled is not None and cancelled():
                break
            report(done + 1, total, row.original_name)
            path = self._store.path_for(row.sha256)
            try:
                found, size = hash_file(path)
            except FileNotFoundError:
                problems.append(_problem(MISSING, row, path))
                continue
            checked += 1
            bytes_checked += size
            if found != row.sha256:
                problems.append(_problem(CHANGED, row, path, found, size))
        problems += self._extra(recorded)
        with self._uow() as uow:
            linked = _cases_linking(uow.session, [p.sha256 for p in problems])
            problems = [_with_cases(p, linked.get(p.sha256, ())) for p in problems]
            counts = {kind: sum(p.kind == kind for p in problems) for kind in (CHANGED, MISSING)}
            append_audit(
                uow.session,
                me.actor,
                "evidence.verified",
                "evidence",
                None,
                {
                    "recorded": total,
                    "checked": checked,
                    "bytes": bytes_checked,
                    **counts,
                    EXTRA: sum(p.kind == EXTRA for p in problems),
                    "problems": [f"{p.kind}:{p.sha256}" for p in problems[:50]],
                },
            )
            uow.commit()
        return EvidenceStoreReport(total, checked, bytes_checked, tuple(problems))

    def _extra(self, recorded: dict[str, _Recorded]) -> list[EvidenceProblem]:
        """Files on disk that no record names (a file committed meanwhile is asked for again
        before it is called extra)."""
        strays: list[EvidenceProblem] = []
        for path in _files_under(self._store.root):
            name = path.name
            expected = _HEX64.fullmatch(name) and self._store.path_for(name) == path
            if expected and name in recorded:
                continue
            if expected and self._recorded_now(name):
                continue
            try:
                found, size = hash_file(path)
            except OSError:
                found, size = "", 0
            strays.append(EvidenceProblem(EXTRA, found, None, size, str(path)))
        return strays

    def _recorded_now(self, sha256: str) -> bool:
        with self._uow() as uow:
            query = select(EvidenceFile.id).where(EvidenceFile.sha256 == sha256)
            return uow.session.scalar(query) is not None


def _recorded(session: Session) -> dict[str, _Recorded]:
    query = select(
        EvidenceFile.id, EvidenceFile.sha256, EvidenceFile.size_bytes, EvidenceFile.original_name
    ).order_by(EvidenceFile.id)
    return {row.sha256: _Recorded(*row) for row in session.execute(query)}


def _problem(
    kind: str,
    row: _Recorded,
    path: Path,
    found: str | None = None,
    size: int | None = None,
) -> EvidenceProblem:
    return EvidenceProblem(
        kind, row.sha256, row.original_name, row.size_bytes, str(path), found, size
    )


def _with_cases(problem: EvidenceProblem, cases: tuple[str, ...]) -> EvidenceProblem:
    return replace(problem, cases=cases) if cases else problem


def _cases_linking(session: Session, sha256s: list[str]) -> dict[str, tuple[str, ...]]:
    """sha256 → the numbers of the cases holding the file as evidence or as a document."""
    wanted = sorted({s for s in sha256s if s})
    if not wanted:
        return {}
    found: dict[str, set[str]] = {}
    for link in (CaseEvidence, CaseDocument):
        query = (
            select(EvidenceFile.sha256, Case.number)
            .join(link, link.evidence_file_id == EvidenceFile.id)
            .join(Case, Case.id == link.case_id)
            .where(EvidenceFile.sha256.in_(wanted))
        )
        for sha, number in session.execute(query):
            found.setdefault(sha, set()).add(number)
    return {sha: tuple(sorted(numbers)) for sha, numbers in found.items()}


def _files_under(root: Path) -> Iterator[Path]:
    """Every file under ``root`` but the staging folder, in a stable order."""
    if not root.is_dir():
        return
    for entry in sorted(root.iterdir()):
        if entry.name == INCOMING and entry.is_dir():
            continue
        if entry.is_dir() and not entry.is_symlink():
            yield from _files_under(entry)
        else:
            yield entry


__all__ = [
    "CHANGED",
    "EXTRA",
    "MISSING",
    "EvidenceCheckService",
    "EvidenceProblem",
    "EvidenceStoreReport",
]
