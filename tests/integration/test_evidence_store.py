"""Evidence files: stored once by SHA-256, read-only, verified on read, every read audited."""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from workstation.app import App
from workstation.store.audit import verify_audit_chain
from workstation.store.evidence import EvidenceBeingStored, EvidenceCorrupted, iter_incoming
from workstation.store.models import AuditEntry, EvidenceFile


def test_same_content_is_stored_once_under_its_hash(app: App, tmp_path: Path) -> None:
    store = app.evidence
    photo = tmp_path / "打卡照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 50)
    copy = tmp_path / "copy.jpg"
    copy.write_bytes(photo.read_bytes())
    with app.uow() as uow:
        first = store.add_file(uow.session, photo, "hr.li")
        second = store.add_file(uow.session, copy, "hr.wang")
        uow.commit()
    assert first.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert (first.newly_stored, second.newly_stored) == (True, False)
    assert first.id == second.id and first.original_name == "打卡照片.jpg"
    assert first.media_type == "image/jpeg"
    path = store.path_for(first.sha256)
    assert path.read_bytes() == photo.read_bytes()
    assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert list(iter_incoming(store)) == []
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(EvidenceFile)) == 1


def test_reads_are_checked_and_audited(app: App) -> None:
    store = app.evidence
    with app.uow() as uow:
        stored = store.add_bytes(uow.session, "聊天记录".encode(), "chat.txt", "hr.li")
        uow.commit()
    with app.uow() as uow:
        assert store.read(uow.session, stored.sha256, "legal.zhao") == "聊天记录".encode()
        uow.commit()
    with app.uow() as uow:
        actions = list(uow.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions == ["evidence.added", "evidence.read"]
        assert verify_audit_chain(uow.session).intact

    path = store.path_for(stored.sha256)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    path.write_bytes(b"edited afterwards")
    assert not store.verify(stored.sha256)
    with app.uow() as uow, pytest.raises(EvidenceCorrupted):
        store.read(uow.session, stored.sha256, "legal.zhao")


def test_a_failed_unit_of_work_leaves_no_row_and_no_file(app: App) -> None:
    store = app.evidence
    with app.uow() as uow:
        stored = store.add_bytes(uow.session, b"draft", "draft.txt", "hr.li")
        assert store.read(uow.session, stored.sha256, "hr.li") == b"draft", "readable inside"
        assert not store.path_for(stored.sha256).exists(), "published only on commit"
        # no commit: the row is rolled back, and the copy goes with it
    with app.uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(EvidenceFile)) == 0
    assert not store.path_for(stored.sha256).exists()
    assert list(iter_incoming(store)) == []
    with pytest.raises(ValueError, match="not a SHA-256"):
        store.path_for("../../etc/passwd")


def test_the_same_content_stored_by_two_transactions_at_once_is_refused(app: App) -> None:
    store = app.evidence
    with app.uow() as first:
        store.add_bytes(first.session, b"roster", "roster.csv", "hr.li")
        with (
            app.uow() as second,
            pytest.raises(EvidenceBeingStored, match=r"copy\.csv is already being"),
        ):
            store.add_bytes(second.session, b"roster", "copy.csv", "hr.wang")
        first.commit()
    assert store.verify(hashlib.sha256(b"roster").hexdigest())
    assert list(iter_incoming(store)) == []


def test_recover_publishes_what_was_committed_and_removes_the_rest(app: App) -> None:
    """What a process killed between its commit and the rename (or before its commit) left in
    ``evidence/.incoming`` is sorted out at the next start."""
    store = app.evidence
    committed, abandoned = b"committed bytes", b"abandoned bytes"
    sha = hashlib.sha256(committed).hexdigest()
    with app.uow() as uow:
        uow.session.add(
            EvidenceFile(
                sha256=sha,
                size_bytes=len(committed),
                original_name="a.csv",
                stored_at=datetime.now(UTC),
                stored_by="hr.li",
            )
        )
        uow.commit()
    store.incoming.mkdir(parents=True, exist_ok=True)
    (store.incoming / "0a0a.owner").write_bytes(b"")  # its process is gone: nobody locks it
    (store.incoming / f"0a0a-{sha}.part").write_bytes(committed)
    other = hashlib.sha256(abandoned).hexdigest()
    (store.incoming / "0b0b.owner").write_bytes(b"")
    (store.incoming / f"0b0b-{other}.part").write_bytes(abandoned)
    (store.incoming / "0c0c.owner").write_bytes(b"")
    (store.incoming / "0c0c.part").write_bytes(b"half a cop")

    assert store.recover(app.uow) == 3
    assert store.verify(sha) and store.path_for(sha).read_bytes() == committed
    assert not store.path_for(other).exists()
    assert list(iter_incoming(store)) == []
