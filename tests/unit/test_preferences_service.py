"""Preferences are saved to settings.json and validated."""

from __future__ import annotations

import json

import pytest

from workstation.config import Settings
from workstation.preferences_service import InvalidPreference, PreferencesService


def test_language_is_saved_and_read_back(settings: Settings) -> None:
    service = PreferencesService(settings, "sqlite:///x")
    assert service.current().locale == "zh_CN"
    service.set_locale("en")
    saved = json.loads(settings.preferences_path.read_text(encoding="utf-8"))
    assert saved["locale"] == "en"
    assert PreferencesService(settings, "").current().locale == "en"


def test_unknown_language_is_refused_and_nothing_written(settings: Settings) -> None:
    service = PreferencesService(settings, "")
    with pytest.raises(InvalidPreference, match="unsupported language 'fr'"):
        service.set_locale("fr")
    assert not settings.preferences_path.exists()


def test_locations_name_the_data_folder_and_database(settings: Settings) -> None:
    places = PreferencesService(settings, "sqlite:///db").locations()
    assert places.data_dir == str(settings.data_dir)
    assert places.database == "sqlite:///db"
    assert places.log_file.endswith("workstation.log")
