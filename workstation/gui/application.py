"""Start the GUI: Qt set-up (QtWebEngine, CJK font, translations, style), error hook, window."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from workstation.config import APP_AUTHOR, APP_NAME, Settings, resources_dir
from workstation.i18n import Translator
from workstation.logging_setup import configure_logging

if TYPE_CHECKING:
    from workstation.app import App

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
from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator  # noqa: E402
from PySide6.QtGui import QFont, QFontDatabase  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

import workstation  # noqa: E402
from workstation.demo.people import DEMO_PASSWORD  # noqa: E402
from workstation.gui.collector import GuiThreadCollector  # noqa: E402
from workstation.gui.errors import ErrorReporter, install_exception_hook  # noqa: E402
from workstation.gui.icons import icon  # noqa: E402
from workstation.gui.main_window import MainWindow  # noqa: E402
from workstation.gui.security.idle_lock import install_idle_lock  # noqa: E402
from workstation.gui.security.passphrase import PassphrasePrompter  # noqa: E402
from workstation.gui.security.start import sign_in_at_start  # noqa: E402
from workstation.gui.style import STYLE_SHEET  # noqa: E402

_font_families: dict[Path, list[str]] = {}
_qt_translators: list[QTranslator] = []


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
    default = [f for f in base.families() if f not in families] or [base.family()]
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
    """Qt's own strings (standard buttons, date pickers) in the chosen language."""
    for old in _qt_translators:
        qapp.removeTranslator(old)
    _qt_translators.clear()
    QLocale.setDefault(QLocale(locale))
    if locale == "en":
        return
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in ("qtbase", "qtwebengine"):
        translator = QTranslator(qapp)
        if translator.load(f"{name}_{locale}", folder):
            qapp.installTranslator(translator)
            _qt_translators.append(translator)


def create_main_window(
    app: App, *, reporter: ErrorReporter | None = None, log_file: Path | None = None
) -> MainWindow:
    """The main window for ``app``, with its first loads started (tests, screenshots)."""
    create_qapplication(app.settings)
    window = MainWindow(app, reporter=reporter, log_file=log_file)
    window.load()
    return window


def run_gui(app: App) -> int:
    """Run the workstation until its window closes; returns the exit code."""
    log_file = configure_logging(app.settings.log_dir)
    qapp = create_qapplication(app.settings)
    tr = Translator(app.settings.preferences.locale, app.clock)
    reporter = ErrorReporter(tr, log_file)
    install_exception_hook(reporter)
    demo_password = DEMO_PASSWORD if app.demo.is_demo_database() else None
    identity = sign_in_at_start(app.users, app.session, tr=tr, demo_password=demo_password)
    if identity is None:
        log.info("no one signed in; the workstation closes")
        return 0
    window = MainWindow(app, reporter=reporter, log_file=log_file)
    # Where no OS keyring keeps a signing-key passphrase, the signer asks for it in a dialog.
    prompter = PassphrasePrompter(tr, lambda: window)
    app.secrets.set_ask(prompter.ask)
    install_idle_lock(app.session, tr, window, runner=window.runner)
    window.load()
    reporter.set_parent_provider(lambda: window)
    window.show()
    collector = GuiThreadCollector(qapp)
    collector.start()
    qapp.aboutToQuit.connect(collector.stop)
    log.info(
        "Casework %s started on %s by %s (%s)",
        workstation.__version__,
        app.database.describe(),
        identity.username,
        identity.role.value,
    )
    return int(qapp.exec())
