"""Qt's own strings (standard buttons, file dialogs, date pickers, context menus) in the
chosen language: Qt's catalogs from the PySide6 wheel (``qtbase``, ``qtwebengine``), wherever
this installation keeps them, and a small supplement for the strings they lack
(``resources/translations/qt/qtbase_supplement.<locale>.json``)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from workstation.config import resources_dir

log = logging.getLogger(__name__)

#: Qt's catalogs loaded, in this order (the first one is required for Chinese dialogs).
QT_CATALOGS = ("qtbase", "qtwebengine")
_installed: list[QTranslator] = []


def translation_dirs() -> list[Path]:
    """Where Qt's ``.qm`` files may be: Qt's own answer, then the wheel's usual folders
    (``PySide6/Qt/translations`` on Linux and macOS, ``PySide6/translations`` on Windows)."""
    package = Path(PySide6.__file__).resolve().parent
    candidates = [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        package / "Qt" / "translations",
        package / "translations",
    ]
    found: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and folder not in found:
            found.append(folder)
    return found


class SupplementTranslator(QTranslator):
    """Qt strings Qt's own catalog lacks, from a JSON file ``{context: {source: text}}``."""

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        data = json.loads(path.read_text(encoding="utf-8"))
        self._texts: dict[str, dict[str, str]] = {
            context: dict(texts) for context, texts in data.items() if isinstance(texts, dict)
        }

    def translate(
        self,
        context: str,
        sourceText: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str:
        return self._texts.get(context, {}).get(sourceText, "")

    def isEmpty(self) -> bool:
        return not self._texts


def install_qt_translations(app: QCoreApplication, locale: str) -> list[str]:
    """Install Qt's translations for ``locale`` (those of a previous call are removed) and
    make it the default QLocale. Returns what was loaded (file paths), for the log."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    QLocale.setDefault(QLocale(locale))
    if locale == "en":
        return []
    loaded: list[str] = []
    supplement = resources_dir() / "translations" / "qt" / f"qtbase_supplement.{locale}.json"
    if supplement.is_file():
        _install(app, SupplementTranslator(supplement, app))
        loaded.append(str(supplement))
    folders = translation_dirs()
    for name in QT_CATALOGS:
        for folder in folders:
            translator = QTranslator(app)
            if translator.load(f"{name}_{locale}", str(folder)):
                _install(app, translator)
                loaded.append(translator.filePath())
                break
        else:
            log.warning("Qt's %s translations for %s not found in %s", name, locale, folders)
    return loaded


def _install(app: QCoreApplication, translator: QTranslator) -> None:
    app.installTranslator(translator)
    _installed.append(translator)
