"""The editor of a new policy version: a copy of a saved version, changed in place, checked as
it is typed, previewed over past days beside the version in force, then saved as a new version.

Nothing here is modal: a test (or a script) drives the inputs and calls ``run_preview``,
``save`` and ``discard`` directly, and waits on the signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workstation.domain.indicators import Indicator
from workstation.domain.policy import Policy, PolicyInvalid
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.policies.combinations_editor import CombinationsEditor
from workstation.gui.policies.editor_form import VersionForm, section_title
from workstation.gui.policies.labels import indicator_label, rule_title
from workstation.gui.policies.preview_area import PreviewArea
from workstation.gui.policies.problems import ShownProblem, explain
from workstation.gui.policies.rules_editor import RulesEditor
from workstation.i18n import Translator
from workstation.risk.policy_service import (
    PolicyPreview,
    PolicyRefused,
    PolicyService,
    PolicyVersionInfo,
)
from workstation.service_text import error_text

log = logging.getLogger(__name__)

#: Problems and refusals stand out from notices (yellow): red like an alert row.
EDITOR_STYLE = """
QLabel#problemBanner {
    background: #fde8e7; color: #9b1c1c; border: 1px solid #f3b5b0;
    border-radius: 6px; padding: 8px 12px;
}
QLabel#readyLabel { color: #1e6b3a; }
QLineEdit[problem="true"], QDateEdit[problem="true"] {
    border: 1px solid #c0392b; background: #fdf0ef;
}
"""


class PolicyEditor(QWidget):
    #: A preview is on screen.
    preview_shown = Signal()
    #: The draft was saved as this version.
    saved = Signal(int)
    #: A refusal or failure was shown to the user (its text).
    problem_shown = Signal(str)
    #: The problems of the draft were checked again (how many there are).
    checked = Signal(int)
    #: The user left the editor (saved or discarded).
    closed = Signal()

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
        self._base: PolicyVersionInfo | None = None
        self._versions: list[PolicyVersionInfo] = []
        self._problems: list[ShownProblem] = []
        self._initial: tuple[object, ...] | None = None
        self._previewed: Policy | None = None
        self._preview_op: Operation | None = None
        self._save_op: Operation | None = None
        self.setStyleSheet(EDITOR_STYLE)

        self.form = VersionForm(tr)
        self.form.changed.connect(self._recheck)

        self.rules = RulesEditor(tr)
        self.rules.changed.connect(self._recheck)
        self.rules.itemSelectionChanged.connect(self._update_buttons)
        self.combinations = CombinationsEditor(tr)
        self.combinations.changed.connect(self._recheck)
        self.add_button = QToolButton()
        self.add_button.setText(tr("Add rule"))
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.add_button)
        for indicator in Indicator:
            action = menu.addAction(indicator_label(tr, indicator))
            action.triggered.connect(lambda _=False, i=indicator: self.rules.add_rule(i))
        self.add_button.setMenu(menu)
        self.remove_button = QPushButton(tr("Remove rule"))
        self.remove_button.clicked.connect(self.remove_selected_rule)

        self.problems_label = QLabel()
        self.problems_label.setObjectName("problemBanner")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        self.ready_label = QLabel(tr("No problems: the draft can be previewed and saved."))
        self.ready_label.setObjectName("readyLabel")
        self.message_label = QLabel()
        self.message_label.setObjectName("problemBanner")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.hide()

        rules_bar = QHBoxLayout()
        rules_bar.addWidget(section_title(tr("Rules (thresholds in percent)")))
        rules_bar.addStretch(1)
        rules_bar.addWidget(self.add_button)
        rules_bar.addWidget(self.remove_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 8, 0)
        left_layout.setSpacing(6)
        left_layout.addWidget(self.form)
        left_layout.addLayout(rules_bar)
        left_layout.addWidget(self.rules)
        left_layout.addWidget(section_title(tr("Combinations")))
        left_layout.addWidget(self.combinations)
        left_layout.addWidget(self.form.settings_box)
        left_layout.addWidget(self.problems_label)
        left_layout.addWidget(self.ready_label)
        left_layout.addStretch(1)
        left_scroll = QScrollArea()
        left_scroll.setWidget(left)
        left_scroll.setWidgetResizable(True)
        left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # -- preview side ---------------------------------------------------------------------
        self.preview_area = PreviewArea(tr)
        self.days_spin = self.preview_area.days_spin
        self.preview_button = self.preview_area.preview_button
        self.preview_button.clicked.connect(self.run_preview)
        self.stale_label = self.preview_area.stale_label
        self.preview_panel = self.preview_area.panel

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left_scroll)
        self.splitter.addWidget(self.preview_area)
        self.splitter.setStretchFactor(0, 6)
        self.splitter.setStretchFactor(1, 5)

        self.discard_button = QPushButton(tr("Discard draft"))
        self.discard_button.clicked.connect(self.close_editor)
        self.save_button = QPushButton(tr("Save as a new version"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message_label, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.discard_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)

    # -- opening ----------------------------------------------------------------------------

    def open_draft(
        self, base: PolicyVersionInfo, versions: list[PolicyVersionInfo], today: date
    ) -> None:
        """Start a draft from a copy of ``base``; ``versions`` are every saved version."""
        self._base = base
        self._versions = list(versions)
        latest = max(v.effective_from for v in versions) if versions else base.effective_from
        self.form.reset(today, latest)
        self.rules.set_rules(base.policy.rules)
        self.combinations.set_combinations(base.policy.combinations)
        self.form.set_settings(base.policy.settings)
        self._previewed = None
        self.preview_area.reset()
        self.message_label.hide()
        self._initial = self._state()
        number = max((v.version for v in versions), default=base.version) + 1
        self.save_button.setText(self._tr("Save as version {version}", version=number))
        self._recheck()

    @property
    def base(self) -> PolicyVersionInfo | None:
        return self._base

    # -- the draft --------------------------------------------------------------------------

    def draft(self) -> Policy:
        """The policy as typed (not yet checked)."""
        rules, _ = self.rules.read()
        settings = self._base.policy.settings if self._base else None
        settings = self.form.read_settings(settings)
        return Policy(rules, self.combinations.read(), settings)

    def problems(self) -> list[str]:
        """The problems shown, in the user's words."""
        return [p.text for p in self._problems]

    def can_save(self) -> bool:
        return self._base is not None and not self._problems and not self.busy()

    def busy(self) -> bool:
        return self._save_op is not None and not self._save_op.done

    def is_changed(self) -> bool:
        return self._initial is not None and self._state() != self._initial

    def _state(self) -> tuple[object, ...]:
        return (self.draft(), *self.form.values())

    def _titles(self, policy: Policy | None = None) -> Callable[[str], str]:
        """Names rules for people: by ``policy`` (default: the draft), else by a saved version."""
        policies = [policy or self.draft(), *(v.policy for v in reversed(self._versions))]

        def title(name: str) -> str:
            for candidate in policies:
                found = rule_title(self._tr, candidate, name)
                if found != name:
                    return found
            return name

        return title

    def _recheck(self) -> None:
        tr = self._tr
        _, problems = self.rules.read()
        policy = self.draft()
        if not self.form.name():
            problems.append(ShownProblem(tr("Give the version a name."), None, "version_name"))
        titles = self._titles(policy)
        problems += [explain(tr, p, titles) for p in policy.problems()]
        self._problems = problems
        self.rules.mark(problems)
        self.form.mark(problems)
        self.problems_label.setText(
            "\n".join(
                [tr("Fix these before previewing or saving:")] + [f"• {p.text}" for p in problems]
            )
        )
        self.problems_label.setVisible(bool(problems))
        self.ready_label.setVisible(not problems)
        self.stale_label.setVisible(self._previewed is not None and self._previewed != policy)
        self._update_buttons()
        self.checked.emit(len(problems))

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self.can_save())
        previewing = self._preview_op is not None and not self._preview_op.done
        self.preview_button.setEnabled(
            self._base is not None and not self._problems and not previewing
        )
        self.remove_button.setEnabled(self.rules.selected_name() is not None)

    def remove_selected_rule(self) -> None:
        name = self.rules.selected_name()
        if name is not None:
            self.rules.remove_rule(name)

    # -- preview ----------------------------------------------------------------------------

    def run_preview(self) -> Operation | None:
        if self._base is None or self._problems:
            return None
        if self._preview_op is not None and not self._preview_op.done:
            self._preview_op.discard()
        policy, days = self.draft(), self.days_spin.value()
        policies = self._policies
        self._preview_op = self._runner.run(
            lambda: policies.preview(policy, days=days),
            on_result=lambda preview: self._show_preview(preview, policy),
            on_error=self._preview_failed,
            label=self._tr("Previewing the draft over the last {days} days…", days=days),
        )
        self._preview_op.finished.connect(self._update_buttons)
        self._update_buttons()
        return self._preview_op

    def _show_preview(self, preview: PolicyPreview, policy: Policy) -> None:
        self._previewed = policy
        self.preview_panel.show_preview(preview, self._titles(policy))
        self.preview_area.stack.setCurrentWidget(self.preview_panel)
        self.stale_label.setVisible(self.draft() != policy)
        self.preview_shown.emit()

    def _preview_failed(self, error: BaseException) -> None:
        if isinstance(error, PolicyInvalid):
            titles = self._titles()
            text = "\n".join(explain(self._tr, p, titles).text for p in error.problems)
        else:
            log.error("preview failed", exc_info=(type(error), error, error.__traceback__))
            text = error_text(error, self._tr.locale)
        self._say(self._tr("The preview failed: {reason}", reason=text))

    # -- save -------------------------------------------------------------------------------

    def save(self) -> Operation | None:
        """Save the draft as a new version in the background (nothing when it has problems)."""
        if not self.can_save():
            return None
        policy = self.draft()
        name, effective_from, note = self.form.name(), self.form.effective_from(), self.form.note()
        policies = self._policies
        self.message_label.hide()
        self._save_op = self._runner.run(
            lambda: policies.save(policy, name=name, effective_from=effective_from, note=note),
            on_result=self._saved,
            on_error=self._save_failed,
            label=self._tr("Saving the new policy version…"),
            write=True,
        )
        self._save_op.finished.connect(self._update_buttons)
        self._update_buttons()
        return self._save_op

    def _saved(self, info: PolicyVersionInfo) -> None:
        self._initial = self._state()
        self.saved.emit(info.version)
        self.closed.emit()

    def _save_failed(self, error: BaseException) -> None:
        tr = self._tr
        if isinstance(error, PolicyInvalid):
            shown = [explain(tr, p, self._titles()) for p in error.problems]
            reason = "\n".join(p.text for p in shown)
        elif isinstance(error, PolicyRefused):
            shown = [explain(tr, str(error))]
            reason = shown[0].text
            self.form.mark(shown)
        else:
            log.error("saving a policy failed", exc_info=(type(error), error, error.__traceback__))
            reason = error_text(error, tr.locale)
        self._say(tr("Not saved: {reason} Your draft is kept.", reason=reason))

    def _say(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()
        self.problem_shown.emit(text)

    # -- leaving ----------------------------------------------------------------------------

    def close_editor(self) -> bool:
        """Leave the editor; with changes, ask first. False when the user stays."""
        if self.is_changed():
            box = QMessageBox(self)
            box.setIcon(QMessageBox.Icon.Question)
            box.setWindowTitle(self._tr("Discard draft"))
            box.setText(self._tr("Discard the changes of this draft?"))
            box.setStandardButtons(
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
            )
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
            if box.exec() != QMessageBox.StandardButton.Discard:
                return False
        self.discard()
        return True

    def discard(self) -> None:
        """Drop the draft without asking."""
        if self._preview_op is not None and not self._preview_op.done:
            self._preview_op.discard()
        self._initial = None
        self._base = None
        self.closed.emit()
