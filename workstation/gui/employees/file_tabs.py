"""Build the employee file with all its tabs from the App (one call for the main window)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workstation.gui.background import BackgroundRunner
from workstation.gui.employees.archive_tab import CaseArchiveTab
from workstation.gui.employees.communications_tab import CommunicationsTab
from workstation.gui.employees.file_view import EmployeeFileView
from workstation.gui.employees.risk_tab import RiskHistoryTab
from workstation.i18n import Translator

if TYPE_CHECKING:
    from workstation.app import App


def employee_file_view(app: App, runner: BackgroundRunner, tr: Translator) -> EmployeeFileView:
    """The file with its risk history, case archive and communications tabs (the last two
    shown only to those whose role may see them)."""
    current = app.session.current
    return EmployeeFileView(
        app.employees,
        runner,
        tr,
        risk_tab=RiskHistoryTab(app.indicators, app.alerts, runner, tr),
        archive_tab=CaseArchiveTab(app.archive, current, runner, tr),
        communications_tab=CommunicationsTab(app.communications, current, runner, tr),
    )
