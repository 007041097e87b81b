"""The main window: navigation on the left, one page per area, database facts in the status bar.

Each area is shown only to those whose role has the permission it needs (``AREA_PERMISSIONS``);
the pages of hidden areas are never built, so nothing loads what the user may not see.
"""

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
from workstation.domain.identity import Identity
from workstation.gui.alerts.alerts_page import AlertsPage
from workstation.gui.background import BackgroundRunner
from workstation.gui.cases.cases_page import CasesPage
from workstation.gui.cases.from_alert import connect_alerts_to_cases
from workstation.gui.employees.file_tabs import employee_file_view
from workstation.gui.employees.file_view import EmployeeFileView
from workstation.gui.employees.list_view import EmployeeListView
from workstation.gui.errors import ErrorReporter
from workstation.gui.icons import icon
from workstation.gui.imports.imports_page import ImportsPage
from workstation.gui.map.map_view import MapView
from workstation.gui.policies.policies_page import PoliciesPage
from workstation.gui.security.account_menu import AccountMenu, signed_in_text
from workstation.gui.settings_page import SettingsPage
from workstation.gui.users.users_page import UsersPage
from workstation.gui.window_state import WindowState
from workstation.i18n import Translator
from workstation.security.permissions import Permission, allowed

if TYPE_CHECKING:
    from workstation.app import App


class Area(StrEnum):
    ALERTS = "alerts"
    POLICIES = "policies"
    EMPLOYEES = "employees"
    MAP = "map"
    CASES = "cases"
    IMPORTS = "imports"
    USERS = "users"
    SETTINGS = "settings"


AREA_ORDER = list(Area)

#: What the signed-in user needs to see each area (None: everyone).
AREA_PERMISSIONS: dict[Area, Permission | None] = {
    Area.ALERTS: Permission.ALERT_VIEW,
    Area.POLICIES: Permission.POLICY_VIEW,
    Area.EMPLOYEES: Permission.EMPLOYEE_VIEW,
    Area.MAP: Permission.TRACK_VIEW,
    Area.CASES: Permission.CASE_VIEW,
    Area.IMPORTS: Permission.IMPORT_VIEW,
    Area.USERS: Permission.USER_MANAGE,
    Area.SETTINGS: None,
}

#: The area the window opens on: the first of these the user sees, else the first shown.
START_AREAS = (Area.EMPLOYEES, Area.ALERTS, Area.CASES)


def visible_areas(identity: Identity | None) -> list[Area]:
    """The areas ``identity`` sees, in navigation order."""
    return [
        area
        for area in AREA_ORDER
        if (needed := AREA_PERMISSIONS[area]) is None or allowed(identity, needed)
    ]


def start_area(areas: list[Area]) -> Area:
    return next((a for a in START_AREAS if a in areas), areas[0])


class MainWindow(QMainWindow):
    """The pages of the areas the user sees are attributes (``employee_list``, ``map_view``,
    ``users_page``, ...); those of hidden areas are not built and their attributes are not
    set (``has_area`` tells)."""

    #: The status bar counts were refreshed: (employees, customers).
    counts_loaded = Signal(int, int)

    employee_list: EmployeeListView
    employee_file: EmployeeFileView
    employees_stack: QStackedWidget
    map_view: MapView
    imports_page: ImportsPage
    policies_page: PoliciesPage
    cases_page: CasesPage
    alerts_page: AlertsPage
    users_page: UsersPage

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
        self.tr_ = tr = Translator(app.settings.preferences.locale, app.clock)
        self.reporter = reporter or ErrorReporter(tr, log_file, parent_provider=lambda: self)
        self.runner = runner or BackgroundRunner(self, report_error=self.reporter.report)
        self.window_state = WindowState(app.settings.data_dir)
        self.setWindowTitle(tr("Casework"))
        self.setWindowIcon(icon("casework"))
        self.setMinimumSize(QSize(720, 480))

        #: The areas the signed-in user sees, in navigation (and stack) order.
        self.areas = visible_areas(app.session.current())
        self.pages: dict[Area, QWidget] = {area: self._build_page(area) for area in self.areas}
        self.nav = self._build_navigation()
        self.stack = QStackedWidget()
        for area in self.areas:
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
        self.show_area(start_area(self.areas))

    # -- construction -----------------------------------------------------------------------

    def _build_page(self, area: Area) -> QWidget:
        app, runner, tr = self.app, self.runner, self.tr_
        current = app.session.current
        if area is Area.ALERTS:
            self.alerts_page = AlertsPage(app.alerts, app.indicators, app.evaluation, runner, tr)
            # the services refuse anyway; the GUI only hides what the role may not do
            self.alerts_page.evaluate_button.setVisible(self._may(Permission.RISK_EVALUATE))
            return self.alerts_page
        if area is Area.POLICIES:
            self.policies_page = PoliciesPage(app.policies, runner, tr)
            self.policies_page.new_button.setVisible(self._may(Permission.POLICY_EDIT))
            return self.policies_page
        if area is Area.EMPLOYEES:
            self.employee_list = EmployeeListView(app.employees, runner, tr)
            self.employee_file = employee_file_view(app, runner, tr)
            # the file enables it once loaded; a role that never sees tracks is not offered it
            self.employee_file.map_button.setVisible(self._may(Permission.TRACK_VIEW))
            self.employees_stack = QStackedWidget()
            self.employees_stack.addWidget(self.employee_list)
            self.employees_stack.addWidget(self.employee_file)
            return self.employees_stack
        if area is Area.MAP:
            self.map_view = MapView(app.maps, runner, tr, tr.locale)
            return self.map_view
        if area is Area.CASES:
            self.cases_page = CasesPage(app.cases, current, runner, tr, documents=app.documents)
            return self.cases_page
        if area is Area.IMPORTS:
            may_import = self._may(Permission.IMPORT_RUN)
            self.imports_page = ImportsPage(
                app.imports,
                runner,
                tr,
                may_import=may_import,
                readiness=lambda: app.readiness.check(),  # the service loads on first use
            )
            return self.imports_page
        if area is Area.USERS:
            employees = app.employees
            self.users_page = UsersPage(
                app.users,
                current,
                lambda: employees.list_employees(),
                runner,
                tr,
                signing=lambda: app.signing,
            )
            return self.users_page
        return SettingsPage(app.preferences, runner, tr, tr.locale, current=current)

    def _may(self, permission: Permission) -> bool:
        return allowed(self.app.session.current(), permission)

    def has_area(self, area: Area) -> bool:
        """Does the signed-in user see ``area`` (and so is its page built)?"""
        return area in self.pages

    def _build_navigation(self) -> QListWidget:
        tr = self.tr_
        names = {
            Area.ALERTS: tr("Alerts"),
            Area.POLICIES: tr("Policies"),
            Area.EMPLOYEES: tr("Employees"),
            Area.MAP: tr("Map"),
            Area.CASES: tr("Cases"),
            Area.IMPORTS: tr("Imports"),
            Area.USERS: tr("Users"),
            Area.SETTINGS: tr("Settings"),
        }
        nav = QListWidget()
        nav.setObjectName("navigation")
        nav.setIconSize(QSize(20, 20))
        nav.setFixedWidth(184)
        nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for area in self.areas:
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
        self.account_menu = AccountMenu(
            self.app.users, self.app.session, tr, self, runner=self.runner
        )
        self.account_menu.signed_out.connect(self.close)
        self.menuBar().addMenu(self.account_menu)
        help_menu = self.menuBar().addMenu(tr("&Help"))
        self.about_action = QAction(tr("&About Casework"), self)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

    def _build_status_bar(self) -> None:
        self.user_label = QLabel(signed_in_text(self.tr_, self.app.session))
        self.user_label.setObjectName("signedInLabel")
        self.db_label = QLabel(self.database_text())
        self.db_label.setToolTip(self.app.database.describe())
        self.counts_label = QLabel()
        self.statusBar().addWidget(self.user_label)
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _wire(self) -> None:
        self.nav.currentRowChanged.connect(self._on_nav_row)
        if self.has_area(Area.EMPLOYEES):
            self.employee_list.employee_activated.connect(self.open_employee)
            self.employee_file.back_requested.connect(
                lambda: self.employees_stack.setCurrentWidget(self.employee_list)
            )
            self.employee_file.show_on_map.connect(self.show_on_map)
            if self.has_area(Area.MAP):
                self.employee_list.loaded.connect(
                    lambda _n: self.map_view.set_employees(self.employee_list.model.rows)
                )
        if self.has_area(Area.IMPORTS):
            self.imports_page.wizard.import_finished.connect(self._after_import)
            self.counts_loaded.connect(
                lambda employees, _customers: self.imports_page.set_employee_count(employees)
            )
        if self.has_area(Area.ALERTS):
            self.alerts_page.detail_view.show_on_map.connect(self.show_on_map)
            if self.has_area(Area.POLICIES):
                self.policies_page.saved.connect(lambda _version: self.alerts_page.reload())
            if self.has_area(Area.CASES):
                connect_alerts_to_cases(
                    self.alerts_page.detail_view,
                    self.cases_page,
                    lambda: self.show_area(Area.CASES),
                    self.tr_,
                )

    # -- areas ------------------------------------------------------------------------------

    def current_area(self) -> Area:
        return self.areas[self.stack.currentIndex()]

    def show_area(self, area: Area) -> bool:
        """Show ``area``; False (nothing changes) when the user does not see it."""
        if area not in self.areas:
            return False
        row = self.areas.index(area)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # emits currentRowChanged → _on_nav_row
        else:
            self._on_nav_row(row)
        return True

    def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(self.areas):
            self.stack.setCurrentIndex(row)

    def nav_texts(self) -> list[str]:
        return [self.nav.item(i).text() for i in range(self.nav.count())]

    def open_employee(self, employee_id: int) -> None:
        if not self.show_area(Area.EMPLOYEES):
            return
        self.employees_stack.setCurrentWidget(self.employee_file)
        self.employee_file.open_employee(employee_id)

    def show_on_map(self, employee_id: int, day: date | None = None) -> None:
        if not self.show_area(Area.MAP):
            return
        self.map_view.show_employee(employee_id, day)

    def _after_import(self, report: object) -> None:
        if report is not None:
            if self.has_area(Area.EMPLOYEES):
                self.employee_list.reload()
            self.refresh_counts()

    # -- data -------------------------------------------------------------------------------

    def load(self) -> None:
        """Start the first loads (employee list, alerts, status bar counts) of the areas the
        user sees."""
        if self.has_area(Area.EMPLOYEES):
            self.employee_list.reload()
        if self.has_area(Area.ALERTS):
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
        if self.has_area(Area.MAP):
            self.map_view.release_web()
        super().closeEvent(event)
