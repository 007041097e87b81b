"""GUI test set-up: QtWebEngine is imported before pytest-qt creates the QApplication, and no
dialog may block a test (an unexpected error dialog fails the test instead). The main window
is opened as the application opens it (``open_window``: ``launch``, its sign-in dialog, the
idle lock, the exception hook and the collector)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import PySide6.QtWebEngineWidgets  # noqa: F401  (must precede the QApplication)
import pytest
from case_demo import copy_demo
from case_pages import settle
from case_world import CaseWorld
from gui_helpers import DialogLog
from PySide6.QtWidgets import QMessageBox
from shipped import Shipped

from workstation.app import App
from workstation.domain.identity import Identity
from workstation.gui.background import BackgroundRunner
from workstation.gui.cases.cases_page import CasesPage
from workstation.gui.main_window import MainWindow
from workstation.i18n import Translator


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "gui" in item.path.parts:
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[DialogLog]:
    """Message boxes record what they would show and return at once."""
    record = DialogLog()

    def fake_exec(box: QMessageBox) -> int:
        record.shown.append(
            {
                "title": box.windowTitle(),
                "text": box.text(),
                "informative": box.informativeText(),
                "details": box.detailedText(),
            }
        )
        return int(QMessageBox.StandardButton.Ok)

    def fake_about(_parent: Any, title: str, text: str) -> None:
        record.shown.append({"title": title, "text": text, "informative": "", "details": ""})

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(QMessageBox, "about", staticmethod(fake_about))
    yield record
    if not record.expected:
        assert record.shown == [], f"unexpected dialogs: {record.shown}"


@pytest.fixture(autouse=True)
def collected() -> Iterator[None]:
    """Garbage is collected on the GUI thread only (the workstation does the same, see
    ``gui.collector``): before the test (what earlier tests left, their widgets among it) and
    after it, with automatic collection off meanwhile. A collection that starts on a worker
    thread of the background runner would destroy Qt objects there, and crash now and then."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


@pytest.fixture
def shipped(qtbot: Any) -> Iterator[Shipped]:
    opened = Shipped(qtbot)
    yield opened
    opened.close()


@pytest.fixture
def open_window(shipped: Shipped) -> Callable[..., MainWindow]:
    """Open the main window on an App as the application does: ``launch``, the sign-in
    dialog (the user signed in to ``app``, with their password), the idle lock, the exception
    hook, the GUI-thread collector. Shown at 1400×900 (``size=None``: the remembered
    geometry), its first loads finished."""

    def opener(app: App, size: tuple[int, int] | None = (1400, 900)) -> MainWindow:
        return shipped.open(app, size).window

    return opener


@pytest.fixture(scope="session")
def evaluated_demo(demo_app: App, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """A copy of the demo with its alerts (the demo's last days evaluated), HR signed in."""
    app = copy_demo(demo_app, tmp_path_factory.mktemp("evaluated") / "data")
    yield app
    app.close()


@pytest.fixture
def demo_window(open_window: Callable[[App], MainWindow], demo_app: App) -> MainWindow:
    return open_window(demo_app)


# -- the Cases page on the integration tests' small company (see case_pages) ----------------


@pytest.fixture
def world(app: App) -> CaseWorld:
    return CaseWorld(app.uow, app.evidence)


@pytest.fixture
def runner(qtbot: Any) -> Iterator[BackgroundRunner]:
    background = BackgroundRunner()
    yield background
    background.shutdown()


@pytest.fixture
def make_page(qtbot: Any, world: CaseWorld, runner: BackgroundRunner) -> Callable[..., CasesPage]:
    def make(identity: Identity, locale: str = "zh_CN") -> CasesPage:
        page = CasesPage(world.cases, lambda: identity, runner, Translator(locale, world.uow.clock))
        qtbot.addWidget(page)
        page.resize(1400, 900)
        page.show()
        settle(qtbot, runner)
        return page

    return make
