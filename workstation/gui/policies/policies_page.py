"""The Policies area: every saved version of the alert policy, the one in force today, its
health, and the editor of a new version (with its preview)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.policies.health_panel import HealthPanel
from workstation.gui.policies.labels import system_text
from workstation.gui.policies.policy_editor import PolicyEditor
from workstation.gui.policies.sizing import fit_height
from workstation.gui.policies.version_details import VersionDetails
from workstation.gui.widgets.page_header import PageHeader
from workstation.gui.widgets.table_model import ROW_ROLE, Column, RowTableModel, time_column
from workstation.gui.widgets.table_view import fit_columns, make_proxy, make_table_view
from workstation.i18n import Translator
from workstation.risk.policy_service import (
    PolicyHealth,
    PolicyService,
    PolicyVersionInfo,
    version_in_force,
)

IN_FORCE, SCHEDULED, SUPERSEDED = "in_force", "scheduled", "superseded"


class PoliciesPage(QWidget):
    #: The versions were (re)loaded: how many there are.
    versions_loaded = Signal(int)
    #: The health of the version in force is on screen.
    health_shown = Signal()
    #: A version's rules are on screen (its number).
    version_selected = Signal(int)
    #: The editor opened on a copy of this version.
    editor_opened = Signal(int)
    #: Relayed from the editor.
    preview_shown = Signal()
    saved = Signal(int)
    problem_shown = Signal(str)

    def __init__(
        self,
        policies: PolicyService,
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._policies = policies
        self._runner = runner
        self._tr = tr
        #: Which version is in force today: the company's today, by the app's clock.
        self._today = tr.clock.today
        self._versions: list[PolicyVersionInfo] = []
        self._in_force: int | None = None
        self._load_op: Operation | None = None
        self._health_op: Operation | None = None
        self._pending_select: int | None = None

        self.header = PageHeader(tr("Alert policies"), self._overview_subtitle())
        self.new_button = QPushButton(tr("New version from this…"))
        self.new_button.setToolTip(
            tr("Open the editor on a copy of the selected version; it is saved as a new version")
        )
        self.new_button.setEnabled(False)
        self.new_button.clicked.connect(self.new_version)
        self.header.action_row.addWidget(self.new_button)

        self.notice_label = QLabel()
        self.notice_label.setObjectName("noticeBanner")
        self.notice_label.setWordWrap(True)
        self.notice_label.hide()

        self.model: RowTableModel[PolicyVersionInfo] = RowTableModel(
            [
                Column(tr("Version"), lambda v: v.version, align_right=True),
                Column(tr("Version name"), lambda v: system_text(tr, v.name)),
                Column(tr("In force from"), lambda v: v.effective_from),
                Column(tr("Status"), lambda v: self._status_label(self.status_of(v))),
                Column(tr("Saved by"), lambda v: v.created_by or ""),
                time_column(tr, tr("Saved at"), lambda v: v.created_at),
                Column(
                    tr("Note"),
                    lambda v: system_text(tr, v.note),
                    tooltip=lambda v: system_text(tr, v.note),
                ),
            ],
            parent=self,
        )
        self.proxy = make_proxy(self.model, self)
        self.table = make_table_view(self.proxy, sort_column=0, descending=True)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        versions_title = QLabel(tr("Versions"))
        versions_title.setObjectName("sectionTitle")

        self.details = VersionDetails(tr)
        self.health = HealthPanel(tr)
        self.lower_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.lower_splitter.setChildrenCollapsible(False)
        self.lower_splitter.addWidget(self.details)
        self.lower_splitter.addWidget(self.health)
        self.lower_splitter.setStretchFactor(0, 9)
        self.lower_splitter.setStretchFactor(1, 11)
        self.lower_splitter.setSizes([9_000, 11_000])

        self.overview = QWidget()
        overview = QVBoxLayout(self.overview)
        overview.setContentsMargins(0, 0, 0, 0)
        overview.setSpacing(8)
        overview.addWidget(self.notice_label)
        overview.addWidget(versions_title)
        overview.addWidget(self.table)
        overview.addWidget(self.lower_splitter, 1)

        self.editor = PolicyEditor(policies, runner, tr)
        self.editor.saved.connect(self._saved)
        self.editor.closed.connect(self.show_overview)
        self.editor.preview_shown.connect(self.preview_shown)
        self.editor.problem_shown.connect(self.problem_shown)
        self.body = QStackedWidget()
        self.body.addWidget(self.overview)
        self.body.addWidget(self.editor)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.header)
        layout.addWidget(self.body, 1)
        self.reload()

    def _overview_subtitle(self) -> str:
        return self._tr(
            "The rules that raise alerts. A change is saved as a new version from a chosen day; "
            "old versions stay as they were, so every alert can be traced to the rules that "
            "raised it."
        )

    # -- versions ---------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> Operation:
        """Load the versions (the default one is saved first when there is none)."""
        if self._load_op is not None and not self._load_op.done:
            self._load_op.discard()
        self._pending_select = select
        self._load_op = self._runner.run(
            self._policies.versions,
            on_result=self._show_versions,
            label=self._tr("Loading policy versions…"),
            write=True,  # the first call saves the default version
            dialog=False,
        )
        return self._load_op

    def _show_versions(self, versions: list[PolicyVersionInfo]) -> None:
        previous = self.selected_version()
        self._versions = versions
        try:
            self._in_force = version_in_force(versions, self._today()).version
        except LookupError:
            self._in_force = None
        self.model.set_rows(versions)
        fit_columns(self.table, max_width=300)
        fit_height(self.table, len(versions), least=2, most=5)
        wanted = self._pending_select or previous or self._in_force
        self._pending_select = None
        if wanted is not None:
            self.select_version(wanted)
        self.new_button.setEnabled(bool(versions) and not self.showing_editor())
        self.versions_loaded.emit(len(versions))
        self.load_health()

    def versions(self) -> list[PolicyVersionInfo]:
        return list(self._versions)

    def in_force_version(self) -> int | None:
        return self._in_force

    def status_of(self, info: PolicyVersionInfo) -> str:
        if info.version == self._in_force:
            return IN_FORCE
        return SCHEDULED if info.effective_from > self._today() else SUPERSEDED

    def _status_label(self, status: str) -> str:
        tr = self._tr
        return {
            IN_FORCE: tr("In force today"),
            SCHEDULED: tr("Scheduled"),
            SUPERSEDED: tr("Superseded"),
        }[status]

    def select_version(self, version: int) -> None:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            info = index.data(ROW_ROLE)
            if info is not None and info.version == version:
                self.table.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)
                return

    def selected_version(self) -> int | None:
        info = self.selected_info()
        return info.version if info else None

    def selected_info(self) -> PolicyVersionInfo | None:
        index = self.table.selectionModel().currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _current_changed(self) -> None:
        info = self.selected_info()
        if info is None:
            return
        self.details.show_version(info, info.version == self._in_force)
        self.version_selected.emit(info.version)

    # -- health -----------------------------------------------------------------------------

    def load_health(self) -> Operation:
        if self._health_op is not None and not self._health_op.done:
            self._health_op.discard()
        self._health_op = self._runner.run(
            self._policies.health,
            on_result=self._show_health,
            label=self._tr("Checking the health of the rules…"),
            dialog=False,
        )
        return self._health_op

    def _show_health(self, health: PolicyHealth) -> None:
        policy = next((v.policy for v in self._versions if v.version == health.version), None)
        self.health.show_health(health, policy)
        self.health_shown.emit()

    # -- the editor -------------------------------------------------------------------------

    def new_version(self) -> None:
        """Open the editor on a copy of the selected version (the version in force if none)."""
        base = self.selected_info() or next(
            (v for v in self._versions if v.version == self._in_force), None
        )
        if base is None:
            return
        tr = self._tr
        self.editor.open_draft(base, self._versions, self._today())
        self.notice_label.hide()
        self.body.setCurrentWidget(self.editor)
        self.new_button.hide()
        self.header.set_title(tr("New policy version"))
        self.header.set_subtitle(
            tr(
                "A copy of version {version} ({name}). Thresholds are in percent: type 20 for "
                "20%; leave a level empty to not use it. Preview the draft, then save it as a "
                "new version.",
                version=base.version,
                name=system_text(tr, base.name),
            )
        )
        self.editor_opened.emit(base.version)

    def showing_editor(self) -> bool:
        return self.body.currentWidget() is self.editor

    def show_overview(self) -> None:
        self.body.setCurrentWidget(self.overview)
        self.new_button.show()
        self.new_button.setEnabled(bool(self._versions))
        self.header.set_title(self._tr("Alert policies"))
        self.header.set_subtitle(self._overview_subtitle())

    def _saved(self, version: int) -> None:
        tr = self._tr
        name, effective_from, _ = self.editor.form.values()
        self.notice_label.setText(
            tr(
                'Saved as version {version} "{name}", in force from {day}.',
                version=version,
                name=name,
                day=effective_from.isoformat(),
            )
        )
        self.notice_label.show()
        self.reload(select=version)
        self.saved.emit(version)
