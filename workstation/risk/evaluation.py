"""Daily evaluation: compute the indicators, judge them by the policy in force, raise alerts.

For each day of the range (oldest first) the version of the policy in force on that day
judges every employee with stored indicator values. Then, per employee (rules in
``domain.alerts``):

- an **open** alert (new, reviewing, confirmed) is updated only when evidence grows (a new
  rule fires, or a rule at a higher level); its severity is raised, never lowered. An
  ``updated`` or ``escalated_severity`` event is written and its revision bumped. Its
  ``last_evaluated_on`` follows the evaluation without a revision bump (nothing a triager
  sees changed);
- with **no open** alert, a new alert is raised, unless the employee's latest closed
  (dismissed or escalated) alert already covers the evidence and is still remembered.

Evaluating a day again changes no alert and writes no event. Alert changes are one unit of
work (cancelling leaves them as they were); the indicators are computed first, by the
injected indicator computation, in their own unit of work.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workstation.domain.alerts import (
    OPEN_STATUSES,
    evidence_grows,
    merge_evidence,
    realert_after_closed,
)
from workstation.domain.localtime import LOCAL_TZ
from workstation.domain.policy import Severity
from workstation.domain.progress import Cancelled, CancelToken, ProgressCallback, no_progress
from workstation.domain.verdicts import FiredRule, severity_of
from workstation.risk.alert_service import (
    ALERTS_LOCK_KEY,
    CLOSED_STATUSES,
    dump_rules,
    lock_for_writing,
    parse_rules,
)
from workstation.risk.explain import IndicatorHistory, complete, records_on
from workstation.risk.model import IndicatorSettings
from workstation.risk.policy_service import PolicyService, PolicyVersionInfo, version_in_force
from workstation.store.audit import append_audit
from workstation.store.models import Alert, AlertEvent, Checkin, CustomerEvent, Lead, Order
from workstation.store.uow import UnitOfWorkFactory

#: The longest range one evaluation takes.
MAX_DAYS = 366


class IndicatorComputer(Protocol):
    """What evaluation needs of ``risk.indicator_service.IndicatorService``."""

    def compute(
        self,
        start: date,
        end: date,
        *,
        employee_ids: Sequence[int] | None = None,
        settings: IndicatorSettings | None = None,
        progress: ProgressCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> object: ...


@dataclass(frozen=True)
class EvaluationSummary:
    start: date
    end: date
    days: int
    employees_evaluated: int
    #: Ids of the alerts raised, updated (evidence grew) and left as they were.
    raised: tuple[int, ...]
    updated: tuple[int, ...]
    unchanged: tuple[int, ...]
    #: Employees whose evidence did not go beyond their dismissed or escalated alert.
    suppressed: int
    policy_versions: tuple[int, ...]
    indicators_computed: bool

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "employees_evaluated": self.employees_evaluated,
            "alerts_raised": len(self.raised),
            "alerts_updated": len(self.updated),
            "alerts_unchanged": len(self.unchanged),
            "suppressed_by_earlier_alert": self.suppressed,
            "raised_alert_ids": list(self.raised),
            "updated_alert_ids": list(self.updated),
            "policy_versions": list(self.policy_versions),
            "indicators_computed": self.indicators_computed,
        }


@dataclass
class _Tally:
    raised: set[int] = field(default_factory=set)
    updated: set[int] = field(default_factory=set)
    seen: set[int] = field(default_factory=set)
    suppressed: set[int] = field(default_factory=set)
    employees: set[int] = field(default_factory=set)


class EvaluationService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        actor: Callable[[], str],
        policies: PolicyService,
        indicators: IndicatorComputer | None = None,
        *,
        indicator_settings: IndicatorSettings | None = None,
        today: Callable[[], date] | None = None,
    ) -> None:
        """``indicators`` computes and stores the indicator values first; without it the
        stored values are judged as they are. ``today`` is the clock (Shanghai's by default)."""
        self._uow = uow
        self._actor = actor
        self._policies = policies
        self._indicators = indicators
        self._indicator_settings = indicator_settings or IndicatorSettings()
        self._today = today or (lambda: datetime.now(LOCAL_TZ).date())

    def default_day(self, today: date | None = None) -> date:
        """Yesterday on the Shanghai clock; or, when the activity data (orders, customer
        events, leads, check-ins) end earlier, their last day."""
        yesterday = (today or self._today()) - timedelta(days=1)
        with self._uow() as uow:
            last = last_activity_day(uow.session)
        return min(yesterday, last) if last else yesterday

    def evaluate(
        self,
        start: date,
        end: date | None = None,
        *,
        employee_ids: Sequence[int] | None = None,
        compute: bool = True,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
    ) -> EvaluationSummary:
        """Evaluate ``start``..``end`` (one day when ``end`` is None). ``compute=False`` judges
        the stored indicator values without recomputing them."""
        end = end or start
        if end < start:
            raise ValueError(f"the range ends ({end}) before it starts ({start})")
        if (end - start).days >= MAX_DAYS:
            raise ValueError(f"evaluate at most {MAX_DAYS} days at a time")
        versions = self._policies.versions()
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        plan = [(day, version_in_force(versions, day)) for day in days]
        computing = compute and self._indicators is not None
        total = len(days) * (2 if computing else 1)
        if computing:
            self._compute(plan, employee_ids, total, progress, cancel)
        offset = total - len(days)
        actor = self._actor()
        with self._uow() as uow:
            session = uow.session
            lookback = max(v.policy.settings.baseline_days for _, v in plan)
            history = IndicatorHistory(
                session, start, end, lookback_days=lookback, employee_ids=employee_ids
            )
            lock_for_writing(session, "alerts", ALERTS_LOCK_KEY)
            tally = _Tally()
            for i, (day, version) in enumerate(plan):
                _check(cancel)
                progress(offset + i, total, f"Alerts of {day.isoformat()}")
                _judge_day(session, history, day, version, actor, tally)
            raised = tuple(sorted(tally.raised))
            updated = tuple(sorted(tally.updated - tally.raised))
            if raised or updated:
                append_audit(
                    session,
                    actor,
                    "alerts.evaluate",
                    "alerts",
                    f"{start.isoformat()}..{end.isoformat()}",
                    {"raised": list(raised), "updated": list(updated)},
                )
            uow.commit()
        progress(total, total, "Done")
        return EvaluationSummary(
            start=start,
            end=end,
            days=len(days),
            employees_evaluated=len(tally.employees),
            raised=raised,
            updated=updated,
            unchanged=tuple(sorted(tally.seen - tally.raised - tally.updated)),
            suppressed=len(tally.suppressed),
            policy_versions=tuple(sorted({v.version for _, v in plan})),
            indicators_computed=computing,
        )

    def _compute(
        self,
        plan: list[tuple[date, PolicyVersionInfo]],
        employee_ids: Sequence[int] | None,
        total: int,
        progress: ProgressCallback,
        cancel: CancelToken | None,
    ) -> None:
        """Indicators of each run of days sharing one policy version (its window)."""
        assert self._indicators is not None
        i = 0
        while i < len(plan):
            version = plan[i][1]
            j = i
            while j + 1 < len(plan) and plan[j + 1][1].id == version.id:
                j += 1
            settings = replace(
                self._indicator_settings,
                window_days=version.policy.settings.window_days,
                min_denominator=version.policy.settings.min_denominator,
            )

            def scaled(
                done: int, sub_total: int, message: str, first: int = i, n: int = j - i + 1
            ) -> None:
                step = first + (n * done // sub_total if sub_total else 0)
                progress(step, total, f"Indicators: {message}")

            _check(cancel)
            self._indicators.compute(
                plan[i][0],
                plan[j][0],
                employee_ids=employee_ids,
                settings=settings,
                progress=scaled,
                cancelled=lambda: cancel is not None and cancel.cancelled,
            )
            i = j + 1


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise Cancelled()


def _judge_day(
    session: Session,
    history: IndicatorHistory,
    day: date,
    version: PolicyVersionInfo,
    actor: str,
    tally: _Tally,
) -> None:
    evaluated = history.employees_on(day)
    tally.employees.update(evaluated)
    verdicts = history.verdicts(version.policy, day)
    wanted = {emp: {ind for f in fired for ind in f.indicators} for emp, fired in verdicts.items()}
    stored = records_on(session, day, wanted)
    now = datetime.now(UTC)
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


def last_activity_day(session: Session) -> date | None:
    """The last local day with orders, customer events, leads or check-ins."""
    days = [
        session.scalar(select(func.max(Order.order_date))),
        session.scalar(select(func.max(CustomerEvent.event_date))),
        session.scalar(select(func.max(Lead.created_on))),
    ]
    checked: datetime | None = session.scalar(select(func.max(Checkin.checked_at)))
    if checked is not None:
        days.append(checked.astimezone(LOCAL_TZ).date())
    known = [d for d in days if d is not None]
    return max(known) if known else None
