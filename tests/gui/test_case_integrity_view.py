"""A case that does not verify, seen in the window: marked in the case list, red on its header
with what differs, and a document refused with a message box saying why. The attack is made
for real in the SQLite file of a private copy of the walked demo."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from case_demo import DEMO_CASE, opened_by, walked_copy
from gui_helpers import LOAD_TIMEOUT_MS, DialogLog

from workstation.app import App
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.widgets.table_model import Highlight


@pytest.fixture(scope="module")
def walked(demo_app: App, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    app = walked_copy(demo_app, tmp_path_factory.mktemp("integrity") / "data")
    yield app
    app.close()


def _sql(app: App, statement: str, *params: object) -> list[tuple[Any, ...]]:
    path = app.settings.sqlite_path
    assert path is not None
    with closing(sqlite3.connect(path)) as conn:
        rows = conn.execute(statement, params).fetchall()
        conn.commit()
        return rows


def _forge_an_order(app: App) -> tuple[int, str, str]:
    """Evidence: an order's amount rewritten, its hash recomputed (returns what to restore)."""
    evidence_id, snapshot, sha = _sql(
        app,
        "SELECT e.id, e.snapshot_json, e.snapshot_sha256 FROM case_evidence e "
        "JOIN cases c ON c.id = e.case_id WHERE c.number = ? AND e.record_kind = 'order' "
        "ORDER BY e.id LIMIT 1",
        DEMO_CASE,
    )[0]
    amount = json.loads(snapshot)["record"]["amount"]
    forged = snapshot.replace(f'"amount":"{amount}"', '"amount":"92350.00"')
    assert forged != snapshot
    _sql(
        app,
        "UPDATE case_evidence SET snapshot_json = ?, snapshot_sha256 = ? WHERE id = ?",
        forged,
        hashlib.sha256(forged.encode("utf-8")).hexdigest(),
        evidence_id,
    )
    return evidence_id, snapshot, sha


def _listed(window: MainWindow, number: str) -> tuple[list[str], Highlight | None]:
    """The row of case ``number`` in the list: its texts and how it stands out."""
    listing = window.cases_page.list_view
    model = listing.model
    for row, case in enumerate(model.rows):
        if case.number == number:
            texts = [str(model.index(row, c).data() or "") for c in range(model.columnCount())]
            return texts, listing._highlight(case)
    raise AssertionError(f"{number} is not listed")


def test_a_broken_case_is_red_and_makes_no_document(
    qtbot: Any,
    walked: App,
    open_window: Callable[[App], MainWindow],
    dialogs: DialogLog,
) -> None:
    evidence_id, snapshot, sha = _forge_an_order(walked)
    try:
        window = open_window(walked)
        page = window.cases_page
        with qtbot.waitSignal(page.cases_loaded, timeout=LOAD_TIMEOUT_MS):
            window.show_area(Area.CASES)
        texts, highlight = _listed(window, DEMO_CASE)
        assert "✗ 验证不通过" in texts and highlight is Highlight.ALERT
        where = os.environ.get("CASEWORK_SCREENSHOT_DIR")
        if where:  # to look at it: CASEWORK_SCREENSHOT_DIR=/tmp/shots pytest ...
            page.list_view.grab().save(str(Path(where) / "case-list-does-not-verify.png"))

        with qtbot.waitSignal(page.case_opened, timeout=LOAD_TIMEOUT_MS):
            page.open_case(DEMO_CASE)
        qtbot.waitUntil(lambda: window.runner.active_count == 0, timeout=LOAD_TIMEOUT_MS)
        view = page.detail_view
        card = view.card
        assert card.integrity_banner.isVisible() and card.property("broken") is True
        said = card.integrity_banner.text()
        assert said.startswith("✗ 此案件验证不通过")
        assert f"• 证据 #{evidence_id}（" in said and "冻结记录在签名 #1 之后被更改" in said
        assert f"证据 #{evidence_id}" in card.integrity_banner.toolTip()
        # Each signature made after the forged evidence was linked is shown as not valid.
        approvals = view.tabs.approvals_model.rows
        assert not any(view.tabs.check_of(a).valid for a in approvals)
        assert "冻结记录在签名 #" in view.tabs.check_of(approvals[0]).reason
        shot = view.grab()
        assert not shot.isNull()
        if where:
            shot.save(str(Path(where) / "case-does-not-verify.png"))

        # A document is refused with a message box saying what differs.
        dialogs.expected = True
        dialog = opened_by(qtbot, view.files.dialog_opened, view.tabs.generate_button.click)
        dialog.set_kind("dossier")
        with qtbot.waitSignal(view.problem_shown, timeout=LOAD_TIMEOUT_MS):
            dialog.accept()
        [box] = dialogs.shown
        assert box["text"] == f"案件 {DEMO_CASE} 验证不通过，因此不能据此生成文书。"
        assert f"证据 #{evidence_id}" in box["informative"]
        assert view.banner.text().startswith(f"案件 {DEMO_CASE} 验证不通过，不能据此生成文书：")
        kinds = [d.kind for d in view.tabs.documents_model.rows]
        assert kinds.count("dossier") == 1  # the walk's own; none was added
    finally:
        _sql(
            walked,
            "UPDATE case_evidence SET snapshot_json = ?, snapshot_sha256 = ? WHERE id = ?",
            snapshot,
            sha,
            evidence_id,
        )
    with qtbot.waitSignal(page.case_opened, timeout=LOAD_TIMEOUT_MS):
        page.open_case(DEMO_CASE)
    qtbot.waitUntil(lambda: window.runner.active_count == 0, timeout=LOAD_TIMEOUT_MS)
    assert not card.integrity_banner.isVisible() and card.property("broken") is False
    with qtbot.waitSignal(page.cases_loaded, timeout=LOAD_TIMEOUT_MS):
        page.reload()
    texts, highlight = _listed(window, DEMO_CASE)
    assert "✓ 验证通过" in texts and highlight is not Highlight.ALERT
