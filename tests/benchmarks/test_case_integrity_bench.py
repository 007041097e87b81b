"""What checking the cases' integrity costs the Cases list (``gui.cases.cases_page.load_cases``
checks every listed case: ``CaseService.integrity_of_cases``) and ``case verify``.

On a copy of the demo company (database and evidence files) with the diverter's case walked to
a served notice (five signatures, five signed documents, fifty frozen records) as ``workstation
demo`` leaves it. Timed (median of runs): listing the cases alone; checking every listed case;
the list's whole loader; one case's check. Only the work done is asserted.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from acting import sign_in_as
from bench_tools import Results, Scale
from clocks import pinned

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.demo.case_walkthrough import ensure_demo_company, walk_diverter_case
from workstation.demo.people import DEMO_PASSWORD
from workstation.domain.enums import Role
from workstation.gui.cases.cases_page import load_cases


def _copy(demo: App, data_dir: Path) -> App:
    source = demo.settings.sqlite_path
    settings = load_settings(data_dir)
    data_dir.mkdir(parents=True)
    assert source is not None and settings.sqlite_path is not None
    with sqlite3.connect(source) as src, sqlite3.connect(settings.sqlite_path) as dst:
        src.backup(dst)
    if demo.settings.evidence_dir.is_dir():
        shutil.copytree(demo.settings.evidence_dir, settings.evidence_dir, dirs_exist_ok=True)
    app = open_app(settings, clock=pinned())
    app.secrets.set_ask(lambda _prompt: DEMO_PASSWORD)
    sign_in_as(app, Role.HR_OFFICER)
    ensure_demo_company(app)
    return app


def _median_ms(run: Callable[[], object], times: int) -> float:
    runs = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def test_case_list_integrity(demo_app: App, tmp_path: Path, results: Results, scale: Scale) -> None:
    app = _copy(demo_app, tmp_path / "data")
    try:
        if not app.alerts.list_alerts(None):
            end = app.demo.summary().end_date
            app.evaluation.evaluate(end - timedelta(days=4), end)
        diverter = next(s for s in app.demo.scenarios() if s["kind"] == "diverter")
        walked = walk_diverter_case(app, str(diverter["employee_no"]))
        who = app.session.current()
        assert who is not None
        numbers = [c.number for c in app.cases.list_cases(who)]
        assert walked.number in numbers
        one = app.cases.integrity(who, walked.number)
        assert one.valid and len(one.signatures) == 5
        times = scale.pick(7, 2)
        name = "case_integrity"
        listed = _median_ms(lambda: app.cases.list_cases(who), times)
        results.add(name, "list_cases", listed, "ms", cases=len(numbers), runs=times)
        checked = _median_ms(lambda: app.cases.integrity_of_cases(who, numbers), times)
        assert all(app.cases.integrity_of_cases(who, numbers).values())
        results.add(name, "integrity_of_listed_cases", checked, "ms", cases=len(numbers))
        loader = _median_ms(lambda: load_cases(app.cases, who, None), times)
        results.add(name, "case_list_loader", loader, "ms", cases=len(numbers))
        single = _median_ms(lambda: app.cases.integrity(who, walked.number), times)
        results.add(
            name,
            "walked_case_integrity",
            single,
            "ms",
            signatures=len(one.signatures),
            files=one.files_checked,
        )
    finally:
        app.close()
