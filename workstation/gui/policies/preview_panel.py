"""What a draft would raise, beside the version in force: counts by severity, who, and the
rules that would fire for too many employees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.policy import NOISY_SHARE, Severity
from workstation.gui.policies.labels import severity_label
from workstation.gui.policies.problems import explain
from workstation.gui.policies.sizing import stretch_column
from workstation.gui.widgets.table_model import Column, Highlight, RowTableModel
from workstation.gui.widgets.table_view import PredicateProxy, fit_columns, make_table_view
from workstation.i18n import Translator
from workstation.risk.policy_service import PolicyPreview, PreviewSide

ONLY_DRAFT = "only_draft"
ONLY_IN_FORCE = "only_in_force"
HIGHER = "higher"
LOWER = "lower"
SAME = "same"
_CHANGE_ORDER = (ONLY_DRAFT, ONLY_IN_FORCE, HIGHER, LOWER, SAME)


@dataclass(frozen=True)
class PreviewRow:
    """One employee alerted by the draft, the version in force, or both."""

    employee_no: str
    name: str
    in_force: Severity | None
    draft: Severity | None
    in_force_rules: tuple[str, ...]
    draft_rules: tuple[str, ...]

    @property
    def change(self) -> str:
        if self.in_force is None:
            return ONLY_DRAFT
        if self.draft is None:
            return ONLY_IN_FORCE
        if self.draft.rank != self.in_force.rank:
            return HIGHER if self.draft.rank > self.in_force.rank else LOWER
        return SAME


def compare(preview: PolicyPreview) -> list[PreviewRow]:
    """Every employee of either side, differences first, then by severity and number."""
    draft = {a.employee_id: a for a in preview.draft.alerts}
    current = {a.employee_id: a for a in preview.in_force.alerts}
    rows = []
    for emp in dict.fromkeys([*draft, *current]):
        d, c = draft.get(emp), current.get(emp)
        some = d if d is not None else c
        assert some is not None  # the employee came from one side or the other
        rows.append(
            PreviewRow(
                some.employee_no,
                some.employee_name,
                c.severity if c else None,
                d.severity if d else None,
                c.rules if c else (),
                d.rules if d else (),
            )
        )

    def key(r: PreviewRow) -> tuple[int, int, str]:
        top = max((s.rank for s in (r.draft, r.in_force) if s is not None), default=0)
        return (_CHANGE_ORDER.index(r.change), -top, r.employee_no)

    return sorted(rows, key=key)


class PreviewPanel(QWidget):
    def __init__(self, tr: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tr = tr
        self._title: Callable[[str], str] = str
        self.preview: PolicyPreview | None = None

        self.period_label = QLabel()
        self.period_label.setObjectName("sectionTitle")
        self.scope_label = QLabel()
        self.scope_label.setObjectName("mutedLabel")
        self.scope_label.setWordWrap(True)

        card = QFrame()
        card.setObjectName("profileCard")
        grid = QGridLayout(card)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        self.side_titles = {"in_force": QLabel(), "draft": QLabel(tr("Draft"))}
        grid.addWidget(self._caption(tr("Change")), 0, 3, Qt.AlignmentFlag.AlignRight)
        for col, side in ((1, "in_force"), (2, "draft")):
            title = self.side_titles[side]
            title.setObjectName("fieldCaption")
            grid.addWidget(title, 0, col, Qt.AlignmentFlag.AlignRight)
        self.counts: dict[tuple[str, str], QLabel] = {}
        lines = [("total", tr("Alerts"))] + [
            (s.value, severity_label(tr, s)) for s in reversed(Severity)
        ]
        for row, (key, caption) in enumerate(lines, start=1):
            grid.addWidget(self._caption(caption), row, 0)
            for col, side in ((1, "in_force"), (2, "draft"), (3, "change")):
                label = QLabel("–")
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if key == "total":
                    label.setObjectName("statValue")
                self.counts[(side, key)] = label
                grid.addWidget(label, row, col)
        grid.setColumnStretch(0, 1)
        self.difference_label = QLabel()
        self.difference_label.setWordWrap(True)
        grid.addWidget(self.difference_label, len(lines) + 1, 0, 1, 4)

        self.notice = QLabel()
        self.notice.setObjectName("noticeBanner")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.hide()

        self.model: RowTableModel[PreviewRow] = RowTableModel(
            [
                Column(tr("No."), lambda r: r.employee_no),
                Column(tr("Name"), lambda r: r.name),
                Column(
                    tr("In force"),
                    lambda r: severity_label(tr, r.in_force),
                    sort=lambda r: r.in_force.rank if r.in_force else None,
                ),
                Column(
                    tr("Draft"),
                    lambda r: severity_label(tr, r.draft),
                    sort=lambda r: r.draft.rank if r.draft else None,
                ),
                Column(
                    tr("Difference"),
                    lambda r: self._change_label(r.change),
                    sort=lambda r: _CHANGE_ORDER.index(r.change),
                ),
                Column(
                    tr("Rules that fired"),
                    lambda r: self._rules_text(r.draft_rules or r.in_force_rules),
                    tooltip=self._rules_tooltip,
                ),
            ],
            highlight=_highlight,
            parent=self,
        )
        self.proxy = PredicateProxy(self.model, self)
        self.table = make_table_view(self.proxy)
        self.only_changes = QCheckBox(tr("Show only the differences"))
        self.only_changes.toggled.connect(self._filter)
        who = QHBoxLayout()
        who_title = QLabel(tr("Who would be alerted"))
        who_title.setObjectName("sectionTitle")
        who.addWidget(who_title)
        who.addStretch(1)
        who.addWidget(self.only_changes)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.period_label)
        layout.addWidget(self.scope_label)
        layout.addWidget(card)
        layout.addWidget(self.notice)
        layout.addLayout(who)
        layout.addWidget(self.table, 1)

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("fieldCaption")
        return label

    def _change_label(self, change: str) -> str:
        tr = self._tr
        return {
            ONLY_DRAFT: tr("New in draft"),
            ONLY_IN_FORCE: tr("Not in draft"),
            HIGHER: tr("Higher in draft"),
            LOWER: tr("Lower in draft"),
            SAME: tr("Same"),
        }[change]

    def _rules_text(self, rules: tuple[str, ...]) -> str:
        return self._tr("; ").join(self._title(r) for r in rules)

    def _rules_tooltip(self, row: PreviewRow) -> str:
        tr = self._tr
        parts = []
        if row.in_force_rules:
            parts.append(tr("In force: {rules}", rules=self._rules_text(row.in_force_rules)))
        if row.draft_rules:
            parts.append(tr("Draft: {rules}", rules=self._rules_text(row.draft_rules)))
        return "\n".join(parts)

    def _filter(self, only: bool) -> None:
        self.proxy.set_predicate((lambda r: r.change != SAME) if only else None)

    # -- showing ----------------------------------------------------------------------------

    def show_preview(self, preview: PolicyPreview, title: Callable[[str], str] = str) -> None:
        tr = self._tr
        self.preview = preview
        self._title = title
        days = (preview.end - preview.start).days + 1
        self.period_label.setText(
            tr(
                "Preview of {start} to {end} ({days} days)",
                start=preview.start.isoformat(),
                end=preview.end.isoformat(),
                days=days,
            )
        )
        self.scope_label.setText(
            tr(
                "{n} employees have indicator values in these days. Each side raises at most one "
                "alert per employee, as if nobody had triaged any.",
                n=preview.draft.employees_evaluated,
            )
        )
        version = preview.in_force.version
        self.side_titles["in_force"].setText(tr("In force (version {version})", version=version))
        current, draft = preview.in_force.by_severity(), preview.draft.by_severity()
        current["total"], draft["total"] = len(preview.in_force.alerts), len(preview.draft.alerts)
        for key in ("total", *(s.value for s in Severity)):
            self.counts[("in_force", key)].setText(str(current[key]))
            self.counts[("draft", key)].setText(str(draft[key]))
            delta = draft[key] - current[key]
            self.counts[("change", key)].setText(f"{delta:+d}" if delta else "±0")
        self.difference_label.setText(
            tr(
                "{added} only in the draft · {dropped} only in the version in force",
                added=len(preview.only_draft()),
                dropped=len(preview.only_in_force()),
            )
        )
        messages = [explain(tr, n).text for n in preview.notes]
        messages += self.noise_lines(preview.draft, tr("Draft"))
        messages += self.noise_lines(
            preview.in_force, tr("In force (version {version})", version=version)
        )
        self.notice.setText("\n".join(messages))
        self.notice.setVisible(bool(messages))
        self.model.set_rows(compare(preview))
        fit_columns(self.table, max_width=200)
        stretch_column(self.table, self.model.columnCount() - 1)

    def noise_lines(self, side: PreviewSide, who: str) -> list[str]:
        tr = self._tr
        return [
            tr(
                '{who}: "{rule}" fires for {share} of employees ({n} of {total}), more than '
                "{limit}: is its threshold too low?",
                who=who,
                rule=self._title(rate.rule),
                share=f"{rate.share:.0%}",
                n=rate.employees,
                total=side.employees_evaluated,
                limit=f"{NOISY_SHARE:.0%}",
            )
            for rate in side.rule_rates
            if rate.noisy
        ]

    def count(self, side: str, key: str = "total") -> str:
        """The number shown: ``side`` is in_force, draft or change; ``key`` total or a level."""
        return self.counts[(side, key)].text()


def _highlight(row: PreviewRow) -> Highlight | None:
    """Differences stand out (softly: the Difference column says which)."""
    return None if row.change == SAME else Highlight.NOTE
