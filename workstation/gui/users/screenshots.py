"""Screenshots of the Users area and of what each role sees, on the demo database (docs).

    xvfb-run -a env QT_QPA_PLATFORM=xcb python -m workstation.gui.users.screenshots OUTDIR \\
        [--data-dir DIR] [--lang zh_CN|en]

The workstation starts as ``workstation`` starts it (``ScriptedSession``); the demo's
administrator signs in, then the sales manager. Writes ``users.png`` (the administrator's Users
area), ``new_user.png`` (the New user dialog, half filled in), ``sales_manager.png`` (the main
window as the demo's sales manager) and ``account_menu.png`` (his Account menu).
"""

from __future__ import annotations

import sys
from pathlib import Path

from workstation.domain.enums import Role
from workstation.gui.main_window import Area
from workstation.gui.scripted_session import ScriptedSession, run_script, save
from workstation.gui.users.new_user_dialog import NewUserDialog
from workstation.gui.waiting import pause


def take(session: ScriptedSession, out: Path) -> list[Path]:
    written = []
    window = session.sign_in("admin")
    window.show_area(Area.USERS)
    page = window.users_page
    session.wait_for(lambda: bool(page.users()), "loading the users")
    page.select_username("sales.manager")
    pause(300)
    written.append(save(window, out / "users.png"))

    page.new_user()
    session.wait_signal(page.dialog_opened, "opening the New user dialog")
    dialog = page.dialog
    assert isinstance(dialog, NewUserDialog)
    dialog.fill("li.na", "李娜（人力资源）", Role.HR_OFFICER, "LiNa-hr-2026", "LiNa-hr-2026")
    dialog.adjustSize()
    pause(300)
    written.append(save(dialog, out / "new_user.png"))
    dialog.reject()

    window = session.sign_in("sales.manager")
    written.append(save(window, out / "sales_manager.png"))
    menu = window.account_menu
    menu.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
    pause(300)
    written.append(save(menu, out / "account_menu.png"))
    menu.hide()
    return written


def main(argv: list[str] | None = None) -> int:
    return run_script("python -m workstation.gui.users.screenshots", take, argv)


if __name__ == "__main__":
    sys.exit(main())
