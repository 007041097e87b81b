"""The screenshot scripts go through the front door: each demo user signs in through the
sign-in dialog and gets the window the application builds (idle lock and all), and switching
users signs out through the Account menu. Run here on a copy of the demo (the Users pictures:
two users, a dialog, a menu), offscreen."""

from __future__ import annotations

from pathlib import Path

from case_demo import copy_demo
from sqlalchemy import select

from workstation.app import App
from workstation.config import load_settings
from workstation.gui.scripted_session import ScriptedSession
from workstation.gui.security.idle_lock import IdleLock
from workstation.gui.users import screenshots as users_screenshots
from workstation.store.models import AuditEntry


def test_the_users_pictures_are_taken_by_each_user_signed_in_through_the_dialog(
    demo_app: App, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    copy_demo(demo_app, data_dir).close()
    session = ScriptedSession(load_settings(data_dir))
    try:
        written = users_screenshots.take(session, tmp_path / "pictures")
        assert [p.name for p in written] == [
            "users.png",
            "new_user.png",
            "sales_manager.png",
            "account_menu.png",
        ]
        assert all(p.stat().st_size > 2_000 for p in written)
        # the window as the application builds it, for the user who signed in last
        window = session.window
        assert window.findChild(IdleLock) is not None
        assert window.account_menu.lock_action.isVisible()
        app = session.app
        assert app is not None
        current = app.session.current()
        assert current is not None and current.username == "sales.manager"
        # each sign-in checked the password, and the administrator signed out before
        with app.uow() as uow:
            actions = [
                (e.actor, e.action)
                for e in uow.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
                if e.action in ("user.signed_in", "user.signed_out")
            ]
        assert actions[-3:] == [
            ("admin", "user.signed_in"),
            ("admin", "user.signed_out"),
            ("sales.manager", "user.signed_in"),
        ]
    finally:
        session.close()
