"""Judging one day: the verdicts of the policy in force become new alerts, or grow the open
ones (rules in ``domain.alerts``). Called by ``EvaluationService.evaluate`` inside its unit of
work, one day at a time."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workstation.domain.alerts import (
    OPEN_STATUSES,
    evidence_grows,
    merge_evidence,
    realert_after_closed,
)
from workstation.domain.policy import Severity
from workstation.domain.verdicts import FiredRule, severity_of
from workstation.risk.alert_service import CLOSED_STATUSES, dump_rules, parse_rules
from workstation.risk.explain import IndicatorHistory, complete, records_on
from workstation.risk.policy_service import PolicyVersionInfo
from workstation.store.models import Alert, AlertEvent


@dataclass
class Tally:
    """What one evaluation did, by alert and employee ids."""

    raised: set[int] = field(default_factory=set)
    updated: set[int] = field(default_factory=set)
    seen: set[int] = field(default_factory=set)
    suppressed: set[int] = field(default_factory=set)
    employees: set[int] = field(default_factory=set)


def judge_day(
    session: Session,
    history: IndicatorHistory,
    day: date,
    version: PolicyVersionInfo,
    actor: str,
    tally: Tally,
    now: datetime,
) -> None:
    evaluated = history.employees_on(day)
    tally.employees.update(evaluated)
    verdicts = history.verdicts(version.policy, day)
    wanted = {emp: {ind for f in fired for ind in f.indicators} for emp, fired in verdicts.items()}
    stored = records_on(session, day, wanted)
    open_alerts = {
        a.employee_id: a
        for a in session.scalars(
            select(Alert)
            .where(Alert.status.in_([s.value for s in OPEN_STATUSES]))
            .with_for_update()
        )
    }
    fresh = [emp for emp in verdicts if emp not in open_alerts]
    closed: dict[int, Alert] = {}
    if fresh:
        for a in session.scalars(
            select(Alert)
            .where(
                Alert.employee_id.in_(fresh),
                Alert.status.in_([s.value for s in CLOSED_STATUSES]),
            )
            .order_by(Alert.id)
        ):
            closed[a.employee_id] = a
    for emp in evaluated:
        alert = open_alerts.get(emp)
        if alert is not None:
            tally.seen.add(alert.id)
            alert.last_evaluated_on = max(alert.last_evaluated_on, day)
        if emp not in verdicts:
            continue
        fired = complete(
            verdicts[emp],
            day=day,
            version=version.version,
            readings=history.readings(emp, day),
            records={ind: stored.get((emp, ind), {}) for ind in wanted[emp]},
        )
        if alert is not None:
            if _grow(session, alert, fired, day, now, actor):
                tally.updated.add(alert.id)
            continue
        previous = closed.get(emp)
        memory = version.policy.settings.dismissal_memory_days
        if previous is not None and not realert_after_closed(
            parse_rules(previous.rules_json), previous.last_evaluated_on, day, fired, memory
        ):
            tally.suppressed.add(emp)
            continue
        tally.raised.add(_raise(session, emp, fired, day, version, previous, now, actor))


def _raise(
    session: Session,
    employee_id: int,
    fired: tuple[FiredRule, ...],
    day: date,
    version: PolicyVersionInfo,
    previous: Alert | None,
    now: datetime,
    actor: str,
) -> int:
    severity = severity_of(fired) or Severity.LOW
    alert = Alert(
        employee_id=employee_id,
        status="new",
        severity=severity.value,
        raised_on=day,
        last_evaluated_on=day,
        policy_version_id=version.id,
        rules_json=dump_rules(fired),
        revision=1,
        created_at=now,
        updated_at=now,
    )
    session.add(alert)
    session.flush()
    detail = {
        "day": day.isoformat(),
        "severity": severity.value,
        "rules": [f.rule for f in fired],
        "policy_version": version.version,
        "after_alert": previous.id if previous is not None else None,
    }
    _event(session, alert.id, now, actor, "raised", detail, to_status="new")
    return alert.id


def _grow(
    session: Session,
    alert: Alert,
    fired: tuple[FiredRule, ...],
    day: date,
    now: datetime,
    actor: str,
) -> bool:
    """Add the evidence of ``fired`` to the open ``alert`` if it grows; True if it did."""
    before = parse_rules(alert.rules_json)
    if not evidence_grows(before, fired):
        return False
    merged = merge_evidence(before, fired)
    old = Severity(alert.severity)
    new = max(old, severity_of(merged) or old, key=lambda s: s.rank)
    levels = {f.rule: f.level for f in before}
    detail = {
        "day": day.isoformat(),
        "rules_added": [f.rule for f in fired if f.rule not in levels],
        "levels_raised": {
            f.rule: [levels[f.rule].value, f.level.value]
            for f in fired
            if f.rule in levels and f.level.rank > levels[f.rule].rank
        },
        "severity": [old.value, new.value],
    }
    alert.rules_json = dump_rules(merged)
    alert.severity = new.value
    alert.revision += 1
    alert.updated_at = now
    kind = "escalated_severity" if new.rank > old.rank else "updated"
    _event(session, alert.id, now, actor, kind, detail, to_status=alert.status)
    return True


def _event(
    session: Session,
    alert_id: int,
    at: datetime,
    actor: str,
    kind: str,
    detail: dict[str, Any],
    *,
    to_status: str,
) -> None:
    session.add(
        AlertEvent(
            alert_id=alert_id,
            at=at,
            actor=actor,
            kind=kind,
            from_status=None,
            to_status=to_status,
            detail_json=json.dumps(detail, ensure_ascii=False, sort_keys=True),
        )
    )
