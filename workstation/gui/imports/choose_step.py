"""Step 1 of an import: the file, what it holds, and how to read its coordinates and times."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.enums import CoordSystem
from workstation.gui.imports.labels import crs_label, kind_label
from workstation.i18n import Translator
from workstation.ingest.mapping_profiles import MappingProfile
from workstation.ingest.model import ImportOptions

FILE_FILTER = "*.csv *.txt *.xlsx *.xls *.gpx *.json"
#: The kinds that are a snapshot as of a day (the as-of field is offered for them).
SNAPSHOT_KINDS = ("customers",)
#: The as-of field's value meaning "not given: the import day".
NO_DATE = QDate(2000, 1, 1)
#: A day in a file's name (客户主数据_20240519.csv, customers-2024-05-19.xlsx).
_NAME_DAY = re.compile(r"(?<!\d)(20\d{2})-?(\d{2})-?(\d{2})(?!\d)")


def day_in_name(name: str) -> date | None:
    """The last plausible date a file name carries, or None."""
    for found in reversed(list(_NAME_DAY.finditer(name))):
        try:
            return date(*(int(g) for g in found.groups()))
        except ValueError:
            continue
    return None


class ChooseStep(QWidget):
    def __init__(
        self, tr: Translator, kinds: list[str], default_zone: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._tr = tr
        #: The company's time zone: times written without one are in it unless changed here.
        self._default_zone = default_zone
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(tr("The file to import"))
        self.path_edit.setMinimumWidth(420)
        self.browse_button = QPushButton(tr("Choose file…"))
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)

        self.kind_combo = QComboBox()
        for kind in kinds:
            self.kind_combo.addItem(kind_label(tr, kind), kind)
        self.crs_combo = QComboBox()
        for crs in CoordSystem:
            self.crs_combo.addItem(crs_label(tr, crs), crs.value)
        self.tz_edit = QLineEdit(default_zone)
        self.mapping_combo = QComboBox()
        self.mapping_combo.addItem(tr("Match columns by their names"), None)
        self.mapping_combo.currentIndexChanged.connect(self._mapping_chosen)
        self._profiles: dict[str, MappingProfile] = {}
        self.employee_edit = QLineEdit()
        self.employee_edit.setPlaceholderText(tr("Only for GPX tracks, which name no employee"))
        # the day a customer list shows; at NO_DATE it reads "the import day"
        self.as_of_edit = QDateEdit()
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        self.as_of_edit.setMinimumDate(NO_DATE)
        self.as_of_edit.setSpecialValueText(tr("the import day"))
        self.as_of_edit.setDate(NO_DATE)
        self._suggested = NO_DATE
        self.as_of_edit.setToolTip(
            tr(
                "The day the customer list shows: its owners and statuses are read as of that "
                "day. Without it, the import day is assumed and the report says so."
            )
        )
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.path_edit.textChanged.connect(self._path_changed)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(10)
        form.addRow(tr("File"), path_row)
        form.addRow(tr("What the file holds"), self.kind_combo)
        form.addRow(tr("Column mapping"), self.mapping_combo)
        form.addRow(tr("Coordinate system"), self.crs_combo)
        form.addRow(tr("Time zone"), self.tz_edit)
        form.addRow(tr("Employee number"), self.employee_edit)
        form.addRow(tr("List as of"), self.as_of_edit)
        self._form = form

        self.error_label = QLabel()
        self.error_label.setObjectName("noticeBanner")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        hint = QLabel(
            tr(
                "CSV, Excel and GPX files are read; columns are matched by their Chinese or "
                "English names. Nothing is written before you confirm on the next steps."
            )
        )
        hint.setObjectName("mutedLabel")
        hint.setWordWrap(True)

        card = QFrame()
        card.setObjectName("profileCard")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(20, 16, 20, 16)
        inner.setSpacing(12)
        inner.addLayout(form)
        inner.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(card)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        self._kind_changed()

    # -- values -----------------------------------------------------------------------------

    def path(self) -> Path | None:
        text = self.path_edit.text().strip().strip('"')
        return Path(text) if text else None

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))

    def as_of(self) -> date | None:
        """The day the chosen customer list shows, or None (the import day)."""
        chosen = self.as_of_edit.date()
        if self.kind() not in SNAPSHOT_KINDS or chosen == NO_DATE:
            return None
        return date(chosen.year(), chosen.month(), chosen.day())

    def options(self) -> ImportOptions:
        number = self.employee_edit.text().strip()
        profile = self.mapping()
        return ImportOptions(
            crs=CoordSystem(self.crs_combo.currentData()),
            tz=self.tz_edit.text().strip() or self._default_zone,
            employee_no=number or None,
            columns=tuple(sorted(profile.columns.items())) if profile else (),
            mapping_name=profile.name if profile else None,
            as_of=self.as_of(),
        )

    def _kind_changed(self) -> None:
        self._form.setRowVisible(self.as_of_edit, self.kind() in SNAPSHOT_KINDS)

    def _path_changed(self) -> None:
        """Offer the day a file's name carries (客户主数据_20240519.csv) as its as-of day."""
        path = self.path()
        found = day_in_name(path.name) if path else None
        if self.as_of_edit.date() not in (NO_DATE, self._suggested):
            return  # the user's own choice stays
        self._suggested = QDate(found.year, found.month, found.day) if found else NO_DATE
        self.as_of_edit.setDate(self._suggested)

    # -- saved column mappings --------------------------------------------------------------

    def mapping(self) -> MappingProfile | None:
        name = self.mapping_combo.currentData()
        return self._profiles.get(name) if name else None

    def set_mappings(self, profiles: list[MappingProfile], select: str | None = None) -> None:
        """Offer the saved mappings of the chosen kind (keeping the choice where possible)."""
        keep = select or self.mapping_combo.currentData()
        self._profiles = {p.name: p for p in profiles if p.kind == self.kind()}
        self.mapping_combo.blockSignals(True)
        self.mapping_combo.clear()
        self.mapping_combo.addItem(self._tr("Match columns by their names"), None)
        for name in sorted(self._profiles):
            self.mapping_combo.addItem(self._tr("Saved: {name}", name=name), name)
        index = self.mapping_combo.findData(keep) if keep else 0
        self.mapping_combo.setCurrentIndex(max(index, 0))
        self.mapping_combo.blockSignals(False)
        self.mapping_combo.setEnabled(bool(self._profiles))
        if select:
            self._mapping_chosen()

    def _mapping_chosen(self) -> None:
        profile = self.mapping()
        if profile is None:
            return
        if profile.crs is not None:
            self.crs_combo.setCurrentIndex(self.crs_combo.findData(profile.crs.value))
        if profile.tz:
            self.tz_edit.setText(profile.tz)

    def check(self) -> str | None:
        """Why the choices cannot be previewed yet, or None."""
        path = self.path()
        if path is None:
            return self._tr("Choose a file to import.")
        if not path.is_file():
            return self._tr("{path} is not a file.", path=str(path))
        return None

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def browse(self) -> None:
        path = self.path()
        start = str(path.parent) if path is not None else ""
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            self._tr("Choose a file to import"),
            start,
            self._tr("Data files ({patterns})", patterns=FILE_FILTER)
            + ";;"
            + self._tr("All files (*)"),
        )
        if chosen:
            self.path_edit.setText(chosen)
