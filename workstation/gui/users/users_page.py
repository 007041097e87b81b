"""The Users area: every account with its role, linked employee and state; new users,
password resets, role changes, lifting a lock-out and (de)activation. The user service checks
every operation itself; what it refuses is said in a banner (or inside the open dialog), in the
user's words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workstation.domain.enums import Role
from workstation.domain.identity import Identity
from workstation.employees.model import EmployeeRow
from workstation.gui.background import BackgroundRunner, Operation
from workstation.gui.security.labels import account_refusal_label, role_label
from workstation.gui.users.new_user_dialog import NewUser, NewUserDialog
from workstation.gui.users.reset_password_dialog import ResetPasswordDialog
from workstation.gui.users.role_dialog import RoleDialog
from workstation.gui.users.signing_panel import SigningPanel
from workstation.gui.users.submit_dialog import SubmitDialog
from workstation.gui.users.user_table import UserTableModel, is_locked_out
from workstation.gui.widgets.page_header import PageHeader
from workstation.gui.widgets.table_model import ROW_ROLE
from workstation.gui.widgets.table_view import fit_columns, make_proxy, make_table_view
from workstation.i18n import Translator
from workstation.security.model import UserView
from workstation.security.signing import SigningService
from workstation.security.users import UserService

#: A refusal stands out (red); a change that went through is a quiet green line.
REFUSAL_STYLE = (
    "QLabel { background: #fde8e7; color: #9b1c1c; border: 1px solid #f3b5b0;"
    " border-radius: 6px; padding: 8px 12px; }"
)
DONE_STYLE = (
    "QLabel { background: #e8f6ee; color: #1e6b3a; border: 1px solid #b7e1c6;"
    " border-radius: 6px; padding: 8px 12px; }"
)


class UsersPage(QWidget):
    #: The list was (re)loaded: how many users.
    loaded = Signal(int)
    #: A change was saved: the user as they are now (``UserView``).
    changed = Signal(object)
    #: A dialog is showing (the dialog).
    dialog_opened = Signal(object)

    def __init__(
        self,
        users: UserService,
        identity: Callable[[], Identity | None],
        employees: Callable[[], Sequence[EmployeeRow]],
        runner: BackgroundRunner,
        tr: Translator,
        parent: QWidget | None = None,
        *,
        signing: Callable[[], SigningService] | None = None,
    ) -> None:
        super().__init__(parent)
        self._users, self._identity, self._employees = users, identity, employees
        self._runner, self._tr = runner, tr
        self._op: Operation | None = None
        self.dialog: SubmitDialog | None = None

        self.header = PageHeader(
            tr("Users"),
            tr(
                "Who may sign in to Casework, and with which role. The role decides which "
                "areas a user sees and what they may do; every change is in the audit log."
            ),
        )
        self.new_button = QPushButton(tr("New user…"))
        self.new_button.clicked.connect(self.new_user)
        self.refresh_button = QPushButton(tr("Refresh"))
        self.refresh_button.clicked.connect(self.reload)
        self.header.action_row.addWidget(self.new_button)
        self.header.action_row.addWidget(self.refresh_button)

        self.banner = QLabel()
        self.banner.setObjectName("usersBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()

        self.model = UserTableModel(tr, me=self._my_id)
        self.proxy = make_proxy(self.model, self)
        self.table = make_table_view(self.proxy, self, sort_column=0)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        self.table.doubleClicked.connect(lambda _index: self.reset_password())

        self.reset_button = QPushButton(tr("Reset password…"))
        self.reset_button.clicked.connect(self.reset_password)
        self.role_button = QPushButton(tr("Change role…"))
        self.role_button.clicked.connect(self.change_role)
        self.unlock_button = QPushButton(tr("Unlock"))
        self.unlock_button.setToolTip(
            tr("Lift the lock-out after failed sign-ins; the count starts again.")
        )
        self.unlock_button.clicked.connect(self.unlock)
        self.active_button = QPushButton(tr("Deactivate"))
        self.active_button.clicked.connect(self.toggle_active)
        self.selection_label = QLabel()
        self.selection_label.setObjectName("mutedLabel")
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.selection_label, 1)
        actions.addWidget(self.reset_button)
        actions.addWidget(self.role_button)
        actions.addWidget(self.unlock_button)
        actions.addWidget(self.active_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        #: The signing authority and keys awaiting certification (when given the service).
        self.signing_panel: SigningPanel | None = None
        if signing is not None:
            self.signing_panel = SigningPanel(signing(), identity, runner, tr, self)
            self.signing_panel.said.connect(lambda text, bad: self._say(text, refusal=bad))
            layout.addWidget(self.signing_panel)
        self._update_actions()

    # -- the list ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._op is None:
            self.reload()
            if self.signing_panel is not None:
                self.signing_panel.reload()

    def reload(self) -> Operation | None:
        who = self._identity()
        if who is None:
            return None
        if self._op is not None and not self._op.done:
            self._op.discard()
        users = self._users
        self._op = self._runner.run(
            lambda: users.list_users(who),
            on_result=self._show_users,
            on_error=self._failed,
            label=self._tr("Loading users…"),
            dialog=False,
        )
        return self._op

    def _show_users(self, views: list[UserView]) -> None:
        selected = self.selected()
        self.model.set_rows(views)
        fit_columns(self.table)
        if selected is not None:
            self.select(selected.id)
        self._update_actions()
        self.loaded.emit(len(views))

    def users(self) -> list[UserView]:
        return self.model.rows

    def selected(self) -> UserView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        user = rows[0].data(ROW_ROLE)
        return user if isinstance(user, UserView) else None

    def select(self, user_id: int) -> bool:
        row = self.model.row_of(user_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        return True

    def select_username(self, username: str) -> bool:
        user = next((u for u in self.model.rows if u.username == username), None)
        return user is not None and self.select(user.id)

    # -- actions ----------------------------------------------------------------------------

    def new_user(self) -> Operation:
        """Load the employees to link to, then show the new-user dialog."""
        employees = self._employees
        return self._runner.run(
            employees,
            on_result=self._ask_new_user,
            on_error=lambda _error: self._ask_new_user([]),  # link later; create anyway
            label=self._tr("Loading…"),
            dialog=False,
        )

    def _ask_new_user(self, employees: Sequence[EmployeeRow]) -> None:
        dialog = NewUserDialog(self._tr, employees, self)
        dialog.submitted.connect(lambda new: self._create(dialog, new))
        self._open(dialog)

    def _create(self, dialog: SubmitDialog, new: NewUser) -> None:
        users, who = self._users, self._identity()
        self._save(
            dialog,
            lambda: users.create_user(
                who,
                new.username,
                new.display_name,
                new.role,
                new.password,
                new.employee_id,
            ),
            lambda view: self._tr(
                "{name} can sign in now as {username}.",
                name=view.display_name,
                username=view.username,
            ),
        )

    def reset_password(self) -> ResetPasswordDialog | None:
        user = self.selected()
        if user is None:
            return None
        dialog = ResetPasswordDialog(self._tr, user, self)
        users = self._users

        def reset(password: str) -> None:
            who = self._identity()
            self._save(
                dialog,
                lambda: users.set_password(who, user.id, password),
                lambda view: self._tr(
                    "The password of {username} was reset.", username=view.username
                ),
            )

        dialog.submitted.connect(reset)
        self._open(dialog)
        return dialog

    def change_role(self) -> RoleDialog | None:
        user = self.selected()
        if user is None:
            return None
        dialog = RoleDialog(self._tr, user, self)
        users = self._users

        def change(role: Role) -> None:
            who = self._identity()
            self._save(
                dialog,
                lambda: users.set_role(who, user.id, role),
                lambda view: self._tr(
                    "{username} is now: {role}.",
                    username=view.username,
                    role=role_label(self._tr, view.role),
                ),
            )

        dialog.submitted.connect(change)
        self._open(dialog)
        return dialog

    def toggle_active(self) -> Operation | None:
        """Deactivate the selected user, or reactivate them if they are deactivated."""
        user = self.selected()
        who = self._identity()
        if user is None or who is None:
            return None
        active = not user.active
        users, tr = self._users, self._tr

        def done(view: UserView) -> str:
            if view.active:
                return tr("{username} can sign in again.", username=view.username)
            return tr("{username} can no longer sign in.", username=view.username)

        return self._runner.run(
            lambda: users.set_active(who, user.id, active),
            on_result=lambda view: self._saved(view, done(view)),
            on_error=self._failed,
            label=tr("Saving…"),
            write=True,
        )

    def unlock(self) -> Operation | None:
        """Lift the selected user's lock-out (the service checks and audits it)."""
        user = self.selected()
        who = self._identity()
        if user is None or who is None:
            return None
        users, tr = self._users, self._tr
        return self._runner.run(
            lambda: users.unlock(who, user.id),
            on_result=lambda view: self._saved(
                view, tr("{username} is unlocked and can sign in again.", username=view.username)
            ),
            on_error=self._failed,
            label=tr("Saving…"),
            write=True,
        )

    # -- helpers ----------------------------------------------------------------------------

    def _open(self, dialog: SubmitDialog) -> None:
        self.dialog = dialog
        dialog.open()
        self.dialog_opened.emit(dialog)

    def _save(
        self,
        dialog: SubmitDialog,
        call: Callable[[], UserView],
        done: Callable[[UserView], str],
    ) -> None:
        """Run ``call`` (a change) for ``dialog``: close it and say ``done`` on success; keep
        it open with the refusal otherwise."""

        def refused(error: BaseException) -> None:
            text = account_refusal_label(self._tr, error)
            if text is None:
                dialog.refuse("")
                raise error  # a bug: the global error hook reports it
            dialog.refuse(text)

        def saved(view: UserView) -> None:
            dialog.done_ok()
            self._saved(view, done(view))

        self._runner.run(
            call, on_result=saved, on_error=refused, label=self._tr("Saving…"), write=True
        )

    def _saved(self, view: UserView, text: str) -> None:
        self._say(text, refusal=False)
        self.changed.emit(view)
        reload = self.reload()
        if reload is not None:
            reload.finished.connect(lambda: self.select(view.id))

    def _failed(self, error: BaseException) -> None:
        text = account_refusal_label(self._tr, error)
        if text is None:
            raise error
        self._say(self._tr("Not done: {reason}", reason=text))

    def _say(self, text: str, *, refusal: bool = True) -> None:
        self.banner.setStyleSheet(REFUSAL_STYLE if refusal else DONE_STYLE)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def banner_text(self) -> str:
        return self.banner.text() if self.banner.isVisibleTo(self) else ""

    def _my_id(self) -> int | None:
        who = self._identity()
        return who.user_id if who is not None else None

    def _update_actions(self) -> None:
        user = self.selected()
        for button in (self.reset_button, self.role_button, self.active_button):
            button.setEnabled(user is not None)
        self.unlock_button.setEnabled(
            user is not None and is_locked_out(user, self._tr.clock.now())
        )
        tr = self._tr
        if user is None:
            self.active_button.setText(tr("Deactivate"))
            self.selection_label.setText(
                tr("Select a user to reset their password, change their role or deactivate them.")
            )
            return
        self.active_button.setText(tr("Reactivate") if not user.active else tr("Deactivate"))
        self.selection_label.setText(
            tr("Selected: {username} · {name}", name=user.display_name, username=user.username)
        )
