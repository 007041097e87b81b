"""Screenshots of the Users area and of what each role sees, on the demo database (docs).

    QT_QPA_PLATFORM=offscreen python -m workstation.gui.users.screenshots OUTDIR \\
        [--data-dir DIR] [--lang zh_CN|en]

Writes ``users.png`` (the administrator's Users area), ``new_user.png`` (the New user dialog,
half filled in), ``sales_manager.png`` (the main window as the demo's sales manager) and
``account_menu.png`` (his Account menu).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from workstation.app import App, open_app
from workstation.config import load_settings
from workstation.demo.people import DEMO_PASSWORD
from workstation.domain.enums import Role
from workstation.gui.application import create_main_window, create_qapplication
from workstation.gui.main_window import Area, MainWindow
from workstation.gui.screenshots import WINDOW_SIZE, save, wait_for
from workstation.gui.users.new_user_dialog import NewUserDialog
from workstation.gui.waiting import pause, wait_signal

log = logging.getLogger(__name__)

TIMEOUT_MS = 90_000


def open_as(app: App, username: str) -> MainWindow:
    app.session.sign_in(app.users.sign_in(username, DEMO_PASSWORD))
    window = create_main_window(app)
    window.resize(*WINDOW_SIZE)
    window.show()
    wait_for(lambda: window.runner.active_count == 0, "loading")
    pause(400)
    return window


def take(app: App, out: Path) -> list[Path]:
    written = []
    window = open_as(app, "admin")
    window.show_area(Area.USERS)
    wait_for(lambda: bool(window.users_page.users()), "loading the users")
    window.users_page.select_username("sales.manager")
    pause(300)
    written.append(save(window, out / "users.png"))

    page = window.users_page
    page.new_user()
    opened = wait_signal(page.dialog_opened, TIMEOUT_MS)
    if opened is None:
        raise TimeoutError("the New user dialog did not open in time")
    dialog = page.dialog
    assert isinstance(dialog, NewUserDialog)
    dialog.fill("li.na", "李娜（人力资源）", Role.HR_OFFICER, "lina2026", "lina2026")
    dialog.adjustSize()
    pause(300)
    written.append(save(dialog, out / "new_user.png"))
    dialog.reject()
    window.close()

    window = open_as(app, "sales.manager")
    written.append(save(window, out / "sales_manager.png"))
    menu = window.account_menu
    menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
    pause(300)
    written.append(save(menu, out / "account_menu.png"))
    menu.hide()
    window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workstation.gui.users.screenshots")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--data-dir", type=Path, help="data folder holding the demo database")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="language (default: settings)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    settings = load_settings(args.data_dir)
    if args.lang:
        settings = settings.with_preferences(locale=args.lang)
    args.outdir.mkdir(parents=True, exist_ok=True)
    app = open_app(settings)
    try:
        create_qapplication(settings)
        take(app, args.outdir)
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
