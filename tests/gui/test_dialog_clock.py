"""The dialogs' defaults come from the app's clock, on the company's day: between 16:00 and
24:00 UTC it is already tomorrow in Shanghai, for the union notification and the notice
alike (they once disagreed, and the notice was then refused)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from clocks import pinned
from PySide6.QtWidgets import QLabel

from workstation.domain.clock import company_zone
from workstation.gui.cases.document_dialog import DocumentDialog
from workstation.gui.cases.union_dialog import UnionDialog
from workstation.i18n import Translator

EVENING_UTC = datetime(2026, 12, 7, 17, 30, tzinfo=UTC)  # 01:30 on the 8th in Shanghai


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_union_and_notice_dialogs_default_to_the_companys_day(qtbot: Any, locale: str) -> None:
    tr = Translator(locale, pinned(EVENING_UTC))
    union = UnionDialog(tr)
    qtbot.addWidget(union)
    notice = DocumentDialog(tr, "decided")
    qtbot.addWidget(notice)
    union.set_reference("工会函〔2026〕1号")
    reference, notified_at = union.chosen()
    assert reference == "工会函〔2026〕1号"
    assert notified_at == datetime(2026, 12, 8, 1, 30, tzinfo=company_zone())
    assert notice.effective_edit.date().toPython() == date(2026, 12, 8)
    assert notice.issued_edit.date().toPython() == date(2026, 12, 8)
    assert _has_label(union, "北京时间" if locale == "zh_CN" else "UTC+8")


def test_another_company_zone_gives_its_own_day(qtbot: Any) -> None:
    tr = Translator("en", pinned(EVENING_UTC).in_zone(company_zone("America/New_York")))
    union = UnionDialog(tr)
    qtbot.addWidget(union)
    notice = DocumentDialog(tr, "decided")
    qtbot.addWidget(notice)
    _reference, notified_at = union.chosen()
    assert notified_at.date() == date(2026, 12, 7) and notified_at.hour == 12
    assert notified_at.utcoffset() is not None and notified_at.astimezone(UTC) == EVENING_UTC
    assert notice.effective_edit.date().toPython() == date(2026, 12, 7)
    assert _has_label(union, "UTC-5")


def _has_label(dialog: Any, text: str) -> bool:
    """Some label of ``dialog`` (the form's row labels among them) shows ``text``."""
    return any(text in label.text() for label in dialog.findChildren(QLabel))
