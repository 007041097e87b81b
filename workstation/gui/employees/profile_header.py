"""The top of the employee file: who the person is and the numbers that matter at a glance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workstation.employees.model import EmployeeFile
from workstation.i18n import Translator


class StatTile(QFrame):
    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statTile")
        self.value_label = QLabel("–")
        self.value_label.setObjectName("statValue")
        self.caption_label = QLabel(caption)
        self.caption_label.setObjectName("statCaption")
        self.caption_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        self.setMinimumWidth(130)

    def set_value(self, value: int, alert: bool = False) -> None:
        self.value_label.setText(str(value))
        self.setProperty("alert", alert and value > 0)
        self.style().unpolish(self)
        self.style().polish(self)


class ProfileHeader(QFrame):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profileCard")
        self._tr = tr
        self.name_label = QLabel()
        self.name_label.setObjectName("profileName")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("mutedLabel")

        self._values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        fields = [
            ("department", tr("Department")),
            ("manager", tr("Manager")),
            ("office", tr("Office")),
            ("phone", tr("Phone")),
            ("hired", tr("Hired")),
            ("left", tr("Left")),
        ]
        for i, (key, caption) in enumerate(fields):
            label = QLabel(caption)
            label.setObjectName("fieldCaption")
            value = QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._values[key] = value
            row, col = divmod(i, 2)
            grid.addWidget(label, row, col * 2)
            grid.addWidget(value, row, col * 2 + 1)
        grid.setColumnMinimumWidth(1, 160)
        grid.setColumnMinimumWidth(3, 120)

        self.held_tile = StatTile(tr("customers held now"))
        self.lost_tile = StatTile(tr("customers lost or transferred"))
        self.outside_tile = StatTile(tr("check-ins outside the fence"))
        self.transferred_tile = StatTile(tr("orders transferred"))

        who = QVBoxLayout()
        who.setSpacing(4)
        who.addWidget(self.name_label)
        who.addWidget(self.summary_label)
        who.addSpacing(6)
        who.addLayout(grid)
        who.addStretch(1)
        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        for tile in (self.held_tile, self.lost_tile, self.outside_tile, self.transferred_tile):
            tiles.addWidget(tile)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(24)
        layout.addLayout(who, 1)
        layout.addLayout(tiles)

    def show_file(self, file: EmployeeFile) -> None:
        tr = self._tr
        p = file.profile
        self.name_label.setText(p.name)
        parts = [tr("No. {number}", number=p.employee_no)]
        if p.title:
            parts.append(p.title)
        if p.leave_date:
            parts.append(tr("left on {day}", day=p.leave_date.isoformat()))
        self.summary_label.setText(" · ".join(parts))
        manager = f"{p.manager_name} ({p.manager_no})" if p.manager_name else ""
        values = {
            "department": p.department or "",
            "manager": manager,
            "office": p.office or "",
            "phone": p.phone or "",
            "hired": p.hire_date.isoformat() if p.hire_date else "",
            "left": p.leave_date.isoformat() if p.leave_date else tr("still employed"),
        }
        for key, text in values.items():
            self._values[key].setText(text or "—")
        held = sum(1 for o in file.ownerships if o.end_date is None)
        self.held_tile.set_value(held)
        self.lost_tile.set_value(len(file.lost_customers), alert=True)
        self.outside_tile.set_value(
            sum(1 for c in file.checkins if c.inside_fence is False), alert=True
        )
        self.transferred_tile.set_value(
            sum(1 for o in file.orders if o.status == "transferred"), alert=True
        )
