"""The case service's texts in the user's language: its refusals (``CaseRefused`` and friends,
permission refusals, missing document data), the titles it gives evidence, and where a
manager approval goes.

The service makes and stores them in English (the canonical text: the audit log, the command
line, the signed payloads); the GUI shows them through the patterns in
``resources/translations/patterns/case_messages.<locale>.json`` (``message_catalog``), as the
import GUI shows its rejection reasons. A message no pattern knows is shown as it is.
"""

from __future__ import annotations

from workstation.message_catalog import pattern_catalog

CATALOG = "case_messages"


def case_text(message: str, locale: str) -> str:
    """``message`` (English, as the case service made it) in ``locale``."""
    catalog = pattern_catalog(CATALOG, locale)
    if catalog is None:
        return message
    return catalog.translate(message) or message


def is_translated(message: str, locale: str) -> bool:
    """Whether a pattern knows ``message`` (tests keep the catalog complete with it)."""
    catalog = pattern_catalog(CATALOG, locale)
    return catalog is None or catalog.translate(message) is not None
