"""Translations for every layer (GUI, map legends, documents): English source strings looked up
in JSON catalogs ``resources/translations/<domain>.<locale>.json``.

Keys are the English text; a missing key falls back to the English text itself, and a test
checks that every string the code marks with ``tr("...")`` has a Chinese entry.

A ``Translator`` is how things are shown to one person: in their language, and times on the
company's clock saying which (``tr.time(moment)``: ``2026-12-07 14:05 北京时间``). The GUI's
translator carries the app's ``Clock``, so its dialogs take their defaults (today, now) from
it (``tr.clock``).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, tzinfo
from functools import cache
from pathlib import Path

from workstation.config import SUPPORTED_LOCALES, resources_dir
from workstation.domain.clock import Clock, company_zone, format_moment

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
    """``tr("Employees")`` returns the text in the chosen locale; ``{name}`` fields format.

    ``clock`` is the app's: times are shown in its zone (the company's), and dialogs take
    today and now from it. Without one, times are shown in the default company zone and
    ``clock`` refuses (a translator for text only: map legends, exported reports).
    """

    def __init__(self, locale: str = "zh_CN", clock: Clock | None = None) -> None:
        if locale not in SUPPORTED_LOCALES:
            raise ValueError(f"unsupported locale {locale!r}; choose one of {SUPPORTED_LOCALES}")
        self.locale = locale
        self._catalog = catalog(locale)
        self._clock = clock
        #: The zone times are shown in: the company's.
        self.zone: tzinfo = clock.zone if clock is not None else company_zone()

    @property
    def clock(self) -> Clock:
        """The app's clock (today, now), for defaults a person sees."""
        if self._clock is None:
            raise RuntimeError("this translator was made without the app's clock")
        return self._clock

    def time(self, moment: datetime, *, seconds: bool = False) -> str:
        """``moment`` on the company's clock, saying which: ``2026-12-07 14:05 北京时间`` in
        Chinese, ``2026-12-07 14:05 UTC+8`` in English (a naive ``moment`` is UTC)."""
        return format_moment(moment, self.zone, self.locale, seconds=seconds)

    def time_of_day(self, moment: datetime) -> str:
        """Just the hour and minute of ``moment`` on the company's clock, saying which:
        ``14:05 北京时间`` / ``14:05 UTC+8``."""
        return self.time(moment).split(" ", 1)[1]

    def day_of(self, moment: datetime) -> date:
        """The company's day ``moment`` falls on (a naive ``moment`` is UTC)."""
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        return aware.astimezone(self.zone).date()

    def __call__(self, text: str, /, **fields: object) -> str:
        translated = self._catalog.get(text, text)
        return translated.format(**fields) if fields else translated
