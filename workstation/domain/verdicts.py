"""Verdicts: what a policy's rules and combinations say about one employee on one day, with
the numbers that made them fire (the evaluation adds the records behind them)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from workstation.domain.policy import (
    CombinationMode,
    Comparator,
    Policy,
    Severity,
)


@dataclass(frozen=True)
class ConditionResult:
    indicator: str
    comparator: Comparator
    threshold: float
    value: float | None
    met: bool


@dataclass(frozen=True)
class FiredRule:
    """A rule or combination that fired, with the numbers that made it fire.

    ``indicator``/``value``/``threshold`` are None for a combination (see ``conditions``).
    The evaluation adds the day, the version, the rate's parts and the records behind it.
    """

    rule: str
    kind: str  # rule | combination
    level: Severity
    indicator: str | None = None
    comparator: Comparator | None = None
    value: float | None = None
    threshold: float | None = None
    baseline: float | None = None
    baseline_margin: float | None = None
    conditions: tuple[ConditionResult, ...] = ()
    on: date | None = None
    policy_version: int | None = None
    numerator: float | None = None
    denominator: float | None = None
    #: Ids of the records behind the value(s), by record kind.
    records: Mapping[str, tuple[int, ...]] = field(default_factory=dict, compare=False)

    @property
    def indicators(self) -> tuple[str, ...]:
        if self.indicator is not None:
            return (self.indicator,)
        return tuple(dict.fromkeys(c.indicator for c in self.conditions))

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["records"] = {k: list(v) for k, v in sorted(self.records.items())}
        data["on"] = self.on.isoformat() if self.on else None
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FiredRule:
        comparator = data.get("comparator")
        return cls(
            rule=data["rule"],
            kind=data.get("kind", "rule"),
            level=Severity(data["level"]),
            indicator=data.get("indicator"),
            comparator=Comparator(comparator) if comparator else None,
            value=data.get("value"),
            threshold=data.get("threshold"),
            baseline=data.get("baseline"),
            baseline_margin=data.get("baseline_margin"),
            conditions=tuple(
                ConditionResult(
                    c["indicator"],
                    Comparator(c["comparator"]),
                    c["threshold"],
                    c["value"],
                    c["met"],
                )
                for c in data.get("conditions") or ()
            ),
            on=date.fromisoformat(data["on"]) if data.get("on") else None,
            policy_version=data.get("policy_version"),
            numerator=data.get("numerator"),
            denominator=data.get("denominator"),
            records={k: tuple(v) for k, v in (data.get("records") or {}).items()},
        )


def severity_of(fired: Iterable[FiredRule]) -> Severity | None:
    levels = [f.level for f in fired]
    return max(levels, key=lambda s: s.rank) if levels else None


def beyond_baseline(
    value: float, baseline: float | None, margin: float, comparator: Comparator
) -> bool:
    """Whether ``value`` is past the employee's own baseline by ``margin`` (see module doc)."""
    if baseline is None:
        return True
    if comparator.higher_is_worse:
        return value > baseline * (1 + margin)
    return value < baseline * (1 - margin)


def evaluate(
    policy: Policy,
    readings: Mapping[str, float | None],
    baselines: Mapping[str, float | None] | None = None,
) -> tuple[FiredRule, ...]:
    """The rules and combinations that fire on ``readings`` (indicator → value, None when the
    data were insufficient), strongest first."""
    baselines = baselines or {}
    fired: list[FiredRule] = []
    for rule in policy.rules:
        value = readings.get(rule.indicator)
        if not rule.enabled or value is None:
            continue
        reached = [(lvl, t) for lvl, t in rule.levels() if rule.comparator.holds(value, t)]
        baseline = baselines.get(rule.indicator) if rule.baseline_margin is not None else None
        if not reached or (
            rule.baseline_margin is not None
            and not beyond_baseline(value, baseline, rule.baseline_margin, rule.comparator)
        ):
            continue
        level, threshold = reached[-1]
        fired.append(
            FiredRule(
                rule.name,
                "rule",
                level,
                rule.indicator,
                rule.comparator,
                value,
                threshold,
                baseline,
                rule.baseline_margin,
            )
        )
    for combo in policy.combinations:
        results = []
        for cond in combo.conditions:
            value = readings.get(cond.indicator)
            met = value is not None and cond.comparator.holds(value, cond.threshold)
            results.append(
                ConditionResult(cond.indicator, cond.comparator, cond.threshold, value, met)
            )
        test = all if combo.mode is CombinationMode.ALL else any
        if combo.enabled and results and test(r.met for r in results):
            fired.append(
                FiredRule(combo.name, "combination", combo.severity, conditions=tuple(results))
            )
    return sort_fired(fired)


def sort_fired(fired: Iterable[FiredRule]) -> tuple[FiredRule, ...]:
    return tuple(sorted(fired, key=lambda f: (-f.level.rank, f.kind, f.rule)))
