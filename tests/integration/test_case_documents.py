"""The case documents as PDF: every kind in both locales renders, passes qpdf, embeds every
font, carries the key facts as extractable text, and is the same bytes for the same data.
Templates are editable: an edit changes the output, a bad placeholder is a clear error."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from workstation.domain.clock import company_zone
from workstation.reports.document_data import (
    AllegationInfo,
    ApprovalInfo,
    CaseDocumentData,
    CompanyInfo,
    DocumentDataError,
    DocumentKind,
    EvidenceInfo,
    PersonInfo,
    RecipientInfo,
    RuleInfo,
)
from workstation.reports.pdf_documents import render_document
from workstation.reports.templates import TemplateError, default_templates_dir

LOCALES = ("zh_CN", "en")
FINGERPRINT = "5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f"
SHA = "3f8a9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b"

TEXT = {
    "zh_CN": {
        "title": "王磊涉嫌将客户订单转移至竞争对手",
        "name": "王磊",
        "department": "华东销售部",
        "position": "高级销售代表",
        "company": "上海恒通医疗器械有限公司",
        "address": "上海市浦东新区张江路 88 号",
        "legal_rep": "陈建国",
        "union": "上海恒通医疗器械有限公司工会委员会",
        "commission": "上海市浦东新区劳动人事争议仲裁委员会",
        "hr": "李娜",
        "facts": "2026年7月至9月期间，您多次在工作时间前往竞争对手苏州康达医疗的办公地点，"
        "并将公司客户“仁和医院”的两笔在谈订单（合计人民币 86 万元）转由竞争对手签约。",
        "allegation1": "将客户“仁和医院”的两笔在谈订单转由竞争对手签约",
        "note1": "订单记录与客户确认函一致",
        "allegation2": "虚报客户拜访记录",
        "rulebook": "员工手册",
        "article": "第七章第三条",
        "rule": "员工不得将公司客户、订单或商业机会转让、介绍给竞争对手。",
        "evidence": "订单 SO-2026-08812",
        "manager": "赵强",
        "legal": "周敏",
        "approval_note": "同意立案调查",
    },
    "en": {
        "title": "Wang Lei suspected of diverting customer orders to a competitor",
        "name": "Wang Lei",
        "department": "East China Sales",
        "position": "Senior sales representative",
        "company": "Shanghai Hengtong Medical Devices Co., Ltd.",
        "address": "88 Zhangjiang Road, Pudong, Shanghai",
        "legal_rep": "Chen Jianguo",
        "union": "Trade Union Committee of Shanghai Hengtong Medical Devices Co., Ltd.",
        "commission": "Pudong New Area Labour and Personnel Dispute Arbitration Commission",
        "hr": "Li Na",
        "facts": "Between July and September 2026 you repeatedly visited the offices of the "
        "competitor Suzhou Kangda Medical during working hours and had two orders of Renhe "
        "Hospital (RMB 0.86 million) signed by the competitor.",
        "allegation1": "Had two orders of Renhe Hospital signed by a competitor",
        "note1": "order records match the customer's confirmation letter",
        "allegation2": "Reported customer visits that did not take place",
        "rulebook": "Employee Handbook",
        "article": "chapter 7, article 3",
        "rule": "Employees must not transfer the company's customers or orders to a competitor.",
        "evidence": "Order SO-2026-08812",
        "manager": "Zhao Qiang",
        "legal": "Zhou Min",
        "approval_note": "Agree to investigate",
    },
}

#: What each document must say, per locale, beyond the names every document carries.
KEY_FACTS = {
    ("termination_notice", "zh_CN"): [
        "解除劳动合同通知书",
        "第三十九条第（二）项",
        "2026年10月31日起解除",
        "2026年10月22日",
        "第四十三条",
        "上海市浦东新区劳动人事争议仲裁委员会申请劳动争议仲裁",
        "一年内",
        "签收回执",
    ],
    ("termination_notice", "en"): [
        "Notice of Termination of the Labour Contract",
        "article 39 (2)",
        "with effect from 31 October 2026",
        "On 22 October 2026",
        "article 43",
        "arbitration",
        "within one year",
        "Acknowledgement of receipt",
    ],
    ("union_notification", "zh_CN"): [
        "第四十三条",
        "第三十九条第（二）项",
        SHA[:24],
        "工会签收回执",
    ],
    ("union_notification", "en"): ["article 43", "Article 39 (2)", SHA[:24], "acknowledgement"],
    ("investigation_request", "zh_CN"): ["调查申请书", "赵强", "周敏", "个人信息保护法", SHA[:24]],
    ("investigation_request", "en"): ["Investigation Request", "Zhao Qiang", "Zhou Min", SHA[:24]],
    ("approval_sheet", "zh_CN"): [
        "案件审批表",
        "立案调查",
        "同意",
        FINGERPRINT[:24],
        "2026年9月3日",
    ],
    ("approval_sheet", "en"): ["Case Approval Sheet", "Approved", FINGERPRINT[:24], "3 September"],
}
# (a checksum wraps inside its table cell, and text extraction interleaves the cells' lines,
# so only its first part is looked for)


def sample(kind: str, locale: str = "zh_CN") -> CaseDocumentData:
    t = TEXT[locale]
    return CaseDocumentData(
        kind=DocumentKind(kind),
        locale=locale,
        case_number="CW-2026-0007",
        title=t["title"],
        opened_on=date(2026, 9, 2),
        subject=PersonInfo(
            name=t["name"],
            employee_no="S-0142",
            department=t["department"],
            title=t["position"],
            hire_date=date(2019, 3, 1),
            id_number="310101199001011234",
        ),
        company=CompanyInfo(
            name=t["company"],
            address=t["address"],
            legal_representative=t["legal_rep"],
            union_name=t["union"],
            arbitration_commission=t["commission"],
        ),
        hr_officer=t["hr"],
        issued_on=date(2026, 10, 28),
        generated_at=datetime(2026, 10, 28, 6, 30, tzinfo=UTC),
        zone=company_zone(),
        facts=t["facts"],
        alert_ref="A-2026-0042",
        allegations=(
            AllegationInfo(text=t["allegation1"], finding="substantiated", finding_note=t["note1"]),
            AllegationInfo(text=t["allegation2"], finding="inconclusive"),
        ),
        rules=(RuleInfo(document=t["rulebook"], article=t["article"], text=t["rule"]),),
        evidence=(
            EvidenceInfo(
                title=t["evidence"],
                kind="order",
                sha256=SHA,
                linked_at=datetime(2026, 9, 10, 2, 0, tzinfo=UTC),
            ),
        ),
        approvals=(
            ApprovalInfo(
                step="investigation",
                role="sales_manager",
                signer=t["manager"],
                decision="approved",
                signed_at=datetime(2026, 9, 3, 1, 15, tzinfo=UTC),
                note=t["approval_note"],
                signature_fingerprint=FINGERPRINT,
            ),
            ApprovalInfo(
                step="decision",
                role="legal",
                signer=t["legal"],
                decision="approved",
                signed_at=datetime(2026, 10, 20, 8, 5, tzinfo=UTC),
            ),
        ),
        recipients=(
            RecipientInfo(name=t["manager"], role="sales_manager"),
            RecipientInfo(name=t["legal"], role="legal"),
        ),
        disposition="termination",
        disposition_reason="LCL 39 (2)",
        effective_date=date(2026, 10, 31),
        handover_by=date(2026, 10, 30),
        union_notified_on=date(2026, 10, 22),
        union_notice_ref="HT-GH-2026-011",
        union_reply_by=date(2026, 10, 27),
    )


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt install qpdf poppler-utils); check skipped")
    return path


def _write(tmp_path: Path, pdf: bytes, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def _text(path: Path) -> str:
    """The PDF's text with all whitespace removed, so wrapped lines still match."""
    done = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return re.sub(r"\s+", "", done.stdout)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


KINDS = [kind.value for kind in DocumentKind]


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], bytes]:
    return {(k, loc): render_document(sample(k, loc)) for k in KINDS for loc in LOCALES}


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", KINDS)
def test_document_passes_qpdf(rendered, tmp_path: Path, kind: str, locale: str) -> None:
    pdf = rendered[(kind, locale)]
    assert pdf.startswith(b"%PDF-")
    done = subprocess.run(
        [_tool("qpdf"), "--check", str(_write(tmp_path, pdf))], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", KINDS)
def test_every_font_is_embedded(rendered, tmp_path: Path, kind: str, locale: str) -> None:
    done = subprocess.run(
        [_tool("pdffonts"), str(_write(tmp_path, rendered[(kind, locale)]))],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = done.stdout.splitlines()[2:]
    assert rows, done.stdout
    for row in rows:
        columns = row.split()
        # name type encoding emb sub uni object ID  ("TrueType" is one word)
        assert columns[-5] == "yes", f"font not embedded: {row}"
        assert "WenQuanYi" in columns[0], row


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", KINDS)
def test_text_holds_the_key_facts(rendered, tmp_path: Path, kind: str, locale: str) -> None:
    text = _text(_write(tmp_path, rendered[(kind, locale)]))
    t = TEXT[locale]
    common = ["CW-2026-0007", t["name"], t["company"]]
    for fact in common + KEY_FACTS[(kind, locale)]:
        assert _squash(fact) in text, f"{kind}.{locale} lacks {fact!r}"
    pages = re.findall(r"第(\d+)页/共(\d+)页" if locale == "zh_CN" else r"Page(\d+)of(\d+)", text)
    assert pages and pages[0] == ("1", pages[0][1])
    assert [int(n) for n, _ in pages] == list(range(1, int(pages[0][1]) + 1))
    if kind in ("termination_notice", "union_notification"):
        assert _squash(t["facts"]) in text and _squash(t["rule"]) in text
        assert _squash(t["allegation1"]) in text
        # only substantiated allegations are grounds for the termination
        assert _squash(t["allegation2"]) not in text


@pytest.mark.parametrize("locale", LOCALES)
def test_metadata(rendered, locale: str) -> None:
    info = PdfFileReader(io.BytesIO(rendered[("termination_notice", locale)])).trailer["/Info"]
    title = "解除劳动合同通知书" if locale == "zh_CN" else "Notice of Termination"
    assert title in str(info["/Title"])
    assert str(info["/Author"]) == TEXT[locale]["company"]
    assert "CW-2026-0007" in str(info["/Subject"])
    assert str(info["/CreationDate"]).startswith("D:20261028143000+08")


def test_same_data_gives_the_same_bytes(rendered) -> None:
    data = sample("termination_notice")
    assert render_document(data) == rendered[("termination_notice", "zh_CN")]
    script = (
        "import hashlib, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_case_documents import sample\n"
        "from workstation.reports.pdf_documents import render_document\n"
        "print(hashlib.sha256(render_document(sample('termination_notice'))).hexdigest())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    expected = hashlib.sha256(rendered[("termination_notice", "zh_CN")]).hexdigest()
    assert done.stdout.strip() == expected
    later = replace(data, generated_at=datetime(2026, 10, 29, 6, 30, tzinfo=UTC))
    assert render_document(later) != rendered[("termination_notice", "zh_CN")]


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), folder)
    return folder


def test_an_edited_template_changes_the_document(templates: Path, tmp_path: Path) -> None:
    path = templates / "termination_notice.zh_CN.md"
    text = path.read_text(encoding="utf-8")
    added = "请您在收到本通知后携带工牌到人力资源部{document.hr_officer}处办理离职手续。"
    path.write_text(text.replace("特此通知。", added + "\n\n特此通知。"), encoding="utf-8")
    data = sample("termination_notice")
    edited = render_document(data, templates_dir=templates)
    assert edited != render_document(data)
    assert "请您在收到本通知后携带工牌到人力资源部李娜处办理离职手续" in _text(
        _write(tmp_path, edited)
    )


def test_an_unknown_placeholder_names_template_line_and_placeholder(templates: Path) -> None:
    path = templates / "termination_notice.en.md"
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("This English text"))
    lines[index] += " Badge: {subject.badge_no}."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        render_document(sample("termination_notice", "en"), templates_dir=templates)
    error = caught.value
    assert (error.template, error.line, error.placeholder) == (
        "termination_notice.en.md",
        index + 1,
        "subject.badge_no",
    )
    message = str(error)
    assert f"termination_notice.en.md, line {index + 1}" in message
    assert "{subject.badge_no}" in message and "subject.employee_no" in message


def test_an_empty_value_is_an_error_not_a_blank(templates: Path) -> None:
    path = templates / "union_notification.zh_CN.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n回复期限：{union.reply_by}\n", encoding="utf-8"
    )
    data = replace(sample("union_notification"), union_reply_by=None)
    with pytest.raises(TemplateError, match=r"\{union\.reply_by\} has no value"):
        render_document(data, templates_dir=templates)


def test_a_termination_notice_needs_the_union_notified_first() -> None:
    data = replace(sample("termination_notice"), union_notified_on=None)
    with pytest.raises(DocumentDataError, match="union was notified"):
        render_document(data)
    late = replace(sample("termination_notice"), union_notified_on=date(2026, 11, 2))
    with pytest.raises(DocumentDataError, match="before the termination takes effect"):
        render_document(late)
    unproven = replace(
        sample("termination_notice"), allegations=(AllegationInfo(text="x", finding=None),)
    )
    with pytest.raises(DocumentDataError, match="substantiated"):
        render_document(unproven)


def test_a_code_without_a_label_is_an_error() -> None:
    data = sample("approval_sheet")
    odd = replace(data.evidence[0], kind="carrier_pigeon")
    with pytest.raises(TemplateError, match=r'"evidence_kinds" has no label for "carrier_pigeon"'):
        render_document(replace(data, evidence=(odd,)))


def test_markup_in_values_is_printed_not_interpreted(tmp_path: Path) -> None:
    data = sample("approval_sheet", "en")
    company = replace(data.company, name="Hengtong <b>R&D</b> | **Ltd**")
    pdf = render_document(replace(data, company=company))
    assert _squash("Hengtong <b>R&D</b> | **Ltd**") in _text(_write(tmp_path, pdf))


def test_empty_lists_use_the_else_text(tmp_path: Path) -> None:
    data = replace(sample("approval_sheet"), approvals=(), evidence=())
    text = _text(_write(tmp_path, render_document(data)))
    assert "本案尚无审批记录" in text and "电子签名" not in text


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        replace(sample("approval_sheet"), generated_at=datetime(2026, 10, 28, 14, 30))


def _page_texts(path: Path) -> list[str]:
    done = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [_squash(page) for page in done.stdout.split("\f") if page.strip()]


def _many_evidence(kind: str, count: int = 40) -> CaseDocumentData:
    data = sample(kind)
    items = tuple(
        replace(data.evidence[0], title=f"订单 SO-2026-{i:05d}", sha256=f"{i:02d}" * 32)
        for i in range(count)
    )
    return replace(data, evidence=items)


def test_a_long_evidence_table_starts_below_its_heading_and_keeps_each_row_whole(
    tmp_path: Path,
) -> None:
    data = _many_evidence("investigation_request")
    pages = _page_texts(_write(tmp_path, render_document(data)))
    # the heading does not drag the whole table to page 2, leaving page 1 half empty
    assert "四、已固定的证据" in pages[0] and "订单SO-2026-00000" in pages[0]
    for item in data.evidence:
        [page] = [p for p in pages if _squash(item.title) in p]
        assert item.sha256 in page, f"{item.title} is split from its checksum"


def test_a_tear_off_receipt_stays_on_one_page(tmp_path: Path) -> None:
    for count in range(36, 46):  # the receipt falls at different places on the page
        pages = _page_texts(
            _write(tmp_path, render_document(_many_evidence("union_notification", count)))
        )
        [receipt] = [p for p in pages if "工会签收回执" in p]
        assert "工会签收人" in receipt and "（盖章）" in receipt.split("工会签收回执")[1]
