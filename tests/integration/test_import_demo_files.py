"""The demo's files, imported by hand: the commands of ``demo-files/manifest.json`` run with
``workstation import`` in a fresh store give the records the demo has (tracks: two of the
files, to keep it quick)."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from clocks import pinned
from sqlalchemy import func, select

from workstation.app import App, open_app
from workstation.cli import main
from workstation.config import load_settings
from workstation.domain.enums import Role
from workstation.store.base import Base

COMPARED = (
    "offices", "employees", "competitors", "competitor_sites", "customers", "customer_events",
    "customer_ownerships", "ownership_statements", "orders", "leads", "checkins",
    "missed_punches", "communications",
)  # fmt: skip


def _counts(app: App) -> dict[str, int]:
    with app.engine.connect() as conn:
        return {
            name: int(conn.scalar(select(func.count()).select_from(Base.metadata.tables[name])))
            for name in (*COMPARED, "track_points")
        }


def test_the_manifest_commands_rebuild_the_demo_records(
    demo_app: App,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    cli_as: Callable[[Path, Role], str],
) -> None:
    folder = demo_app.settings.demo_files_dir
    entries: list[dict[str, Any]] = json.loads(
        (folder / "manifest.json").read_text(encoding="utf-8")
    )["files"]
    data = tmp_path / "data"
    cli_as(data, Role.HR_OFFICER)
    monkeypatch.chdir(folder)
    track_csvs = [e for e in entries if e["kind"] == "tracks" and e["file"].endswith(".csv")]
    skipped = {e["file"] for e in track_csvs[1:]}
    points = 0
    for entry in entries:
        if not entry["imported"] or entry["file"] in skipped:
            continue
        words = shlex.split(entry["command"])
        assert words[:2] == ["workstation", "import"]
        assert main(["--data-dir", str(data), *words[1:], "--json"]) == 0, entry["command"]
        report = json.loads(capsys.readouterr().out)
        assert report["rows_read"] == entry["records"], entry["file"]
        if entry["kind"] == "tracks":
            points += report["accepted"]
    again = open_app(load_settings(data), clock=pinned())
    try:
        mine, demo = _counts(again), _counts(demo_app)
    finally:
        again.close()
    assert {n: mine[n] for n in COMPARED} == {n: demo[n] for n in COMPARED}
    assert mine["track_points"] == points > 50_000
