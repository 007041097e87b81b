"""``workstation evidence verify`` at scale, next to the floor measured in the same run.

At full scale 1,000 stored files of 1 MB each (1 GB; tiny: 20 files of 16 KB), stored through
the evidence store as an import stores them. Timed: the **floor** (read and SHA-256 every
file, nothing else) and the **check** (``EvidenceCheckService.verify_store`` as the command
runs it: every recorded file re-hashed, the folder walked for extra files, one audit entry).
Only what the check found is asserted.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from acting import sign_in_as
from bench_tools import Results, Scale

from workstation.app import open_app
from workstation.config import load_settings
from workstation.domain.enums import Role

RUNS = 3


def test_evidence_verify(scale: Scale, results: Results, tmp_path: Path) -> None:
    files = scale.pick(1_000, 20)
    size = scale.pick(1 << 20, 16 << 10)
    app = open_app(load_settings(tmp_path / "data"))
    try:
        with app.uow() as uow:
            for n in range(files):
                data = n.to_bytes(4, "big") + os.urandom(size - 4)
                app.evidence.add_bytes(uow.session, data, f"file-{n}.bin", "bench")
            uow.commit()
        paths = [
            p for p in app.evidence.root.rglob("*") if p.is_file() and ".incoming" not in p.parts
        ]
        assert len(paths) == files

        floors = []
        for _ in range(RUNS):
            start = time.perf_counter()
            for path in paths:
                hashlib.sha256(path.read_bytes()).hexdigest()
            floors.append(time.perf_counter() - start)
        sign_in_as(app, Role.AUDITOR)
        checks = []
        for _ in range(RUNS):
            start = time.perf_counter()
            report = app.evidence_check.verify_store()
            checks.append(time.perf_counter() - start)
            assert report.intact and report.checked == files
    finally:
        app.close()
    megabytes = files * size / 1e6
    results.seconds("evidence_verify", "floor_read_and_hash", floors, files=files, mb=megabytes)
    results.seconds("evidence_verify", "verify_store", checks, files=files, mb=megabytes)
    best = min(checks)
    results.add("evidence_verify", "throughput", megabytes / best, "MB/s", files=files)
