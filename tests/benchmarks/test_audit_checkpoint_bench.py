"""What the audit checkpoints cost: an entry with and without a checkpoint, and ``audit
verify`` over the whole log.

Full scale: a log of 100,000 entries; tiny: 500. 20 entries of each kind are timed (an entry
with a checkpoint: ``case.approval``; one without: any other action of the same day), each in
its own unit of work as the services write them; then one ``audit verify``. Times are
reported; only that the log verifies is asserted.
"""

from __future__ import annotations

import time
from pathlib import Path

from acting import sign_in_as
from bench_tools import Results, Scale
from clocks import pinned

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.store.audit import append_audit

TIMED = 20


def _timed(app: App, action: str) -> list[float]:
    runs = []
    for i in range(TIMED):
        started = time.perf_counter()
        with app.uow() as uow:
            append_audit(uow.session, "hr.li", action, "case", f"C-{i}", {"n": i})
            uow.commit()
        runs.append(time.perf_counter() - started)
    return runs


def test_audit_checkpoint_cost(scale: Scale, results: Results, tmp_path: Path) -> None:
    entries = scale.pick(100_000, 500)
    app = open_app(load_settings(tmp_path / "data"), clock=pinned())
    try:
        sign_in_as(app, Role.AUDITOR)
        with app.uow() as uow:
            for i in range(entries):
                append_audit(uow.session, "hr.li", "test.write", "thing", i, {"n": i})
            uow.commit()
        details = {"entries": entries}
        results.seconds("audit_checkpoints", "entry", _timed(app, "test.write"), **details)
        results.seconds(
            "audit_checkpoints", "entry_with_checkpoint", _timed(app, "case.approval"), **details
        )
        started = time.perf_counter()
        report = app.audit.verify()
        results.seconds("audit_checkpoints", "verify", [time.perf_counter() - started], **details)
        assert report.intact and report.checked >= TIMED
    finally:
        app.close()
