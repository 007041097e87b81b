"""Translations for every layer (GUI, map legends, documents): English source strings looked up
in JSON catalogs ``resources/translations/<domain>.<locale>.json``.

Keys are the English text; a missing key falls back to the English text itself, and a test
checks that every string the code marks with ``tr("...")`` has a Chinese entry.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from workstation.config import SUPPORTED_LOCALES, resources_dir

SOURCE_LOCALE = "en"


def catalog_dir() -> Path:
    return resources_dir() / "translations"


@cache
def catalog(locale: str) -> dict[str, str]:
    """All catalogs of ``locale`` merged (``gui.zh_CN.json``, ``map.zh_CN.json``, ...)."""
    merged: dict[str, str] = {}
    if locale == SOURCE_LOCALE:
        return merged
    for path in sorted(catalog_dir().glob(f"*.{locale}.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


class Translator:
    """``tr("Employees")`` returns the text in the chosen locale; ``{name}`` fields format."""

    def __init__(self, locale: str = "zh_CN") -> None:
        if locale not in SUPPORTED_LOCALES:
            raise ValueError(f"unsupported locale {locale!r}; choose one of {SUPPORTED_LOCALES}")
        self.locale = locale
        self._catalog = catalog(locale)

    def __call__(self, text: str, /, **fields: object) -> str:
        translated = self._catalog.get(text, text)
        return translated.format(**fields) if fields else translated
