"""Words for the policy codes: indicators, severities, comparators, rules, percentages.

Thresholds are fractions in the policy (20% is ``0.2``); the editor shows and reads percent
(a user types ``20``). ``parse_percent`` and ``percent_text`` convert both ways without the
binary noise of ``0.1 * 100``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from workstation.domain.indicators import Indicator
from workstation.domain.policy import (
    Combination,
    CombinationMode,
    Comparator,
    Policy,
    Rule,
    Severity,
)
from workstation.i18n import Translator


def indicator_label(tr: Translator, indicator: str) -> str:
    labels: dict[str, str] = {
        Indicator.CUSTOMER_CHURN_RATE: tr("Customer churn rate"),
        Indicator.COMPETITOR_OVERLAP_RATE: tr("Competitor overlap"),
        Indicator.ORDER_TRANSFER_RATIO: tr("Order transfer ratio"),
        Indicator.CONVERSION_RATE: tr("Conversion rate"),
        Indicator.CONVERSION_DROP: tr("Conversion drop"),
        Indicator.FAKE_FIELDWORK_RATE: tr("Fake field work rate"),
    }
    return labels.get(indicator, indicator)


def indicator_description(tr: Translator, indicator: str) -> str:
    texts: dict[str, str] = {
        Indicator.CUSTOMER_CHURN_RATE: tr(
            "Customers lost or transferred to a competitor in the window ÷ customers held at "
            "the window's start"
        ),
        Indicator.COMPETITOR_OVERLAP_RATE: tr(
            "Stops at competitor sites ÷ all stops outside the company's offices"
        ),
        Indicator.ORDER_TRANSFER_RATIO: tr(
            "Orders transferred to a competitor in the window ÷ all orders in the window"
        ),
        Indicator.CONVERSION_RATE: tr(
            "Leads created in the window that converted ÷ leads created in the window"
        ),
        Indicator.CONVERSION_DROP: tr(
            "How far the conversion rate fell against the employee's own previous 90 days"
        ),
        Indicator.FAKE_FIELDWORK_RATE: tr(
            "Field check-ins outside the claimed customer's fence ÷ field check-ins claiming "
            "a customer"
        ),
    }
    return texts.get(indicator, "")


def severity_label(tr: Translator, severity: Severity | str | None) -> str:
    if severity is None:
        return ""
    labels = {
        Severity.LOW: tr("Low"),
        Severity.MEDIUM: tr("Medium"),
        Severity.HIGH: tr("High"),
    }
    return labels.get(Severity(severity), str(severity))


def comparator_label(tr: Translator, comparator: Comparator) -> str:
    """The comparator with its words, for the editor's choice list."""
    labels = {
        Comparator.GE: tr("≥ (at least)"),
        Comparator.GT: tr("> (above)"),
        Comparator.LE: tr("≤ (at most)"),
        Comparator.LT: tr("< (below)"),
    }
    return labels[comparator]


def comparator_symbol(comparator: Comparator) -> str:
    return {Comparator.GE: "≥", Comparator.GT: ">", Comparator.LE: "≤", Comparator.LT: "<"}[
        comparator
    ]


def mode_label(tr: Translator, mode: CombinationMode) -> str:
    return tr("All of") if mode is CombinationMode.ALL else tr("Any of")


def percent_text(value: float | None) -> str:
    """``0.2`` → ``"20"``, ``0.125`` → ``"12.5"``, None → ``""``."""
    if value is None:
        return ""
    shown = (Decimal(repr(value)) * 100).normalize()
    text = f"{shown:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(value: float | None) -> str:
    """``0.2`` → ``"20%"``; None → ``"—"``."""
    return "—" if value is None else f"{percent_text(value)}%"


def parse_percent(text: str) -> float | None:
    """``"20"`` or ``"20%"`` → ``0.2``; empty → None. Raises ValueError when not a number."""
    cleaned = text.strip().replace("％", "%").rstrip("%").strip().replace(",", ".")
    if not cleaned:
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return float(number / 100)


def condition_text(tr: Translator, indicator: str, comparator: Comparator, threshold: float) -> str:
    return f"{indicator_label(tr, indicator)} {comparator_symbol(comparator)} {percent(threshold)}"


def combination_text(tr: Translator, combo: Combination) -> str:
    """``Customer churn rate ≥ 20% and Competitor overlap ≥ 30%``."""
    joiner = tr(" and ") if combo.mode is CombinationMode.ALL else tr(" or ")
    return joiner.join(
        condition_text(tr, c.indicator, c.comparator, c.threshold) for c in combo.conditions
    )


def rule_label(tr: Translator, rule: Rule, rules: tuple[Rule, ...] = ()) -> str:
    """A rule by its indicator; with two rules on one indicator, its name tells them apart."""
    label = indicator_label(tr, rule.indicator)
    if sum(1 for r in rules if r.indicator == rule.indicator) > 1:
        return f"{label} ({rule.name})"
    return label


def rule_title(tr: Translator, policy: Policy | None, name: str) -> str:
    """A rule or combination of ``policy`` named for people; unknown names stay as they are."""
    if policy is not None:
        for rule in policy.rules:
            if rule.name == name:
                return rule_label(tr, rule, policy.rules)
        for combo in policy.combinations:
            if combo.name == name:
                joiner = tr(" and ") if combo.mode is CombinationMode.ALL else tr(" or ")
                indicators = dict.fromkeys(c.indicator for c in combo.conditions)
                return joiner.join(indicator_label(tr, i) for i in indicators)
    return name


def rule_thresholds(rule: Rule) -> str:
    """``≥ 10% / 20% / 35%`` (low / medium / high; — for a level not used)."""
    levels = " / ".join(percent(t) for t in (rule.low, rule.medium, rule.high))
    return f"{comparator_symbol(rule.comparator)} {levels}"


def baseline_text(tr: Translator, rule: Rule) -> str:
    if rule.baseline_margin is None:
        return tr("Not used")
    word = tr("above") if rule.comparator.higher_is_worse else tr("below")
    return tr(
        "{margin} {direction} own baseline", margin=percent(rule.baseline_margin), direction=word
    )


def system_text(tr: Translator, text: str | None) -> str:
    """A version name or note: those the program wrote itself are shown translated."""
    if text is None:
        return ""
    own = {
        "Default policy": tr("Default policy"),
        "created automatically: the field's usual thresholds": tr(
            "created automatically: the field's usual thresholds"
        ),
    }
    return own.get(text, text)
