"""The evidence dossier as PDF, from plain data: sound (qpdf), every font embedded, every fact
and checksum printed, long text wrapped and split rather than lost, each evidence entry kept on
one page, problems flagged, and the same bytes for the same data."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from workstation.domain.clock import company_zone
from workstation.reports.document_data import CompanyInfo, PersonInfo
from workstation.reports.dossier_data import (
    CustodyEntry,
    DossierAllegation,
    DossierApproval,
    DossierData,
    DossierDocument,
    DossierEvent,
    DossierEvidence,
    DossierParty,
    evidence_list_sha256,
)
from workstation.reports.pdf_dossier import render_dossier
from workstation.reports.templates import TemplateError, default_templates_dir
from workstation.store.sealed_checkpoint import SealedCheckpoint

T = datetime(2026, 10, 28, 6, 30, tzinfo=UTC)
FINGERPRINT = "ab" * 32
#: A checkpoint's signature as the seal writes it (ECDSA P-256, DER, base64: 96 characters).
SIGNATURE = "MEUCIQ" + "Dk3x9Yq+Lr/7Tw" * 6 + "AiB2dXo="


def _sha(i: int) -> str:
    return hashlib.sha256(f"evidence {i}".encode()).hexdigest()


def evidence(count: int, title: str = "订单 SO-2026-0881") -> tuple[DossierEvidence, ...]:
    return tuple(
        DossierEvidence(
            number=100 + i,
            title=f"{title}{i:03d}",
            kind="order",
            key=str(5000 + i),
            linked_by="hr.li",
            linked_at=T,
            sha256=_sha(i),
            intact=True,
            custody=(
                CustodyEntry(action="added", at=T, actor="hr.li"),
                CustodyEntry(action="viewed", at=T + timedelta(hours=2), actor="legal.zhou"),
            ),
        )
        for i in range(count)
    )


def sample(locale: str = "zh_CN", count: int = 3) -> DossierData:
    return DossierData(
        locale=locale,
        case_number="CW-2026-0007",
        title="王磊涉嫌将客户订单转移至竞争对手",
        company=CompanyInfo(
            name="上海恒通医疗器械有限公司",
            address="上海市浦东新区张江路 88 号",
            legal_representative="陈建国",
            union_name="上海恒通医疗器械有限公司工会委员会",
        ),
        subject=PersonInfo(
            name="王磊", employee_no="S-0142", department="华东销售部", title="高级销售代表"
        ),
        state="notice_served",
        opened_at=T - timedelta(days=40),
        opened_by="hr.li",
        updated_at=T,
        disposition="termination",
        disposition_reason="严重违反规章制度",
        alert_ref="#42",
        union_notified_at=T - timedelta(days=3),
        union_notice_ref="HT-GH-2026-011",
        notice_served_at=T - timedelta(days=1),
        revision=31,
        generated_by="李娜",
        generated_by_username="hr.li",
        generated_at=T,
        zone=company_zone(),
        parties=(DossierParty(role="witness", name="张伟", note="客户采购经理"),),
        allegations=(
            DossierAllegation(
                text="将客户“仁和医院”的两笔在谈订单转由竞争对手签约",
                finding="substantiated",
                finding_note="订单记录与客户确认函一致",
                created_by="hr.li",
                created_at=T - timedelta(days=40),
                found_by="hr.li",
                found_at=T - timedelta(days=10),
                customer="仁和医院",
                competitor="苏州康达医疗",
            ),
        ),
        evidence=evidence(count),
        timeline=(
            DossierEvent(at=T, actor="hr.li", kind="opened", detail={"title": "立案"}),
            DossierEvent(
                at=T,
                actor="hr.li",
                kind="transition",
                from_state="findings_recorded",
                to_state="disposition_proposed",
                detail={"disposition": "termination", "reason": "严重违纪"},
            ),
            DossierEvent(at=T, actor="robot", kind="brand_new_kind", detail={}),
        ),
        approvals=(
            DossierApproval(
                step="disposition",
                decision="approved",
                role="legal",
                username="legal.zhou",
                signer_name="周敏",
                signed_at=T,
                note="同意",
                valid=True,
                reason="signature and payload intact",
                certificate_fingerprint=FINGERPRINT,
            ),
        ),
        documents=(
            DossierDocument(
                kind="termination_notice",
                locale="zh_CN",
                created_at=T,
                created_by="hr.li",
                sha256=_sha(999),
            ),
        ),
        audit_anchor=f"4711:{_sha(4711)}",
        audit_checkpoint=SealedCheckpoint(
            checkpoint_id=88,
            entry_id=4711,
            chain_hash=_sha(4711),
            entry_count=4702,
            at=T,
            reason="case.dossier",
            seal_fingerprint=_sha(88),
            signature=SIGNATURE,
            public_key_pem=None,
            payload="{}",
        ),
    )


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt qpdf poppler-utils)")
    return path


def _write(tmp_path: Path, pdf: bytes) -> Path:
    path = tmp_path / "dossier.pdf"
    path.write_bytes(pdf)
    return path


def _pages(path: Path) -> list[str]:
    """The text of each page, whitespace removed."""
    done = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [re.sub(r"\s+", "", page) for page in done.stdout.split("\f") if page.strip()]


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_sound_and_every_font_embedded(tmp_path: Path, locale: str) -> None:
    path = _write(tmp_path, render_dossier(sample(locale)))
    done = subprocess.run([_tool("qpdf"), "--check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0 and "No syntax or stream encoding errors" in done.stdout
    fonts = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows and all(r.split()[-5] == "yes" and "WenQuanYi" in r for r in rows), fonts.stdout


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_fact_is_printed(tmp_path: Path, locale: str) -> None:
    data = sample(locale)
    pages = _pages(_write(tmp_path, render_dossier(data)))
    text = "".join(pages)
    facts = [
        "CW-2026-0007", "王磊", "S-0142", "上海恒通医疗器械有限公司", "仁和医院", "苏州康达医疗",
        "订单记录与客户确认函一致", "张伟", "HT-GH-2026-011", "周敏", "legal.zhou", FINGERPRINT,
        "brand_new_kind", _sha(999), "李娜", f"4711:{_sha(4711)}",
        "workstationauditverify--anchor", SIGNATURE, "#88", _sha(88)[:16],
    ]  # fmt: skip
    facts += [e.sha256 for e in data.evidence] + [e.title.replace(" ", "") for e in data.evidence]
    facts += (
        ["案件证据材料汇编", "已送达通知", "属实", "有效", "严重违纪", "查看·legal.zhou"]
        if locale == "zh_CN"
        else ["CaseEvidenceDossier", "Noticeserved", "Substantiated", "valid", "viewed·legal.zhou"]
    )
    for fact in facts:
        assert fact in text, f"{locale} dossier lacks {fact!r}"
    listed = "".join(f"{e.sha256}\n" for e in data.evidence).encode("ascii")
    assert data.evidence_list_sha256 == hashlib.sha256(listed).hexdigest()
    assert text.count(data.evidence_list_sha256) == 2  # cover and closing statement
    pattern = r"第(\d+)页/共(\d+)页" if locale == "zh_CN" else r"Page(\d+)of(\d+)"
    numbers = [re.findall(pattern, page) for page in pages]
    assert [n for [(n, _)] in numbers] == [str(i) for i in range(1, len(pages) + 1)]
    assert {m for [(_, m)] in numbers} == {str(len(pages))}


def test_the_closing_checksum_is_what_sha256sum_gives() -> None:
    data = sample(count=5)
    printf, sha256sum = shutil.which("printf"), shutil.which("sha256sum")
    if printf is None or sha256sum is None:
        pytest.skip("printf or sha256sum missing")
    lines = subprocess.run(
        [printf, "%s\\n", *(e.sha256 for e in data.evidence)], capture_output=True, check=True
    ).stdout
    summed = subprocess.run([sha256sum], input=lines, capture_output=True, check=True)
    assert summed.stdout.decode().split()[0] == evidence_list_sha256(data.evidence)


def test_each_evidence_entry_stays_on_one_page(tmp_path: Path) -> None:
    data = sample(count=90)
    pages = _pages(_write(tmp_path, render_dossier(data)))
    assert len(pages) >= 8
    for item in data.evidence:
        [title_page] = [i for i, p in enumerate(pages) if item.title.replace(" ", "") in p]
        assert item.sha256 in pages[title_page], f"{item.title} is split from its checksum"
        assert f"证据编号#{item.number}" in pages[title_page]


def test_text_longer_than_a_page_is_split_not_lost(tmp_path: Path) -> None:
    long_title = "客户转移记录" * 400
    long_note = "约谈笔录摘要：" + "当事人承认将订单转交竞争对手。" * 300
    data = sample(count=2)
    note = DossierEvent(at=T, actor="hr.li", kind="note_added", detail={"text": long_note})
    data = replace(
        data,
        evidence=(replace(data.evidence[0], title=long_title), data.evidence[1]),
        timeline=(*data.timeline, note),
    )
    pages = _pages(_write(tmp_path, render_dossier(data)))
    text = "".join(pages)
    # all of it is there; where a page break cuts the text, the running header, the table's
    # repeated header row or another cell's text may come between two halves of a repetition
    breaks = len(pages) - 1
    assert 400 - breaks <= text.count("客户转移记录") <= 400
    assert 300 - breaks <= text.count("当事人承认将订单转交竞争对手。") <= 300
    assert data.evidence[0].sha256 in text and "证据编号#100" in text
    assert len(pages) >= 6


def test_problems_are_flagged(tmp_path: Path) -> None:
    data = sample()
    bad = replace(data.approvals[0], valid=False, reason="the signature does not match")
    altered = replace(data.evidence[1], intact=False)
    data = replace(data, approvals=(bad,), evidence=(data.evidence[0], altered, data.evidence[2]))
    text = "".join(_pages(_write(tmp_path, render_dossier(data))))
    assert "1项，其中1项验证无效" in text and "无效：thesignaturedoesnotmatch" in text
    assert "快照已被改动，与校验值不符" in text and "有1项的快照与其记录的校验值不符" in text
    assert "1项电子签名中有1项验证无效" in text


def test_same_data_same_bytes() -> None:
    data = sample()
    assert render_dossier(data) == render_dossier(data)
    assert render_dossier(replace(data, generated_at=T + timedelta(minutes=1))) != render_dossier(
        data
    )


def test_labels_without_the_dossier_words_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), folder)
    labels = folder / "labels.en.json"
    raw = json.loads(labels.read_text(encoding="utf-8"))
    del raw["events"]
    labels.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(TemplateError, match='"events" section'):
        render_dossier(sample("en"), templates_dir=folder)
    raw["events"] = {}
    del raw["dossier"]["closing_list"]
    labels.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(TemplateError, match="closing_list"):
        render_dossier(sample("en"), templates_dir=folder)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        replace(sample(), generated_at=datetime(2026, 10, 28, 14, 30))
