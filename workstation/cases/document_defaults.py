"""What a case's notices say unless the person generating them says otherwise: the company
rules the case is about and the facts it established.

The rules come from the case's alert: a company rule names the early-warning indicators that
show the conduct it forbids (``RuleInfo.indicators``, kept in ``company.json``), and a case
cites those its alert fired on — a fake-field-work case the rule against faked field work,
not the one against diverting orders. A general rule (no indicators) is cited when no
specific one fits, e.g. for a case opened by hand. The facts are the substantiated
allegations with their findings, one sentence each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from workstation.cases.views import CaseDetail
from workstation.reports.document_data import RuleInfo

#: Marks that already end a sentence or clause (no full stop is added after them).
_ENDS = "。．.！!？?；;，,：:、"


@dataclass(frozen=True)
class DocumentDefaults:
    #: The company rules the case's notices cite unless others are given.
    rules: tuple[RuleInfo, ...]
    #: Every company rule, to choose from.
    company_rules: tuple[RuleInfo, ...]
    #: The statement of facts: the substantiated allegations and their findings (None before
    #: any allegation is substantiated).
    facts: str | None


def case_indicators(detail: CaseDetail) -> frozenset[str]:
    """The indicators the case's alert fired on (as its timeline recorded the alert)."""
    found: set[str] = set()
    for event in detail.timeline:
        if event.kind != "alert_explanation":
            continue
        rules: Iterable[dict[str, Any]] = event.detail.get("rules") or ()
        for rule in rules:
            if rule.get("indicator"):
                found.add(str(rule["indicator"]))
            found |= {str(c["indicator"]) for c in rule.get("conditions") or () if c}
    return frozenset(found)


def rules_for_case(
    company_rules: Iterable[RuleInfo], indicators: frozenset[str]
) -> tuple[RuleInfo, ...]:
    """The company rules whose indicators the case's alert fired on; else the general ones."""
    rules = tuple(company_rules)
    specific = tuple(r for r in rules if indicators & set(r.indicators))
    return specific or tuple(r for r in rules if not r.indicators)


def _sentence(text: str, locale: str) -> str:
    text = text.strip()
    if not text or text[-1] in _ENDS:
        return text
    return text + ("。" if locale == "zh_CN" else ".")


def _clause(text: str) -> str:
    """``text`` without the mark that closes it (it goes inside brackets)."""
    text = text.strip()
    return text[:-1].rstrip() if text and text[-1] in "。．.；;，," else text


def facts_of(detail: CaseDetail, locale: str) -> str | None:
    """The substantiated allegations, each with its finding's note, one sentence each."""
    sentences = []
    for allegation in detail.allegations:
        if allegation.finding != "substantiated":
            continue
        text = _clause(allegation.text)
        note = _clause(allegation.finding_note or "")
        if note:
            text += f"（{note}）" if locale == "zh_CN" else f" ({note})"
        sentences.append(_sentence(text, locale))
    joiner = "" if locale == "zh_CN" else " "
    return joiner.join(sentences) or None


def document_defaults(
    detail: CaseDetail, company_rules: Iterable[RuleInfo], locale: str
) -> DocumentDefaults:
    every = tuple(company_rules)
    return DocumentDefaults(
        rules=rules_for_case(every, case_indicators(detail)),
        company_rules=every,
        facts=facts_of(detail, locale),
    )


__all__ = ["DocumentDefaults", "case_indicators", "document_defaults", "facts_of"]
