"""Screenshots of the workstation on the demo database, for the docs.

    xvfb-run -a env QT_QPA_PLATFORM=xcb python -m workstation.gui.screenshots OUTDIR \\
        [--data-dir DIR] [--lang zh_CN|en]

The workstation starts as ``workstation`` starts it (``ScriptedSession``: the sign-in dialog,
then the window with its idle lock and hooks); the demo's HR officer hr.zhou signs in. Writes
``sign_in.png`` (the sign-in dialog on the demo database), ``main_window.png`` (the employee
list), ``employee_file.png`` (the planted diverter's file), ``employee_cases.png`` and
``employee_communications.png`` (its case archive and communications), ``map.png`` (his map on
a day he stopped at a competitor's site, else his last day), ``alerts.png`` (the inbox) and
``alert.png`` (an alert of several rules, its trends).
"""

from __future__ import annotations

import logging
import sys
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workstation.gui.main_window import Area
from workstation.gui.scripted_session import ScriptedSession, ScriptStopped, run_script, save
from workstation.gui.waiting import pause

if TYPE_CHECKING:
    from workstation.app import App

log = logging.getLogger(__name__)


def diverter_of(app: App) -> tuple[int, dict[str, Any]]:
    entry = next((s for s in app.demo.scenarios() if s.get("kind") == "diverter"), None)
    if entry is None:
        raise ScriptStopped(
            "this database holds no demo diverter; build it with `workstation demo`"
        )
    for row in app.employees.list_employees(entry["employee_no"]):
        if row.employee_no == entry["employee_no"]:
            return row.id, entry
    raise ScriptStopped(f"employee {entry['employee_no']} not found")


def competitor_day(app: App, employee_id: int, entry: dict[str, Any]) -> date | None:
    """The day of the window with the most minutes stopped at competitor sites."""
    span = app.maps.employee_date_range(employee_id)
    if span is None:
        return None
    end = date.fromisoformat(entry["window_end"]) if "window_end" in entry else span[1]
    start = date.fromisoformat(entry["window_start"]) if "window_start" in entry else end
    start = max(start, span[0], end - timedelta(days=45))
    data = app.maps.map_data(employee_id, start, end)
    minutes: defaultdict[date, float] = defaultdict(float)
    for stop in data.stops:
        if stop.place_kind == "competitor":
            minutes[stop.started_at.date()] += stop.minutes  # on the company's clock
    if not minutes:
        return span[1]
    return max(minutes, key=minutes.__getitem__)


def take(session: ScriptedSession, out: Path) -> list[Path]:
    dialog = session.show_sign_in()
    dialog.set_credentials("hr.zhou", "")
    pause(300)
    written = [save(dialog, out / "sign_in.png")]
    # The demo's HR officer sees every area the pictures show.
    window = session.sign_in("hr.zhou")
    written.append(save(window, out / "main_window.png"))
    app = session.app
    assert app is not None
    employee_id, entry = diverter_of(app)
    written += take_employee_file(session, employee_id, out)
    day = competitor_day(app, employee_id, entry)
    map_view = window.map_view
    window.show_on_map(employee_id, day)
    session.wait_signal(map_view.drawn, "drawing the map")
    pause(800)
    written.append(save(window, out / "map.png"))
    written += take_alerts(session, out)
    return written


def take_employee_file(session: ScriptedSession, employee_id: int, out: Path) -> list[Path]:
    """The diverter's file: its customers, its case archive, its communications."""
    window = session.window
    file_view = window.employee_file
    window.open_employee(employee_id)
    session.wait_for(lambda: file_view.file is not None, "opening the employee file")
    session.idle("opening the employee file")
    file_view.tabs.setCurrentIndex(0)
    pause(400)
    written = [save(window, out / "employee_file.png")]
    for tab, name in (
        (file_view.archive_tab, "employee_cases.png"),
        (file_view.communications_tab, "employee_communications.png"),
    ):
        if tab is None or not tab.permitted():
            continue
        file_view.tabs.setCurrentWidget(tab)
        session.idle(f"loading {name}")
        pause(300)
        written.append(save(window, out / name))
    file_view.tabs.setCurrentIndex(0)
    return written


def take_alerts(session: ScriptedSession, out: Path) -> list[Path]:
    """The inbox, and the diverter's alert with its trends."""
    window = session.window
    window.show_area(Area.ALERTS)
    page = window.alerts_page
    page.reload()
    session.idle("loading the alerts")
    written = [save(window, out / "alerts.png")]
    alerts = page.list_view.model.rows
    if not alerts:
        return written
    high = [a for a in alerts if len(a.rules) > 1] or alerts
    page.open_alert(high[0].id)
    session.wait_for(lambda: page.detail_view.detail is not None, "opening the alert")
    session.idle("opening the alert")
    page.detail_view.lower_tabs.setCurrentIndex(1)
    pause(500)
    written.append(save(window, out / "alert.png"))
    return written


def main(argv: list[str] | None = None) -> int:
    return run_script("python -m workstation.gui.screenshots", take, argv)


if __name__ == "__main__":
    sys.exit(main())
