"""The users as a table: who, which role, which employee, and whether they can sign in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from workstation.gui.security.labels import role_label
from workstation.gui.widgets.table_model import (
    Column,
    Highlight,
    RowTableModel,
)
from workstation.i18n import Translator
from workstation.security.model import UserView


def is_locked_out(user: UserView, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def status_text(tr: Translator, user: UserView) -> str:
    if not user.active:
        return tr("Deactivated")
    if not user.has_password:
        return tr("No password yet")
    return tr("Active")


class UserTableModel(RowTableModel[UserView]):
    def __init__(
        self,
        tr: Translator,
        me: Callable[[], int | None] = lambda: None,
    ) -> None:
        self._tr = tr
        self._me = me
        #: Who is locked out now: now by the app's clock.
        self._clock = clock = tr.clock

        def username(u: UserView) -> str:
            return tr("{username} (you)", username=u.username) if u.id == me() else u.username

        def locked(u: UserView) -> str:
            if is_locked_out(u, clock.now()):
                assert u.locked_until is not None
                return tr("Until {time}", time=tr.time(u.locked_until))
            return ""

        def employee(u: UserView) -> str:
            return u.employee_name or ""

        columns = [
            Column[UserView](tr("Username"), lambda u: u.username, text=username),
            Column[UserView](tr("Display name"), lambda u: u.display_name),
            Column[UserView](
                tr("Role"), lambda u: role_label(tr, u.role), sort=lambda u: u.role.value
            ),
            Column[UserView](tr("Employee"), employee),
            Column[UserView](tr("Status"), lambda u: status_text(tr, u)),
            Column[UserView](
                tr("Locked out"),
                lambda u: u.locked_until if is_locked_out(u, clock.now()) else None,
                text=locked,
                tooltip=lambda u: (
                    tr("{n} failed sign-ins in a row", n=u.failed_sign_ins)
                    if u.failed_sign_ins
                    else None
                ),
            ),
            Column[UserView](
                tr("Last sign-in"),
                lambda u: u.last_sign_in_at,
                text=lambda u: tr.time(u.last_sign_in_at) if u.last_sign_in_at else tr("Never"),
            ),
        ]
        super().__init__(columns, highlight=self._mark)

    def _mark(self, user: UserView) -> Highlight | None:
        if is_locked_out(user, self._clock.now()):
            return Highlight.ALERT
        if not user.active:
            return Highlight.NOTE
        return None

    def row_of(self, user_id: int) -> int | None:
        return next((i for i, u in enumerate(self.rows) if u.id == user_id), None)
