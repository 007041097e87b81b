"""The case service's English texts have Chinese: every refusal it can raise (found by reading
its source, so a new ``raise`` without a pattern fails here), the rules a transition names,
the titles it gives evidence, and where a manager approval goes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from case_world import CaseWorld
from message_scan import CASE_REFUSALS, call_name, messages

from workstation.app import App
from workstation.cases.case_text import case_text, is_translated
from workstation.cases.snapshots import EvidenceKind
from workstation.domain import cases as domain_cases

ROOT = Path(__file__).resolve().parents[2] / "workstation"
#: Where the case service's refusals are made (and the permission refusals it passes on).
MODULES = [
    *sorted((ROOT / "cases").glob("*.py")),
    ROOT / "domain" / "cases.py",
    ROOT / "domain" / "case_approvals.py",
    ROOT / "domain" / "alerts.py",
    ROOT / "security" / "permissions.py",
    ROOT / "reports" / "document_data.py",
]
#: Not the case service's own words (retention and documents have their own messages).
SKIPPED = {"retention.py", "documents.py", "archive.py", "case_text.py"}
REFUSALS = CASE_REFUSALS


def refusal_messages() -> list[tuple[str, str]]:
    return [m for path in MODULES if path.name not in SKIPPED for m in messages(path, REFUSALS)]


def test_the_scan_finds_the_refusals() -> None:
    found = refusal_messages()
    texts = {text for _, text in found}
    assert len(found) > 70
    assert "a rejection needs a note saying why" in texts
    assert any(t.startswith("case draft was changed by someone else") for t in texts)
    assert "the case is already on legal hold" in texts and "the case is not on legal hold" in texts


@pytest.mark.parametrize(("where", "message"), refusal_messages())
def test_every_refusal_has_chinese(where: str, message: str) -> None:
    assert is_translated(message, "zh_CN"), f"{where}: add a pattern for {message!r}"
    assert case_text(message, "en") == message


def test_transition_rules_and_missing_document_data_are_terms() -> None:
    rules = [
        v.description
        for v in vars(domain_cases).values()
        if isinstance(v, domain_cases.Precondition)
    ]
    assert len(rules) >= 15
    for rule in rules:
        message = f"cannot move the case from draft to investigation_requested until {rule}"
        chinese = case_text(message, "zh_CN")
        assert re.search(r"[a-z]{3}", chinese) is None, chinese
    both = "; ".join(rules[:3])
    assert "；" in case_text(f"cannot move the case from draft to closed until {both}", "zh_CN")
    tree = ast.parse((ROOT / "reports" / "document_data.py").read_text(encoding="utf-8"))
    needs = [
        n.args[1].value
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and call_name(n.func) == "need"
        and isinstance(n.args[1], ast.Constant)
    ]
    assert len(needs) >= 8
    for missing in needs:
        text = case_text(f"cannot generate termination_notice for case CW-1: {missing}", "zh_CN")
        assert re.search(r"[a-z]{3}", text) is None, text


def test_some_messages_read_right() -> None:
    assert case_text("the case is closed: reopen it before you add a note", "zh_CN") == (
        "案件当前为“已结案”：请先重新打开案件，再添加备注"
    )
    route = "the manager approval of this case goes to 谢文秀 (the subject's manager)"
    assert case_text(route, "zh_CN") == "本案的经理审批应由谢文秀（调查对象的直属经理）给出"
    assert case_text("hr.zhou (hr_officer) may not approve cases", "zh_CN") == (
        "hr.zhou（人力资源专员）无权审批案件"
    )
    assert case_text("something nobody wrote a pattern for", "zh_CN") == (
        "something nobody wrote a pattern for"
    )


@pytest.fixture
def world(app: App) -> CaseWorld:
    return CaseWorld(app.uow, app.evidence)


def test_evidence_titles_have_chinese(world: CaseWorld, tmp_path: Path) -> None:
    cs, hr = world.cases, world.me("hr.li")
    case = cs.open_case(hr, None, "客户流失", alert_id=world.rec["alert"])
    rev = cs.view(hr, case.number).revision
    rev = cs.link_record(hr, case.number, EvidenceKind.COMMUNICATION, "1", rev).case.revision
    file = tmp_path / "约谈记录.txt"
    file.write_text("记录", encoding="utf-8")
    cs.link_file(hr, case.number, file, rev)
    titles = [e.title for e in cs.get(hr, case.number).evidence]
    assert len(titles) >= 6
    for title in titles:
        assert is_translated(title, "zh_CN"), title
    chinese = [case_text(t, "zh_CN") for t in titles]
    assert "文件 约谈记录.txt" in chinese
    assert any(t.startswith("预警 #") for t in chinese)
