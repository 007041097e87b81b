"""Settings: the interface language, where this installation keeps its data, and where the
rest is set (users, the alert policy, the map and stop settings in ``settings.json``)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workstation.config import SETTINGS_FILE, Preferences
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner
from workstation.gui.widgets.page_header import PageHeader
from workstation.i18n import Translator
from workstation.preferences_service import PreferencesService
from workstation.security.permissions import Permission, allowed
from workstation.service_text import error_text

#: Each language is named in itself, so a user can find their own whatever is shown now.
LANGUAGE_NAMES = {"zh_CN": "中文（简体）", "en": "English"}


def elsewhere(tr: Translator, who: Identity | None) -> list[str]:
    """Where what this page does not change is set, said for ``who`` (rich-text lines)."""
    if allowed(who, Permission.USER_MANAGE):
        users = tr("Users and their roles: the Users area.")
    else:
        users = tr("Users and their roles: an administrator manages them in the Users area.")
    if allowed(who, Permission.POLICY_EDIT):
        policy = tr("Alert rules and thresholds: the Policies area (a new version).")
    else:
        policy = tr("Alert rules and thresholds: the alert policy, which HR officers edit.")
    files = tr(
        "Map tiles (tile_url; none by default: the map is drawn offline), the default "
        "geofence radius and what counts as a stop: {file} in the data folder.",
        file=SETTINGS_FILE,
    )
    return [escape(line) for line in (users, policy, files)]


class SettingsPage(QWidget):
    #: The language was saved (it applies from the next start).
    locale_saved = Signal(str)

    def __init__(
        self,
        preferences: PreferencesService,
        runner: BackgroundRunner,
        tr: Translator,
        running_locale: str,
        parent: QWidget | None = None,
        *,
        current: Callable[[], Identity | None] = lambda: None,
    ) -> None:
        super().__init__(parent)
        self._preferences = preferences
        self._runner = runner
        self._tr = tr
        self._running_locale = running_locale

        header = PageHeader(
            tr("Settings"),
            tr("The language of the workstation and where it keeps its data."),
        )

        self.language_combo = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(self.language_combo.findData(running_locale))
        self.save_button = QPushButton(tr("Save"))
        self.save_button.clicked.connect(self.save_language)
        self.status_label = QLabel()
        self.status_label.setObjectName("mutedLabel")
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        language_row = QHBoxLayout()
        language_row.addWidget(QLabel(tr("Language")))
        language_row.addWidget(self.language_combo)
        language_row.addWidget(self.save_button)
        language_row.addStretch(1)

        self.locations_form = QFormLayout()
        self.locations_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        places = preferences.locations()
        for label, value in (
            (tr("Data folder"), places.data_dir),
            (tr("Database"), places.database),
            (tr("Log file"), places.log_file),
            (tr("Evidence files"), places.evidence_dir),
            (tr("Sample files to import"), places.demo_files_dir),
        ):
            shown = QLabel(value)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.locations_form.addRow(label, shown)

        #: Where the rest is set (what this page does not change), for this user.
        self.elsewhere_label = QLabel("<br>".join(elsewhere(tr, current())))
        self.elsewhere_label.setObjectName("mutedLabel")
        self.elsewhere_label.setWordWrap(True)
        self.elsewhere_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        card = QFrame()
        card.setObjectName("profileCard")
        inner = QVBoxLayout(card)
        inner.setContentsMargins(20, 16, 20, 16)
        inner.setSpacing(10)
        inner.addLayout(language_row)
        inner.addWidget(self.status_label)
        places_title = QLabel(tr("Where your data is"))
        places_title.setObjectName("sectionTitle")
        inner.addWidget(places_title)
        inner.addLayout(self.locations_form)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(14)
        layout.addWidget(header)
        layout.addWidget(card)
        layout.addWidget(self.elsewhere_label)
        layout.addStretch(1)

    def chosen_locale(self) -> str:
        return str(self.language_combo.currentData())

    def save_language(self) -> None:
        locale = self.chosen_locale()
        self.save_button.setEnabled(False)
        self._runner.run(
            lambda: self._preferences.set_locale(locale),
            on_result=self._saved,
            on_error=self._failed,
            label=self._tr("Saving settings"),
            write=True,
        )

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self._say(self._tr("Not saved: {reason}", reason=error_text(error, self._tr.locale)))

    def _say(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.show()

    def _saved(self, preferences: Preferences) -> None:
        self.save_button.setEnabled(True)
        if preferences.locale == self._running_locale:
            self._say(self._tr("Saved."))
        else:
            self._say(
                self._tr(
                    "Saved. {language} is used from the next start of Casework.",
                    language=LANGUAGE_NAMES[preferences.locale],
                )
            )
        self.locale_saved.emit(preferences.locale)
