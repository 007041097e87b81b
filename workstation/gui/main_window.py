"""The main window: navigation on the left, one page per area, database facts in the status bar."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)
from sqlalchemy.engine import make_url

import workstation
from workstation.gui.alerts.alerts_page import AlertsPage
from workstation.gui.background import BackgroundRunner
from workstation.gui.cases.cases_page import CasesPage
from workstation.gui.employees.file_view import EmployeeFileView
from workstation.gui.employees.list_view import EmployeeListView
from workstation.gui.employees.risk_tab import RiskHistoryTab
from workstation.gui.errors import ErrorReporter
from workstation.gui.icons import icon
from workstation.gui.imports.imports_page import ImportsPage
from workstation.gui.map.map_view import MapView
from workstation.gui.policies.policies_page import PoliciesPage
from workstation.gui.settings_page import SettingsPage
from workstation.gui.window_state import WindowState
from workstation.i18n import Translator

if TYPE_CHECKING:
    from workstation.app import App


class Area(StrEnum):
    ALERTS = "alerts"
    POLICIES = "policies"
    EMPLOYEES = "employees"
    MAP = "map"
    CASES = "cases"
    IMPORTS = "imports"
    SETTINGS = "settings"


AREA_ORDER = list(Area)


class MainWindow(QMainWindow):
    #: The status bar counts were refreshed: (employees, customers).
    counts_loaded = Signal(int, int)

    def __init__(
        self,
        app: App,
        *,
        runner: BackgroundRunner | None = None,
        reporter: ErrorReporter | None = None,
        log_file: Path | None = None,
    ) -> None:
        super().__init__()
        self.app = app
        self.locale = app.settings.preferences.locale
        self.tr_ = tr = Translator(self.locale)
        self.reporter = reporter or ErrorReporter(tr, log_file, parent_provider=lambda: self)
        self.runner = runner or BackgroundRunner(self, report_error=self.reporter.report)
        self.window_state = WindowState(app.settings.data_dir)
        self.setWindowTitle(tr("Casework"))
        self.setWindowIcon(icon("casework"))
        self.setMinimumSize(QSize(720, 480))

        self.employee_list = EmployeeListView(app.employees, self.runner, tr)
        self.employee_file = EmployeeFileView(
            app.employees,
            self.runner,
            tr,
            risk_tab=RiskHistoryTab(app.indicators, app.alerts, self.runner, tr),
        )
        self.employees_stack = QStackedWidget()
        self.employees_stack.addWidget(self.employee_list)
        self.employees_stack.addWidget(self.employee_file)
        self.map_view = MapView(app.maps, self.runner, tr, self.locale)
        self.imports_page = ImportsPage(app.imports, self.runner, tr)
        self.policies_page = PoliciesPage(app.policies, self.runner, tr)
        self.cases_page = CasesPage(app.cases, app.session.current, self.runner, tr)
        self.alerts_page = AlertsPage(app.alerts, app.indicators, app.evaluation, self.runner, tr)
        self.pages: dict[Area, QWidget] = {
            Area.ALERTS: self.alerts_page,
            Area.POLICIES: self.policies_page,
            Area.EMPLOYEES: self.employees_stack,
            Area.MAP: self.map_view,
            Area.CASES: self.cases_page,
            Area.IMPORTS: self.imports_page,
            Area.SETTINGS: SettingsPage(app.preferences, self.runner, tr, self.locale),
        }
        self.nav = self._build_navigation()
        self.stack = QStackedWidget()
        for area in AREA_ORDER:
            self.stack.addWidget(self.pages[area])
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self._build_status_bar()
        self._wire()
        self.window_state.restore(self)
        self.show_area(Area.EMPLOYEES)

    # -- construction -----------------------------------------------------------------------

    def _build_navigation(self) -> QListWidget:
        tr = self.tr_
        names = {
            Area.ALERTS: tr("Alerts"),
            Area.POLICIES: tr("Policies"),
            Area.EMPLOYEES: tr("Employees"),
            Area.MAP: tr("Map"),
            Area.CASES: tr("Cases"),
            Area.IMPORTS: tr("Imports"),
            Area.SETTINGS: tr("Settings"),
        }
        nav = QListWidget()
        nav.setObjectName("navigation")
        nav.setIconSize(QSize(20, 20))
        nav.setFixedWidth(184)
        nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for area in AREA_ORDER:
            item = QListWidgetItem(icon(area.value), names[area])
            item.setData(Qt.ItemDataRole.UserRole, area.value)
            item.setSizeHint(QSize(160, 40))
            nav.addItem(item)
        return nav

    def _build_menus(self) -> None:
        tr = self.tr_
        file_menu = self.menuBar().addMenu(tr("&File"))
        self.quit_action = QAction(tr("&Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu(tr("&Help"))
        self.about_action = QAction(tr("&About Casework"), self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        self.db_label = QLabel(self.database_text())
        self.db_label.setToolTip(self.app.database.describe())
        self.counts_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _wire(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_row)
        self.employee_list.employee_activated.connect(self.open_employee)
        self.employee_list.loaded.connect(
            lambda _n: self.map_view.set_employees(self.employee_list.model.rows)
        )
        self.employee_file.back_requested.connect(
            lambda: self.employees_stack.setCurrentWidget(self.employee_list)
        )
        self.employee_file.show_on_map.connect(self.show_on_map)
        self.imports_page.wizard.import_finished.connect(self._after_import)
        self.alerts_page.detail_view.show_on_map.connect(self.show_on_map)
        self.policies_page.saved.connect(lambda _version: self.alerts_page.reload())

    # -- areas ------------------------------------------------------------------------------

    def current_area(self) -> Area:
        return AREA_ORDER[self.stack.currentIndex()]

    def show_area(self, area: Area) -> None:
        row = AREA_ORDER.index(area)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # emits currentRowChanged → _on_nav_row
        else:
            self._on_nav_row(row)

    def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(AREA_ORDER):
            self.stack.setCurrentIndex(row)

    def nav_texts(self) -> list[str]:
        return [self.nav.item(i).text() for i in range(self.nav.count())]

    def open_employee(self, employee_id: int) -> None:
        self.show_area(Area.EMPLOYEES)
        self.employees_stack.setCurrentWidget(self.employee_file)
        self.employee_file.open_employee(employee_id)

    def show_on_map(self, employee_id: int, day: date | None = None) -> None:
        self.show_area(Area.MAP)
        self.map_view.show_employee(employee_id, day)

    def _after_import(self, report: object) -> None:
        if report is not None:
            self.employee_list.reload()
            self.refresh_counts()

    # -- data -------------------------------------------------------------------------------

    def load(self) -> None:
        """Start the first loads (employee list, status bar counts)."""
        self.employee_list.reload()
        self.alerts_page.reload()
        self.refresh_counts()

    def refresh_counts(self) -> None:
        database = self.app.database
        self.runner.run(database.table_counts, on_result=self._show_counts, dialog=False)

    def _show_counts(self, counts: dict[str, int]) -> None:
        employees = counts.get("employees", 0)
        customers = counts.get("customers", 0)
        self.counts_label.setText(
            self.tr_(
                "{employees} employees · {customers} customers",
                employees=employees,
                customers=customers,
            )
        )
        self.counts_loaded.emit(employees, customers)

    def database_text(self) -> str:
        settings = self.app.settings
        if settings.sqlite_path is not None:
            return self.tr_("Database: {name}", name=settings.sqlite_path.name)
        url = make_url(settings.db_url)
        where = f"{url.drivername}://{url.host or ''}/{url.database or ''}"
        return self.tr_("Database: {name}", name=where)

    # -- menus and closing ------------------------------------------------------------------

    def show_about(self) -> None:
        tr = self.tr_
        QMessageBox.about(
            self,
            tr("About Casework"),
            tr(
                "Casework {version}\n\nHelps HR officers detect and prove order diversion: "
                "customers moved to a competitor by a salesperson.",
                version=workstation.__version__,
            ),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.window_state.save(self)
        self.runner.shutdown()
        self.map_view.release_web()
        super().closeEvent(event)
