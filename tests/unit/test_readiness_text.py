"""The readiness report's words: every text has a Chinese entry with the same fields, and a
report reads in Chinese without English left in it (the codes and kinds aside)."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest

from workstation.domain.indicators import Indicator
from workstation.i18n import Translator, catalog
from workstation.risk import readiness_text
from workstation.risk.readiness_model import Gap, GapLine, IndicatorLine, ReadinessReport
from workstation.risk.readiness_text import report_text

MODULE = Path(readiness_text.__file__)


def _texts() -> list[str]:
    found = []
    for node in ast.walk(ast.parse(MODULE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append(first.value)
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_scan_finds_the_texts() -> None:
    texts = _texts()
    assert "Customers without a position (no geofence)" in texts and len(texts) > 20


@pytest.mark.parametrize("text", _texts())
def test_every_text_has_chinese_with_the_same_fields(text: str) -> None:
    zh = catalog("zh_CN").get(text)
    assert zh, f"add {text!r} to resources/translations/readiness.zh_CN.json"
    assert _fields(zh) == _fields(text)


def _report() -> ReadinessReport:
    return ReadinessReport(
        day=date(2024, 5, 17),
        window_start=date(2024, 4, 18),
        window_end=date(2024, 5, 17),
        policy_version=1,
        min_denominator=5,
        gaps=(
            GapLine(Gap.CUSTOMERS_WITHOUT_POSITION, 7, 300, ("C1", "C2", "C3", "C4", "C5")),
            GapLine(Gap.CHECKINS_WITHOUT_CUSTOMER, 0, 610, ()),
            GapLine(Gap.SALESPEOPLE_WITHOUT_TRACKS, 2, 18, ("E1", "E2")),
            GapLine(Gap.OWNERSHIP_WITHOUT_START, 3, 290, ("C7", "C8", "C9")),
        ),
        indicators=tuple(IndicatorLine(i, 17, 18, ("E9",)) for i in Indicator),
    )


def test_a_report_reads_in_english_with_counts_keys_and_fixes() -> None:
    text = report_text(_report(), Translator("en"))
    assert "Readiness on 2024-05-17" in text
    assert "7 of 300  (e.g. C1, C2, C3, C4, C5…)" in text  # more than the keys shown
    assert "✓ Field check-ins in the window without a customer" in text
    assert "--kind tracks" in text and "--kind ownership" in text
    assert text.count("→") == 3 + len(Indicator)  # a fix for each gap, none for 0


def test_a_report_reads_in_chinese() -> None:
    text = report_text(_report(), Translator("zh_CN"))
    assert "没有坐标的客户（无地理围栏）" in text and "300 个中有 7 个" in text
    assert "（例如 C1、C2、C3、C4、C5…）" in text  # Chinese brackets and list comma
    left = re.sub(r"--kind [a-z-]+|GCJ-02|CSV|GPX|GPS|Casework|[CE]\d", "", text)
    assert not re.search(r"[A-Za-z]{3,}", left), left
