"""The Cases area on the real case service (the integration tests' small company and HMAC
signer, in the app's SQLite store): the list, a case's tabs, transitions, approvals."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from case_pages import TIMEOUT_MS, settle
from case_world import CaseWorld

from workstation.gui.background import BackgroundRunner
from workstation.gui.cases.cases_page import CasesPage
from workstation.i18n import Translator


def draft(world: CaseWorld, allegation: bool = True) -> str:
    hr = world.me("hr.li")
    case = world.cases.open_case(hr, world.emp["zhang"], "客户流失")
    if allegation:
        world.cases.add_allegation(
            hr,
            case.number,
            "华东机电转到对手公司",
            case.revision,
            customer_id=world.rec["customer"],
            competitor_id=world.rec["competitor"],
        )
    return case.number


def requested(world: CaseWorld) -> str:
    number = draft(world)
    hr = world.me("hr.li")
    revision = world.cases.view(hr, number).revision
    world.cases.transition(hr, number, "investigation_requested", revision)
    return number


def open_in(qtbot: Any, page: CasesPage, runner: BackgroundRunner, number: str) -> None:
    with qtbot.waitSignal(page.case_opened, timeout=TIMEOUT_MS):
        page.open_case(number)
    settle(qtbot, runner)


def test_the_list_shows_the_case_with_its_state_in_chinese(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage]
) -> None:
    number = draft(world)
    page = make_page(world.me("hr.li"))
    with qtbot.waitSignal(page.cases_loaded, timeout=TIMEOUT_MS):
        page.reload()
    shown = page.list_view.visible_cases()
    assert [c.number for c in shown] == [number]
    model = page.list_view.model
    texts = [model.index(0, col).data() for col in range(model.columnCount())]
    assert "张伟" in texts and "草稿" in texts and "客户流失" in texts


def test_double_click_opens_the_case_with_allegations_and_timeline(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = draft(world)
    page = make_page(world.me("hr.li"))
    settle(qtbot, runner)
    table = page.list_view.table
    index = table.model().index(0, 0)
    with qtbot.waitSignal(page.case_opened, timeout=TIMEOUT_MS) as opened:
        table.doubleClicked.emit(index)
    assert opened.args == [number]
    detail = page.detail_view
    assert page.body.currentWidget() is detail
    assert [a.text for a in detail.tabs.allegations_model.rows] == ["华东机电转到对手公司"]
    kinds = [e.kind for e in detail.tabs.timeline_model.rows]
    assert kinds[0] == "opened" and "allegation_added" in kinds
    assert number in detail.title_label.text()
    assert "草稿" in detail.facts_label.text()


def test_hr_officer_moves_the_case_on(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = draft(world)
    page = make_page(world.me("hr.li"))
    open_in(qtbot, page, runner, number)
    detail = page.detail_view
    button = detail.transition_buttons["investigation_requested"]
    assert button.text() == "申请调查"
    assert "withdrawn" in detail.transition_buttons
    with qtbot.waitSignal(detail.changed, timeout=TIMEOUT_MS) as changed:
        button.click()
    assert changed.args[0].state.value == "investigation_requested"
    settle(qtbot, runner)
    assert detail.case is not None and detail.case.state.value == "investigation_requested"
    assert detail.state_badge.text() == "已申请调查"
    assert not detail.banner.isVisible()


def test_a_transition_not_possible_yet_is_disabled_with_the_reason(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = draft(world, allegation=False)
    page = make_page(world.me("hr.li"))
    open_in(qtbot, page, runner, number)
    detail = page.detail_view
    request = detail.transition_buttons["investigation_requested"]
    assert not request.isHidden() and not request.isEnabled()
    assert "案件至少有一项指控" in request.toolTip()  # the service's reason, in Chinese
    assert "案件至少有一项指控" in detail.card.next_label.text()
    request.click()  # a disabled button does nothing
    assert detail.case is not None and detail.case.state.value == "draft"
    assert detail.transition_buttons["withdrawn"].isEnabled()  # the reason is asked later


def test_withdrawal_asks_for_a_reason(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = draft(world)
    page = make_page(world.me("hr.li"))
    open_in(qtbot, page, runner, number)
    detail = page.detail_view
    detail.transition_buttons["withdrawn"].click()
    dialog = detail.transition_dialog
    assert dialog is not None and not dialog.ok_button.isEnabled()
    dialog.set_reason("误报")
    with qtbot.waitSignal(detail.changed, timeout=TIMEOUT_MS):
        dialog.accept()
    settle(qtbot, runner)
    assert detail.case is not None and detail.case.state.value == "withdrawn"
    assert "reopened" in detail.transition_buttons


def test_legal_approves_and_the_signature_is_valid(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = requested(world)
    page = make_page(world.me("legal.zhao"))
    assert page.awaiting == [number]
    open_in(qtbot, page, runner, number)
    detail = page.detail_view
    assert detail.approve_button.isVisible() and detail.hold_button.isVisible()
    assert detail.transition_buttons == {}
    detail.approve_button.click()
    assert detail.decision_dialog is not None and detail.decision_dialog.ok_button.isEnabled()
    with qtbot.waitSignal(detail.changed, timeout=TIMEOUT_MS):
        detail.decision_dialog.accept()
    settle(qtbot, runner)
    rows = detail.tabs.approvals_model.rows
    assert [(a.step, a.decision, a.username) for a in rows] == [
        ("investigation", "approved", "legal.zhao")
    ]
    model = detail.tabs.approvals_model
    texts = [model.index(0, col).data() for col in range(model.columnCount())]
    assert "有效" in texts and "调查" in texts and "法务" in texts
    with qtbot.waitSignal(page.cases_loaded, timeout=TIMEOUT_MS):
        page.show_list()
    assert page.awaiting == []


def test_a_rejection_needs_a_note(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = requested(world)
    page = make_page(world.me("legal.zhao"))
    open_in(qtbot, page, runner, number)
    detail = page.detail_view
    detail.reject_button.click()
    dialog = detail.decision_dialog
    assert dialog is not None and not dialog.ok_button.isEnabled()
    dialog.set_note("证据不足")
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(detail.changed, timeout=TIMEOUT_MS):
        dialog.accept()
    settle(qtbot, runner)
    assert detail.case is not None and detail.case.state.value == "rejected"


def test_the_subjects_manager_sees_awaiting_my_approval(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage]
) -> None:
    number = requested(world)
    draft(world)  # another case, not waiting for anyone
    # Matched by user id: the manager's display name ("mgr.wang") is not his name (王经理).
    wang = world.me("mgr.wang")
    assert wang.display_name != "王经理"
    page = make_page(wang)
    assert page.awaiting == [number]
    page.list_view.awaiting_filter.setChecked(True)
    assert [c.number for c in page.list_view.visible_cases()] == [number]
    other = make_page(world.me("mgr.liu"))
    assert other.awaiting == []
    # Legal approvals are for any legal user.
    assert make_page(world.me("legal.qian")).awaiting == [number]


def test_legal_hold_asks_for_a_reason_and_a_confirmation_and_shows_plainly(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = draft(world)
    page = make_page(world.me("legal.zhao"))
    open_in(qtbot, page, runner, number)
    detail = page.detail_view
    assert detail.hold_button.text() == "设置法律保全…" and detail.hold_banner.isHidden()
    detail.hold_button.click()
    dialog = detail.hold_dialog
    assert dialog is not None and dialog.isVisible() and dialog.on
    assert not dialog.ok_button.isEnabled()
    dialog.set_reason("劳动仲裁（沪劳仲〔2026〕88号）待审")
    assert not dialog.ok_button.isEnabled()  # the confirmation is still missing
    dialog.confirm_box.setChecked(True)
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(detail.changed, timeout=TIMEOUT_MS):
        dialog.ok_button.click()
    settle(qtbot, runner)
    assert detail.case is not None and detail.case.legal_hold
    assert not detail.hold_banner.isHidden()
    banner = detail.hold_banner.text()
    assert "法律保全中" in banner and "沪劳仲〔2026〕88号" in banner and "legal.zhao" in banner
    assert "法律保全：开启" in detail.facts_label.text()
    assert detail.hold_button.text() == "解除法律保全…"

    # Lifting it asks again; cancelling changes nothing.
    detail.hold_button.click()
    lifting = detail.hold_dialog
    assert lifting is not None and not lifting.on and lifting is not dialog
    lifting.reject()
    assert detail.case.legal_hold
    detail.hold_button.click()
    lifting = detail.hold_dialog
    assert lifting is not None
    lifting.set_reason("仲裁已结案")
    lifting.confirm_box.setChecked(True)
    with qtbot.waitSignal(detail.changed, timeout=TIMEOUT_MS):
        lifting.accept()
    settle(qtbot, runner)
    assert detail.case is not None and not detail.case.legal_hold
    assert detail.hold_banner.isHidden()
    reasons = [e.detail.get("reason") for e in detail.detail.timeline if e.kind == "legal_hold"]
    assert reasons == ["劳动仲裁（沪劳仲〔2026〕88号）待审", "仲裁已结案"]

    # HR does not set holds: the button is not offered.
    hr = make_page(world.me("hr.li"))
    open_in(qtbot, hr, runner, number)
    assert hr.detail_view.hold_button.isHidden()


def test_a_stale_case_is_reloaded_with_a_banner(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = draft(world)
    hr = world.me("hr.li")
    page = make_page(hr)
    open_in(qtbot, page, runner, number)
    detail = page.detail_view
    world.cases.add_note(hr, number, "someone else's note", world.cases.view(hr, number).revision)
    detail.tabs.note_edit.setPlainText("我的备注")
    with qtbot.waitSignal(detail.loaded, timeout=TIMEOUT_MS):
        detail.tabs.add_note_button.click()
    settle(qtbot, runner)
    assert "有人修改了此案件" in detail.banner.text()
    assert [n.text for n in detail.tabs.notes_model.rows] == ["someone else's note"]
    with qtbot.waitSignal(detail.changed, timeout=TIMEOUT_MS):
        detail.tabs.add_note_button.click()
    settle(qtbot, runner)
    assert [n.text for n in detail.tabs.notes_model.rows] == ["someone else's note", "我的备注"]
    assert detail.tabs.note_text() == ""


def test_timeline_details_show_stored_codes_in_words() -> None:
    from workstation.gui.cases.labels import disposition_label, finding_label
    from workstation.gui.cases.timeline_text import detail_text

    tr = Translator("zh_CN")
    text = detail_text({"reason": "严重违纪", "disposition": "termination", "id": 7}, tr)
    assert text == f"{disposition_label(tr, 'termination')}；严重违纪"
    assert "termination" not in text
    assert detail_text({"finding": "substantiated"}, tr) == finding_label(tr, "substantiated")
    assert detail_text({"finding": "substantiated"}) == "substantiated"


def test_cases_catalog_has_no_unused_entries() -> None:
    import json

    from test_translations import marked_strings

    from workstation.config import resources_dir

    path = resources_dir() / "translations" / "cases.zh_CN.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(set(entries) - set(marked_strings())) == []
