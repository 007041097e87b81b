"""A private copy of the demo company for GUI tests that change cases and alerts (imported as
``case_demo``): the shared session ``demo_app`` stays as other tests expect it."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from acting import sign_in_as
from clocks import pinned

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.demo.case_walkthrough import ensure_demo_company, walk_diverter_case
from workstation.demo.signing_keys import demo_passphrase, enrol_demo_signers
from workstation.domain.enums import Role

TIMEOUT_MS = 30_000


def copy_demo(demo: App, data_dir: Path) -> App:
    """``demo``'s database and evidence files copied into ``data_dir``, opened, its signing
    authority created and the demo signers' keys certified (each under its demo user's own
    passphrase, given here: the test keyring stores none), the demo
    HR officer signed in, the demo company's particulars in ``company.json`` (the documents
    need them), and the demo evaluated if no alert was raised yet."""
    source = demo.settings.sqlite_path
    assert source is not None
    settings = load_settings(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    target = settings.sqlite_path
    assert target is not None
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    if demo.settings.evidence_dir.is_dir():
        shutil.copytree(demo.settings.evidence_dir, settings.evidence_dir, dirs_exist_ok=True)
    app = open_app(settings, clock=pinned())
    app.secrets.set_ask(demo_passphrase)
    enrol_demo_signers(app)  # as `workstation demo` does before it walks the demo case
    sign_in_as(app, Role.HR_OFFICER)
    ensure_demo_company(app)
    if not app.alerts.list_alerts(None):
        end = demo.demo.summary().end_date
        app.evaluation.evaluate(end - timedelta(days=4), end)
    return app


#: The diverter's case, as ``workstation demo`` walks it to a served notice.
DEMO_CASE = "CW-2026-0001"


def walked_copy(demo: App, data_dir: Path) -> App:
    """``copy_demo``, then the diverter's case walked to a served notice with its five signed
    documents, as ``workstation demo`` leaves the demo company."""
    app = copy_demo(demo, data_dir)
    diverter = next(s for s in app.demo.scenarios() if s["kind"] == "diverter")
    walked = walk_diverter_case(app, str(diverter["employee_no"]))
    assert walked.number == DEMO_CASE
    return app


def scenario_alert(app: App, kind: str) -> Any:
    """The alert on the employee playing scenario ``kind`` (the demo's answer key)."""
    number = next(s for s in app.demo.scenarios() if s["kind"] == kind)["employee_no"]
    return next(a for a in app.alerts.list_alerts(None) if a.employee_no == number)


def settle(qtbot: Any, runner: Any) -> None:
    qtbot.waitUntil(lambda: runner.active_count == 0, timeout=TIMEOUT_MS)


def opened_by(qtbot: Any, signal: Any, action: Callable[[], object]) -> Any:
    """Run ``action`` and return what ``signal`` carries (a dialog that opened)."""
    with qtbot.waitSignal(signal, timeout=TIMEOUT_MS) as blocker:
        action()
    return blocker.args[0]
