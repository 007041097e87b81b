"""The QApplication: what must come before it (QtWebEngine), its names, style, bundled CJK
font and Qt's own translations. Light to import: the sign-in dialog follows it at start."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from workstation.config import APP_AUTHOR, APP_NAME, Settings, resources_dir
from workstation.i18n import Translator

log = logging.getLogger(__name__)


def prepare_qt_environment() -> None:
    """What must happen before the QApplication exists.

    Chromium (inside QtWebEngine) refuses to start as root unless its sandbox is off, and
    QtWebEngine must be imported before the QApplication is created.
    """
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None and geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    import PySide6.QtWebEngineWidgets  # noqa: F401


prepare_qt_environment()

from PySide6 import __version__ as pyside_version  # noqa: E402
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import workstation  # noqa: E402
from workstation.gui.icons import icon  # noqa: E402
from workstation.gui.style import STYLE_SHEET  # noqa: E402

_font_families: dict[Path, list[str]] = {}


def create_qapplication(settings: Settings, argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), set up for ``settings``' locale and font."""
    qapp = QApplication.instance()
    if qapp is None:
        qapp = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(qapp, QApplication)
    setup_qapplication(qapp, settings)
    return qapp


def setup_qapplication(qapp: QApplication, settings: Settings) -> None:
    """Names, style, bundled CJK font, Qt's own translations. Safe to call again."""
    locale = settings.preferences.locale
    tr = Translator(locale)
    qapp.setOrganizationName(APP_AUTHOR)
    qapp.setApplicationName(APP_NAME)
    qapp.setApplicationDisplayName(tr("Casework"))
    qapp.setApplicationVersion(workstation.__version__)
    qapp.setStyle("Fusion")
    qapp.setStyleSheet(STYLE_SHEET)
    qapp.setWindowIcon(icon("casework"))
    install_cjk_font(qapp, settings)
    install_qt_translations(qapp, locale)
    log.info("Qt set up: PySide6 %s, locale %s", pyside_version, locale)


def install_cjk_font(qapp: QApplication, settings: Settings) -> list[str]:
    """Load the bundled CJK font and put it in the application font's family list.

    With Chinese chosen it comes first (one consistent face); otherwise it is the fallback
    for the characters the default face lacks. Either way Chinese never shows as boxes.
    """
    path = (resources_dir() / settings.preferences.font_file).resolve()
    families = _font_families.get(path)
    if families is None:
        if not path.exists():
            log.warning("bundled font %s not found; Chinese may not render", path)
            return []
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if not families:
            log.warning("could not load the font %s", path)
        _font_families[path] = families
    if not families:
        return []
    base = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    # The face the system font resolves to ("DejaVu Sans"), not its generic name ("Sans
    # Serif"): a generic name in a list of families loses to the next real one, which set all
    # English text in the CJK face (its centred "…" read "New case···").
    resolved = QFontInfo(base).family()
    default = [f for f in (resolved, *base.families()) if f not in families]
    ordered = (
        [*families, *default]
        if settings.preferences.locale == "zh_CN"
        else [
            *default,
            *families,
        ]
    )
    font = QFont(base)
    font.setFamilies(ordered)
    if font.pointSizeF() < 10:
        font.setPointSizeF(10)
    qapp.setFont(font)
    return families


def install_qt_translations(qapp: QApplication, locale: str) -> None:
    """Qt's own strings (standard buttons, file dialogs, date pickers) in the chosen language."""
    from workstation.gui import qt_translations

    loaded = qt_translations.install_qt_translations(qapp, locale)
    log.info("Qt translations for %s: %s", locale, ", ".join(loaded) or "none")
