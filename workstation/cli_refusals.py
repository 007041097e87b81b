"""What the command line says when it does not do what was asked: one line, naming what and
why, in English or Chinese; and the guard that keeps every traceback off the terminal.

A refusal the user can act on is a ``CliError`` (exit status 1). The services' own refusals
(a stale alert, a signing key that cannot be opened, an altered evidence file, a database that
stayed busy...) are recognised by class name, so this module imports none of the services:
``workstation --version`` stays quick. Anything else is a bug: one line naming the log file
that holds the traceback, exit status 2.

The language: ``--lang``, else the locale saved in ``settings.json``, else the environment's
(``LC_ALL``, ``LC_MESSAGES``, ``LANG``: Chinese for ``zh*``), else English.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from workstation.cli_common import ENV_KEY_PASSPHRASE, CliError, translated_reason
from workstation.config import SUPPORTED_LOCALES, Settings
from workstation.i18n import Translator

log = logging.getLogger("workstation.cli")

#: Exit status of a refusal the user can act on, and of a bug.
REFUSED, UNEXPECTED, INTERRUPTED = 1, 2, 130


def cli_locale(lang: str | None, settings: Settings | None) -> str:
    """The command line's language (see the module's doc)."""
    if lang in SUPPORTED_LOCALES:
        return str(lang)
    saved = _saved_locale(settings)
    if saved is not None:
        return saved
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    return "en"


def _saved_locale(settings: Settings | None) -> str | None:
    if settings is None:
        return None
    try:
        raw = json.loads(settings.preferences_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    locale = raw.get("locale") if isinstance(raw, dict) else None
    return locale if locale in SUPPORTED_LOCALES else None


def _signing(tr: Translator, exc: BaseException) -> str:
    if type(exc).__name__ not in ("SecretUnavailable", "WrongPassphrase"):
        # no authority yet, a key awaiting certification, a passphrase refused: say only why
        return tr("cannot sign: {reason}", reason=translated_reason(tr, str(exc)))
    return tr(
        "cannot sign: {reason}; give the passphrase in {env} or run on a terminal",
        reason=translated_reason(tr, str(exc)),
        env=ENV_KEY_PASSPHRASE,
    )


def _evidence(tr: Translator, exc: BaseException) -> str:
    sha256 = getattr(exc, "sha256", "?")
    name = getattr(exc, "name", None) or sha256[:12]
    if getattr(exc, "missing", False):
        return tr(
            "the stored file {name} ({sha256}) is missing from the evidence folder; nothing "
            "was written. Restore the evidence folder from a backup",
            name=name,
            sha256=sha256,
        )
    return tr(
        "the stored file {name} ({sha256}) no longer matches its SHA-256 (it was altered or "
        "damaged); nothing was written. Restore the evidence folder from a backup",
        name=name,
        sha256=sha256,
    )


def _busy(tr: Translator, exc: BaseException) -> str:
    return tr(
        "the database stayed busy with another import or change for {minutes} minutes; "
        "nothing was changed, try again later",
        minutes=getattr(exc, "minutes", "?"),
    )


def _being_imported(tr: Translator, exc: BaseException) -> str:
    return tr(
        "{name} is already being imported by another process; nothing was imported. "
        "Look at `workstation import --list` when it has finished",
        name=getattr(exc, "name", "the file"),
    )


def _seal(tr: Translator, exc: BaseException) -> str:
    return tr(
        "the installation seal {path} cannot be read: audit checkpoints can be neither made nor "
        "checked. Restore it from a backup of the data folder",
        path=getattr(exc, "path", "?"),
    )


def _reason(tr: Translator, exc: BaseException) -> str:
    """The service's own sentence says what and why (translated where the catalogs know it)."""
    return translated_reason(tr, str(exc))


def _rendered(tr: Translator, exc: BaseException) -> str:
    """The refusal says itself in ``tr``'s language (``render(tr)``)."""
    render = getattr(exc, "render", None)
    return str(render(tr)) if callable(render) else translated_reason(tr, str(exc))


def _locked(tr: Translator, exc: BaseException) -> str:
    if "database is locked" not in str(exc):
        raise exc
    return tr("the database is busy with another import or change; nothing was changed")


def _os_error(tr: Translator, exc: BaseException) -> str:
    assert isinstance(exc, OSError)
    if exc.filename is None and exc.errno is None:  # a program's refusal, e.g. PermissionDenied
        if isinstance(exc, PermissionError):
            return tr("not allowed: {reason}", reason=translated_reason(tr, str(exc)))
        raise exc
    where = exc.filename if exc.filename is not None else "?"
    return tr("cannot use {path}: {reason}", path=where, reason=exc.strerror or str(exc))


#: Refusals of the layers below, by the class's module and name (the first match in the
#: exception's MRO wins). ``tests/unit/test_cli_refusal_texts.py`` checks that each name exists.
KNOWN: dict[str, Callable[[Translator, BaseException], str]] = {
    "workstation.security.secrets.SecretUnavailable": _signing,
    "workstation.security.ca.WrongPassphrase": _signing,
    "workstation.security.signatures.SigningError": _signing,
    "workstation.store.evidence.EvidenceCorrupted": _evidence,
    "workstation.security.seal.SealKeyUnreadable": _seal,
    "workstation.store.evidence.EvidenceBeingStored": _being_imported,
    "workstation.store.write_lock.DatabaseBusy": _busy,
    "workstation.store.encryption.StoreKeyRefused": _reason,
    "workstation.risk.alert_service.StaleAlert": _reason,
    "workstation.cases.base.StaleCase": _reason,
    "workstation.cases.integrity.CaseDoesNotVerify": _rendered,
    "workstation.domain.cases.CaseRefused": _reason,
    "workstation.domain.alerts.TransitionRefused": _reason,
    "workstation.security.model.UserError": _reason,
    "sqlalchemy.exc.OperationalError": _locked,
    "builtins.OSError": _os_error,
}


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def refusal_text(tr: Translator, exc: BaseException) -> str | None:
    """The one line for ``exc`` when it is a refusal the user can act on, else None."""
    if isinstance(exc, CliError):
        return exc.render(tr)
    for cls in type(exc).__mro__:
        explain = KNOWN.get(_qualified(cls))
        if explain is not None:
            try:
                return explain(tr, exc)
            except BaseException:  # the explainer declined (e.g. another OperationalError)
                return None
    return None


def say(line: str) -> None:
    """Print one line for the person at the terminal (stderr)."""
    print(f"workstation: {line}", file=sys.stderr, flush=True)


def refuse(line: str, exc: BaseException) -> None:
    """Say ``line`` for the refusal ``exc``; the log keeps it (with the traceback of a
    service's refusal, which may help whoever reads the log)."""
    log.info("refused: %s", line, exc_info=not isinstance(exc, CliError))
    say(line)


def run_guarded(run: Callable[[], int], tr: Translator, log_file: Path) -> int:
    """Run one command: a refusal is one line (exit 1), an interruption one line (130), any
    other exception one line naming the log file, which gets the traceback (exit 2)."""
    try:
        return run()
    except KeyboardInterrupt:
        say(tr("interrupted"))
        return INTERRUPTED
    except Exception as exc:
        line = refusal_text(tr, exc)
        if line is not None:
            refuse(line, exc)
            return REFUSED
        log.exception("unexpected error")
        say(
            tr(
                "unexpected error: {error} — details in {log}",
                error=_first_line(exc),
                log=str(log_file),
            )
        )
        return UNEXPECTED


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
