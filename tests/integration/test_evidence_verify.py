"""Evidence files checked where they lie: ``workstation evidence verify`` re-hashes the whole
store and names each changed, missing and extra file (its SHA-256, original name, size and
the cases linking it); a read of a changed or deleted file is refused naming it, and nothing
is written from it."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from acting import sign_in_as
from case_world import CaseWorld
from sqlalchemy import select

from workstation.app import App
from workstation.cli import main
from workstation.domain.enums import Role
from workstation.store.audit import verify_audit_chain
from workstation.store.evidence import EvidenceCorrupted
from workstation.store.models import AuditEntry, EvidenceFile


@pytest.fixture
def lite(app: App) -> CaseWorld:
    return CaseWorld(app.uow, app.evidence)


def _linked_file(w: CaseWorld, tmp_path: Path, name: str, data: bytes) -> tuple[str, int, str]:
    """A case with the file ``name`` linked as evidence: (case number, evidence id, sha)."""
    hr = w.me("hr.li")
    number = w.cases.open_case(hr, w.emp["zhang"], "t").number
    source = tmp_path / name
    source.write_bytes(data)
    linked = w.cases.link_file(hr, number, source, 1)
    sha = w.cases.get(hr, number).evidence[0]
    with w.uow() as u:
        file = u.session.get(EvidenceFile, sha.evidence_file_id)
        assert file is not None
        return number, linked.id, file.sha256


def _flip(path: Path, at: int = 3) -> None:
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _audit(app: App, action: str) -> list[dict[str, object]]:
    with app.uow() as uow:
        rows = uow.session.scalars(
            select(AuditEntry.details_json).where(AuditEntry.action == action)
        )
        return [json.loads(r) for r in rows]


def test_an_untouched_store_verifies_and_the_run_is_audited_once(
    app: App, lite: CaseWorld, tmp_path: Path
) -> None:
    _linked_file(lite, tmp_path, "合同.pdf", b"%PDF-1.4 contract")
    with app.uow() as uow:
        app.evidence.add_bytes(uow.session, b"chat log", "chat.txt", "hr.li")
        uow.commit()
    sign_in_as(app, Role.AUDITOR)
    report = app.evidence_check.verify_store()
    assert report.intact and (report.recorded, report.checked) == (2, 2)
    assert report.bytes_checked == len(b"%PDF-1.4 contract") + len(b"chat log")
    assert len(_audit(app, "evidence.verified")) == 1
    assert _audit(app, "evidence.read") == [], "the check does not count as reads of files"


def test_a_flipped_byte_a_deleted_file_and_a_stray_file_are_each_named(
    app: App, lite: CaseWorld, tmp_path: Path
) -> None:
    number, _, changed_sha = _linked_file(lite, tmp_path, "合同.pdf", b"%PDF-1.4 contract")
    with app.uow() as uow:
        gone = app.evidence.add_bytes(uow.session, b"track points", "轨迹.csv", "hr.li")
        uow.commit()
    _flip(app.evidence.path_for(changed_sha))
    app.evidence.path_for(gone.sha256).unlink()
    stray = app.evidence.root / "ab" / "left-here.txt"
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"not recorded")
    (app.evidence.incoming / "x.part").parent.mkdir(exist_ok=True)
    (app.evidence.incoming / "x.part").write_bytes(b"staging is not extra")

    sign_in_as(app, Role.ADMINISTRATOR)
    report = app.evidence_check.verify_store()
    assert not report.intact
    by_kind = {p.kind: p for p in report.problems}
    assert sorted(by_kind) == ["changed", "extra", "missing"] and len(report.problems) == 3
    changed = by_kind["changed"]
    assert (changed.sha256, changed.original_name, changed.cases) == (
        changed_sha,
        "合同.pdf",
        (number,),
    )
    assert changed.size_bytes == changed.found_size == len(b"%PDF-1.4 contract")
    assert changed.found_sha256 not in (None, changed_sha)
    missing = by_kind["missing"]
    assert (missing.sha256, missing.original_name, missing.size_bytes, missing.cases) == (
        gone.sha256,
        "轨迹.csv",
        len(b"track points"),
        (),
    )
    extra = by_kind["extra"]
    assert extra.path == str(stray) and extra.size_bytes == len(b"not recorded")
    [entry] = _audit(app, "evidence.verified")
    assert (entry["changed"], entry["missing"], entry["extra"]) == (1, 1, 1)
    with app.uow() as uow:
        assert verify_audit_chain(uow.session).intact


def test_the_command_names_the_files_and_exits_non_zero(
    settings_dir: Path, cli_as: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    cli_as(settings_dir, Role.AUDITOR)
    from workstation.app import open_app
    from workstation.config import load_settings

    app = open_app(load_settings(settings_dir))
    try:
        with app.uow() as uow:
            stored = app.evidence.add_bytes(uow.session, b"order export", "订单.xlsx", "hr")
            uow.commit()
    finally:
        app.close()
    base = ["--data-dir", str(settings_dir), "evidence", "verify"]
    assert main(base) == 0
    out = capsys.readouterr()
    assert "evidence intact: 1 files" in out.out
    assert "订单.xlsx" in out.err, "progress names the file on stderr"

    _flip(Path(settings_dir / "evidence" / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256))
    assert main([*base, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["intact"], report["changed"], report["missing"], report["extra"]) == (
        False,
        1,
        0,
        0,
    )
    [problem] = report["problems"]
    assert (problem["kind"], problem["sha256"], problem["original_name"]) == (
        "changed",
        stored.sha256,
        "订单.xlsx",
    )
    assert main(["--lang", "zh_CN", *base]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("已改动 订单.xlsx（" + stored.sha256)
    assert lines[-1] == "证据不完整：1 个被改动，0 个缺失，0 个多余（共记录 1 个文件）"


def test_a_user_without_audit_verify_is_refused(
    settings_dir: Path, cli_as: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    cli_as(settings_dir, Role.SALES_MANAGER)
    assert main(["--data-dir", str(settings_dir), "evidence", "verify"]) == 1
    err = capsys.readouterr().err
    assert "audit.verify" in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_reading_a_changed_or_deleted_file_is_refused_naming_it(
    lite: CaseWorld, tmp_path: Path
) -> None:
    w, cs, hr = lite, lite.cases, lite.me("hr.li")
    number, evidence_id, sha = _linked_file(w, tmp_path, "照片.jpg", b"\xff\xd8 a photo")
    path = w.evidence.path_for(sha)
    original = path.read_bytes()
    _flip(path)
    with pytest.raises(EvidenceCorrupted) as refused:
        cs.view_evidence(hr, number, evidence_id)
    assert refused.value.name == "照片.jpg" and refused.value.sha256 == sha
    assert "'照片.jpg'" in str(refused.value) and "changed on disk" in str(refused.value)
    out = tmp_path / "out"
    with pytest.raises(EvidenceCorrupted):
        cs.export_evidence(w.me("legal.zhao"), number, evidence_id, out)
    assert not out.exists() or list(out.iterdir()) == [], "nothing written from a changed file"
    custody = [c.action for c in cs.get(hr, number).evidence[0].custody]
    assert custody == ["added"], "a refused read leaves no custody event"

    path.unlink()
    with pytest.raises(EvidenceCorrupted, match="is missing from the evidence folder") as gone:
        cs.view_evidence(hr, number, evidence_id)
    assert gone.value.missing and gone.value.name == "照片.jpg"
    path.write_bytes(original)
    assert cs.view_evidence(hr, number, evidence_id).file_bytes == original


def test_the_refusal_is_one_line_in_either_language() -> None:
    from workstation.cli_refusals import refusal_text
    from workstation.i18n import Translator
    from workstation.service_text import error_text

    error = EvidenceCorrupted("ab" * 32, "合同.pdf")
    en = refusal_text(Translator("en"), error)
    zh = refusal_text(Translator("zh_CN"), error)
    assert en is not None and "合同.pdf" in en and "ab" * 32 in en and "\n" not in en
    assert zh is not None and zh.startswith("已保存的文件 合同.pdf（")
    gone = EvidenceCorrupted("ab" * 32, "合同.pdf", missing=True)
    assert "不在证据文件夹中" in (refusal_text(Translator("zh_CN"), gone) or "")
    assert error_text(error, "zh_CN").startswith("证据文件 '合同.pdf'")
    assert error_text(gone, "zh_CN").endswith("不在证据文件夹中")


@pytest.fixture
def settings_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
