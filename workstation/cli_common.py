"""What every command-line verb shares: the error it raises, opening the store, progress."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from workstation.config import Settings
from workstation.domain.progress import ProgressCallback

if TYPE_CHECKING:
    from workstation.app import App
    from workstation.domain.clock import Clock
    from workstation.domain.identity import Identity
    from workstation.i18n import Translator
    from workstation.security.secrets import PassphraseQuestion

#: The acting user's signing-key passphrase, where there is no OS keyring and no terminal to
#: ask on (a scheduled or remote job). Keep it in the job's protected environment.
ENV_KEY_PASSPHRASE = "WORKSTATION_KEY_PASSPHRASE"
#: The installation signing authority's passphrase, for an administrator's ``workstation ca``
#: verbs where no keyring keeps it and there is no terminal. Never the same as a user's.
ENV_CA_PASSPHRASE = "WORKSTATION_CA_PASSPHRASE"
#: Who acts on the command line when ``--user`` is not given.
ENV_USER = "WORKSTATION_USER"
#: The acting user's password (else a prompt on a terminal). For scheduled jobs keep it in the
#: job's protected environment, never on the command line.
ENV_PASSWORD = "WORKSTATION_PASSWORD"


class CliError(Exception):
    """A failure the user can act on: printed as one clear line, exit status 1.

    ``text`` is English with ``{field}`` places (the key of its translation in
    ``resources/translations/cli.zh_CN.json``); ``str(error)`` is the English line.
    """

    def __init__(self, text: str, /, **fields: object) -> None:
        self.template = text
        self.fields = fields
        super().__init__(text.format(**fields) if fields else text)

    def render(self, tr: Translator) -> str:
        """The line in ``tr``'s language (a service's reason in a field is translated too)."""
        if not self.fields:  # a service's reason as it is (``CliError(str(exc))``)
            return translated_reason(tr, self.template)
        fields = {
            k: translated_reason(tr, v) if k == "reason" and isinstance(v, str) else v
            for k, v in self.fields.items()
        }
        return tr(self.template, **fields)


def cli_translator(args: argparse.Namespace) -> Translator:
    """The translator of this run's language (``--lang``; English when none was chosen)."""
    from workstation.i18n import Translator

    return Translator(getattr(args, "cli_locale", None) or "en")


def print_verdict(
    args: argparse.Namespace,
    json_dict: object,
    lines: Callable[[Translator], list[str]],
    intact: bool,
) -> int:
    """Print a verification's report (JSON with ``--json``, else its lines in the run's
    language) and return the exit status: 0 when ``intact``, else 1."""
    if args.json:
        print(json.dumps(json_dict, ensure_ascii=False))
    else:
        for line in lines(cli_translator(args)):
            print(line)
    return 0 if intact else 1


def translated_reason(tr: Translator, reason: str) -> str:
    """A service's English reason in ``tr``'s language: by the services' message patterns, else
    by the catalogs, else as it is."""
    from workstation.service_text import service_text

    done = service_text(reason, tr.locale)
    return done if done != reason else tr(reason)


def open_store(settings: Settings) -> App:
    """Open the store (``app.open_app``). A writer that has to wait for another process's
    write lock says so on stderr, in the language of ``settings.preferences.locale``."""
    from sqlalchemy.engine import make_url

    from workstation.app import open_app
    from workstation.domain.clock import UnknownTimeZone
    from workstation.i18n import Translator
    from workstation.store.migrate import SchemaError

    try:
        app = open_app(settings, ask_key=_ask_on_terminal())
    except (SchemaError, UnknownTimeZone) as exc:
        where = make_url(settings.db_url).render_as_string(hide_password=True)
        raise CliError("cannot open {db}: {reason}", db=where, reason=str(exc)) from exc
    tr = Translator(settings.preferences.locale)

    def announce(waiting: bool) -> None:
        if waiting:
            line = tr("waiting for another import or change to finish…")
            print(f"workstation: {line}", file=sys.stderr, flush=True)

    app.uow.waits.listen(announce)
    return app


def _ask_on_terminal() -> Callable[[str], str | None] | None:
    """Who is asked for an encrypted store's key missing from the keyring: a terminal."""
    if not sys.stdin.isatty():
        return None
    return lambda prompt: getpass.getpass(f"{prompt}: ")


def open_signed_in(settings: Settings, username: str | None) -> App:
    """Open the store and sign the acting user in (see ``sign_in``); the caller closes it."""
    app = open_store(settings)
    try:
        sign_in(app, username)
    except BaseException:
        app.close()
        raise
    return app


def sign_in(app: App, username: str | None) -> Identity:
    """Sign ``username`` (else ``$WORKSTATION_USER``, else asked on a terminal) in with the
    password from ``$WORKSTATION_PASSWORD`` or a prompt. Every service then checks what this
    user may do, and the audit log names them."""
    from workstation.security.model import AccountInactive, AccountLocked, SignInFailed

    name = (username or os.environ.get(ENV_USER) or "").strip()
    if not name:
        if not sys.stdin.isatty():
            raise CliError(
                "say who is acting: --user NAME (or {user_env}), password in {password_env}",
                user_env=ENV_USER,
                password_env=ENV_PASSWORD,
            )
        name = input("user name: ").strip()
    password = os.environ.get(ENV_PASSWORD)
    if password is None:
        if not sys.stdin.isatty():
            raise CliError(
                "give {name}'s password in {password_env} or run on a terminal",
                name=name,
                password_env=ENV_PASSWORD,
            )
        password = getpass.getpass(f"password of {name}: ")
    try:
        identity = app.users.sign_in(name, password)
    except (SignInFailed, AccountLocked, AccountInactive) as exc:
        raise CliError("{name} cannot sign in: {reason}", name=name, reason=str(exc)) from exc
    app.session.sign_in(identity)
    _ask_for_passphrases(app)
    return identity


def _ask_for_passphrases(app: App) -> None:
    """Where the keyring has no passphrase: the environment's, else a prompt on a terminal."""
    if not (
        sys.stdin.isatty()
        or os.environ.get(ENV_KEY_PASSPHRASE)
        or os.environ.get(ENV_CA_PASSPHRASE)
    ):
        return  # nobody to ask: a refusal says where a passphrase can be given
    identity = app.session.current()
    app.secrets.set_ask(CliPassphrases(identity.username if identity else None))


class CliPassphrases:
    """Answers the signing service's passphrase questions on the command line: the signed-in
    user's own key from ``$WORKSTATION_KEY_PASSPHRASE``, the signing authority's from
    ``$WORKSTATION_CA_PASSPHRASE``, else typed on a terminal (twice for a new key). Nobody
    else's key gets an answer."""

    def __init__(self, username: str | None) -> None:
        self.username = username

    def __call__(self, question: PassphraseQuestion) -> str | None:
        if question.for_authority:
            env = ENV_CA_PASSPHRASE
        elif question.owner == self.username:
            env = ENV_KEY_PASSPHRASE
        else:
            return None
        given = os.environ.get(env)
        if given:
            return given
        if not sys.stdin.isatty():
            return None
        first = getpass.getpass(f"{question.text}: ")
        if question.new and first and getpass.getpass("the same passphrase again: ") != first:
            raise CliError("the two passphrases differ; nothing was changed")
        return first


def shown_time(
    clock: Clock, moment: datetime | None, args: argparse.Namespace, *, seconds: bool = False
) -> str:
    """A stored time as the command line prints it: on the company's clock, saying which
    (``2026-12-07 14:05 UTC+8``; ``北京时间`` with ``--lang zh_CN``); "" for None."""
    if moment is None:
        return ""
    locale = getattr(args, "cli_locale", None) or getattr(args, "lang", None) or "en"
    return clock.format(moment, locale, seconds=seconds)


def text_progress(quiet: bool) -> ProgressCallback:
    """Progress on stderr: a bar redrawn in place on a terminal, one line per step otherwise."""
    last: list[str] = [""]
    tty = sys.stderr.isatty()

    def report(done: int, total: int, message: str) -> None:
        if quiet:
            return
        if tty:
            filled = 30 * done // total if total else 0
            bar = "#" * filled + "-" * (30 - filled)
            pct = f"{100 * done // total:3d}%" if total else "    "
            end = "\n" if total and done >= total else ""
            print(f"\r[{bar}] {pct} {message[:60]:<60}", end=end, file=sys.stderr, flush=True)
            return
        if message == last[0]:
            return
        last[0] = message
        pct = f"{100 * done // total:3d}%" if total else "    "
        print(f"[{pct}] {message}", file=sys.stderr, flush=True)

    return report
