"""Policy versions: the version in force, saving a new version, previewing a draft against
the version in force, and the health of the rules.

Versions are never edited: a change is a new version with its own ``effective_from``. The
version in force on a day is the one with the latest ``effective_from`` not after it (the
higher version number on a tie). When no policy exists, the default policy is saved as
version 1, in force from 2000-01-01.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workstation.domain.alerts import AlertStatus
from workstation.domain.clock import Clock
from workstation.domain.policy import NOISY_SHARE, Policy, Severity, default_policy
from workstation.risk.alert_service import lock_for_writing, parse_rules
from workstation.risk.explain import IndicatorHistory, last_indicator_day
from workstation.security.access import Acting
from workstation.security.permissions import Permission
from workstation.store.audit import append_audit
from workstation.store.models import Alert, Employee, PolicyVersion
from workstation.store.uow import UnitOfWorkFactory

DEFAULT_EFFECTIVE_FROM = date(2000, 1, 1)
POLICY_LOCK_KEY = 0x504F4C494359
#: Effectiveness tally: confirmed (or escalated), dismissed, still being triaged.
_OUTCOME_COLUMN = {
    AlertStatus.CONFIRMED.value: 0,
    AlertStatus.ESCALATED.value: 0,
    AlertStatus.DISMISSED.value: 1,
}


class PolicyRefused(ValueError):
    """A version that cannot be saved as asked (the message says why)."""


@dataclass(frozen=True)
class PolicyVersionInfo:
    id: int
    version: int
    name: str
    effective_from: date
    policy: Policy
    note: str | None
    created_at: datetime
    created_by: str | None


@dataclass(frozen=True)
class RuleRate:
    """How many of the employees evaluated a rule fired for, on at least one day."""

    rule: str
    employees: int
    share: float

    @property
    def noisy(self) -> bool:
        return self.share > NOISY_SHARE


@dataclass(frozen=True)
class PreviewAlert:
    """The alert a policy would raise for one employee over the preview's days (no triage)."""

    employee_id: int
    employee_no: str
    employee_name: str
    severity: Severity
    rules: tuple[str, ...]
    first_day: date
    days_fired: int


@dataclass(frozen=True)
class PreviewSide:
    label: str
    version: int | None
    employees_evaluated: int
    alerts: tuple[PreviewAlert, ...]
    rule_rates: tuple[RuleRate, ...]

    def by_severity(self) -> dict[str, int]:
        counts = {s.value: 0 for s in reversed(Severity)}
        for a in self.alerts:
            counts[a.severity.value] += 1
        return counts

    def warnings(self) -> tuple[str, ...]:
        return tuple(
            f"rule {r.rule!r} fires for {r.share:.0%} of employees ({r.employees} of "
            f"{self.employees_evaluated}), more than {NOISY_SHARE:.0%}: is its threshold too low?"
            for r in self.rule_rates
            if r.noisy
        )


@dataclass(frozen=True)
class PolicyPreview:
    start: date
    end: date
    draft: PreviewSide
    in_force: PreviewSide
    notes: tuple[str, ...] = ()

    def only_draft(self) -> tuple[str, ...]:
        """Employee numbers the draft alerts and the version in force does not."""
        current = {a.employee_id for a in self.in_force.alerts}
        return tuple(a.employee_no for a in self.draft.alerts if a.employee_id not in current)

    def only_in_force(self) -> tuple[str, ...]:
        draft = {a.employee_id for a in self.draft.alerts}
        return tuple(a.employee_no for a in self.in_force.alerts if a.employee_id not in draft)


@dataclass(frozen=True)
class RuleEffectiveness:
    """Triage outcomes of the alerts a rule was part of (confirmed includes escalated)."""

    rule: str
    confirmed: int
    dismissed: int
    open: int

    @property
    def effectiveness(self) -> float | None:
        decided = self.confirmed + self.dismissed
        return self.confirmed / decided if decided else None


@dataclass(frozen=True)
class PolicyHealth:
    version: int
    start: date
    end: date
    employees_evaluated: int
    rule_rates: tuple[RuleRate, ...]
    effectiveness: tuple[RuleEffectiveness, ...]
    warnings: tuple[str, ...]


class PolicyService:
    def __init__(self, uow: UnitOfWorkFactory, acting: Acting, clock: Clock) -> None:
        self._uow = uow
        self._acting = acting
        self._actor = acting.actor
        self._clock = clock

    def ensure_default(self) -> None:
        """Save the default policy as version 1 when there is no policy at all."""
        with self._uow() as uow:
            if uow.session.scalar(select(func.count()).select_from(PolicyVersion)):
                return
            lock_for_writing(uow.session, "policy_versions", POLICY_LOCK_KEY)
            if uow.session.scalar(select(func.count()).select_from(PolicyVersion)) == 0:
                self._add(
                    uow.session,
                    default_policy(),
                    "Default policy",
                    DEFAULT_EFFECTIVE_FROM,
                    "created automatically: the field's usual thresholds",
                )
                uow.commit()

    def versions(self) -> list[PolicyVersionInfo]:
        """Every version, oldest first (the default is created first if none exists)."""
        self._acting.require(Permission.POLICY_VIEW)
        self.ensure_default()
        with self._uow() as uow:
            rows = uow.session.scalars(select(PolicyVersion).order_by(PolicyVersion.version))
            return [_info(v) for v in rows]

    def get(self, version: int) -> PolicyVersionInfo:
        self._acting.require(Permission.POLICY_VIEW)
        for info in self.versions():
            if info.version == version:
                return info
        raise LookupError(f"no policy version {version}")

    def in_force(self, on: date) -> PolicyVersionInfo:
        self._acting.require(Permission.POLICY_VIEW)
        return version_in_force(self.versions(), on)

    def save(
        self, policy: Policy, *, name: str, effective_from: date, note: str | None = None
    ) -> PolicyVersionInfo:
        """Save ``policy`` as a new version. Raises PolicyInvalid (with every problem) or
        PolicyRefused."""
        self._acting.require(Permission.POLICY_EDIT)
        policy.validated()
        name = name.strip()
        if not name or len(name) > 200:
            raise PolicyRefused("give the version a name (at most 200 characters)")
        self.ensure_default()
        with self._uow() as uow:
            session = uow.session
            lock_for_writing(session, "policy_versions", POLICY_LOCK_KEY)
            latest = session.scalars(
                select(PolicyVersion).order_by(
                    PolicyVersion.effective_from.desc(), PolicyVersion.version.desc()
                )
            ).first()
            if latest is not None and effective_from < latest.effective_from:
                raise PolicyRefused(
                    f"version {latest.version} is in force from {latest.effective_from}: a new "
                    f"version cannot start before it (that would rewrite the past); choose "
                    f"{latest.effective_from} or later"
                )
            info = self._add(session, policy, name, effective_from, note)
            uow.commit()
            return info

    def _add(
        self, session: Session, policy: Policy, name: str, effective_from: date, note: str | None
    ) -> PolicyVersionInfo:
        number = (session.scalar(select(func.max(PolicyVersion.version))) or 0) + 1
        definition = policy.to_json()
        row = PolicyVersion(
            version=number,
            name=name,
            effective_from=effective_from,
            definition_json=definition,
            note=note,
            created_at=self._clock.now(),
            created_by=self._actor(),
        )
        session.add(row)
        session.flush()
        details = {
            "name": name,
            "effective_from": effective_from.isoformat(),
            "definition_sha256": hashlib.sha256(definition.encode("utf-8")).hexdigest(),
        }
        append_audit(session, self._actor(), "policy.save", "policy_version", number, details)
        return _info(row)

    def preview(self, draft: Policy, *, days: int = 30, end: date | None = None) -> PolicyPreview:
        """What ``draft`` and the version in force on ``end`` would each raise over the ``days``
        days ending ``end`` (default: the last day with stored indicator values), from the
        stored values; one alert per employee, as if nobody triaged any."""
        self._acting.require(Permission.POLICY_VIEW)
        if days < 1:
            raise ValueError("preview at least one day")
        draft.validated()
        end = end or self.last_data_day() or self._clock.yesterday()
        start = end - timedelta(days=days - 1)
        current = self.in_force(end)
        with self._uow() as uow:
            lookback = max(draft.settings.baseline_days, current.policy.settings.baseline_days)
            history = IndicatorHistory(uow.session, start, end, lookback_days=lookback)
            names = _names(uow.session, history.employees())
            draft_side = _simulate("draft", None, draft, history, start, end, names)
            current_side = _simulate(
                f"version {current.version}",
                current.version,
                current.policy,
                history,
                start,
                end,
                names,
            )
        notes = []
        if not history.employees():
            notes.append(f"no indicator values stored from {start} to {end}: run an evaluation")
        stored = sorted(history.window_days)
        if stored and stored != [draft.settings.window_days]:
            notes.append(
                f"the draft's window is {draft.settings.window_days} days but the stored values "
                f"use {', '.join(map(str, stored))}: the preview reads the stored values"
            )
        return PolicyPreview(start, end, draft_side, current_side, tuple(notes))

    def health(self, *, days: int = 30, end: date | None = None) -> PolicyHealth:
        """Rules of the version in force that fire for too many employees (over the ``days``
        days ending ``end``), and every rule's effectiveness: confirmed ÷ (confirmed +
        dismissed) over all alerts it was part of."""
        self._acting.require(Permission.POLICY_VIEW)
        end = end or self.last_data_day() or self._clock.yesterday()
        start = end - timedelta(days=days - 1)
        current = self.in_force(end)
        with self._uow() as uow:
            session = uow.session
            history = IndicatorHistory(
                session, start, end, lookback_days=current.policy.settings.baseline_days
            )
            side = _simulate("", current.version, current.policy, history, start, end, {})
            tally: dict[str, list[int]] = {name: [0, 0, 0] for name in current.policy.rule_names()}
            for status, rules_json in session.execute(select(Alert.status, Alert.rules_json)):
                column = _OUTCOME_COLUMN.get(status, 2)
                for rule in {f.rule for f in parse_rules(rules_json)}:
                    tally.setdefault(rule, [0, 0, 0])[column] += 1
        effectiveness = tuple(
            RuleEffectiveness(rule, confirmed, dismissed, open_)
            for rule, (confirmed, dismissed, open_) in sorted(tally.items())
        )
        return PolicyHealth(
            current.version,
            start,
            end,
            side.employees_evaluated,
            side.rule_rates,
            effectiveness,
            side.warnings(),
        )

    def last_data_day(self) -> date | None:
        """The last day with stored indicator values."""
        self._acting.require(Permission.POLICY_VIEW)
        with self._uow() as uow:
            return last_indicator_day(uow.session)


def version_in_force(versions: Sequence[PolicyVersionInfo], on: date) -> PolicyVersionInfo:
    candidates = [v for v in versions if v.effective_from <= on]
    if not candidates:
        raise LookupError(f"no policy version is in force on {on}")
    return max(candidates, key=lambda v: (v.effective_from, v.version))


def _info(row: PolicyVersion) -> PolicyVersionInfo:
    return PolicyVersionInfo(
        id=row.id,
        version=row.version,
        name=row.name,
        effective_from=row.effective_from,
        policy=Policy.from_json(row.definition_json, validate=False),
        note=row.note,
        created_at=row.created_at,
        created_by=row.created_by,
    )


def _names(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    if not ids:
        return {}
    query = select(Employee.id, Employee.employee_no, Employee.name).where(Employee.id.in_(ids))
    return {i: (no, name) for i, no, name in session.execute(query)}


@dataclass
class _Seen:
    first_day: date
    severity: Severity | None = None
    rules: set[str] = field(default_factory=set)
    days: int = 0


def _simulate(
    label: str,
    version: int | None,
    policy: Policy,
    history: IndicatorHistory,
    start: date,
    end: date,
    names: dict[int, tuple[str, str]],
) -> PreviewSide:
    """One alert per employee over the days: highest severity, every rule that fired."""
    seen: dict[int, _Seen] = {}
    per_rule: dict[str, set[int]] = {name: set() for name in policy.rule_names()}
    day = start
    while day <= end:
        for emp, fired in history.verdicts(policy, day).items():
            entry = seen.setdefault(emp, _Seen(first_day=day))
            entry.days += 1
            for f in fired:
                entry.rules.add(f.rule)
                per_rule[f.rule].add(emp)
                if entry.severity is None or f.level.rank > entry.severity.rank:
                    entry.severity = f.level
        day += timedelta(days=1)
    evaluated = len(history.employees())
    alerts = [
        PreviewAlert(
            emp,
            *names.get(emp, ("?", "?")),
            entry.severity or Severity.LOW,
            tuple(sorted(entry.rules)),
            entry.first_day,
            entry.days,
        )
        for emp, entry in seen.items()
    ]
    alerts.sort(key=lambda a: (-a.severity.rank, a.employee_no))
    rates = tuple(
        RuleRate(rule, len(emps), len(emps) / evaluated if evaluated else 0.0)
        for rule, emps in per_rule.items()
    )
    return PreviewSide(label, version, evaluated, tuple(alerts), rates)
