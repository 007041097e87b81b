"""Screenshots of the workstation on an existing (demo) database, for the docs.

    xvfb-run -a env QT_QPA_PLATFORM=xcb python -m workstation.gui.screenshots OUTDIR \\
        [--data-dir DIR] [--lang zh_CN|en]

Writes ``main_window.png`` (the employee list), ``employee_file.png`` (the planted diverter's
file) and ``map.png`` (his map on a day he stopped at a competitor's site, else his last day).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.demo.people import DEMO_PASSWORD
from workstation.gui.application import create_main_window, create_qapplication
from workstation.gui.main_window import MainWindow
from workstation.gui.waiting import pause, wait_signal, wait_until

log = logging.getLogger(__name__)

WINDOW_SIZE = (1400, 900)
TIMEOUT_MS = 90_000


def wait_for(predicate: Callable[[], bool], what: str) -> None:
    if not wait_until(predicate, TIMEOUT_MS):
        raise TimeoutError(f"the workstation did not finish {what} in time")


def save(widget: QWidget, path: Path) -> Path:
    pixmap = widget.grab()
    if not pixmap.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return path


def diverter_of(app: App) -> tuple[int, dict[str, Any]]:
    entry = next((s for s in app.demo.scenarios() if s.get("kind") == "diverter"), None)
    if entry is None:
        raise SystemExit("this database holds no demo diverter; build one with `workstation demo`")
    for row in app.employees.list_employees(entry["employee_no"]):
        if row.employee_no == entry["employee_no"]:
            return row.id, entry
    raise SystemExit(f"employee {entry['employee_no']} not found")


def competitor_day(app: App, employee_id: int, entry: dict[str, Any]) -> date | None:
    """The day of the window with the most minutes stopped at competitor sites."""
    span = app.maps.employee_date_range(employee_id)
    if span is None:
        return None
    end = date.fromisoformat(entry["window_end"]) if "window_end" in entry else span[1]
    start = date.fromisoformat(entry["window_start"]) if "window_start" in entry else end
    start = max(start, span[0], end - timedelta(days=45))
    data = app.maps.map_data(employee_id, start, end)
    minutes: Counter[date] = Counter()
    for stop in data.stops:
        if stop.place_kind == "competitor":
            minutes[stop.started_at.date()] += stop.minutes  # on the company's clock
    if not minutes:
        return span[1]
    return minutes.most_common(1)[0][0]


def take(window: MainWindow, app: App, out: Path) -> list[Path]:
    written = [save(window, out / "main_window.png")]
    employee_id, entry = diverter_of(app)
    window.open_employee(employee_id)
    wait_for(
        lambda: window.employee_file.file is not None and window.runner.active_count == 0,
        "opening the employee file",
    )
    window.employee_file.tabs.setCurrentIndex(0)
    pause(400)
    written.append(save(window, out / "employee_file.png"))
    day = competitor_day(app, employee_id, entry)
    map_view = window.map_view
    window.show_on_map(employee_id, day)
    if wait_signal(map_view.drawn, TIMEOUT_MS) is None:
        raise TimeoutError("the map was not drawn in time")
    pause(800)
    written.append(save(window, out / "map.png"))
    written += take_alerts(window, out)
    return written


def take_alerts(window: MainWindow, out: Path) -> list[Path]:
    """The inbox, and the diverter's alert with its trends."""
    from workstation.gui.main_window import Area

    window.show_area(Area.ALERTS)
    page = window.alerts_page
    page.reload()
    wait_for(lambda: window.runner.active_count == 0, "loading the alerts")
    pause(300)
    written = [save(window, out / "alerts.png")]
    alerts = page.list_view.model.rows
    if not alerts:
        return written
    high = [a for a in alerts if len(a.rules) > 1] or alerts
    page.open_alert(high[0].id)
    wait_for(lambda: page.detail_view.detail is not None, "opening the alert")
    wait_for(lambda: window.runner.active_count == 0, "opening the alert")
    page.detail_view.lower.setCurrentIndex(1)
    pause(500)
    written.append(save(window, out / "alert.png"))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workstation.gui.screenshots")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--data-dir", type=Path, help="data folder holding the demo database")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="language (default: settings)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = load_settings(args.data_dir)
    if args.lang:
        settings = settings.with_preferences(locale=args.lang)
    args.outdir.mkdir(parents=True, exist_ok=True)
    app = open_app(settings)
    try:
        # The demo's HR officer sees every area the pictures show.
        app.session.sign_in(app.users.sign_in("hr.zhou", DEMO_PASSWORD))
        create_qapplication(settings)
        window = create_main_window(app)
        window.resize(*WINDOW_SIZE)
        window.show()
        wait_for(lambda: window.runner.active_count == 0, "loading the employees")
        pause(400)
        take(window, app, args.outdir)
        window.close()
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
