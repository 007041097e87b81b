"""Documents as a reader gets them: "Open" (an audited read) hands a private temporary copy to
the desktop's PDF reader, or — on a machine without one — shows it in the in-app viewer;
"Save as…" writes a copy where the reader chooses (audited); the temporary copies are gone
when the workstation quits. In the Cases area and in the employee file's case archive."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from acting import sign_in_as
from case_demo import DEMO_CASE, walked_copy
from gui_helpers import LOAD_TIMEOUT_MS, diverter
from PySide6.QtCore import QCoreApplication
from sqlalchemy import select

from workstation.app import App
from workstation.domain.enums import Role
from workstation.gui.cases.case_files import CaseFiles
from workstation.gui.documents.opener import DocumentOpener
from workstation.gui.documents.pdf_viewer import PdfViewerDialog
from workstation.gui.main_window import Area, MainWindow
from workstation.store.models import AuditEntry


@pytest.fixture(scope="module")
def walked(demo_app: App, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    app = walked_copy(demo_app, tmp_path_factory.mktemp("documents") / "data")
    yield app
    app.close()


def _audit(app: App, action: str) -> list[dict[str, Any]]:
    with app.uow() as uow:
        rows = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
        return [
            {"actor": r.actor, "entity_id": r.entity_id, **json.loads(r.details_json)} for r in rows
        ]


def _no_pdf_reader(opener: DocumentOpener) -> list[Path]:
    """The desktop has no PDF reader: nothing is handed to it (what would be is recorded)."""
    handed: list[Path] = []
    opener.has_viewer = lambda _media_type: False
    opener.system_opener = lambda path: handed.append(path) or True
    return handed


def _case_documents(qtbot: Any, window: MainWindow) -> CaseFiles:
    window.show_area(Area.CASES)
    page = window.cases_page
    with qtbot.waitSignal(page.case_opened, timeout=LOAD_TIMEOUT_MS):
        page.open_case(DEMO_CASE)
    qtbot.waitUntil(lambda: window.runner.active_count == 0, timeout=LOAD_TIMEOUT_MS)
    view = page.detail_view
    view.tabs.setCurrentIndex(view.tabs.documents_index)
    kinds = [d.kind for d in view.tabs.documents_model.rows]
    view.tabs.select_row(view.tabs.documents_table, kinds.index("termination_notice"))
    return view.files


def test_legal_opens_a_notice_in_the_in_app_viewer_and_saves_a_copy(
    qtbot: Any, walked: App, open_window: Callable[[App], MainWindow], tmp_path: Path
) -> None:
    sign_in_as(walked, Role.LEGAL)
    try:
        window = open_window(walked)
        files = _case_documents(qtbot, window)
        tabs = files._view.tabs
        assert tabs.open_document_button.isEnabled() and tabs.save_document_button.isEnabled()
        assert tabs.save_document_button.text() == "另存为…"
        handed = _no_pdf_reader(files.opener)
        viewed_before = len(_audit(walked, "case.document_viewed"))
        with qtbot.waitSignal(files.opener.viewer_opened, timeout=LOAD_TIMEOUT_MS) as shown:
            tabs.open_document_button.click()
        viewer: PdfViewerDialog = shown.args[0]
        assert handed == [] and viewer.isVisible()
        assert viewer.page_count() == 2 and viewer.pages_label.text() == "共 2 页"
        copy = viewer.path
        assert copy.read_bytes().startswith(b"%PDF") and copy.parent == files.opener.copies.folder
        assert len(_audit(walked, "case.document_viewed")) == viewed_before + 1

        # "Save as…" in the viewer asks where, and the copy is audited.
        target = tmp_path / "解除通知书副本.pdf"
        asked: list[str] = []
        files.opener.save_chooser = lambda suggested: asked.append(suggested) or target
        with qtbot.waitSignal(files.copy_saved, timeout=LOAD_TIMEOUT_MS):
            viewer.save_button.click()
        assert asked == [f"{DEMO_CASE}-termination_notice-zh_CN.pdf"]
        assert target.read_bytes() == copy.read_bytes()
        copied = _audit(walked, "case.document_copied")
        assert copied[-1]["actor"] == "legal.sun" and copied[-1]["path"] == str(target)
        assert "副本已保存为" in files._view.banner.text()
        viewer.close()

        # The temporary copies are removed when the workstation quits.
        QCoreApplication.instance().aboutToQuit.emit()
        assert not copy.exists() and not copy.parent.exists()
    finally:
        sign_in_as(walked, Role.HR_OFFICER)


def test_a_desktop_reader_gets_the_copy_and_cancelling_save_as_writes_nothing(
    qtbot: Any, walked: App, open_window: Callable[[App], MainWindow], tmp_path: Path
) -> None:
    window = open_window(walked)
    files = _case_documents(qtbot, window)
    handed: list[Path] = []
    files.opener.has_viewer = lambda _media_type: True
    files.opener.system_opener = lambda path: handed.append(path) or True
    viewers: list[object] = []
    files.opener.viewer_opened.connect(viewers.append)
    with qtbot.waitSignal(files.file_opened, timeout=LOAD_TIMEOUT_MS):
        files._view.tabs.open_document_button.click()
    assert len(handed) == 1 and handed[0].name.endswith("termination_notice-zh_CN.pdf")
    assert viewers == []
    before = len(_audit(walked, "case.document_copied"))
    files.opener.save_chooser = lambda _suggested: None  # the reader cancels the dialog
    assert files.save_document() is None
    assert len(_audit(walked, "case.document_copied")) == before
    # A desktop that cannot open it after all: the in-app viewer instead of an error.
    files.opener.system_opener = lambda _path: False
    with qtbot.waitSignal(files.opener.viewer_opened, timeout=LOAD_TIMEOUT_MS) as shown:
        files._view.tabs.open_document_button.click()
    shown.args[0].close()
    assert not files._view.banner.isVisible()


def test_the_employee_files_archive_opens_and_saves_its_documents(
    qtbot: Any, walked: App, open_window: Callable[[App], MainWindow], tmp_path: Path
) -> None:
    window = open_window(walked)
    target = diverter(walked)
    window.open_employee(target.id)
    file_view = window.employee_file
    tab = file_view.archive_tab
    assert tab is not None
    qtbot.waitUntil(lambda: file_view.file is not None, timeout=LOAD_TIMEOUT_MS)
    with qtbot.waitSignal(tab.loaded, timeout=LOAD_TIMEOUT_MS):
        file_view.tabs.setCurrentWidget(tab)
        tab.load(target.id)
    assert [c.number for c in tab.cases] == [DEMO_CASE]
    kinds = [d.kind for d in tab.document_model.rows]
    tab.document_table.setCurrentIndex(tab.document_model.index(kinds.index("dossier"), 0))
    assert tab.open_button.isEnabled() and tab.save_button.isEnabled()
    handed = _no_pdf_reader(tab.opener)
    with qtbot.waitSignal(tab.opener.viewer_opened, timeout=LOAD_TIMEOUT_MS) as shown:
        tab.open_button.click()
    viewer: PdfViewerDialog = shown.args[0]
    assert handed == [] and viewer.page_count() > 3
    viewer.close()
    saved_to = tmp_path / "卷宗.pdf"
    tab.opener.save_chooser = lambda _suggested: saved_to
    with qtbot.waitSignal(tab.copy_saved, timeout=LOAD_TIMEOUT_MS):
        tab.save_button.click()
    assert saved_to.read_bytes() == viewer.path.read_bytes()
    copied = _audit(walked, "case.document_copied")[-1]
    assert copied["entity_id"] == DEMO_CASE and copied["source"] == "generated"
    assert "副本已保存为" in tab.open_status.text()
    tab.opener.remove_copies()
    assert not viewer.path.exists()


def test_a_file_nothing_can_open_is_said_and_its_copy_goes(qtbot: Any) -> None:
    from PySide6.QtWidgets import QWidget

    from workstation.i18n import Translator

    parent = QWidget()
    qtbot.addWidget(parent)
    opener = DocumentOpener(Translator("zh_CN"), parent)
    handed: list[Path] = []
    opener.system_opener = lambda path: handed.append(path) or False
    opener.has_viewer = lambda _media_type: True
    said = opener.open("约谈记录.txt", "记录".encode())
    assert said == "本机没有能打开 约谈记录.txt 的程序。"
    assert len(handed) == 1 and handed[0].read_text(encoding="utf-8") == "记录"
    with_save = opener.open("约谈记录.txt", b"x", save=lambda: None)
    assert with_save is not None and "另存为" in with_save
    opener.remove_copies()
    assert not handed[0].exists() and not handed[0].parent.exists()
