"""Retention: track points and communications older than N months are purged — never those
linked to an open case or to a case under legal hold, nor any of the subject of a held case —
and what was purged (and what was kept, and why) is written to the audit log.

The period is an installation-wide setting kept in the database (``app_meta``), so every
workstation of a team applies the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, delete, func, not_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from workstation.cases.holds import held_items
from workstation.cases.snapshots import EvidenceKind, parse_track_segment_key
from workstation.domain.cases import ENDED_STATES
from workstation.domain.clock import Clock
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.models import (
    AppMeta,
    Case,
    CaseEvidence,
    Communication,
    TrackPoint,
)
from workstation.store.uow import UnitOfWorkFactory

META_RETENTION_MONTHS = "retention.months"
MIN_MONTHS = 1


class RetentionRefused(ValueError):
    pass


@dataclass(frozen=True)
class RetentionReport:
    months: int
    cutoff: date
    track_points_purged: int
    communications_purged: int
    #: Old rows kept because an open or held case links them, or its subject is on hold.
    track_points_kept: int
    communications_kept: int
    dry_run: bool


def cutoff_for(months: int, today: date) -> date:
    """The first day kept: ``today`` minus ``months`` calendar months (clamped to month end)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    day = today.day
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


class RetentionService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        acting: Acting,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._acting = acting
        self._actor = acting.actor
        self._clock = clock

    def months(self) -> int | None:
        """The retention period in force (None: keep everything)."""
        with self._uow() as uow:
            row = uow.session.get(AppMeta, META_RETENTION_MONTHS)
            return int(row.value) if row is not None and row.value else None

    def set_months(self, months: int | None) -> None:
        self._acting.require(Permission.RETENTION_PURGE)
        if months is not None and months < MIN_MONTHS:
            raise RetentionRefused(f"the retention period is at least {MIN_MONTHS} month")
        with self._uow() as uow:
            session = uow.session
            row = session.get(AppMeta, META_RETENTION_MONTHS)
            if row is None:
                row = AppMeta(key=META_RETENTION_MONTHS, value="")
                session.add(row)
            before = row.value or None
            row.value = "" if months is None else str(months)
            append_audit(
                session,
                self._actor(),
                "retention.set",
                "app_meta",
                META_RETENTION_MONTHS,
                {"from": before, "to": months},
            )
            uow.commit()

    def purge(self, months: int | None = None, *, dry_run: bool = False) -> RetentionReport:
        """Purge what is older than the period (the setting unless ``months`` is given)."""
        self._acting.require(Permission.RETENTION_PURGE)
        months = months if months is not None else self.months()
        if months is None:
            raise RetentionRefused("no retention period is set; nothing is purged")
        if months < MIN_MONTHS:
            raise RetentionRefused(f"the retention period is at least {MIN_MONTHS} month")
        cutoff = cutoff_for(months, self._clock.today())
        cutoff_at = self._clock.start_of_day(cutoff)
        cutoff_ms = int(cutoff_at.timestamp() * 1000)
        with self._uow() as uow:
            session = uow.session
            protect = _protected(session)
            old_tracks: ColumnElement[bool] = TrackPoint.t_ms < cutoff_ms
            old_comms: ColumnElement[bool] = Communication.sent_at < cutoff_at
            keep_tracks = protect.tracks()
            keep_comms = protect.communications()
            purge_tracks = and_(old_tracks, not_(keep_tracks))
            purge_comms = and_(old_comms, not_(keep_comms))
            counts = {
                "tracks_purged": _count(session, TrackPoint, purge_tracks),
                "comms_purged": _count(session, Communication, purge_comms),
                "tracks_kept": _count(session, TrackPoint, and_(old_tracks, keep_tracks)),
                "comms_kept": _count(session, Communication, and_(old_comms, keep_comms)),
            }
            report = RetentionReport(
                months,
                cutoff,
                counts["tracks_purged"],
                counts["comms_purged"],
                counts["tracks_kept"],
                counts["comms_kept"],
                dry_run,
            )
            if dry_run:
                return report
            session.execute(delete(TrackPoint).where(purge_tracks))
            session.execute(delete(Communication).where(purge_comms))
            append_audit(
                session,
                self._actor(),
                "retention.purged",
                None,
                None,
                {"months": months, "cutoff": cutoff.isoformat(), **counts},
            )
            uow.commit()
            return report


def _count(session: Session, model: type, where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(where)) or 0)


@dataclass(frozen=True)
class _Protection:
    held_subjects: frozenset[int]
    segments: tuple[tuple[int, int, int], ...]
    communication_ids: frozenset[int]

    def tracks(self) -> ColumnElement[bool]:
        clauses: list[ColumnElement[bool]] = []
        if self.held_subjects:
            clauses.append(TrackPoint.employee_id.in_(sorted(self.held_subjects)))
        for employee, start_ms, end_ms in self.segments:
            clauses.append(
                and_(
                    TrackPoint.employee_id == employee,
                    TrackPoint.t_ms >= start_ms,
                    TrackPoint.t_ms <= end_ms,
                )
            )
        return or_(*clauses) if clauses else TrackPoint.id.is_(None)

    def communications(self) -> ColumnElement[bool]:
        clauses: list[ColumnElement[bool]] = []
        if self.held_subjects:
            clauses.append(Communication.employee_id.in_(sorted(self.held_subjects)))
        if self.communication_ids:
            clauses.append(Communication.id.in_(sorted(self.communication_ids)))
        return or_(*clauses) if clauses else Communication.id.is_(None)


def _protected(session: Session) -> _Protection:
    """What open or held cases protect: their linked track segments and communications, and
    everything of the subject of a case under legal hold."""
    held = held_items(session).case_ids
    ended = [state.value for state in ENDED_STATES]
    cases = session.execute(
        select(Case.id, Case.subject_employee_id).where(
            or_(Case.id.in_(sorted(held)), Case.state.not_in(ended))
        )
    ).all()
    protecting = sorted(case_id for case_id, _ in cases)
    held_subjects = frozenset(subject for case_id, subject in cases if case_id in held)
    segments: list[tuple[int, int, int]] = []
    communication_ids: set[int] = set()
    if protecting:
        links = session.execute(
            select(CaseEvidence.record_kind, CaseEvidence.record_key).where(
                CaseEvidence.case_id.in_(protecting)
            )
        )
        for kind, key in links:
            if kind == EvidenceKind.TRACK_SEGMENT:
                segments.append(parse_track_segment_key(key))
            elif kind == EvidenceKind.COMMUNICATION:
                communication_ids.add(int(key))
    return _Protection(held_subjects, tuple(segments), frozenset(communication_ids))
