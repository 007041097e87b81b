"""The policy service's messages (``Policy.problems()``, refusals, preview notes) in the user's
words: rules named by their indicator, thresholds in percent, Chinese when chosen.

Each known English message is matched as a whole; one not matched is shown as it is (it still
says what is wrong, only in English). ``field`` tells the editor which input to mark.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from workstation.domain.policy import Comparator
from workstation.gui.policies.labels import (
    comparator_symbol,
    indicator_label,
    percent,
    severity_label,
)
from workstation.i18n import Translator

_NAME = r"'(?P<name>[^']*)'"
_WHO = rf"(?P<kind>rule|combination) {_NAME}: "
_RATE = r" \(a rate: 20% is 0\.2\)"


@dataclass(frozen=True)
class ShownProblem:
    text: str
    #: The rule or combination it is about, if any.
    rule: str | None = None
    #: The input to mark: ``low``/``medium``/``high``, ``levels`` (their order), ``missing``,
    #: ``baseline``, ``name``, ``conditions``, a setting, ``version_name``... or None.
    field: str | None = None


def _pct(value: str) -> str:
    try:
        return percent(float(value))
    except ValueError:
        return value


def _setting_label(tr: Translator, name: str) -> str:
    labels = {
        "window_days": tr("Window (days)"),
        "min_denominator": tr("Minimum denominator"),
        "baseline_days": tr("Baseline days"),
        "baseline_min_days": tr("Minimum baseline days"),
        "trend_days": tr("Trend days"),
        "dismissal_memory_days": tr("Dismissal memory (days)"),
    }
    return labels.get(name, name)


def explain(tr: Translator, message: str, title: Callable[[str], str] = str) -> ShownProblem:
    """One message of the policy service, for the user. ``title`` names a rule by its name."""
    rules: list[tuple[str, Callable[[re.Match[str]], ShownProblem]]] = [
        (
            rf"the name {_NAME} is used twice: every rule needs its own name",
            lambda m: ShownProblem(
                tr(
                    'Two rules are both named "{name}": every rule needs its own name.',
                    name=m["name"],
                ),
                m["name"],
                "name",
            ),
        ),
        (
            _WHO + r"a name is a lower-case letter, then letters, digits or _",
            lambda m: ShownProblem(
                tr(
                    '{rule}: its internal name "{name}" must start with a lower-case letter, '
                    "then letters, digits or _.",
                    rule=title(m["name"]),
                    name=m["name"],
                ),
                m["name"],
                "name",
            ),
        ),
        (
            _WHO + r"unknown indicator '(?P<ind>[^']*)'",
            lambda m: ShownProblem(
                tr(
                    '{rule}: the indicator "{indicator}" is unknown to this program.',
                    rule=title(m["name"]),
                    indicator=m["ind"],
                ),
                m["name"],
                "indicator",
            ),
        ),
        (
            _WHO + r"give at least one threshold \(low, medium or high\)",
            lambda m: ShownProblem(
                tr(
                    "{rule}: give at least one threshold (low, medium or high).",
                    rule=title(m["name"]),
                ),
                m["name"],
                "missing",
            ),
        ),
        (
            _WHO + r"the (?P<level>low|medium|high) threshold is (?P<v>\S+): it must lie between "
            r"0 and 1" + _RATE,
            lambda m: ShownProblem(
                tr(
                    "{rule}: the {level} threshold is {value}: give a percentage from 0 to 100.",
                    rule=title(m["name"]),
                    level=severity_label(tr, m["level"]),
                    value=_pct(m["v"]),
                ),
                m["name"],
                m["level"],
            ),
        ),
        (
            _WHO + r"with (?P<cmp>\S+) the thresholds must rise from low to high",
            lambda m: ShownProblem(
                tr(
                    "{rule}: with {comparator} the thresholds must rise from low to medium to "
                    "high.",
                    rule=title(m["name"]),
                    comparator=comparator_symbol(Comparator(m["cmp"])),
                ),
                m["name"],
                "levels",
            ),
        ),
        (
            _WHO + r"with (?P<cmp>\S+) the thresholds must fall from low to high",
            lambda m: ShownProblem(
                tr(
                    "{rule}: with {comparator} a lower value is worse, so the thresholds must "
                    "fall from low to medium to high.",
                    rule=title(m["name"]),
                    comparator=comparator_symbol(Comparator(m["cmp"])),
                ),
                m["name"],
                "levels",
            ),
        ),
        (
            _WHO + r"the baseline margin is (?P<v>\S+): it must lie between 0 and 10",
            lambda m: ShownProblem(
                tr(
                    "{rule}: the margin over the own baseline is {value}: give a percentage from "
                    "0 to 1000.",
                    rule=title(m["name"]),
                    value=_pct(m["v"]),
                ),
                m["name"],
                "baseline",
            ),
        ),
        (
            _WHO + r"a combination needs at least two conditions \(else make it a rule\)",
            lambda m: ShownProblem(
                tr(
                    "{rule}: a combination needs at least two conditions (else make it a rule).",
                    rule=title(m["name"]),
                ),
                m["name"],
                "conditions",
            ),
        ),
        (
            _WHO
            + r"the threshold of (?P<ind>\S+) is (?P<v>\S+): it must lie between 0 and 1"
            + _RATE,
            lambda m: ShownProblem(
                tr(
                    "{rule}: the threshold of {indicator} is {value}: give a percentage from 0 "
                    "to 100.",
                    rule=title(m["name"]),
                    indicator=indicator_label(tr, m["ind"]),
                    value=_pct(m["v"]),
                ),
                m["name"],
                "conditions",
            ),
        ),
        (
            r"the policy has no enabled rule: it would never raise an alert",
            lambda m: ShownProblem(
                tr(
                    "No rule or combination is switched on: this version would never raise an "
                    "alert."
                )
            ),
        ),
        (
            r"setting (?P<s>\w+) is (?P<v>\S+): it must be a whole number from (?P<lo>-?\d+) to "
            r"(?P<hi>-?\d+)",
            lambda m: ShownProblem(
                tr(
                    "{setting} is {value}: it must be a whole number from {low} to {high}.",
                    setting=_setting_label(tr, m["s"]),
                    value=m["v"],
                    low=m["lo"],
                    high=m["hi"],
                ),
                None,
                m["s"],
            ),
        ),
        # -- refusals of the save ----------------------------------------------------------
        (
            r"version (?P<v>\d+) is in force from (?P<d>\S+): a new version cannot start before "
            r"it \(that would rewrite the past\); choose (?P<d2>\S+) or later",
            lambda m: ShownProblem(
                tr(
                    "Version {version} is in force from {day}: a new version cannot start before "
                    "it (that would rewrite the past). Choose {day} or later.",
                    version=m["v"],
                    day=m["d"],
                ),
                None,
                "effective_from",
            ),
        ),
        (
            r"give the version a name \(at most 200 characters\)",
            lambda m: ShownProblem(
                tr("Give the version a name (at most 200 characters)."), None, "version_name"
            ),
        ),
        # -- notes of a preview ------------------------------------------------------------
        (
            r"no indicator values stored from (?P<a>\S+) to (?P<b>\S+): run an evaluation",
            lambda m: ShownProblem(
                tr(
                    "No indicator values are stored from {start} to {end}: evaluate those days "
                    "first, then preview again.",
                    start=m["a"],
                    end=m["b"],
                )
            ),
        ),
        (
            r"the draft's window is (?P<w>\d+) days but the stored values use (?P<s>.+): the "
            r"preview reads the stored values",
            lambda m: ShownProblem(
                tr(
                    "The draft's window is {window} days, but the stored indicator values were "
                    "computed over {stored} days. The preview reads the stored values; the new "
                    "window applies once the days are evaluated again.",
                    window=m["w"],
                    stored=m["s"],
                ),
                None,
                "window_days",
            ),
        ),
    ]
    for pattern, make in rules:
        match = re.fullmatch(pattern, message)
        if match:
            return make(match)
    return ShownProblem(message)


def explain_all(
    tr: Translator, messages: tuple[str, ...] | list[str], title: Callable[[str], str] = str
) -> list[ShownProblem]:
    return [explain(tr, m, title) for m in messages]
