"""The alert life cycle and when evidence justifies raising or updating an alert.

**Evidence grows** when a rule fires that had not fired, or fires at a higher level than
before. An open alert is updated only when evidence grows, and its severity is never lowered.
After an alert was dismissed or escalated, the employee gets a new alert only when evidence
grows beyond that alert, or when the day evaluated is more than ``dismissal_memory_days``
(policy setting, default 90) after that alert's last evaluated day: the dismissal of a quarter
ago does not hide a fresh episode.

Triage: new → reviewing → dismissed (a reason from ``DismissReason`` and a note) or confirmed
→ escalated (handed to a case). Dismissed and escalated alerts are closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from workstation.domain.verdicts import FiredRule, sort_fired


def evidence_grows(before: Iterable[FiredRule], now: Iterable[FiredRule]) -> bool:
    """A rule fires now that had not fired before, or fires at a higher level."""
    levels = {f.rule: f.level.rank for f in before}
    return any(f.rule not in levels or f.level.rank > levels[f.rule] for f in now)


def merge_evidence(before: Iterable[FiredRule], now: Iterable[FiredRule]) -> tuple[FiredRule, ...]:
    """Per rule, the strongest evidence seen: the earlier entry unless ``now`` is higher."""
    merged = {f.rule: f for f in before}
    for f in now:
        if f.rule not in merged or f.level.rank > merged[f.rule].level.rank:
            merged[f.rule] = f
    return sort_fired(merged.values())


def realert_after_closed(
    closed: Iterable[FiredRule],
    closed_last_day: date,
    day: date,
    now: Iterable[FiredRule],
    memory_days: int,
) -> bool:
    """Whether evidence ``now`` (on ``day``) warrants a new alert after a dismissed or
    escalated alert: it grows beyond that alert, or the dismissal is no longer remembered."""
    if (day - closed_last_day).days > memory_days:
        return True
    return evidence_grows(closed, now)


#: The alerts still to be dealt with (new, reviewing or confirmed), as lists name them.
OPEN = "open"


class AlertStatus(StrEnum):
    NEW = "new"
    REVIEWING = "reviewing"
    DISMISSED = "dismissed"
    CONFIRMED = "confirmed"
    ESCALATED = "escalated"


OPEN_STATUSES = (AlertStatus.NEW, AlertStatus.REVIEWING, AlertStatus.CONFIRMED)
TRANSITIONS: dict[AlertStatus, tuple[AlertStatus, ...]] = {
    AlertStatus.NEW: (AlertStatus.REVIEWING,),
    AlertStatus.REVIEWING: (AlertStatus.DISMISSED, AlertStatus.CONFIRMED),
    AlertStatus.CONFIRMED: (AlertStatus.ESCALATED,),
    AlertStatus.DISMISSED: (),
    AlertStatus.ESCALATED: (),
}


class DismissReason(StrEnum):
    EXPLAINED_BUSINESS_REASON = "explained_business_reason"
    DATA_ERROR = "data_error"
    TERRITORY_CHANGE = "territory_change"
    KNOWN_SHARED_LOCATION = "known_shared_location"
    OTHER = "other"


class TransitionRefused(ValueError):
    """A triage step the alert's state does not allow, or a dismissal without its reason."""


def check_transition(
    alert_id: int,
    current: AlertStatus,
    target: AlertStatus,
    reason: str | None = None,
    note: str | None = None,
) -> None:
    allowed = TRANSITIONS[current]
    if target not in allowed:
        can = " or ".join(s.value for s in allowed) if allowed else "nowhere (it is closed)"
        raise TransitionRefused(
            f"alert #{alert_id} is {current.value}: it can go to {can}, not to {target.value}"
        )
    if target is AlertStatus.DISMISSED:
        if reason not in set(DismissReason):
            choices = ", ".join(r.value for r in DismissReason)
            raise TransitionRefused(f"a dismissal needs a reason, one of: {choices}")
        if not (note or "").strip():
            raise TransitionRefused("a dismissal needs a note saying why, for the record")
