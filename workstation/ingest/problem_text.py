"""Why a row was rejected, or a whole file refused, in the user's language.

Messages are made and stored in English (the canonical text of the record, and what the
command line prints); the GUI and the Chinese XLSX report show them translated by the
patterns in ``resources/translations/patterns/ingest_problems.<locale>.json``. A message no
pattern knows is shown as it is.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from workstation.i18n import SOURCE_LOCALE, catalog_dir
from workstation.ingest.errors import FileRejected
from workstation.ingest.profiles import KINDS

#: ``field: reason; field: reason`` as the row parser joins several problems of one row.
_PART = re.compile(r"(?:^|; )(?P<field>[a-z_]+): ")


@dataclass(frozen=True)
class _Catalog:
    patterns: tuple[tuple[re.Pattern[str], str], ...]
    terms: dict[str, str]


@cache
def _catalog(locale: str) -> _Catalog | None:
    path = catalog_dir() / "patterns" / f"ingest_problems.{locale}.json"
    if locale == SOURCE_LOCALE or not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return _Catalog(
        tuple((re.compile(pattern), template) for pattern, template in data["patterns"]),
        dict(data.get("terms", {})),
    )


@cache
def _field_names(locale: str, kind: str | None) -> dict[str, str]:
    """Each field code by its usual Chinese column name (the first alias after the code),
    those of ``kind`` first."""
    if locale == SOURCE_LOCALE:
        return {}
    names: dict[str, str] = {}
    kinds = [KINDS[kind]] if kind in KINDS else []
    for spec_kind in [*kinds, *KINDS.values()]:
        for spec in spec_kind.fields:
            if len(spec.headers) > 1:
                names.setdefault(spec.name, spec.headers[1])
    return names


def _one(message: str, catalog: _Catalog) -> str | None:
    for pattern, template in catalog.patterns:
        found = pattern.fullmatch(message)
        if found:
            groups = {k: catalog.terms.get(v, v) for k, v in found.groupdict().items()}
            return template.format(**groups)
    return None


def problem_text(message: str, locale: str, kind: str | None = None) -> str:
    """``message`` (English, as stored) in ``locale``; ``kind`` names fields as its columns."""
    catalog = _catalog(locale)
    if catalog is None:
        return message
    whole = _one(message, catalog)
    if whole is not None:
        return whole
    starts = list(_PART.finditer(message))
    if not starts or starts[0].start() != 0:
        return message
    fields = _field_names(locale, kind)
    parts: list[str] = []
    for here, after in zip(starts, [*starts[1:], None], strict=True):
        text = message[here.end() : after.start() if after else len(message)]
        name = here.group("field")
        parts.append(f"{fields.get(name, name)}：{_one(text, catalog) or text}")
    return "；".join(parts)


def refusal_text(error: FileRejected, locale: str) -> str:
    """A refused file's one line (``file: reason``) with the reason in ``locale``."""
    reason = problem_text(error.reason, locale)
    separator = ": " if reason == error.reason else "："
    return f"{error.path.name}{separator}{reason}"


def is_translated(message: str, locale: str) -> bool:
    """Whether a pattern knows ``message`` (used by tests to keep the catalog complete)."""
    return problem_text(message, locale) != message or _catalog(locale) is None
