"""A case's notices cite the company rule its alert is about and state the facts it
established — a fake-field-work case cites the rule against faked field work, not the one
against diverting orders — and no value ends up doubling the template's punctuation."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from document_demo import walked_demo

from workstation.app import App
from workstation.cases.document_defaults import facts_of, rules_for_case
from workstation.demo.case_walkthrough import WalkedCase
from workstation.demo.company import DEMO_COMPANY, DEMO_FIELDWORK_RULE, DEMO_RULE
from workstation.domain.clock import company_zone
from workstation.reports.company_file import CompanyFile, CompanyFileError
from workstation.reports.document_data import (
    AllegationInfo,
    CaseDocumentData,
    DocumentKind,
    EvidenceInfo,
    PersonInfo,
    RecipientInfo,
    RuleInfo,
)
from workstation.reports.pdf_documents import render_document

GENERAL = RuleInfo(document="员工手册", article="第三章第一条", text="遵守公司各项规章制度")
#: Two marks in a row that no careful writer prints (Chinese and English).
#: (An abbreviation's full stop before a comma is English: "Nanjing Sales Dept., ...".)
DOUBLED = re.compile(r"[。，；：、][。，；：、]|[,;:][.,;]|\.\.(?!\.)|\.;|[。，；][）)]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[App, WalkedCase]]:
    app, walked = walked_demo(tmp_path_factory)
    yield app, walked
    app.close()


def test_the_rules_a_case_cites_follow_its_alert() -> None:
    rules = (DEMO_RULE, DEMO_FIELDWORK_RULE, GENERAL)
    assert rules_for_case(rules, frozenset({"fake_fieldwork_rate"})) == (DEMO_FIELDWORK_RULE,)
    assert rules_for_case(rules, frozenset({"customer_churn_rate"})) == (DEMO_RULE,)
    assert rules_for_case(rules, frozenset()) == (GENERAL,)  # opened by hand
    assert rules_for_case((DEMO_RULE,), frozenset({"fake_fieldwork_rate"})) == ()


def test_the_diverters_case_and_a_fake_field_work_case(demo: tuple[App, WalkedCase]) -> None:
    app, walked = demo
    hr = app.session.current()
    assert hr is not None
    diverted = app.documents.defaults(hr, walked.number, "zh_CN")
    assert diverted.rules == (DEMO_RULE,)
    assert set(diverted.company_rules) == {DEMO_RULE, DEMO_FIELDWORK_RULE}
    assert (
        diverted.facts == "在职期间将公司客户及订单转给竞争对手（订单、轨迹与客户确认函相互印证）。"
    )

    alert = next(
        a
        for a in app.alerts.list_alerts(None)
        if any(r.rule == "fake_fieldwork" for r in a.rules) and a.case_id is None
    )
    app.alerts.start_review(alert.id, alert.revision)
    confirmed = app.alerts.confirm(alert.id, app.alerts.get(alert.id).revision)
    case = app.cases.open_case(
        hr, None, "虚假外勤", alert_id=alert.id, alert_revision=confirmed.revision
    )
    faked = app.documents.defaults(hr, case.number, "zh_CN")
    assert faked.rules == (DEMO_FIELDWORK_RULE,) and faked.facts is None


def _notice(kind: DocumentKind, locale: str) -> CaseDocumentData:
    """A notice whose values end with punctuation, as people type them."""
    zh = locale == "zh_CN"
    return CaseDocumentData(
        kind=kind,
        locale=locale,
        case_number="CW-2026-0042",
        title="孙超杰虚报外勤。" if zh else "False field visits.",
        opened_on=date(2026, 11, 2),
        subject=PersonInfo(
            name="孙超杰",
            employee_no="HD10917",
            department="南京销售部，" if zh else "Nanjing Sales Dept.",
            title="客户经理。" if zh else "Account Manager.",
            hire_date=date(2021, 3, 1),
        ),
        company=replace(DEMO_COMPANY, name=DEMO_COMPANY.name + ("。" if zh else ".")),
        hr_officer="周敏",
        issued_on=date(2026, 12, 1),
        generated_at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC),
        zone=company_zone(),
        facts="经查，孙超杰多次虚报外勤。" if zh else "He reported visits he never made.",
        allegations=(
            AllegationInfo(
                text="虚报客户拜访。" if zh else "False customer visits.",
                finding="substantiated",
                finding_note="打卡地点与轨迹不符。" if zh else "Check-ins far from his track.",
            ),
        ),
        rules=(replace(DEMO_FIELDWORK_RULE, text=DEMO_FIELDWORK_RULE.text + "。"),),
        evidence=(
            EvidenceInfo(
                title="打卡记录。",
                kind="checkin",
                sha256="a" * 64,
                linked_at=datetime(2026, 11, 3, tzinfo=UTC),
            ),
        ),
        recipients=(RecipientInfo(name="谢文秀。", role="sales_manager"),),
        disposition="termination",
        disposition_reason="严重违反规章制度。" if zh else "Serious breach of the rules.",
        effective_date=date(2026, 12, 15),
        union_notified_on=date(2026, 12, 2),
        union_notice_ref="工会函〔2026〕9号。",
    )


def _pdf_text(pdf: bytes) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed (apt poppler-utils)")
    done = subprocess.run([tool, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True)
    return re.sub(r"\s+", "", done.stdout.decode("utf-8"))


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
@pytest.mark.parametrize("kind", list(DocumentKind), ids=lambda k: k.value)
def test_no_doubled_punctuation_in_a_rendered_notice(kind: DocumentKind, locale: str) -> None:
    text = _pdf_text(render_document(_notice(kind, locale)))
    doubled = sorted({text[max(m.start() - 12, 0) : m.end() + 4] for m in DOUBLED.finditer(text)})
    assert doubled == [], doubled
    if kind is DocumentKind.TERMINATION_NOTICE and locale == "zh_CN":
        assert "经公司调查核实：经查，孙超杰多次虚报外勤。" in text  # the value's own 。 kept
        assert "（打卡地点与轨迹不符）" in text
        assert "“不得虚报外勤、伪造打卡或定位记录。”" in text  # a quoted sentence keeps its 。


def test_facts_read_as_sentences_without_doubled_marks(demo: tuple[App, WalkedCase]) -> None:
    app, walked = demo
    hr = app.session.current()
    assert hr is not None
    detail = app.cases.get(hr, walked.number)
    first = detail.allegations[0]
    noted = replace(
        detail,
        allegations=(
            replace(first, text="将客户转给对手。", finding_note="属实；"),
            replace(first, text="Took the order", finding_note=None),
            replace(first, text="未查实", finding="unsubstantiated"),
        ),
    )
    assert facts_of(noted, "zh_CN") == "将客户转给对手（属实）。Took the order。"
    assert facts_of(noted, "en") == "将客户转给对手 (属实). Took the order."


def test_a_company_rule_names_its_indicators(tmp_path: Path) -> None:
    source = CompanyFile(tmp_path / "company.json")
    source.path.write_text(
        '{"name": "甲", "address": "乙", "legal_representative": "丙", "union_name": "丁",'
        ' "rules": [{"document": "员工手册", "article": "第七章第五条", "text": "不得虚报外勤",'
        ' "indicators": ["fake_fieldwork_rate"]}, {"document": "员工手册", "article": "一",'
        ' "text": "守法"}]}',
        encoding="utf-8",
    )
    found = source.particulars()
    assert found is not None
    assert [r.indicators for r in found.rules] == [("fake_fieldwork_rate",), ()]
    source.save(found)
    assert source.particulars() == found
    raw = json.loads(source.path.read_text(encoding="utf-8"))
    raw["rules"][0]["indicators"] = "fake_fieldwork_rate"
    source.path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CompanyFileError, match=r"rules\[0\]\.indicators"):
        source.particulars()
