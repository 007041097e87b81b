"""A killed import (power cut, task manager) leaves the store as it was; re-running completes."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

from acting import sign_in_without_user
from sqlalchemy import func, select

from workstation.app import open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.store.audit import verify_audit_chain
from workstation.store.evidence import EvidenceStore, iter_incoming
from workstation.store.models import Employee, ImportBatch, TrackPoint

ROWS = 400_000

RUNNER = r"""
import sys
from pathlib import Path
from workstation.app import open_app
from workstation.config import load_settings
from workstation.ingest import sources
from workstation.domain.enums import Role
from workstation.domain.identity import Identity

sources.CHUNK_ROWS = 20_000  # many chunks, so there is time to be killed half-way
app = open_app(load_settings(sys.argv[1]))
app.session.sign_in(Identity(0, "test.hr", "Test HR", Role.HR_OFFICER))

def progress(done, total, message):
    if done >= 100_000 and message.startswith("Writing"):
        print("MID-IMPORT", flush=True)

app.imports.run(Path(sys.argv[2]), "tracks", progress=progress)
print("FINISHED", flush=True)
"""


def _counts(data_dir: Path) -> tuple[int, int]:
    app = open_app(load_settings(data_dir))
    try:
        with app.uow() as uow:
            points = uow.session.scalar(select(func.count()).select_from(TrackPoint)) or 0
            batches = uow.session.scalar(select(func.count()).select_from(ImportBatch)) or 0
            assert verify_audit_chain(uow.session).intact
        return int(points), int(batches)
    finally:
        app.close()


def test_killing_the_process_mid_import_writes_nothing(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    app = open_app(load_settings(data_dir))
    with app.uow() as uow:
        uow.session.add(Employee(employee_no="S1", name="王磊"))
        uow.commit()
    app.close()
    csv = tmp_path / "tracks.csv"
    base = 1_760_000_000
    with csv.open("w", encoding="utf-8") as out:
        out.write("employee_no,time,lat,lon\n")
        for i in range(ROWS):
            out.write(f"S1,{base + i * 30},31.{i % 10000:04d},120.6\n")

    child = subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(data_dir), str(csv)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line == "MID-IMPORT", f"the import ended before it could be killed: {line!r}"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    evidence = EvidenceStore(load_settings(data_dir).evidence_dir)
    sha = hashlib.sha256(csv.read_bytes()).hexdigest()
    assert [p.suffix for p in iter_incoming(evidence)].count(".part") == 1, "its copy, waiting"
    assert not evidence.path_for(sha).exists(), "never published: the batch did not commit"

    assert _counts(data_dir) == (0, 0), "a killed import left rows or a batch behind"
    assert list(iter_incoming(evidence)) == [], "the next start swept the killed import's copy"
    assert not evidence.path_for(sha).exists()

    app = open_app(load_settings(data_dir))
    sign_in_without_user(app, Role.HR_OFFICER)
    try:
        report = app.imports.run(csv, "tracks")
    finally:
        app.close()
    assert report.accepted == ROWS and not report.already_imported
    assert _counts(data_dir) == (ROWS, 1)
    assert evidence.verify(sha) and list(iter_incoming(evidence)) == []
