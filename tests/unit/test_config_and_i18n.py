"""Settings resolution and the translation catalogs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workstation.config import Preferences, load_settings, resources_dir
from workstation.i18n import Translator, catalog


def test_data_dir_comes_from_argument_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKSTATION_HOME", str(tmp_path / "from-env"))
    monkeypatch.delenv("WORKSTATION_DB_URL", raising=False)
    assert load_settings().data_dir == (tmp_path / "from-env").resolve()
    chosen = load_settings(tmp_path / "chosen")
    assert chosen.data_dir == (tmp_path / "chosen").resolve()
    assert chosen.sqlite_path == (tmp_path / "chosen" / "casework.sqlite3").resolve()
    other = load_settings(tmp_path, "postgresql+psycopg://u:secret@db/casework")
    assert not other.is_sqlite and other.sqlite_path is None


def test_preferences_round_trip_and_ignore_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    Preferences(locale="en", stop_radius_m=80.0).save(path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["obsolete_key"] = 1
    path.write_text(json.dumps(raw), encoding="utf-8")
    loaded = Preferences.load(path)
    assert loaded.locale == "en" and loaded.stop_radius_m == 80.0


def test_translator_falls_back_to_english_and_formats() -> None:
    en = Translator("en")
    assert en("Employees") == "Employees"
    assert en("{n} points", n=3) == "3 points"
    with pytest.raises(ValueError, match="unsupported locale"):
        Translator("fr")


def test_chinese_catalogs_are_valid_and_complete_json() -> None:
    files = sorted((resources_dir() / "translations").glob("*.zh_CN.json"))
    assert files, "no zh_CN catalog found"
    zh = catalog("zh_CN")
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        assert all(isinstance(v, str) and v.strip() for v in data.values()), path.name
    assert zh["Employees"] == "员工"
    assert Translator("zh_CN")("Employees") == "员工"
