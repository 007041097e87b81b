"""Every service's messages in the user's language: the one place a view turns a refusal (or a
reason a capability gives) into words for the reader.

The services word refusals in English (the canonical text of logs, the audit trail and the
command line). The pattern catalogs under ``resources/translations/patterns/`` translate
them: ``case_messages`` (the case service), ``service_messages`` (every other service: users
and signing, policies and places, maps, documents, backups) and ``ingest_problems`` (why an
imported file or row was refused). A message no catalog knows is shown as it is, and a test
(``tests/unit/test_service_text.py``) reads the services' source so that none is missed.
"""

from __future__ import annotations

from workstation.i18n import SOURCE_LOCALE
from workstation.message_catalog import pattern_catalog

#: The catalogs tried in turn (the import catalog last: it also translates "field: reason"
#: lists piece by piece).
CATALOGS = ("case_messages", "service_messages")


def _known(message: str, locale: str) -> str | None:
    for name in CATALOGS:
        catalog = pattern_catalog(name, locale)
        if catalog is None:
            continue
        translated = catalog.translate(message)
        if translated is not None:
            return translated
    from workstation.ingest.problem_text import problem_text

    translated = problem_text(message, locale)
    return translated if translated != message else None


def service_text(message: str, locale: str) -> str:
    """``message`` (English, as a service made it) in ``locale``; as it is when unknown."""
    return _known(message, locale) or message


def is_translated(message: str, locale: str) -> bool:
    """Whether a catalog of ``locale`` knows ``message`` (always true for English)."""
    return pattern_catalog(CATALOGS[0], locale) is None or _known(message, locale) is not None


def error_text(error: BaseException, locale: str) -> str:
    """The one line a view shows for a refusal ``error``: its message in ``locale``. A file
    refused by an importer keeps its name in front of the translated reason."""
    from workstation.ingest.errors import FileRejected
    from workstation.reports.templates import TemplateError

    if locale == SOURCE_LOCALE:
        return str(error) or type(error).__name__
    if isinstance(error, FileRejected):
        return f"{error.path.name}：{service_text(error.reason, locale)}"
    if isinstance(error, TemplateError):
        where = error.template + (f"（第 {error.line} 行）" if error.line else "")
        return f"{where}：{service_text(error.reason, locale)}"
    return service_text(str(error) or type(error).__name__, locale)


__all__ = ["error_text", "is_translated", "service_text"]
