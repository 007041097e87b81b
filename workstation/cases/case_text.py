"""The case service's texts in the user's language: its refusals (``CaseRefused`` and friends,
permission refusals, missing document data), the titles it gives evidence, and where a
manager approval goes.

The service makes and stores them in English (the canonical text: the audit log, the command
line, the signed payloads); the GUI shows them through the patterns in
``resources/translations/patterns/case_messages.<locale>.json``, as the import GUI shows its
rejection reasons. A pattern matches a whole message; each named group is translated in turn
by the catalog's terms, by the patterns again (a route inside a refusal), or item by item when
it is a list ("a; b", "a, b", "a or b"). A message no pattern knows is shown as it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from workstation.i18n import SOURCE_LOCALE, catalog_dir

CATALOG = "case_messages"
#: List separators inside a group, and what joins the translated items.
_LISTS = (("; ", "；"), (", ", "、"), (" or ", "或"))
_MAX_DEPTH = 3


@dataclass(frozen=True)
class _Catalog:
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    terms: dict[str, str]


@cache
def _catalog(locale: str) -> _Catalog | None:
    path = catalog_dir() / "patterns" / f"{CATALOG}.{locale}.json"
    if locale == SOURCE_LOCALE or not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return _Catalog(
        tuple((re.compile(pattern), template) for pattern, template in data["patterns"]),
        dict(data.get("terms", {})),
    )


def _whole(message: str, catalog: _Catalog, depth: int) -> str | None:
    for pattern, template in catalog.patterns:
        found = pattern.fullmatch(message)
        if found:
            groups = {k: _value(v or "", catalog, depth + 1) for k, v in found.groupdict().items()}
            return template.format(**groups)
    return None


def _known(value: str, catalog: _Catalog, depth: int) -> str | None:
    """``value`` translated, or None when neither a term nor a pattern knows it."""
    term = catalog.terms.get(value)
    if term is not None:
        return term
    return _whole(value, catalog, depth) if depth <= _MAX_DEPTH else None


def _value(value: str, catalog: _Catalog, depth: int) -> str:
    known = _known(value, catalog, depth)
    if known is not None:
        return known
    for separator, joiner in _LISTS:
        if separator in value:
            items = [_known(item, catalog, depth) for item in value.split(separator)]
            if all(item is not None for item in items):
                return joiner.join(item for item in items if item is not None)
    return value


def case_text(message: str, locale: str) -> str:
    """``message`` (English, as the case service made it) in ``locale``."""
    catalog = _catalog(locale)
    if catalog is None:
        return message
    return _whole(message, catalog, 0) or message


def is_translated(message: str, locale: str) -> bool:
    """Whether a pattern knows ``message`` (tests keep the catalog complete with it)."""
    catalog = _catalog(locale)
    return catalog is None or _whole(message, catalog, 0) is not None
