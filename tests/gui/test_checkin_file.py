"""The employee file says how each check-in found its customer and where its position comes
from (issue 11 §3): a company imported through the importers, its salesman's file opened in
the window as the app builds it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checkin_company import OFFICE, customer, import_company, import_master_data
from gui_helpers import LOAD_TIMEOUT_MS
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from workstation.app import App
from workstation.domain.clock import company_zone
from workstation.gui.main_window import MainWindow
from workstation.gui.widgets.table_model import Highlight
from workstation.store.models import Employee

SHANGHAI = company_zone("Asia/Shanghai")


def test_checkins_show_link_position_and_missed_punches(
    app: App, tmp_path: Path, open_window: Callable[[App], MainWindow], qtbot: QtBot
) -> None:
    import_master_data(app, tmp_path)
    import_company(app, tmp_path, track_first=False)
    with app.uow() as uow:
        s1 = uow.session.scalar(select(Employee.id).where(Employee.employee_no == "S1"))
    assert s1 is not None
    window = open_window(app)
    file_view = window.employee_file
    with qtbot.waitSignal(file_view.loaded, timeout=LOAD_TIMEOUT_MS):
        window.open_employee(s1)
    file_view.tabs.setCurrentWidget(file_view.checkin_table)
    model, tr = file_view.checkin_model, file_view._tr
    headers = [
        model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in range(model.columnCount())
    ]
    linked_by, position = headers.index(tr("Linked by")), headers.index(tr("Position"))
    kind = headers.index(tr("Kind"))

    def cell(when: str, column: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> str:
        (r,) = [
            i
            for i, row in enumerate(model.rows)
            if f"{row.checked_at.astimezone(SHANGHAI):%m-%d %H:%M}" == when
        ]
        return str(model.index(r, column).data(role) or "")

    assert cell("03-04 10:30", linked_by) == tr("Named in the remark")
    assert cell("03-04 10:30", linked_by, Qt.ItemDataRole.ToolTipRole) == (
        "拜访客户:苏州恒达精密机械有限公司"
    )
    assert cell("03-04 10:30", position) == tr("GPS track at the punch")
    assert cell("03-04 08:51", position) == tr(
        "{source}: {place}", source=tr("From the address (not a GPS fix)"), place=OFFICE[0]
    )
    assert cell("03-04 14:00", position, Qt.ItemDataRole.ToolTipRole) == tr(
        "The address names {place}, {metres} m from the track's fix",
        place=customer("C3")[1],
        metres="3,002",
    )
    assert cell("03-05 09:00", kind) == tr("{kind} (made up, approved)", kind=tr("On duty"))
    assert cell("03-04 18:00", kind) == tr(
        "{kind}: missed ({result})", kind=tr("Off duty"), result="缺卡"
    )
    missed = next(i for i, row in enumerate(model.rows) if row.missed)
    assert model.highlight_of(missed) is Highlight.NOTE
    assert file_view.tabs.tabText(1) == tr("Check-ins ({n}, {missed} missed)", n=5, missed=1)
