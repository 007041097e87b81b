"""The Users area: accounts, roles, password resets and (de)activation, for administrators."""

from workstation.gui.users.users_page import UsersPage

__all__ = ["UsersPage"]
