"""Translated texts for roles, password rules and the user service's refusals."""

from __future__ import annotations

from workstation.domain.enums import Role
from workstation.i18n import Translator
from workstation.security.model import (
    AccountInactive,
    AccountLocked,
    SignInFailed,
    UnknownUser,
    UserError,
)
from workstation.security.passwords import MAX_LENGTH, MIN_LENGTH, PasswordProblem, WeakPassword
from workstation.security.permissions import PermissionDenied, allowed


def role_label(tr: Translator, role: Role) -> str:
    labels = {
        Role.HR_OFFICER: tr("HR officer"),
        Role.SALES_MANAGER: tr("Sales manager"),
        Role.LEGAL: tr("Legal"),
        Role.ADMINISTRATOR: tr("Administrator"),
        Role.AUDITOR: tr("Auditor (read-only)"),
    }
    return labels.get(role, str(role))


def role_description(tr: Translator, role: Role) -> str:
    """What a role sees and does, in one sentence (shown where an administrator picks it)."""
    texts = {
        Role.HR_OFFICER: tr(
            "Everything about the investigation: imports, alerts, policies, employees, the "
            "map and cases."
        ),
        Role.SALES_MANAGER: tr(
            "Sees alerts and cases, and approves or rejects cases about their team."
        ),
        Role.LEGAL: tr("Sees cases, approves them, sets legal holds and makes the documents."),
        Role.ADMINISTRATOR: tr(
            "Manages users and the database; reads everything but decides on no case."
        ),
        Role.AUDITOR: tr("Reads everything and checks the audit log; changes nothing."),
    }
    return texts.get(role, "")


def password_rules(tr: Translator) -> str:
    """The policy in one sentence, shown before anyone types."""
    return tr(
        "At least {n} characters, mixing at least two kinds: lower case, upper case, "
        "digits, other characters (spaces and Chinese characters count as other).",
        n=MIN_LENGTH,
    )


def password_problem_label(tr: Translator, problem: PasswordProblem) -> str:
    labels = {
        PasswordProblem.TOO_SHORT: tr("Use at least {n} characters.", n=MIN_LENGTH),
        PasswordProblem.TOO_LONG: tr("Use at most {n} characters.", n=MAX_LENGTH),
        PasswordProblem.ONE_CLASS: tr(
            "Mix at least two kinds of characters: lower case, upper case, digits, other."
        ),
        PasswordProblem.CONTAINS_USERNAME: tr("Do not put the username in the password."),
        PasswordProblem.EDGE_SPACES: tr("Do not start or end the password with a space."),
    }
    return labels.get(problem, str(problem))


def user_error_label(tr: Translator, error: UserError) -> str:
    labels = {
        "username_invalid": tr(
            "A username has 2 to 64 letters, digits, dots, dashes, underscores or @, and no spaces."
        ),
        "username_taken": tr("That username is taken. Choose another one."),
        "display_name_missing": tr("Enter the name to show for this user."),
        "display_name_too_long": tr("The display name is too long."),
        "admin_exists": tr("An administrator exists already. Sign in instead."),
        "same_password": tr("The new password must differ from the current one."),
        "wrong_password": tr("The current password is not right."),
        "own_account": tr("You cannot deactivate your own account."),
        "own_role": tr("You cannot change your own role."),
        "last_admin": tr("This is the last active administrator. Appoint another one first."),
        "employee_unknown": tr("That employee does not exist."),
        "employee_linked": tr("That employee is linked to another user already."),
    }
    return labels.get(error.code, str(error))


def sign_in_error_label(tr: Translator, error: Exception, *, unlocking: bool = False) -> str:
    """What the sign-in and unlock forms say when the service refuses (the unlock form asks
    only for the password)."""
    if isinstance(error, AccountLocked):
        return tr(
            "Too many failed attempts: the account is locked. Try again in {minutes} "
            "minute(s), or ask an administrator to unlock it.",
            minutes=error.minutes_left,
        )
    if isinstance(error, AccountInactive):
        return tr("This account is deactivated. Ask an administrator.")
    if isinstance(error, SignInFailed):
        if unlocking:
            return tr("The password is not right.")
        return tr("The username or password is not right.")
    return tr("Signing in failed: {error}", error=str(error))


def account_refusal_label(tr: Translator, error: BaseException) -> str | None:
    """What the account forms say when the user service refuses, or None for a bug."""
    if isinstance(error, UserError):
        return user_error_label(tr, error)
    if isinstance(error, WeakPassword):
        return " ".join(password_problem_label(tr, p) for p in error.problems)
    if isinstance(error, UnknownUser):
        return tr("That user does not exist (any more). Refresh the list.")
    if isinstance(error, PermissionDenied):
        if allowed(error.identity, error.permission):
            return tr("Your account was deactivated or changed since you signed in. Sign in again.")
        return tr("Your role may not do this.")
    if isinstance(error, AccountLocked | AccountInactive | SignInFailed):
        return sign_in_error_label(tr, error)
    return None
