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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workstation.domain.clock import Clock
from workstation.domain.progress import Cancelled, CancelToken, ProgressCallback, no_progress
from workstation.risk.alert_judging import Tally, judge_day
from workstation.risk.alert_service import (
    ALERTS_LOCK_KEY,
    lock_for_writing,
)
from workstation.risk.explain import IndicatorHistory
from workstation.risk.model import IndicatorSettings
from workstation.risk.policy_service import PolicyService, PolicyVersionInfo, version_in_force
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.models import Checkin, CustomerEvent, Lead, Order
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


class EvaluationService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        acting: Acting,
        policies: PolicyService,
        indicators: IndicatorComputer | None = None,
        *,
        indicator_settings: IndicatorSettings | None = None,
        clock: Clock,
    ) -> None:
        """``indicators`` computes and stores the indicator values first; without it the
        stored values are judged as they are. ``clock`` says when alerts are raised and which
        day is today (the company's)."""
        self._uow = uow
        self._acting = acting
        self._actor = acting.actor
        self._policies = policies
        self._indicators = indicators
        self._indicator_settings = indicator_settings or IndicatorSettings()
        self._clock = clock

    def default_day(self, today: date | None = None) -> date:
        """Yesterday, the company's; or, when the activity data (orders, customer events,
        leads, check-ins) end earlier, their last day."""
        yesterday = (today or self._clock.today()) - timedelta(days=1)
        with self._uow() as uow:
            last = last_activity_day(uow.session, self._clock.zone)
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
        self._acting.require(Permission.RISK_EVALUATE)
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
            tally = Tally()
            for i, (day, version) in enumerate(plan):
                _check(cancel)
                progress(offset + i, total, f"Alerts of {day.isoformat()}")
                judge_day(session, history, day, version, actor, tally, self._clock.now())
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


def last_activity_day(session: Session, zone: tzinfo) -> date | None:
    """The last local day (of ``zone``) with orders, customer events, leads or check-ins."""
    days = [
        session.scalar(select(func.max(Order.order_date))),
        session.scalar(select(func.max(CustomerEvent.event_date))),
        session.scalar(select(func.max(Lead.created_on))),
    ]
    checked: datetime | None = session.scalar(select(func.max(Checkin.checked_at)))
    if checked is not None:
        days.append(checked.astimezone(zone).date())
    known = [d for d in days if d is not None]
    return max(known) if known else None
