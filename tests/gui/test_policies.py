"""The Policies area: versions, health, and the editor with its preview, driven through the
widgets on a real SQLite store (the page is built directly: the main window does not hold it
yet)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from clocks import pinned
from gui_helpers import LOAD_TIMEOUT_MS, DialogLog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from workstation.app import App
from workstation.domain.indicators import Indicator
from workstation.domain.policy import (
    Combination,
    CombinationMode,
    Comparator,
    Condition,
    Policy,
    PolicySettings,
    Rule,
    Severity,
)
from workstation.gui.background import BackgroundRunner
from workstation.gui.policies.labels import parse_percent, percent_text
from workstation.gui.policies.policies_page import PoliciesPage
from workstation.gui.policies.preview_panel import ONLY_DRAFT, SAME
from workstation.gui.policies.problems import explain
from workstation.i18n import Translator
from workstation.store.models import Employee, IndicatorValue

CHURN = Indicator.CUSTOMER_CHURN_RATE.value
OVERLAP = Indicator.COMPETITOR_OVERLAP_RATE.value
#: The last day with indicator values, and "today" for the page.
END = date(2026, 10, 30)
TODAY = date(2026, 10, 31)
#: 10:00 on TODAY in Shanghai.
MORNING = datetime(2026, 10, 31, 2, 0, tzinfo=UTC)
NOW = datetime(2026, 10, 31, tzinfo=UTC)

PageMaker = Callable[..., PoliciesPage]


@pytest.fixture
def make_page(qtbot: QtBot, app: App) -> Iterator[PageMaker]:
    """A Policies page on ``app`` with its own background runner, first loads finished."""
    runners: list[BackgroundRunner] = []
    errors: list[BaseException] = []

    def make(locale: str = "zh_CN") -> PoliciesPage:
        runner = BackgroundRunner(report_error=errors.append)
        runners.append(runner)
        page = PoliciesPage(app.policies, runner, Translator(locale, pinned(MORNING)))
        qtbot.addWidget(page)
        page.resize(1300, 860)
        page.show()
        qtbot.waitUntil(
            lambda: page.health.health is not None and runner.active_count == 0,
            timeout=LOAD_TIMEOUT_MS,
        )
        return page

    yield make
    for runner in runners:
        runner.shutdown()
    assert errors == []


def _company(app: App) -> list[int]:
    """Ten employees; under the default policy S000 is high, S001 low, the others quiet;
    S002's churn of 8% is just under the default's low threshold of 10%."""
    with app.uow() as u:
        people = [Employee(employee_no=f"S{i:03d}", name=f"员工{i}") for i in range(10)]
        u.session.add_all(people)
        u.commit()
        ids = [e.id for e in people]
    values = {0: {CHURN: 0.25, OVERLAP: 0.35}, 1: {CHURN: 0.12}, 2: {CHURN: 0.08}}
    with app.uow() as u:
        for i, emp in enumerate(ids):
            for indicator, value in values.get(i, {CHURN: 0.0}).items():
                u.session.add(
                    IndicatorValue(
                        employee_id=emp,
                        day=END,
                        indicator=indicator,
                        value=value,
                        numerator=None,
                        denominator=None,
                        status="ok",
                        window_days=30,
                        records_json="{}",
                        computed_at=NOW,
                    )
                )
        u.commit()
    return ids


def _rows_text(page_table: object) -> list[list[str]]:
    model = page_table.model()  # type: ignore[attr-defined]
    return [
        [str(model.index(r, c).data()) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_versions_are_listed_with_the_default_version_1_in_force(
    make_page: PageMaker, app: App
) -> None:
    page = make_page()
    assert [v.version for v in page.versions()] == [1]
    assert page.in_force_version() == 1 and page.selected_version() == 1
    (row,) = _rows_text(page.table)
    assert row[:4] == ["1", "默认策略", "2000-01-01", "今日生效"]
    assert "第 1 版：默认策略" in page.details.title_label.text()
    rules = _rows_text(page.details.rules_table)
    assert [r[0] for r in rules] == [
        "客户流失率",
        "竞品重合率",
        "转单率",
        "虚假外勤率",
        "转化率下降",
    ]
    assert rules[0][1:5] == ["启用", "≥ 10%", "≥ 20%", "≥ 35%"]
    assert rules[4][1:5] == ["停用", "≥ 50%", "—", "—"]
    (combo,) = _rows_text(page.details.combinations_table)
    assert combo == ["启用", "高", "客户流失率 ≥ 20% 且 竞品重合率 ≥ 30%"]
    # no indicator values yet: the health says how to get some
    assert "没有已保存的指标值" in page.health.period_label.text()
    assert page.health.warnings() == []
    assert page.new_button.isEnabled() and not page.showing_editor()


def test_the_health_shows_noisy_rules_and_effectiveness(make_page: PageMaker, app: App) -> None:
    _company(app)
    page = make_page()
    health = page.health
    assert "第 1 版" in health.title_label.text()
    # churn fires for S000 and S001: 2 of 10 is over 15%
    (warning,) = health.warnings()
    assert "客户流失率" in warning and "20%" in warning and "10 人中 2 人" in warning
    rows = {r[0]: r for r in _rows_text(health.table)}
    assert rows["客户流失率"][1] == "20%（10 人中 2 人）"
    assert rows["客户流失率"][5] == "—"  # no alert confirmed or dismissed yet


def test_an_invalid_threshold_is_shown_and_save_is_disabled(
    make_page: PageMaker, qtbot: QtBot
) -> None:
    page = make_page()
    page.new_button.click()
    editor = page.editor
    assert page.showing_editor() and editor.base is not None and editor.base.version == 1
    assert editor.problems() == [] and editor.save_button.isEnabled()
    assert editor.save_button.text() == "保存为第 2 版"
    assert editor.rules.threshold_edit("churn", "low").text() == "10"

    editor.rules.set_threshold("churn", "low", "25")  # above medium (20%)
    assert editor.problems() == ["客户流失率：条件为 ≥ 时，阈值必须按低、中、高依次递增。"]
    assert not editor.save_button.isEnabled() and not editor.preview_button.isEnabled()
    assert editor.problems_label.isVisibleTo(editor) and not editor.ready_label.isVisibleTo(editor)
    assert editor.rules.threshold_edit("churn", "low").property("problem") is True
    assert editor.rules.threshold_edit("churn", "medium").property("problem") is True
    assert not editor.rules.threshold_edit("competitor_overlap", "low").property("problem")
    assert editor.save() is None  # nothing happens while invalid

    editor.rules.set_threshold("churn", "low", "5")
    assert editor.problems() == [] and editor.save_button.isEnabled()

    editor.rules.set_threshold("churn", "high", "150")
    assert editor.problems() == ["客户流失率：“高”级阈值为 150%：请填写 0 到 100 之间的百分比。"]
    editor.rules.set_threshold("churn", "high", "")
    assert editor.problems() == []  # an empty level is simply not used

    edit = editor.rules.threshold_edit("churn", "medium")
    edit.clear()
    qtbot.keyClicks(edit, "1x5")  # letters cannot be typed at all
    assert edit.text() == "15"

    editor.form.name_edit.clear()
    assert editor.problems() == ["请为版本命名。"] and not editor.save_button.isEnabled()


def test_the_preview_shows_the_draft_beside_the_version_in_force(
    make_page: PageMaker, app: App, qtbot: QtBot
) -> None:
    _company(app)
    page = make_page()
    page.new_version()
    editor = page.editor
    editor.rules.set_threshold("churn", "low", "5")  # S002's 8% now fires (low)
    assert editor.days_spin.value() == 30
    with qtbot.waitSignal(page.preview_shown, timeout=LOAD_TIMEOUT_MS):
        editor.preview_button.click()

    panel = editor.preview_panel
    assert panel.preview is not None and panel.preview.end == END
    assert panel.period_label.text() == "预览 2026-10-01 至 2026-10-30（30 天）"
    assert panel.side_titles["in_force"].text() == "生效版本（第 1 版）"
    assert (panel.count("in_force"), panel.count("draft"), panel.count("change")) == (
        "2",
        "3",
        "+1",
    )
    assert [panel.count(side, "high") for side in ("in_force", "draft")] == ["1", "1"]
    assert [panel.count(side, "low") for side in ("in_force", "draft")] == ["1", "2"]
    assert panel.difference_label.text() == "仅草稿预警 1 人 · 仅生效版本预警 0 人"

    rows = panel.model.rows
    assert rows[0].employee_no == "S002" and rows[0].change == ONLY_DRAFT
    assert [(r.employee_no, r.change) for r in rows[1:]] == [("S000", SAME), ("S001", SAME)]
    shown = _rows_text(panel.table)
    assert shown[0][:5] == ["S002", "员工2", "", "低", "草稿新增"]
    assert shown[0][5] == "客户流失率"
    # churn fires for 3 of 10 in the draft (2 of 10 in force): both over 15%
    notice = panel.notice.text()
    assert "草稿：“客户流失率”对 30% 的员工触发（10 人中 3 人）" in notice
    assert "生效版本（第 1 版）：“客户流失率”对 20% 的员工触发" in notice

    panel.only_changes.setChecked(True)
    assert panel.proxy.rowCount() == 1
    # a change after the preview says the preview is out of date
    assert not editor.stale_label.isVisibleTo(editor)
    editor.rules.set_threshold("churn", "low", "6")
    assert editor.stale_label.isVisibleTo(editor)
    # previewing saved nothing
    assert [v.version for v in app.policies.versions()] == [1]


def test_saving_creates_version_2_and_selects_it(
    make_page: PageMaker, app: App, qtbot: QtBot
) -> None:
    page = make_page()
    page.new_version()
    editor = page.editor
    editor.form.name_edit.setText("2026 年第四季度")
    editor.form.note_edit.setText("季度调参")
    editor.rules.set_threshold("churn", "low", "5")
    editor.rules.set_baseline("order_transfer", "20")
    editor.rules.set_rule_enabled("conversion_drop", True)
    editor.combinations.set_severity("churn_with_overlap", Severity.MEDIUM)
    editor.form.window_spin.setValue(45)
    with qtbot.waitSignal(page.saved, timeout=LOAD_TIMEOUT_MS) as saved:
        editor.save_button.click()
    assert saved.args == [2]
    qtbot.waitUntil(lambda: len(page.versions()) == 2, timeout=LOAD_TIMEOUT_MS)
    assert not page.showing_editor() and page.new_button.isVisible()
    assert page.selected_version() == 2 and page.in_force_version() == 2
    assert "已保存为第 2 版" in page.notice_label.text()
    assert page.details.title_label.text().startswith("第 2 版：2026 年第四季度")

    v2 = app.policies.get(2)
    assert (v2.name, v2.note, v2.effective_from) == ("2026 年第四季度", "季度调参", TODAY)
    rules = {r.name: r for r in v2.policy.rules}
    assert rules["churn"].low == 0.05 and rules["churn"].medium == 0.2
    assert rules["order_transfer"].baseline_margin == 0.2
    assert rules["conversion_drop"].enabled
    assert v2.policy.combinations[0].severity is Severity.MEDIUM
    assert v2.policy.settings.window_days == 45
    status = {r[0]: r[3] for r in _rows_text(page.table)}
    assert status == {"2": "今日生效", "1": "已被取代"}


def test_a_refused_save_shows_the_reason_and_keeps_the_draft(
    make_page: PageMaker, app: App, qtbot: QtBot
) -> None:
    page = make_page()
    page.new_version()
    editor = page.editor
    date_edit = editor.form.effective_from_edit
    # the date field does not offer days before the latest version's first day
    assert date_edit.minimumDate().toPython() == date(2000, 1, 1)
    assert date_edit.date().toPython() == TODAY
    editor.rules.set_threshold("churn", "low", "5")
    editor.form.set_effective_from(date(1999, 12, 31))
    with qtbot.waitSignal(page.problem_shown, timeout=LOAD_TIMEOUT_MS) as shown:
        editor.save()
    (message,) = shown.args
    assert message.startswith("未保存：第 1 版自 2000-01-01 起生效：新版本不能早于它生效")
    assert message.endswith("草稿已保留。")
    assert editor.message_label.text() == message and editor.message_label.isVisibleTo(editor)
    assert date_edit.property("problem") is True
    qtbot.waitUntil(lambda: not editor.busy(), timeout=LOAD_TIMEOUT_MS)
    assert page.showing_editor() and editor.save_button.isEnabled()
    assert editor.rules.threshold_edit("churn", "low").text() == "5"
    assert [v.version for v in app.policies.versions()] == [1]

    # another officer saves a version starting later meanwhile: refused, still nothing lost
    app.policies.save(
        Policy(rules=(Rule("churn", CHURN, medium=0.3),)), name="x", effective_from=date(2027, 1, 1)
    )
    editor.form.set_effective_from(TODAY)
    with qtbot.waitSignal(page.problem_shown, timeout=LOAD_TIMEOUT_MS) as shown:
        editor.save()
    assert "第 2 版自 2027-01-01 起生效" in shown.args[0]
    assert editor.rules.threshold_edit("churn", "low").text() == "5"


def test_leaving_a_changed_draft_asks_first(
    make_page: PageMaker, dialogs: DialogLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialogs.expected = True
    page = make_page()
    page.new_version()
    editor = page.editor
    assert not editor.is_changed()
    editor.rules.set_threshold("churn", "low", "5")
    assert editor.is_changed()
    # the (recorded) question returns without "Discard": the user stays in the editor
    assert editor.close_editor() is False and page.showing_editor()
    assert dialogs.texts() == ["放弃此草稿的修改吗？"]
    # the user chooses "Discard": back to the versions
    discard = int(QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: discard)
    assert editor.close_editor() is True
    assert not page.showing_editor() and page.header.title_label.text() == "预警策略"
    assert page.new_button.isVisible() and page.selected_version() == 1


def test_a_new_rule_can_be_added_and_removed(make_page: PageMaker) -> None:
    page = make_page()
    page.new_version()
    editor = page.editor
    name = editor.rules.add_rule(Indicator.CONVERSION_RATE)
    assert name == "conversion_rate" and editor.rules.selected_name() == name
    assert editor.problems() == ["转化率：请至少填写一个阈值（低、中或高）。"]
    editor.rules.set_threshold(name, "low", "20")
    editor.rules.set_threshold(name, "medium", "10")  # ≤: lower is worse, thresholds fall
    assert editor.problems() == []
    assert editor.draft().rules[-1] == Rule(name, "conversion_rate", Comparator.LE, 0.2, 0.1)
    editor.remove_button.click()
    assert name not in editor.rules.names()


def test_the_page_speaks_english_too(make_page: PageMaker) -> None:
    page = make_page("en")
    (row,) = _rows_text(page.table)
    assert row[1:4] == ["Default policy", "2000-01-01", "In force today"]
    page.new_version()
    editor = page.editor
    editor.rules.set_threshold("fake_fieldwork", "high", "15")
    assert editor.problems() == [
        "Fake field work rate: with ≥ the thresholds must rise from low to medium to high."
    ]
    assert editor.save_button.text() == "Save as version 2"


@pytest.mark.parametrize(
    ("text", "value"), [("20", 0.2), ("12.5", 0.125), (" 7 % ", 0.07), ("33.3", 0.333), ("", None)]
)
def test_percent_text_round_trips(text: str, value: float | None) -> None:
    assert parse_percent(text) == value
    assert percent_text(value) == text.replace("%", "").strip()


def test_every_policy_problem_is_explained_in_chinese() -> None:
    tr = Translator("zh_CN")
    bad = Policy(
        rules=(
            Rule("churn", CHURN, low=0.3, medium=0.2),
            Rule("churn", CHURN, low=0.1, enabled=False),
            Rule("Bad Name", "nonsense"),
            Rule("falling", CHURN, Comparator.LE, low=0.1, medium=0.2, high=1.5),
            Rule("margin", CHURN, low=0.1, baseline_margin=11.0, enabled=False),
        ),
        combinations=(
            Combination(
                "solo", CombinationMode.ANY, (Condition(CHURN, Comparator.GE, 2.0),), Severity.LOW
            ),
        ),
        settings=PolicySettings(window_days=0),
    )
    off = Policy(rules=(Rule("churn", CHURN, low=0.1, enabled=False),))
    messages = bad.problems() + off.problems()
    assert len(messages) >= 12
    for message in messages:
        shown = explain(tr, message).text
        assert shown != message and any("\u4e00" <= ch <= "\u9fff" for ch in shown), message
    notes = (
        "no indicator values stored from 2026-10-01 to 2026-10-30: run an evaluation",
        "the draft's window is 45 days but the stored values use 30: the preview reads the "
        "stored values",
        "give the version a name (at most 200 characters)",
    )
    for note in notes:
        assert explain(tr, note).text != note


def test_the_editor_cells_read_back_as_typed(make_page: PageMaker) -> None:
    page = make_page()
    page.new_version()
    editor = page.editor
    editor.rules.set_comparator("churn", Comparator.GT)
    editor.rules.set_baseline("churn", "")
    editor.combinations.set_mode("churn_with_overlap", CombinationMode.ANY)
    editor.combinations.set_combination_enabled("churn_with_overlap", False)
    draft = editor.draft()
    churn = draft.rules[0]
    assert (churn.comparator, churn.baseline_margin) == (Comparator.GT, 0.0)
    combo = draft.combinations[0]
    assert (combo.mode, combo.enabled) == (CombinationMode.ANY, False)
    item = editor.combinations.item(0, editor.combinations.COL_CONDITIONS)
    assert item is not None and " 或 " in item.text()
    assert item.flags() & Qt.ItemFlag.ItemIsEditable == Qt.ItemFlag.NoItemFlags
