"""Pattern catalogs: a service's English messages in the user's language.

The services make and store their messages in English (the canonical text: the audit log, the
command line, signed payloads); the GUI shows them through the patterns in
``resources/translations/patterns/<name>.<locale>.json``. A pattern matches a whole message;
each named group is translated in turn by the catalog's terms, by the patterns again (a route
inside a refusal), or item by item when it is a list ("a; b", "a, b", "a or b"). A message no
pattern knows is left as it is (``translate`` answers None).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from workstation.i18n import SOURCE_LOCALE, catalog_dir

#: List separators inside a group, and what joins the translated items.
_LISTS = (("; ", "；"), (", ", "、"), (" or ", "或"))
_MAX_DEPTH = 3


@dataclass(frozen=True)
class PatternCatalog:
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    terms: dict[str, str]

    def translate(self, message: str) -> str | None:
        """``message`` translated, or None when no pattern matches it as a whole."""
        return self._whole(message, 0)

    def _whole(self, message: str, depth: int) -> str | None:
        for pattern, template in self.patterns:
            found = pattern.fullmatch(message)
            if found:
                groups = {k: self._value(v or "", depth + 1) for k, v in found.groupdict().items()}
                return template.format(**groups)
        return None

    def _known(self, value: str, depth: int) -> str | None:
        """``value`` translated, or None when neither a term nor a pattern knows it."""
        term = self.terms.get(value)
        if term is not None:
            return term
        return self._whole(value, depth) if depth <= _MAX_DEPTH else None

    def _value(self, value: str, depth: int) -> str:
        known = self._known(value, depth)
        if known is not None:
            return known
        for separator, joiner in _LISTS:
            if separator in value:
                items = [self._known(item, depth) for item in value.split(separator)]
                if all(item is not None for item in items):
                    return joiner.join(item for item in items if item is not None)
        return value


@cache
def pattern_catalog(name: str, locale: str) -> PatternCatalog | None:
    """The catalog ``name`` of ``locale`` (None for English, or when there is none)."""
    path = catalog_dir() / "patterns" / f"{name}.{locale}.json"
    if locale == SOURCE_LOCALE or not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return PatternCatalog(
        tuple((re.compile(pattern), template) for pattern, template in data["patterns"]),
        dict(data.get("terms", {})),
    )
