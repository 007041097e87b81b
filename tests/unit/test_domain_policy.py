"""Policies (rules, levels, baselines, combinations, JSON, validation) and the alert life cycle."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from workstation.domain.alerts import (
    AlertStatus,
    DismissReason,
    TransitionRefused,
    check_transition,
    evidence_grows,
    merge_evidence,
    realert_after_closed,
)
from workstation.domain.indicators import Indicator
from workstation.domain.policy import (
    Combination,
    CombinationMode,
    Comparator,
    Condition,
    Policy,
    PolicyInvalid,
    PolicySettings,
    Rule,
    Severity,
    default_policy,
)
from workstation.domain.verdicts import FiredRule, beyond_baseline, evaluate, severity_of

CHURN = Indicator.CUSTOMER_CHURN_RATE.value
OVERLAP = Indicator.COMPETITOR_OVERLAP_RATE.value
TRANSFER = Indicator.ORDER_TRANSFER_RATIO.value
CONVERSION = Indicator.CONVERSION_RATE.value


def fired_levels(policy: Policy, readings: dict[str, float | None], **baselines: float) -> dict:
    return {f.rule: f.level.value for f in evaluate(policy, readings, baselines)}


def test_default_policy_follows_the_fields_practice() -> None:
    policy = default_policy()
    assert policy.problems() == []
    rules = {r.name: r for r in policy.rules}
    assert (rules["churn"].indicator, rules["churn"].medium) == (CHURN, 0.20)
    assert (rules["competitor_overlap"].indicator, rules["competitor_overlap"].medium) == (
        OVERLAP,
        0.30,
    )
    assert rules["order_transfer"].medium == 0.15
    assert rules["fake_fieldwork"].medium == 0.20
    assert rules["conversion_drop"].levels() == ((Severity.LOW, 0.50),)
    assert rules["conversion_drop"].enabled is False  # optional: off until a company wants it
    combo = policy.combinations[0]
    assert combo.severity is Severity.HIGH and combo.mode is CombinationMode.ALL
    assert {(c.indicator, c.threshold) for c in combo.conditions} == {(CHURN, 0.2), (OVERLAP, 0.3)}


def test_levels_take_the_highest_threshold_reached_with_the_boundary_included() -> None:
    policy = default_policy()
    assert fired_levels(policy, {CHURN: 0.09}) == {}
    assert fired_levels(policy, {CHURN: 0.10}) == {"churn": "low"}
    assert fired_levels(policy, {CHURN: 0.20}) == {"churn": "medium"}
    assert fired_levels(policy, {CHURN: 0.35}) == {"churn": "high"}
    assert fired_levels(policy, {CHURN: None, TRANSFER: 0.16}) == {"order_transfer": "medium"}


def test_the_fired_rule_carries_value_threshold_and_level() -> None:
    (fired,) = evaluate(default_policy(), {TRANSFER: 0.31})
    assert (fired.rule, fired.indicator, fired.value, fired.threshold, fired.level) == (
        "order_transfer",
        TRANSFER,
        0.31,
        0.30,
        Severity.HIGH,
    )
    assert fired.comparator is Comparator.GE and fired.kind == "rule"


def test_churn_with_overlap_is_high_and_needs_both() -> None:
    policy = default_policy()
    both = evaluate(policy, {CHURN: 0.22, OVERLAP: 0.31})
    assert [f.rule for f in both] == ["churn_with_overlap", "churn", "competitor_overlap"]
    assert severity_of(both) is Severity.HIGH
    combo = both[0]
    assert combo.indicator is None and combo.indicators == (CHURN, OVERLAP)
    assert [(c.indicator, c.value, c.met) for c in combo.conditions] == [
        (CHURN, 0.22, True),
        (OVERLAP, 0.31, True),
    ]
    only_churn = evaluate(policy, {CHURN: 0.22, OVERLAP: None})
    assert [f.rule for f in only_churn] == ["churn"]
    assert severity_of(only_churn) is Severity.MEDIUM


def test_any_of_combination_fires_on_one_condition() -> None:
    combo = Combination(
        "either",
        CombinationMode.ANY,
        (Condition(CHURN, Comparator.GE, 0.5), Condition(TRANSFER, Comparator.GE, 0.5)),
        Severity.MEDIUM,
    )
    policy = Policy(rules=(), combinations=(combo,))
    assert fired_levels(policy, {CHURN: 0.1, TRANSFER: 0.6}) == {"either": "medium"}
    assert fired_levels(policy, {CHURN: 0.1, TRANSFER: 0.4}) == {}


def test_lower_is_worse_rules_have_falling_thresholds() -> None:
    rule = Rule("low_conversion", CONVERSION, Comparator.LE, low=0.2, medium=0.1, high=0.05)
    policy = Policy(rules=(rule,))
    assert policy.problems() == []
    assert fired_levels(policy, {CONVERSION: 0.25}) == {}
    assert fired_levels(policy, {CONVERSION: 0.15}) == {"low_conversion": "low"}
    assert fired_levels(policy, {CONVERSION: 0.08}) == {"low_conversion": "medium"}
    rising = Policy(rules=(Rule("x", CONVERSION, Comparator.LE, low=0.1, medium=0.2),))
    assert any("must fall" in p for p in rising.problems())


def test_baseline_condition_needs_the_value_above_the_own_baseline_by_the_margin() -> None:
    rule = Rule("overlap", OVERLAP, Comparator.GE, medium=0.3, baseline_margin=0.5)
    policy = Policy(rules=(rule,))
    # baseline 0.3 × 1.5 = 0.45: 0.4 is over the threshold but normal for this employee
    assert fired_levels(policy, {OVERLAP: 0.40}, **{OVERLAP: 0.30}) == {}
    assert fired_levels(policy, {OVERLAP: 0.46}, **{OVERLAP: 0.30}) == {"overlap": "medium"}
    (fired,) = evaluate(policy, {OVERLAP: 0.46}, {OVERLAP: 0.30})
    assert (fired.baseline, fired.baseline_margin) == (0.30, 0.5)
    # no baseline yet (a new hire): the threshold alone decides
    assert fired_levels(policy, {OVERLAP: 0.40}) == {"overlap": "medium"}
    assert beyond_baseline(0.10, 0.30, 0.5, Comparator.LE) is True  # 0.10 < 0.15
    assert beyond_baseline(0.20, 0.30, 0.5, Comparator.LE) is False


def test_disabled_rules_never_fire() -> None:
    rule = Rule("churn", CHURN, medium=0.2, enabled=False)
    policy = Policy(rules=(rule, Rule("transfer", TRANSFER, medium=0.2)))
    assert fired_levels(policy, {CHURN: 0.9, TRANSFER: 0.0}) == {}


def test_json_is_canonical_and_round_trips() -> None:
    policy = default_policy()
    text = policy.to_json()
    assert ": " not in text and ", " not in text
    assert json.loads(text)["format"] == 1
    again = Policy.from_json(text)
    assert again == policy
    assert again.to_json() == text
    shuffled = json.dumps(json.loads(text), indent=2, sort_keys=False)
    assert Policy.from_json(shuffled).to_json() == text


def test_validation_names_every_problem() -> None:
    bad = Policy(
        rules=(
            Rule("churn", CHURN, medium=20),  # 20 instead of 0.2
            Rule("churn", "no_such_indicator", low=0.3, medium=0.2),
            Rule("Bad Name", TRANSFER),
        ),
        combinations=(
            Combination(
                "solo", CombinationMode.ALL, (Condition(CHURN, Comparator.GE, 0.2),), Severity.HIGH
            ),
        ),
        settings=PolicySettings(window_days=0),
    )
    problems = bad.problems()
    joined = "\n".join(problems)
    assert "the name 'churn' is used twice" in joined
    assert "medium threshold is 20" in joined and "20% is 0.2" in joined
    assert "unknown indicator 'no_such_indicator'" in joined
    assert "must rise from low to high" in joined
    assert "rule 'Bad Name': a name is" in joined
    assert "give at least one threshold" in joined
    assert "combination 'solo': a combination needs at least two conditions" in joined
    assert "setting window_days is 0" in joined
    with pytest.raises(PolicyInvalid) as caught:
        bad.validated()
    assert caught.value.problems == tuple(problems)


def test_a_policy_without_enabled_rules_is_refused() -> None:
    policy = Policy(rules=(Rule("churn", CHURN, medium=0.2, enabled=False),))
    assert policy.problems() == ["the policy has no enabled rule: it would never raise an alert"]


def test_parsing_reports_unknown_fields_bad_values_and_bad_json() -> None:
    text = json.dumps(
        {
            "rules": [
                {"name": "churn", "indicator": CHURN, "comparator": "=>", "medium": "0.2"},
                {"name": "transfer", "indicator": TRANSFER, "treshold": 0.1, "low": 0.1},
            ],
            "combinations": [{"name": "c", "mode": "most", "severity": "high", "conditions": []}],
            "colour": "red",
        }
    )
    with pytest.raises(PolicyInvalid) as caught:
        Policy.from_json(text)
    joined = "\n".join(caught.value.problems)
    assert "comparator '=>' is not one of >=, >, <=, <" in joined
    assert "medium '0.2' is not a number" in joined
    assert "rule 'transfer': unknown field 'treshold'" in joined
    assert "mode 'most' is not one of all, any" in joined
    assert "policy: unknown field 'colour'" in joined
    lenient = json.dumps({"rules": [{"name": "churn", "indicator": CHURN, "medium": 2.0}]})
    assert Policy.from_json(lenient, validate=False).rules[0].medium == 2.0
    with pytest.raises(PolicyInvalid, match=r"medium threshold is 2\.0"):
        Policy.from_json(lenient)
    with pytest.raises(PolicyInvalid, match="not valid JSON"):
        Policy.from_json("{rules: ")
    with pytest.raises(PolicyInvalid, match="format 2 is not supported"):
        Policy.from_json('{"format": 2, "rules": []}')


def _fired(rule: str, level: Severity) -> FiredRule:
    return FiredRule(rule, "rule", level, CHURN, Comparator.GE, 0.5, 0.2)


def test_evidence_grows_with_a_new_rule_or_a_higher_level_only() -> None:
    before = [_fired("churn", Severity.MEDIUM)]
    assert not evidence_grows(before, [_fired("churn", Severity.MEDIUM)])
    assert not evidence_grows(before, [_fired("churn", Severity.LOW)])
    assert evidence_grows(before, [_fired("churn", Severity.HIGH)])
    assert evidence_grows(before, [_fired("churn", Severity.LOW), _fired("transfer", Severity.LOW)])


def test_merge_keeps_the_strongest_evidence_of_each_rule() -> None:
    before = [_fired("churn", Severity.HIGH), _fired("overlap", Severity.LOW)]
    merged = merge_evidence(
        before, [_fired("churn", Severity.LOW), _fired("overlap", Severity.MEDIUM)]
    )
    assert [(f.rule, f.level) for f in merged] == [
        ("churn", Severity.HIGH),
        ("overlap", Severity.MEDIUM),
    ]


def test_realert_after_a_dismissal_needs_more_evidence_or_time() -> None:
    dismissed = [_fired("churn", Severity.MEDIUM)]
    last = date(2026, 3, 1)
    same = [_fired("churn", Severity.MEDIUM)]
    assert not realert_after_closed(dismissed, last, date(2026, 3, 20), same, memory_days=90)
    assert realert_after_closed(
        dismissed, last, date(2026, 3, 20), [_fired("churn", Severity.HIGH)], 90
    )
    assert not realert_after_closed(dismissed, last, date(2026, 5, 30), same, 90)  # day 90
    assert realert_after_closed(dismissed, last, date(2026, 5, 31), same, 90)  # day 91


def test_fired_rule_round_trips_through_its_json_form() -> None:
    (combo, churn, _overlap) = evaluate(default_policy(), {CHURN: 0.25, OVERLAP: 0.4})
    churn = replace(
        churn,
        on=date(2026, 10, 30),
        policy_version=2,
        numerator=5,
        denominator=20,
        records={"customer_events": (3, 9)},
    )
    for f in (combo, churn):
        data = json.loads(json.dumps(f.to_dict()))
        again = FiredRule.from_dict(data)
        assert again == f and again.records == f.records
    assert churn.to_dict()["records"] == {"customer_events": [3, 9]}


def test_triage_follows_new_reviewing_then_dismissed_or_confirmed_escalated() -> None:
    check_transition(1, AlertStatus.NEW, AlertStatus.REVIEWING)
    check_transition(1, AlertStatus.REVIEWING, AlertStatus.CONFIRMED)
    check_transition(1, AlertStatus.CONFIRMED, AlertStatus.ESCALATED)
    check_transition(1, AlertStatus.REVIEWING, AlertStatus.DISMISSED, "data_error", "GPS broken")
    with pytest.raises(TransitionRefused, match="alert #7 is new: it can go to reviewing, not to"):
        check_transition(7, AlertStatus.NEW, AlertStatus.CONFIRMED)
    with pytest.raises(TransitionRefused, match="it can go to nowhere"):
        check_transition(7, AlertStatus.DISMISSED, AlertStatus.REVIEWING)
    with pytest.raises(TransitionRefused, match="needs a reason, one of: explained_business"):
        check_transition(7, AlertStatus.REVIEWING, AlertStatus.DISMISSED, "looks fine", "x")
    with pytest.raises(TransitionRefused, match="needs a note"):
        check_transition(7, AlertStatus.REVIEWING, AlertStatus.DISMISSED, DismissReason.OTHER, " ")
