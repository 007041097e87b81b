"""Alert policies: rules, levels, combinations and their verdicts. Plain values, no I/O.

A policy holds **rules** and **combinations**. A rule reads one indicator (names in
``domain.indicators``) with a comparator and up to three level thresholds; the highest level
whose threshold holds is the level it fires at. Thresholds are fractions (20% is ``0.2``);
for ``>=``/``>`` they rise from low to high, for ``<=``/``<`` they fall.

**Baseline condition** (optional, ``baseline_margin``): the baseline is the employee's own mean
of that indicator over the ``baseline_days`` before the day evaluated (stored, sufficient
values only). With a margin ``m`` a ``>=``/``>`` rule fires only if the value also exceeds
``baseline × (1 + m)`` (a ``<=``/``<`` rule: falls below ``baseline × (1 − m)``). With fewer than
``baseline_min_days`` values there is no baseline and the threshold alone decides (a new hire
has no normal to hide behind).

A **combination** (all of / any of) holds conditions on several indicators and fires at its own
severity. An employee's verdict of the day is the fired rules and combinations; its severity
is the highest level among them. Alerts and their life cycle: ``domain.alerts``.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import MISSING, asdict, dataclass, field, fields
from enum import StrEnum
from itertools import pairwise
from typing import Any

from workstation.domain.indicators import (
    CONVERSION_BASELINE_DAYS,
    DEFAULT_MIN_DENOMINATOR,
    DEFAULT_WINDOW_DAYS,
    Indicator,
)

FORMAT = 1
#: A rule that fires for more than this share of the employees evaluated is flagged as noisy.
NOISY_SHARE = 0.15
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return SEVERITIES.index(self)


SEVERITIES = (Severity.LOW, Severity.MEDIUM, Severity.HIGH)


class Comparator(StrEnum):
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"

    @property
    def higher_is_worse(self) -> bool:
        return self in (Comparator.GE, Comparator.GT)

    def holds(self, value: float, threshold: float) -> bool:
        if self is Comparator.GE:
            return value >= threshold
        if self is Comparator.GT:
            return value > threshold
        if self is Comparator.LE:
            return value <= threshold
        return value < threshold


class CombinationMode(StrEnum):
    ALL = "all"
    ANY = "any"


@dataclass(frozen=True)
class Rule:
    name: str
    indicator: str
    comparator: Comparator = Comparator.GE
    low: float | None = None
    medium: float | None = None
    high: float | None = None
    #: None: no baseline condition; else the margin over the employee's own baseline.
    baseline_margin: float | None = None
    enabled: bool = True

    def levels(self) -> tuple[tuple[Severity, float], ...]:
        """The thresholds given, from low to high."""
        given = (
            (Severity.LOW, self.low),
            (Severity.MEDIUM, self.medium),
            (Severity.HIGH, self.high),
        )
        return tuple((level, t) for level, t in given if t is not None)


@dataclass(frozen=True)
class Condition:
    indicator: str
    comparator: Comparator
    threshold: float


@dataclass(frozen=True)
class Combination:
    name: str
    mode: CombinationMode
    conditions: tuple[Condition, ...]
    severity: Severity
    enabled: bool = True


@dataclass(frozen=True)
class PolicySettings:
    #: Trailing window and minimum denominator the indicators are computed with.
    window_days: int = DEFAULT_WINDOW_DAYS
    min_denominator: int = DEFAULT_MIN_DENOMINATOR
    #: The baseline is the mean of the values of the ``baseline_days`` before the day.
    baseline_days: int = CONVERSION_BASELINE_DAYS
    baseline_min_days: int = 10
    #: Days of indicator values an alert's explanation shows as its trend.
    trend_days: int = 30
    #: A dismissed alert keeps the same evidence from raising a new alert this long.
    dismissal_memory_days: int = 90


@dataclass(frozen=True)
class Policy:
    rules: tuple[Rule, ...]
    combinations: tuple[Combination, ...] = ()
    settings: PolicySettings = field(default_factory=PolicySettings)

    def rule_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rules) + tuple(c.name for c in self.combinations)

    def problems(self) -> list[str]:
        """Everything wrong with the policy, in words a policy editor can act on."""
        out: list[str] = []
        names = self.rule_names()
        for name in sorted({n for n in names if names.count(n) > 1}):
            out.append(f"the name {name!r} is used twice: every rule needs its own name")
        for rule in self.rules:
            out.extend(_rule_problems(rule))
        for combo in self.combinations:
            out.extend(_combination_problems(combo))
        if not any(r.enabled for r in self.rules) and not any(c.enabled for c in self.combinations):
            out.append("the policy has no enabled rule: it would never raise an alert")
        out.extend(_settings_problems(self.settings))
        return out

    def validated(self) -> Policy:
        problems = self.problems()
        if problems:
            raise PolicyInvalid(problems)
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, **asdict(self)}

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, no spaces (equal policies give equal text)."""
        return canonical_json(self.to_dict())

    @classmethod
    def from_json(cls, text: str, *, validate: bool = True) -> Policy:
        """Parse and validate; raises PolicyInvalid naming every problem found.

        ``validate=False`` reads a saved version as it was saved (rules this program would
        now refuse are kept, never silently changed); only its shape must be right."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PolicyInvalid([f"not valid JSON: {exc}"]) from None
        return cls.from_dict(data, validate=validate)

    @classmethod
    def from_dict(cls, data: Any, *, validate: bool = True) -> Policy:
        """Build and validate; raises PolicyInvalid naming every problem found."""
        return _parse(data, validate)


class PolicyInvalid(ValueError):
    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("the policy cannot be used: " + "; ".join(self.problems))


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _number_problem(label: str, value: float | None, lo: float, hi: float) -> str | None:
    if value is None:
        return None
    if not math.isfinite(value) or not lo <= value <= hi:
        return f"{label} is {value}: it must lie between {lo:g} and {hi:g}"
    return None


def _valid_name(name: object) -> bool:
    return isinstance(name, str) and _NAME.match(name) is not None


def _rule_problems(rule: Rule) -> list[str]:
    who = f"rule {rule.name!r}"
    out = (
        []
        if _valid_name(rule.name)
        else [f"{who}: a name is a lower-case letter, then letters, digits or _"]
    )
    if rule.indicator not in set(Indicator):
        out.append(f"{who}: unknown indicator {rule.indicator!r}")
    levels = rule.levels()
    if not levels:
        out.append(f"{who}: give at least one threshold (low, medium or high)")
    for level, t in levels:
        problem = _number_problem(f"{who}: the {level} threshold", t, 0.0, 1.0)
        if problem:
            out.append(problem + " (a rate: 20% is 0.2)")
    values = [t for _, t in levels]
    rising = all(a < b for a, b in pairwise(values))
    falling = all(a > b for a, b in pairwise(values))
    if rule.comparator.higher_is_worse and not rising:
        out.append(f"{who}: with {rule.comparator} the thresholds must rise from low to high")
    if not rule.comparator.higher_is_worse and not falling:
        out.append(f"{who}: with {rule.comparator} the thresholds must fall from low to high")
    margin = _number_problem(f"{who}: the baseline margin", rule.baseline_margin, 0.0, 10.0)
    return [*out, margin] if margin else out


def _combination_problems(combo: Combination) -> list[str]:
    who = f"combination {combo.name!r}"
    out = (
        []
        if _valid_name(combo.name)
        else [f"{who}: a name is a lower-case letter, then letters, digits or _"]
    )
    if len(combo.conditions) < 2:
        out.append(f"{who}: a combination needs at least two conditions (else make it a rule)")
    for cond in combo.conditions:
        if cond.indicator not in set(Indicator):
            out.append(f"{who}: unknown indicator {cond.indicator!r}")
        problem = _number_problem(f"{who}: the threshold of {cond.indicator}", cond.threshold, 0, 1)
        if problem:
            out.append(problem + " (a rate: 20% is 0.2)")
    return out


def _settings_problems(s: PolicySettings) -> list[str]:
    checks = [
        ("window_days", s.window_days, 1, 365),
        ("min_denominator", s.min_denominator, 1, 10_000),
        ("baseline_days", s.baseline_days, 7, 730),
        ("baseline_min_days", s.baseline_min_days, 1, s.baseline_days),
        ("trend_days", s.trend_days, 1, 730),
        ("dismissal_memory_days", s.dismissal_memory_days, 0, 3650),
    ]
    return [
        f"setting {name} is {value}: it must be a whole number from {lo} to {hi}"
        for name, value, lo, hi in checks
        if not isinstance(value, int) or not lo <= value <= hi
    ]


_ENUMS: dict[str, type[StrEnum]] = {
    "comparator": Comparator,
    "mode": CombinationMode,
    "severity": Severity,
}


def _build(cls: type[Any], raw: Any, where: str, problems: list[str]) -> Any:
    """One dataclass from a JSON object, noting every problem instead of stopping at one."""
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected an object, found {raw!r}")
        return None
    known = {f.name: f for f in fields(cls)}
    where = f"{where} {raw['name']!r}" if isinstance(raw.get("name"), str) else where
    for key in sorted(set(raw) - set(known)):
        problems.append(f"{where}: unknown field {key!r} (known: {', '.join(sorted(known))})")
    values: dict[str, Any] = {}
    usable = True
    for name, f in known.items():
        required = f.default is MISSING and f.default_factory is MISSING
        if name not in raw:
            if required:
                problems.append(f"{where}: {name} is missing")
                usable = False
            continue
        value, ok = _field(name, f.type, raw[name], where, problems)
        if ok:
            values[name] = value
        else:
            usable = usable and not required
    return cls(**values) if usable else None


def _field(name: str, kind: Any, value: Any, where: str, problems: list[str]) -> tuple[Any, bool]:
    """One field's value; False when it is unusable (the problem is noted)."""
    if name in _ENUMS:
        try:
            return _ENUMS[name](value), True
        except ValueError:
            allowed = ", ".join(m.value for m in _ENUMS[name])
            problems.append(f"{where}: {name} {value!r} is not one of {allowed}")
            return None, False
    if name == "conditions":
        items = value if isinstance(value, list) else [value]
        built = [_build(Condition, c, f"{where} condition", problems) for c in items]
        return tuple(c for c in built if c is not None), True
    if kind in ("float", "float | None") and value is not None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append(f"{where}: {name} {value!r} is not a number")
            return None, False
        return float(value), True
    return value, True


def _parse(data: Any, validate: bool) -> Policy:
    if not isinstance(data, dict):
        raise PolicyInvalid(["a policy is a JSON object with rules, combinations, settings"])
    if data.get("format", FORMAT) != FORMAT:
        raise PolicyInvalid([f"policy format {data.get('format')!r} is not supported"])
    problems = [
        f"policy: unknown field {key!r}"
        for key in sorted(set(data) - {"format", "rules", "combinations", "settings"})
    ]
    rules = tuple(_build(Rule, r, "rule", problems) for r in data.get("rules") or [])
    combos = [
        _build(Combination, c, "combination", problems) for c in data.get("combinations") or []
    ]
    settings = _build(PolicySettings, data.get("settings") or {}, "settings", problems)
    policy = Policy(
        tuple(r for r in rules if r is not None),
        tuple(c for c in combos if c is not None),
        settings or PolicySettings(),
    )
    if validate:
        problems += policy.problems()
    if problems:
        raise PolicyInvalid(problems)
    return policy


def default_policy() -> Policy:
    """The field's practice: churn ≥ 20%, competitor overlap ≥ 30%, order transfer ≥ 15%,
    fake field work ≥ 20% (each at medium, with a low tier below and a high tier above);
    churn ≥ 20% together with overlap ≥ 30% is high; conversion drop ≥ 50% is low, present
    but switched off (on the demo company it fires for nearly everyone)."""
    ge = Comparator.GE
    return Policy(
        rules=(
            Rule("churn", Indicator.CUSTOMER_CHURN_RATE, ge, 0.10, 0.20, 0.35),
            Rule("competitor_overlap", Indicator.COMPETITOR_OVERLAP_RATE, ge, 0.20, 0.30, 0.50),
            Rule("order_transfer", Indicator.ORDER_TRANSFER_RATIO, ge, 0.10, 0.15, 0.30),
            Rule("fake_fieldwork", Indicator.FAKE_FIELDWORK_RATE, ge, 0.10, 0.20, 0.40),
            # optional: small lead counts make it noisy (switch it on per company)
            Rule("conversion_drop", Indicator.CONVERSION_DROP, ge, low=0.50, enabled=False),
        ),
        combinations=(
            Combination(
                "churn_with_overlap",
                CombinationMode.ALL,
                (
                    Condition(Indicator.CUSTOMER_CHURN_RATE, ge, 0.20),
                    Condition(Indicator.COMPETITOR_OVERLAP_RATE, ge, 0.30),
                ),
                Severity.HIGH,
            ),
        ),
    )
