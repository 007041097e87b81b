"""``MapView``: where one employee was over a date range, drawn by ``MapService`` with Leaflet."""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.employees.model import EmployeeRow
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.icons import icon
from workstation.gui.map.summary import no_data_text, summary_text
from workstation.gui.map.web_map import WebMap
from workstation.gui.widgets.dates import from_qdate, to_qdate
from workstation.gui.widgets.page_header import PageHeader
from workstation.i18n import Translator
from workstation.service_text import error_text

if TYPE_CHECKING:
    from workstation.maps.model import RenderedMap
    from workstation.maps.service import MapService


log = logging.getLogger(__name__)


class MapView(QWidget):
    #: Leaflet drew this many paths and markers for the current map.
    drawn = Signal(int, int)
    #: A map was built (the ``RenderedMap``), before the page is loaded.
    rendered = Signal(object)
    #: Building, loading or drawing the map failed (a message for the user).
    draw_failed = Signal(str)

    def __init__(
        self,
        maps: MapService,
        runner: BackgroundRunner,
        tr: Translator,
        locale: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._maps = maps
        self._runner = runner
        self._tr = tr
        self._locale = locale
        self._range_op: Operation | None = None
        self._build_op: Operation | None = None
        self._ranges: dict[int, tuple[date, date] | None] = {}
        #: Asked for before the selector knew the employee (the list was still loading).
        self._requested_id: int | None = None
        self.current: RenderedMap | None = None

        self.header = PageHeader(
            tr("Map"),
            tr("Where an employee was: track, stops, check-ins and the places around them."),
        )
        self.employee_combo = QComboBox()
        employee_edit = QLineEdit(self.employee_combo)
        employee_edit.setPlaceholderText(tr("Choose an employee"))
        self.employee_combo.setLineEdit(employee_edit)  # editable: typing finds an employee
        self.employee_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.employee_combo.setMinimumWidth(240)
        completer = QCompleter(self.employee_combo.model(), self.employee_combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.employee_combo.setCompleter(completer)
        self.start_edit = self._date_edit()
        self.end_edit = self._date_edit()
        self.draw_button = QPushButton(icon("draw"), tr("Draw"))
        self.draw_button.setDefault(True)
        self.draw_button.setEnabled(False)

        controls = QHBoxLayout()
        controls.setSpacing(8)
        controls.addWidget(QLabel(tr("Employee")))
        controls.addWidget(self.employee_combo)
        controls.addSpacing(12)
        controls.addWidget(QLabel(tr("Dates")))
        controls.addWidget(self.start_edit)
        controls.addWidget(QLabel(tr("to")))
        controls.addWidget(self.end_edit)
        controls.addWidget(self.draw_button)
        controls.addStretch(1)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("mutedLabel")
        self.summary_label.setWordWrap(True)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("noticeBanner")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()

        self.intro_label = QLabel(tr("Choose an employee and a day, then press Draw."))
        self.intro_label.setObjectName("emptyState")
        self.intro_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.web: WebMap | None = None
        self.stage = QStackedWidget()
        self.stage.addWidget(self.intro_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(10)
        layout.addWidget(self.header)
        layout.addLayout(controls)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.stage, 1)

        self.draw_button.clicked.connect(self.draw)
        self.employee_combo.activated.connect(self._on_employee_chosen)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setDate(to_qdate(self._tr.clock.today()))
        return edit

    # -- employees --------------------------------------------------------------------------

    def set_employees(self, rows: list[EmployeeRow]) -> None:
        """Fill the selector (the main window hands over what the employee list loaded)."""
        chosen = self.employee_id()
        self.employee_combo.blockSignals(True)
        self.employee_combo.clear()
        for row in rows:
            self.employee_combo.addItem(f"{row.name}  {row.employee_no}", row.id)
        self.employee_combo.setCurrentIndex(-1)
        self.employee_combo.blockSignals(False)
        if chosen is not None:
            self._select(chosen)

    def employee_id(self) -> int | None:
        index = self.employee_combo.currentIndex()
        data = self.employee_combo.itemData(index) if index >= 0 else None
        return int(data) if data is not None else self._requested_id

    def _select(self, employee_id: int) -> None:
        index = self.employee_combo.findData(employee_id)
        self._requested_id = employee_id if index < 0 else None
        self.employee_combo.blockSignals(True)
        self.employee_combo.setCurrentIndex(index)
        self.employee_combo.blockSignals(False)
        self.draw_button.setEnabled(True)

    def _on_employee_chosen(self, _index: int) -> None:
        self._requested_id = None
        employee_id = self.employee_id()
        self.draw_button.setEnabled(employee_id is not None)
        if employee_id is not None:
            self.show_employee(employee_id)

    # -- showing ----------------------------------------------------------------------------

    def show_employee(self, employee_id: int, day: date | None = None) -> Operation:
        """Select the employee, set the dates (``day`` or the last day with data), and draw."""
        self._select(employee_id)
        if self._range_op is not None and not self._range_op.done:
            self._range_op.discard()
        maps = self._maps
        self._range_op = self._runner.run(
            lambda: maps.employee_date_range(employee_id),
            on_result=lambda span: self._on_range(employee_id, day, span),
            label=self._tr("Looking up the days with data…"),
        )
        return self._range_op

    def _on_range(self, employee_id: int, day: date | None, span: tuple[date, date] | None) -> None:
        self._ranges[employee_id] = span
        chosen = day or (span[1] if span else self._tr.clock.today())
        self.start_edit.setDate(to_qdate(chosen))
        self.end_edit.setDate(to_qdate(chosen))
        self.draw()

    def set_range(self, start: date, end: date) -> None:
        self.start_edit.setDate(to_qdate(start))
        self.end_edit.setDate(to_qdate(end))

    def draw(self) -> Operation | None:
        employee_id = self.employee_id()
        if employee_id is None:
            self._notice(self._tr("Choose an employee first."))
            return None
        start = from_qdate(self.start_edit.date())
        end = from_qdate(self.end_edit.date())
        if end < start:
            start, end = end, start
            self.set_range(start, end)
        if self._build_op is not None and not self._build_op.done:
            self._build_op.discard()
        maps, locale = self._maps, self._locale
        self.summary_label.setText(self._tr("Drawing the map…"))
        # Reading a track is written to the audit log, so it goes through the single writer.
        self._build_op = self._runner.run(
            lambda: maps.build_map(employee_id, start, end, locale=locale),
            on_result=self._on_rendered,
            label=self._tr("Drawing the map…"),
            write=True,
        )
        self._build_op.failed.connect(lambda error: self._failed(error_text(error, locale)))
        return self._build_op

    def _on_rendered(self, rendered: RenderedMap) -> None:
        self.current = rendered
        data = rendered.data
        self.summary_label.setText(summary_text(self._tr, data))
        has_data = data.point_count > 0 or bool(data.checkins)
        if has_data:
            self.notice_label.hide()
        else:
            self._notice(no_data_text(self._tr, data, self._ranges.get(data.employee_id)))
        web = self._web()
        self.stage.setCurrentWidget(web)
        self.rendered.emit(rendered)
        web.show_file(rendered.path)

    def _web(self) -> WebMap:
        if self.web is None:
            self.web = WebMap()
            self.web.drawn.connect(self._on_drawn)
            self.web.failed.connect(self._on_web_failed)
            self.stage.addWidget(self.web)
        return self.web

    def _on_drawn(self, paths: int, markers: int) -> None:
        current = self.current
        if current is not None:
            data = current.data
            log.info(
                "map drawn: employee %s, %s to %s: %d paths, %d markers",
                data.employee_no,
                data.start,
                data.end,
                paths,
                markers,
            )
        self.drawn.emit(paths, markers)

    def _on_web_failed(self, reason: str) -> None:
        if reason == "load":
            self._failed(self._tr("The map page could not be loaded."))
        else:
            self._failed(self._tr("The map page did not finish drawing."))

    def _failed(self, message: str) -> None:
        self._notice(message)
        self.draw_failed.emit(message)

    def _notice(self, text: str) -> None:
        self.notice_label.setText(text)
        self.notice_label.show()

    def release_web(self) -> None:
        """Delete the web view now (its page must go before QtWebEngine's profile at exit)."""
        web, self.web = self.web, None
        if web is None:
            return
        self.stage.removeWidget(web)
        self.stage.setCurrentWidget(self.intro_label)
        web.stop()
        shiboken6.delete(web)

    def count_in_page(self, script: str, callback: Any) -> None:
        if self.web is not None:
            self.web.count_in_page(script, callback)
