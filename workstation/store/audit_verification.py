"""``audit verify``: the chain walked and checked against every checkpoint this workstation's
seal signed, and against the seal's high-water mark kept outside the database.

A checkpoint of this workstation holds when its signature verifies with the local seal key,
the entry it names is still there with the hash it sealed, and the number of entries up to
that entry is the number it sealed. So a chain recomputed after an edit, a cut tail and a
wiped log (checkpoints included: the high-water mark remembers the newest) are all caught.

Checkpoints sealed by a key this workstation does not hold (another laptop on the same
PostgreSQL server, or a key someone inserted into the database) are reported, not trusted.
Entries after the newest checkpoint that holds are "not yet anchored".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.store.audit import ChainReport, verify_audit_chain
from workstation.store.audit_checkpoints import HighWaterMark, Seal, payload_of
from workstation.store.models import AuditCheckpoint, AuditSeal

#: Why a checkpoint (or the high-water mark) fails: a stable code → the English sentence.
PROBLEMS = {
    "signature": "checkpoint #{checkpoint} does not verify with this workstation's seal "
    "(the checkpoint was altered or forged)",
    "entry_missing": "entry #{entry} sealed by checkpoint #{checkpoint} is gone "
    "(entries were cut or deleted)",
    "hash_differs": "entry #{entry} differs from what checkpoint #{checkpoint} sealed "
    "(the chain was rewritten after entry #{since}, at or before #{entry})",
    "hash_differs_start": "entry #{entry} differs from what checkpoint #{checkpoint} sealed "
    "(the chain was rewritten at or before #{entry})",
    "count_differs": "{found} entries up to #{entry}, checkpoint #{checkpoint} sealed "
    "{sealed} (entries were removed or inserted)",
    "high_water_missing": "checkpoint #{checkpoint} (entry #{entry}, {sealed} entries), the "
    "newest this workstation sealed, is missing from the database (the log and its "
    "checkpoints were cut or wiped)",
}


@dataclass(frozen=True)
class CheckpointFailure:
    problem: str
    checkpoint_id: int | None
    entry_id: int | None
    fields: dict[str, Any]

    @property
    def text(self) -> str:
        """The key of its sentence in ``PROBLEMS``."""
        if self.problem == "hash_differs" and self.fields.get("since") is None:
            return "hash_differs_start"
        return self.problem

    @property
    def reason(self) -> str:
        return PROBLEMS[self.text].format(**self.fields)

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "problem": self.problem,
            "checkpoint_id": self.checkpoint_id,
            "entry_id": self.entry_id,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ForeignSeal:
    """Checkpoints sealed by a key this workstation does not hold: not checked here."""

    fingerprint: str
    #: The host its ``audit_seals`` row names (None: no row; the key is nowhere).
    host: str | None
    checkpoints: int

    def to_json_dict(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "host": self.host, "checkpoints": self.checkpoints}


@dataclass(frozen=True)
class AuditVerification:
    chain: ChainReport
    #: The local seal's fingerprint (None: this workstation holds no seal yet).
    seal: str | None
    #: This workstation's checkpoints that hold.
    checked: int
    failures: tuple[CheckpointFailure, ...]
    foreign: tuple[ForeignSeal, ...]
    #: The newest entry a checkpoint that holds sealed, and how many entries follow it.
    anchored_through: int | None
    unanchored: int
    high_water: HighWaterMark | None = None

    @property
    def entries(self) -> int:
        return self.chain.entries

    @property
    def intact(self) -> bool:
        return self.chain.intact and not self.failures

    @property
    def first_broken_id(self) -> int | None:
        if not self.chain.intact:
            return self.chain.first_broken_id
        return self.failures[0].entry_id if self.failures else None

    @property
    def reason(self) -> str | None:
        if not self.chain.intact:
            return self.chain.reason
        return self.failures[0].reason if self.failures else None

    def to_json_dict(self) -> dict[str, Any]:
        first = self.failures[0] if self.chain.intact and self.failures else None
        mark = self.high_water
        return {
            "intact": self.intact,
            "entries": self.entries,
            "first_broken_id": self.first_broken_id,
            "reason": self.reason,
            "first_failed_checkpoint_id": None if first is None else first.checkpoint_id,
            "seal": self.seal,
            "checkpoints_checked": self.checked,
            "failures": [f.to_json_dict() for f in self.failures],
            "foreign_seals": [s.to_json_dict() for s in self.foreign],
            "anchored_through": self.anchored_through,
            "not_yet_anchored": self.unanchored,
            "high_water_mark": None
            if mark is None
            else {"checkpoint_id": mark.checkpoint_id, "entry_id": mark.entry_id},
        }


def verify_with_checkpoints(
    session: Session, seal: Seal | None, database: str
) -> AuditVerification:
    """Walk the chain of ``session``'s store and check it against ``seal``'s checkpoints and
    its high-water mark for ``database``."""
    mine = seal.local_fingerprint() if seal is not None else None
    checkpoints = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))
    own = [c for c in checkpoints if mine is not None and c.seal_fingerprint == mine]
    mark = seal.high_water(database) if seal is not None and mine is not None else None
    watch = {c.entry_id for c in own}
    seen: dict[int, tuple[str, int]] = {}
    chain = verify_audit_chain(session, watch, seen)
    walked_to = chain.first_broken_id  # entries from here on were not walked reliably

    failures: list[CheckpointFailure] = []
    checked = 0
    anchored: tuple[int, int] | None = None  # (entry id, count) of the newest that holds
    for c in own:
        if walked_to is not None and c.entry_id >= walked_to:
            continue
        failure = _check(c, seal, seen, anchored)
        if failure is not None:
            failures.append(failure)
            continue
        checked += 1
        if anchored is None or c.entry_id > anchored[0]:
            anchored = (c.entry_id, c.entry_count)
    if mark is not None:
        failure = _check_mark(session, mark, mine)
        if failure is not None:
            failures.append(failure)
    return AuditVerification(
        chain=chain,
        seal=mine,
        checked=checked,
        failures=tuple(failures),
        foreign=_foreign(session, checkpoints, mine),
        anchored_through=None if anchored is None else anchored[0],
        unanchored=chain.entries - (0 if anchored is None else anchored[1]),
        high_water=mark,
    )


def _check(
    c: AuditCheckpoint,
    seal: Seal | None,
    seen: dict[int, tuple[str, int]],
    anchored: tuple[int, int] | None,
) -> CheckpointFailure | None:
    fields: dict[str, Any] = {"checkpoint": c.id, "entry": c.entry_id}
    if seal is None or not seal.verifies(payload_of(c), c.signature):
        return CheckpointFailure("signature", c.id, c.entry_id, fields)
    found = seen.get(c.entry_id)
    if found is None:
        return CheckpointFailure("entry_missing", c.id, c.entry_id, fields)
    entry_hash, count = found
    if entry_hash != c.chain_hash:
        fields["since"] = None if anchored is None else anchored[0]
        return CheckpointFailure("hash_differs", c.id, c.entry_id, fields)
    if count != c.entry_count:
        fields |= {"found": count, "sealed": c.entry_count}
        return CheckpointFailure("count_differs", c.id, c.entry_id, fields)
    return None


def _check_mark(
    session: Session, mark: HighWaterMark, mine: str | None
) -> CheckpointFailure | None:
    """The newest checkpoint this seal made (remembered outside the database) is still there
    as it was made (its entry is checked with it, as every checkpoint's)."""
    row = session.get(AuditCheckpoint, mark.checkpoint_id)
    if (
        row is not None
        and row.seal_fingerprint == mine
        and row.entry_id == mark.entry_id
        and row.chain_hash == mark.chain_hash
        and row.entry_count == mark.entry_count
    ):
        return None
    fields = {"checkpoint": mark.checkpoint_id, "entry": mark.entry_id, "sealed": mark.entry_count}
    return CheckpointFailure("high_water_missing", mark.checkpoint_id, mark.entry_id, fields)


def _foreign(
    session: Session, checkpoints: list[AuditCheckpoint], mine: str | None
) -> tuple[ForeignSeal, ...]:
    counts: dict[str, int] = {}
    for c in checkpoints:
        if c.seal_fingerprint != mine:
            counts[c.seal_fingerprint] = counts.get(c.seal_fingerprint, 0) + 1
    if not counts:
        return ()
    rows = session.execute(
        select(AuditSeal.fingerprint, AuditSeal.host).where(AuditSeal.fingerprint.in_(list(counts)))
    )
    hosts = {fingerprint: host for fingerprint, host in rows}
    return tuple(ForeignSeal(fp, hosts.get(fp), n) for fp, n in sorted(counts.items()))
