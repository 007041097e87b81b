"""Alerts: the list, one alert's explanation, an employee's alert history, and triage.

Alerts are raised and updated by the daily evaluation (``risk.evaluation``); people move them
through triage here (``domain.alerts`` says which steps are allowed). Every triage call passes
the ``revision`` its caller saw: if the alert changed since, the call fails with ``StaleAlert``
and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workstation.domain.alerts import (
    OPEN,
    OPEN_STATUSES,
    AlertStatus,
    DismissReason,
    check_transition,
)
from workstation.domain.clock import Clock
from workstation.domain.identity import Identity
from workstation.domain.policy import Severity
from workstation.domain.verdicts import FiredRule
from workstation.risk.alert_actions import AlertActions, alert_actions
from workstation.risk.explain import TrendPoint, merge_records, trend
from workstation.security.access import Acting
from workstation.security.permissions import Permission, PermissionDenied
from workstation.store.audit import append_audit
from workstation.store.models import Alert, AlertEvent, Employee, PolicyVersion
from workstation.store.uow import UnitOfWorkFactory
from workstation.store.write_lock import take_write_lock

#: Advisory-lock key of alert raising on PostgreSQL (any constant 64-bit number).
ALERTS_LOCK_KEY = 0x414C45525453
CLOSED_STATUSES = (AlertStatus.DISMISSED, AlertStatus.ESCALATED)


class AlertNotFound(LookupError):
    pass


class StaleAlert(Exception):
    """The alert changed after the caller read it (optimistic lock)."""


@dataclass(frozen=True)
class AlertView:
    id: int
    employee_id: int
    employee_no: str
    employee_name: str
    status: AlertStatus
    severity: Severity
    raised_on: date
    last_evaluated_on: date
    policy_version: int
    #: The rules that fired, strongest first, with value, threshold, baseline and level.
    rules: tuple[FiredRule, ...]
    revision: int
    dismiss_reason: str | None
    dismiss_note: str | None
    case_id: int | None
    created_at: datetime
    updated_at: datetime
    #: When it was dismissed or escalated (None while open).
    closed_at: datetime | None = None
    department: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "alert_id": self.id,
            "employee_no": self.employee_no,
            "employee_name": self.employee_name,
            "severity": self.severity.value,
            "status": self.status.value,
            "raised_on": self.raised_on.isoformat(),
            "last_evaluated_on": self.last_evaluated_on.isoformat(),
            "policy_version": self.policy_version,
            "revision": self.revision,
            "dismiss_reason": self.dismiss_reason,
            "rules": [rule_json(f) for f in self.rules],
        }


def rule_json(f: FiredRule) -> dict[str, Any]:
    """A fired rule for people and scripts (without the record ids)."""
    data = f.to_dict()
    data.pop("records")
    data["comparator"] = f.comparator.value if f.comparator else None
    data["level"] = f.level.value
    for cond in data["conditions"]:
        cond["comparator"] = str(cond["comparator"])
    return data


@dataclass(frozen=True)
class AlertEventView:
    at: datetime
    actor: str | None
    kind: str  # raised | updated | escalated_severity | status
    from_status: str | None
    to_status: str | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class AlertExplanation:
    alert: AlertView
    #: Each indicator behind the fired rules, day by day up to the alert's last evaluation.
    trend: dict[str, tuple[TrendPoint, ...]]
    #: Ids of the records behind the rules, by kind (``customer_events``, ``orders``, ...).
    records: dict[str, tuple[int, ...]]
    events: tuple[AlertEventView, ...]
    #: The employee's other alerts, newest first, with their outcome.
    earlier: tuple[AlertView, ...] = field(default_factory=tuple)

    @property
    def rules(self) -> tuple[FiredRule, ...]:
        return self.alert.rules


class AlertService:
    def __init__(self, uow: UnitOfWorkFactory, acting: Acting, clock: Clock) -> None:
        self._uow = uow
        self._acting = acting
        self._actor = acting.actor
        self._clock = clock

    def actions(self, alert: AlertView) -> AlertActions:
        """What the signed-in user may do with ``alert`` now, and why not."""
        return alert_actions(self._acting.current(), alert.id, alert.status)

    def list_alerts(
        self, status: str | None = OPEN, *, employee_id: int | None = None
    ) -> list[AlertView]:
        """Alerts of one status, ``"open"`` (default) or all (None); highest severity first,
        then the most recently raised. Never the signed-in user's own alerts."""
        me = self._acting.require(Permission.ALERT_VIEW)
        query = select(Alert)
        if me.employee_id is not None:
            query = query.where(Alert.employee_id != me.employee_id)
        if status == OPEN:
            query = query.where(Alert.status.in_([s.value for s in OPEN_STATUSES]))
        elif status is not None:
            query = query.where(Alert.status == AlertStatus(status).value)
        if employee_id is not None:
            query = query.where(Alert.employee_id == employee_id)
        with self._uow() as uow:
            views = load_views(uow.session, list(uow.session.scalars(query)))
        rank = {s: s.rank for s in Severity}
        return sorted(views, key=lambda v: (-rank[v.severity], -v.raised_on.toordinal(), -v.id))

    def get(self, alert_id: int) -> AlertView:
        me = self._acting.require(Permission.ALERT_VIEW)
        with self._uow() as uow:
            return load_views(uow.session, [_alert(uow.session, alert_id, me)])[0]

    def history(self, employee_id: int) -> list[AlertView]:
        """Every alert of the employee, newest first, with its outcome (status, dismissal
        reason and note, when it was closed)."""
        me = self._acting.require(Permission.ALERT_VIEW)
        _not_about_me(me, employee_id)
        with self._uow() as uow:
            alerts = uow.session.scalars(
                select(Alert).where(Alert.employee_id == employee_id).order_by(Alert.id.desc())
            )
            return load_views(uow.session, list(alerts))

    def explain(self, alert_id: int, *, trend_days: int | None = None) -> AlertExplanation:
        """Why the alert exists: its rules, the trend of their indicators over the last
        ``trend_days`` (default: the setting of the policy version that raised it), the ids of
        the records behind, its events, and the employee's other alerts."""
        me = self._acting.require(Permission.ALERT_VIEW)
        with self._uow() as uow:
            session = uow.session
            alert = _alert(session, alert_id, me)
            view = load_views(session, [alert])[0]
            if trend_days is None:
                definition = session.get(PolicyVersion, alert.policy_version_id)
                settings = json.loads(definition.definition_json) if definition else {}
                trend_days = int(settings.get("settings", {}).get("trend_days", 30))
            start = view.last_evaluated_on - timedelta(days=trend_days - 1)
            indicators = [ind for f in view.rules for ind in f.indicators]
            events = session.scalars(
                select(AlertEvent).where(AlertEvent.alert_id == alert_id).order_by(AlertEvent.id)
            )
            others = session.scalars(
                select(Alert)
                .where(Alert.employee_id == alert.employee_id, Alert.id != alert_id)
                .order_by(Alert.id.desc())
            )
            return AlertExplanation(
                alert=view,
                trend=trend(session, alert.employee_id, indicators, start, view.last_evaluated_on),
                records=merge_records(f.records for f in view.rules),
                events=tuple(_event_view(e) for e in events),
                earlier=tuple(load_views(session, list(others))),
            )

    def start_review(self, alert_id: int, revision: int) -> AlertView:
        return self.triage(alert_id, AlertStatus.REVIEWING, revision)

    def confirm(self, alert_id: int, revision: int, note: str | None = None) -> AlertView:
        return self.triage(alert_id, AlertStatus.CONFIRMED, revision, note=note)

    def dismiss(
        self, alert_id: int, revision: int, reason: DismissReason | str, note: str
    ) -> AlertView:
        return self.triage(alert_id, AlertStatus.DISMISSED, revision, reason=reason, note=note)

    def escalate(self, alert_id: int, revision: int, note: str | None = None) -> AlertView:
        """Hand the confirmed alert on to a case (the case workflow fills ``case_id``)."""
        return self.triage(alert_id, AlertStatus.ESCALATED, revision, note=note)

    def triage(
        self,
        alert_id: int,
        to: AlertStatus | str,
        revision: int,
        *,
        reason: DismissReason | str | None = None,
        note: str | None = None,
    ) -> AlertView:
        """Move the alert to ``to``. Raises TransitionRefused for a step its state does not
        allow, StaleAlert when ``revision`` is not the alert's current revision."""
        me = self._acting.require(Permission.ALERT_TRIAGE)
        target = AlertStatus(to)
        reason_text = DismissReason(reason).value if reason in set(DismissReason) else reason
        actor = me.actor
        with self._uow() as uow:
            session = uow.session
            alert = _alert(session, alert_id, me)
            current = AlertStatus(alert.status)
            _check_revision(alert_id, alert.revision, revision)
            check_transition(alert_id, current, target, reason_text, note)
            now = self._clock.now()
            values: dict[str, Any] = {
                "status": target.value,
                "revision": revision + 1,
                "updated_at": now,
            }
            if target is AlertStatus.DISMISSED:
                values |= {"dismiss_reason": reason_text, "dismiss_note": (note or "").strip()}
            done = session.execute(
                update(Alert)
                .where(Alert.id == alert_id, Alert.revision == revision)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if getattr(done, "rowcount", 1) != 1:
                session.expire_all()
                _check_revision(alert_id, _alert(session, alert_id).revision, revision)
            detail = {k: v for k, v in (("reason", reason_text), ("note", note)) if v}
            session.add(
                AlertEvent(
                    alert_id=alert_id,
                    at=now,
                    actor=actor,
                    kind="status",
                    from_status=current.value,
                    to_status=target.value,
                    detail_json=json.dumps(detail, ensure_ascii=False, sort_keys=True),
                )
            )
            append_audit(
                session,
                actor,
                "alert.triage",
                "alert",
                alert_id,
                {"from": current.value, "to": target.value, "reason": reason_text},
            )
            session.expire_all()
            view = load_views(session, [_alert(session, alert_id)])[0]
            uow.commit()
            return view


def lock_for_writing(session: Session, table: str, key: int) -> None:
    """Serialise writers of ``table`` until the transaction ends (the audit chain's way):
    SQLite takes its write lock with a no-op write; PostgreSQL a transaction advisory lock."""
    take_write_lock(session, table, key)


def parse_rules(rules_json: str) -> tuple[FiredRule, ...]:
    return tuple(FiredRule.from_dict(item) for item in json.loads(rules_json or "[]"))


def dump_rules(rules: Sequence[FiredRule]) -> str:
    return json.dumps([f.to_dict() for f in rules], ensure_ascii=False, sort_keys=True)


def load_views(session: Session, alerts: Sequence[Alert]) -> list[AlertView]:
    """Plain views of ``alerts``, with employee, policy version and closing time."""
    if not alerts:
        return []
    employees = {
        e.id: (e.employee_no, e.name, e.department)
        for e in session.execute(
            select(Employee.id, Employee.employee_no, Employee.name, Employee.department).where(
                Employee.id.in_({a.employee_id for a in alerts})
            )
        )
    }
    versions: dict[int, int] = {
        vid: number
        for vid, number in session.execute(
            select(PolicyVersion.id, PolicyVersion.version).where(
                PolicyVersion.id.in_({a.policy_version_id for a in alerts})
            )
        )
    }
    closed_at: dict[int, datetime] = {}
    for alert_id, at in session.execute(
        select(AlertEvent.alert_id, AlertEvent.at)
        .where(
            AlertEvent.alert_id.in_([a.id for a in alerts]),
            AlertEvent.kind == "status",
            AlertEvent.to_status.in_([s.value for s in CLOSED_STATUSES]),
        )
        .order_by(AlertEvent.id)
    ):
        closed_at[alert_id] = at
    return [
        AlertView(
            id=a.id,
            employee_id=a.employee_id,
            employee_no=employees.get(a.employee_id, ("?", "?", None))[0],
            employee_name=employees.get(a.employee_id, ("?", "?", None))[1],
            department=employees.get(a.employee_id, ("?", "?", None))[2],
            status=AlertStatus(a.status),
            severity=Severity(a.severity),
            raised_on=a.raised_on,
            last_evaluated_on=a.last_evaluated_on,
            policy_version=versions.get(a.policy_version_id, 0),
            rules=parse_rules(a.rules_json),
            revision=a.revision,
            dismiss_reason=a.dismiss_reason,
            dismiss_note=a.dismiss_note,
            case_id=a.case_id,
            created_at=a.created_at,
            updated_at=a.updated_at,
            closed_at=closed_at.get(a.id) if a.status not in OPEN_STATUSES else None,
        )
        for a in alerts
    ]


def _alert(session: Session, alert_id: int, me: Identity | None = None) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise AlertNotFound(f"no alert #{alert_id}")
    if me is not None:
        _not_about_me(me, alert.employee_id)
    return alert


def _not_about_me(me: Identity, employee_id: int) -> None:
    """Nobody reads or triages the alerts about themselves (conflict of interest)."""
    if me.employee_id is not None and me.employee_id == employee_id:
        raise PermissionDenied(
            me, Permission.ALERT_VIEW, "this alert is about you: another user must handle it"
        )


def _check_revision(alert_id: int, current: int, seen: int) -> None:
    if current != seen:
        raise StaleAlert(
            f"alert #{alert_id} was changed after you opened it (it is now at revision "
            f"{current}, you saw {seen}): reload it, check what changed, and try again"
        )


def _event_view(e: AlertEvent) -> AlertEventView:
    return AlertEventView(
        at=e.at,
        actor=e.actor,
        kind=e.kind,
        from_status=e.from_status,
        to_status=e.to_status,
        detail=json.loads(e.detail_json) if e.detail_json else {},
    )
