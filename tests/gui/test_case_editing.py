"""Opening a case by hand and editing it in the case view, on the real case service (the
integration tests' small company): the new-case dialog, parties, tasks, linking an imported
file, viewing evidence (a custody event), and which buttons each role sees."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from case_pages import TIMEOUT_MS, settle
from case_world import T0, CaseWorld

from workstation.gui.background import BackgroundRunner
from workstation.gui.cases.cases_page import CasesPage
from workstation.gui.cases.evidence_dialog import EvidenceDialog
from workstation.store.models import ImportBatch


def opened(qtbot: Any, signal: Any, action: Callable[[], object]) -> Any:
    with qtbot.waitSignal(signal, timeout=TIMEOUT_MS) as blocker:
        action()
    return blocker.args[0]


def saved(qtbot: Any, page: CasesPage, runner: BackgroundRunner, action: Callable[[], Any]) -> None:
    problems: list[str] = []
    page.detail_view.problem_shown.connect(problems.append)
    with qtbot.waitSignal(page.detail_view.changed, timeout=TIMEOUT_MS):
        action()
    settle(qtbot, runner)
    assert problems == []


def new_case(qtbot: Any, world: CaseWorld, page: CasesPage, runner: BackgroundRunner) -> str:
    dialog = opened(qtbot, page.dialog_opened, page.new_button.click)
    assert not dialog.ok_button.isEnabled()
    dialog.subject.setEditText("S001")  # not a whole item: nobody chosen yet
    dialog.set_title("客户流失")
    assert not dialog.ok_button.isEnabled()
    dialog.choose_employee(world.emp["zhang"])
    assert "张伟" in dialog.subject.currentText() and dialog.ok_button.isEnabled()
    dialog.set_summary("三家客户在两周内转到对手公司")
    with (
        qtbot.waitSignal(page.case_opened, timeout=TIMEOUT_MS),
        qtbot.waitSignal(page.case_created, timeout=TIMEOUT_MS) as created,
    ):
        dialog.accept()
    settle(qtbot, runner)
    return str(created.args[0].number)


def test_hr_opens_a_case_by_hand_with_a_summary(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    page = make_page(world.me("hr.li"))
    assert page.new_button.isVisible()
    number = new_case(qtbot, world, page, runner)
    detail = page.detail_view
    assert detail.case is not None and detail.case.subject_name == "张伟"
    assert detail.state_badge.text() == "草稿"
    assert [n.text for n in detail.tabs.notes_model.rows] == ["三家客户在两周内转到对手公司"]
    assert number in detail.title_label.text()
    # A draft: allegations yes, findings not yet; no approvals to give.
    tabs = detail.tabs
    assert not tabs.add_allegation_button.isHidden() and tabs.add_allegation_button.isEnabled()
    assert not tabs.finding_button.isEnabled()
    assert tabs.finding_button.toolTip() == "只能在调查中记录调查结论（案件当前为“草稿”）"
    assert detail.approve_button.isHidden() and detail.hold_button.isHidden()
    assert tabs.alternate_button.isHidden()
    assert tabs.generate_button.isHidden()  # no documents service given


def test_parties_tasks_and_an_allegation_about_a_customer(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    page = make_page(world.me("hr.li"))
    new_case(qtbot, world, page, runner)
    view = page.detail_view
    edits = view.edits

    allegation = opened(qtbot, edits.dialog_opened, view.tabs.add_allegation_button.click)
    assert not allegation.ok_button.isEnabled()
    allegation.set_text("将华东机电转给对手公司")
    allegation.customer.choose(world.rec["customer"])
    allegation.competitor.choose(world.rec["competitor"])
    saved(qtbot, page, runner, allegation.accept)
    row = view.tabs.allegations_model.rows[0]
    assert (row.customer_name, row.competitor_name) == ("华东机电", "对手公司")

    party = opened(qtbot, edits.dialog_opened, view.tabs.add_party_button.click)
    assert party.employee.findData(world.emp["zhang"]) < 0  # not the subject himself
    party.choose_employee(world.emp["sun"])
    party.set_role("witness")
    saved(qtbot, page, runner, party.accept)
    assert [(p.role, p.name) for p in view.tabs.parties_model.rows] == [("witness", "孙丽")]
    assert "证人" in view.tabs.parties_model.index(0, 0).data()

    task = opened(qtbot, edits.dialog_opened, view.tabs.add_task_button.click)
    task.set_title("调取客户合同")
    task.assignee.choose(world.me("hr.zhou").user_id)
    saved(qtbot, page, runner, task.accept)
    assert view.tabs.tasks_model.rows[0].assignee_name == "hr.zhou"
    assert not view.tabs.complete_task_button.isEnabled()
    view.tabs.select_row(view.tabs.tasks_table, 0)
    assert view.tabs.complete_task_button.isEnabled()
    saved(qtbot, page, runner, view.tabs.complete_task_button.click)
    assert view.tabs.tasks_model.rows[0].done_at is not None


def test_link_an_imported_file_and_view_it(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    with world.uow() as u:
        stored = world.evidence.add_bytes(u.session, b"name,no\n", "客户名单.csv", "hr.li")
        batch = ImportBatch(
            kind="customers",
            file_id=stored.id,
            file_name="客户名单.csv",
            started_at=T0,
            finished_at=T0,
            status="committed",
            rows_total=1,
            rows_accepted=1,
        )
        u.session.add(batch)
        u.commit()
        batch_id = batch.id
    page = make_page(world.me("hr.li"))
    new_case(qtbot, world, page, runner)
    view, files = page.detail_view, page.detail_view.files
    dialog = opened(qtbot, files.dialog_opened, view.tabs.link_import_button.click)
    assert "客户名单.csv" in dialog.batch.currentText()
    dialog.choose_batch(batch_id)
    saved(qtbot, page, runner, dialog.accept)
    model = view.tabs.evidence_model
    assert [e.kind for e in model.rows] == ["import_file"]
    assert model.index(0, 1).data() == "导入文件 客户名单.csv（客户，1 行）"

    view.tabs.select_row(view.tabs.evidence_table, 0)
    shown = opened(qtbot, files.dialog_opened, view.tabs.open_evidence_button.click)
    assert isinstance(shown, EvidenceDialog) and shown.open_button.isVisible()
    assert '"file_name": "客户名单.csv"' in shown.snapshot_view.toPlainText()
    settle(qtbot, runner)
    assert [c.action for c in model.rows[0].custody] == ["added", "viewed"]
    written: list[Path] = []
    files.opener.has_viewer = lambda _media_type: True
    files.opener.system_opener = lambda path: written.append(path) or True
    shown.open_button.click()
    assert written and written[0].read_bytes() == b"name,no\n"
    shown.close()

    # The stored file changed on disk: opening it is refused, naming it; nothing is shown.
    path = world.evidence.path_for(stored.sha256)
    path.chmod(0o600)
    path.write_bytes(b"name,no\nforged,1\n")
    dialogs: list[object] = []
    files.dialog_opened.connect(dialogs.append)
    with qtbot.waitSignal(view.problem_shown, timeout=TIMEOUT_MS) as problem:
        view.tabs.open_evidence_button.click()
    assert problem.args[0] == (
        f"无法读取文件：证据文件 '客户名单.csv' ({stored.sha256}) 与其 SHA-256 不再相符：磁盘上的"
        "文件已被改动"
    )
    settle(qtbot, runner)
    assert dialogs == [] and len(written) == 1
    assert [c.action for c in model.rows[0].custody] == ["added", "viewed"]


def test_each_role_sees_only_what_it_may_do(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    hr = world.me("hr.li")
    case = world.cases.open_case(hr, world.emp["zhang"], "客户流失")
    for username, expected in (
        ("audit", set()),
        ("admin", {"alternate"}),
        ("legal.zhao", {"hold"}),
        ("mgr.wang", set()),
        ("hr.li", {"transitions", "allegation", "task", "party", "link", "note"}),
    ):
        page = make_page(world.me(username))
        with qtbot.waitSignal(page.case_opened, timeout=TIMEOUT_MS):
            page.open_case(case.number)
        settle(qtbot, runner)
        view, tabs = page.detail_view, page.detail_view.tabs
        shown = {
            name
            for name, visible in (
                ("transitions", bool(view.transition_buttons)),
                ("allegation", not tabs.add_allegation_button.isHidden()),
                ("task", not tabs.add_task_button.isHidden()),
                ("party", not tabs.add_party_button.isHidden()),
                ("link", not tabs.link_file_button.isHidden()),
                ("note", not tabs.note_edit.isHidden()),
                ("alternate", not tabs.alternate_button.isHidden()),
                ("hold", not view.hold_button.isHidden()),
                ("approve", not view.approve_button.isHidden()),
            )
            if visible
        }
        assert shown == expected, username
        assert page.new_button.isHidden() == (username != "hr.li"), username


def test_refusals_and_titles_in_english(
    qtbot: Any, world: CaseWorld, make_page: Callable[..., CasesPage], runner: BackgroundRunner
) -> None:
    number = world.cases.open_case(world.me("hr.li"), world.emp["zhang"], "churn").number
    page = make_page(world.me("hr.li"), "en")
    with qtbot.waitSignal(page.case_opened, timeout=TIMEOUT_MS):
        page.open_case(number)
    settle(qtbot, runner)
    view = page.detail_view
    assert view.transition_buttons["investigation_requested"].text() == "Request investigation"
    request = view.transition_buttons["investigation_requested"]
    assert not request.isEnabled()
    assert request.toolTip().startswith("cannot move the case from “Draft”")


def test_the_next_step_names_states_not_their_codes() -> None:
    from workstation.gui.cases.labels import named_states
    from workstation.i18n import Translator

    reason = "cannot move the case from disposition_proposed to decided until legal approves"
    assert named_states(reason, Translator("en")) == (
        "cannot move the case from “Disposition proposed” to “Decided” until legal approves"
    )
