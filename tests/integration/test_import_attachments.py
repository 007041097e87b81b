"""Photos and recordings that rows point to are stored as evidence files beside the record."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from workstation.app import App
from workstation.store.models import Checkin, Communication, Employee, EvidenceFile


def _setup(app: App, tmp_path: Path) -> Path:
    with app.uow() as uow:
        uow.session.add(Employee(employee_no="S1", name="王磊"))
        uow.commit()
    folder = tmp_path / "export"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / "p1.jpg").write_bytes(b"\xff\xd8\xff photo one")
    (folder / "rec").mkdir()
    (folder / "rec" / "call1.amr").write_bytes(b"#!AMR recording")
    (tmp_path / "secret.txt").write_text("not part of the export", encoding="utf-8")
    return folder


def test_checkin_photos_and_call_recordings_become_evidence(app: App, tmp_path: Path) -> None:
    folder = _setup(app, tmp_path)
    checkins = folder / "checkins.csv"
    checkins.write_text(
        "employee_no,time,kind,photo_ref\n"
        "S1,2026-10-29 09:00,on_duty,photos/p1.jpg\n"
        "S1,2026-10-29 10:00,field,missing.jpg\n"
        "S1,2026-10-29 11:00,field,../secret.txt\n"
        "S1,2026-10-29 12:00,field,WXMEDIA-0001\n",
        encoding="utf-8",
    )
    report = app.imports.run(checkins, "checkins")
    assert (report.accepted, report.rejected) == (4, 0), "a missing photo never loses the row"
    chats = folder / "chats.csv"
    chats.write_text(
        "工号,时间,渠道,对方,方向,内容,录音\n"
        "S1,2026-10-29 15:00,电话,138****0000,呼出,,rec/call1.amr\n",
        encoding="utf-8",
    )
    assert app.imports.run(chats, "communications").accepted == 1

    with app.uow() as uow:
        s = uow.session
        rows = s.scalars(select(Checkin).order_by(Checkin.checked_at)).all()
        assert [c.photo_ref for c in rows] == [
            "photos/p1.jpg",
            "missing.jpg",
            "../secret.txt",
            "WXMEDIA-0001",
        ]
        assert [c.photo_evidence_id is not None for c in rows] == [True, False, False, False]
        photo = s.get(EvidenceFile, rows[0].photo_evidence_id)
        assert photo is not None and photo.original_name == "p1.jpg"
        photo_sha = photo.sha256
        call = s.scalars(select(Communication)).one()
        recording = s.get(EvidenceFile, call.attachment_evidence_id)
        assert recording is not None and recording.original_name == "call1.amr"
        names = set(s.scalars(select(EvidenceFile.original_name)))
        assert "secret.txt" not in names, "files outside the export folder are never taken"
        assert s.scalar(select(func.count()).select_from(EvidenceFile)) == 4  # 2 files + 2 CSVs
    assert app.evidence.path_for(photo_sha).read_bytes() == b"\xff\xd8\xff photo one"
