"""Typed settings, declared once with their defaults.

Preferences live in ``settings.json`` in the data directory; window geometry is kept apart by
the GUI (QSettings). Secrets never live here: they go through ``security.secrets`` (keyring).
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

import platformdirs

APP_NAME = "Casework"
APP_AUTHOR = "Casework"
ENV_HOME = "WORKSTATION_HOME"
ENV_DB_URL = "WORKSTATION_DB_URL"
SETTINGS_FILE = "settings.json"
DEFAULT_DB_FILE = "casework.sqlite3"
SUPPORTED_LOCALES = ("zh_CN", "en")


def project_root() -> Path:
    """Folder holding ``resources/`` and ``migrations/`` (source tree or PyInstaller bundle)."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return project_root() / "resources"


def migrations_dir() -> Path:
    return project_root() / "migrations"


def default_data_dir() -> Path:
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


@dataclass(frozen=True)
class Preferences:
    """User preferences stored in ``settings.json`` (all optional, all with defaults)."""

    locale: str = "zh_CN"
    #: Tile URL template for the map background; ``None`` means no tiles (fully offline).
    tile_url: str | None = None
    #: Coordinate system the tile source uses ("WGS84" or "GCJ02"); overlays are shifted to it.
    tile_coord_system: str = "WGS84"
    tile_attribution: str = ""
    default_geofence_m: float = 500.0
    stop_min_minutes: float = 10.0
    stop_radius_m: float = 100.0
    font_file: str = "fonts/wqy-microhei.ttc"

    @classmethod
    def load(cls, path: Path) -> Preferences:
        if not path.exists():
            return cls()
        raw = json.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    db_url: str
    preferences: Preferences = field(default_factory=Preferences)
    #: The key of an encrypted SQLite store, once the app has it (``app.open_app``).
    db_key: str | None = field(default=None, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    @property
    def sqlite_path(self) -> Path | None:
        if not self.is_sqlite:
            return None
        _, _, path = self.db_url.partition(":///")
        return Path(path) if path and path != ":memory:" else None

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    @property
    def demo_files_dir(self) -> Path:
        return self.data_dir / "demo-files"

    @property
    def preferences_path(self) -> Path:
        return self.data_dir / SETTINGS_FILE

    def with_key(self, key: str | None) -> Settings:
        """These settings with the encrypted store's key."""
        return replace(self, db_key=key)

    def with_preferences(self, **changes: object) -> Settings:
        return replace(self, preferences=replace(self.preferences, **changes))  # type: ignore[arg-type]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def load_settings(data_dir: Path | str | None = None, db_url: str | None = None) -> Settings:
    """Resolve the data dir (argument, ``WORKSTATION_HOME``, platformdirs) and the DB URL."""
    folder = Path(data_dir).expanduser() if data_dir else default_data_dir()
    folder = folder.resolve()
    url = db_url or os.environ.get(ENV_DB_URL) or sqlite_url(folder / DEFAULT_DB_FILE)
    prefs = Preferences.load(folder / SETTINGS_FILE)
    return Settings(data_dir=folder, db_url=url, preferences=prefs)
