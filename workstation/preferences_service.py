"""Reading and changing the user's preferences (``settings.json`` in the data dir)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from workstation.config import SUPPORTED_LOCALES, Preferences, Settings
from workstation.logging_setup import LOG_FILE


class InvalidPreference(ValueError):
    pass


@dataclass(frozen=True)
class DataLocations:
    """Where this installation keeps its things, for the user to see and back up."""

    data_dir: str
    database: str
    log_file: str
    evidence_dir: str
    demo_files_dir: str


class PreferencesService:
    """Changes are saved at once and take effect at the next start (the running window keeps
    the language it was built in)."""

    def __init__(self, settings: Settings, database_description: str) -> None:
        self._settings = settings
        self._database = database_description

    def current(self) -> Preferences:
        """What is saved now (which may differ from what the running program started with)."""
        return Preferences.load(self._settings.preferences_path)

    def set_locale(self, locale: str) -> Preferences:
        if locale not in SUPPORTED_LOCALES:
            raise InvalidPreference(
                f"unsupported language {locale!r}; choose one of {', '.join(SUPPORTED_LOCALES)}"
            )
        updated = replace(self.current(), locale=locale)
        updated.save(self._settings.preferences_path)
        return updated

    def locations(self) -> DataLocations:
        s = self._settings
        return DataLocations(
            data_dir=str(s.data_dir),
            database=self._database,
            log_file=str(s.log_dir / LOG_FILE),
            evidence_dir=str(s.evidence_dir),
            demo_files_dir=str(s.demo_files_dir),
        )
