"""Turning source text into typed values, with a reason when it cannot be done.

Every parser takes the cell text and returns the value, or raises ``ValueProblem`` whose
message is fit for the rejected-rows report ("not a date: 2026-13-01"). Empty text is None.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Excel's day zero for serial dates (1900 system, after its leap-year bug).
EXCEL_EPOCH = date(1899, 12, 30)
#: Epoch numbers above this are milliseconds, not seconds (year 2286 in seconds).
EPOCH_MS_THRESHOLD = 10_000_000_000

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_WEEKDAY_TAIL = re.compile(r"\s*(星期[一二三四五六日天]|周[一二三四五六日天]|\([^)]*\))$")
#: Thousands separated by commas, as in ``-1,234,567.89``.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_CURRENCY = re.compile(r"^(¥|￥|rmb|cny|元)|(元|rmb|cny)$", re.IGNORECASE)


class ValueProblem(ValueError):
    """A cell that cannot become the value its field needs."""


#: Characters of a cell quoted in a message.
SHOWN_CHARS = 80


def shown(text: str) -> str:
    """``text`` stripped and short enough to quote in a message."""
    text = text.strip()
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_text(text: str) -> str | None:
    cleaned = _clean(text)
    return cleaned or None


def parse_number(text: str) -> float | None:
    """``1,234.5``, ``￥1234``, ``1 234`` and ``12.5%``-free plain numbers; None when empty.

    A comma is read only as a thousands separator (``1,234.56``); any other comma
    (``500,0``, ``1.234,56``: decimal commas of European and some Chinese software) is refused
    as ambiguous rather than guessed.
    """
    value = parse_decimal(text)
    return None if value is None else float(value)


def parse_decimal(text: str) -> Decimal | None:
    cleaned = _clean(text)
    if not cleaned:
        return None
    bare = _CURRENCY.sub("", cleaned.replace(" ", "")).strip()
    if "," in bare:
        if not _GROUPED.match(bare):
            raise ValueProblem(
                f"ambiguous comma in number {shown(text)!r}: write decimals with a point "
                "(1234.56); a comma may only separate thousands (1,234.56)"
            )
        bare = bare.replace(",", "")
    try:
        value = Decimal(bare)
    except InvalidOperation:
        raise ValueProblem(f"not a number: {shown(text)!r}") from None
    if not value.is_finite():
        raise ValueProblem(f"not a finite number: {shown(text)!r}")
    return value


def parse_date(text: str) -> date | None:
    """ISO, slashes, dots, ``2026年10月3日``, ``20261003``, a trailing weekday, a time part
    (ignored), or an Excel serial day number."""
    cleaned = _WEEKDAY_TAIL.sub("", _clean(text))
    if not cleaned:
        return None
    day_part = re.split(r"[ T]", cleaned, maxsplit=1)[0]
    for pattern in _DATE_PATTERNS:
        found = pattern.match(day_part)
        if found:
            year, month, day = (int(g) for g in found.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueProblem(f"not a date: {shown(text)!r}") from None
    if re.fullmatch(r"\d{4,5}(\.0+)?", cleaned):
        return EXCEL_EPOCH + timedelta(days=int(float(cleaned)))
    raise ValueProblem(f"not a date: {shown(text)!r}")


def zone(name: str | None, default: tzinfo) -> tzinfo:
    """The time zone of a name (``default``, the company's, when none is given)."""
    if not name or not name.strip():
        return default
    name = name.strip()
    if name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueProblem(f"unknown time zone: {name!r}") from None


def parse_datetime(text: str, default_zone: tzinfo) -> datetime | None:
    """A moment in time, always timezone-aware.

    Accepts ISO forms (``T`` or space, seconds optional, fractions, ``Z`` or ``+08:00``),
    slashes and ``年月日`` dates with a time, and epoch numbers (seconds, or milliseconds when
    the number is larger than ``EPOCH_MS_THRESHOLD``). Text without an offset is in
    ``default_zone``; an explicit offset is respected.
    """
    cleaned = _clean(text)
    if not cleaned:
        return None
    if re.fullmatch(r"\d{9,13}(\.\d+)?", cleaned):
        number = float(cleaned)
        seconds = number / 1000 if number > EPOCH_MS_THRESHOLD else number
        return datetime.fromtimestamp(seconds, UTC)
    candidate = cleaned.replace("/", "-").replace(".", "-", 2) if "-" not in cleaned else cleaned
    candidate = re.sub(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?\s*", r"\1-\2-\3 ", candidate)
    candidate = re.sub(r"^(\d{4})-(\d{1,2})-(\d{1,2})", _pad_date, candidate)
    candidate = re.sub(r"[ T](\d{1,2}):", lambda m: f"T{int(m.group(1)):02d}:", candidate, count=1)
    if candidate.endswith(("Z", "z")):
        candidate = candidate[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(candidate)
    except ValueError:
        raise ValueProblem(f"not a date and time: {shown(text)!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_zone)
    return moment


def _pad_date(found: re.Match[str]) -> str:
    year, month, day = found.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


#: Moments before this are not believed: no attendance app or CRM export predates it.
EARLIEST_PLAUSIBLE = datetime(2000, 1, 1, tzinfo=UTC)
#: Clocks of phones and exports drift; anything later than now plus this is not believed.
FUTURE_SLACK = timedelta(days=1)


def plausible_range(now: datetime) -> tuple[datetime, datetime]:
    """The span of moments an import accepts (``EARLIEST_PLAUSIBLE`` .. ``now`` + a day)."""
    return EARLIEST_PLAUSIBLE, now + FUTURE_SLACK


def implausible_reason(moment: datetime, now: datetime) -> str | None:
    low, high = plausible_range(now)
    if moment < low:
        return f"implausible time {moment.isoformat()}: before {low.year}"
    if moment > high:
        return f"implausible time {moment.isoformat()}: in the future"
    return None
