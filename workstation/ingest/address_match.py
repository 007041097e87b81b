"""Place a punch by its address text: match it to a known customer, competitor site or office.

Pure and in memory (no database access): the importer builds :class:`KnownPlace` rows, asks an
:class:`AddressMatcher`, and keeps unmatched addresses visible itself.

Rules:

* :func:`normalise_address` applies Unicode NFKC (full-width digits and letters become
  half-width), unifies a few traditional characters (號→号, 樓→楼, 層→层), writes
  ``328-2号`` as ``328之2号`` (so removing the hyphen cannot merge two numbers) and ``328#`` as
  ``328号``, removes all whitespace and punctuation (ASCII and CJK), lower-cases Latin, and drops a
  leading ``中国``, province (``江苏省``, or an autonomous region / SAR by name) and city
  (``苏州市``, ``上海市``). A prefix part never contains 区/县/路/街/道/号 or a digit, so
  district names such as ``工业园区`` are kept. The prefix is kept when nothing would remain.
* Exact match first: the full normalised texts are equal. One place → that place (score 1,
  ``exact=True``); several different places → ``None`` (ambiguous; no fuzzy fallback).
* Otherwise fuzzy, on a shorter *comparison key*: bracketed POI notes (``(来福士中心)``) are
  removed, then trailing decorations (``附近``, ``周边``) and building-floor / room tails
  (``22楼``, ``22层``, ``第22层``, ``F22``, ``22F``, ``2201室``). Score = difflib
  ``SequenceMatcher`` ratio of the two keys (``rapidfuzz`` is not a dependency).
* Fuzzy vetoes: the house numbers (digits right before 号, not ``3号楼`` building numbers) must
  be equal, and must be present on both sides or on neither; a ``…路附近`` without number is not
  the ``…路 328 号`` customer. When both sides name a floor, the floors must be equal (a rival's
  office on 9 楼 of the company's own tower is not the company office on 18 楼).
* The best fuzzy score must reach ``min_score``; when two different places tie for it the answer
  is ``None``. No guess is ever returned below ``min_score``.
* :meth:`AddressMatcher.match_many` caches by raw text and by normalised keys, and candidates are
  pre-filtered by house number and shared character 3-grams, so 10k+ punches stay fast.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

__all__ = ["AddressMatch", "AddressMatcher", "KnownPlace", "PlaceKind", "normalise_address"]

PlaceKind = Literal["customer", "competitor_site", "office"]

_TIE_EPS = 1e-9

_TRADITIONAL = str.maketrans({"號": "号", "樓": "楼", "層": "层", "區": "区", "縣": "县"})
_DASH_BETWEEN_DIGITS = re.compile(r"(\d)\s*[-‐‑‒–—―－~〜～]\s*(\d)")
_HASH_NUMBER = re.compile(r"(\d)\s*#")
_BRACKETED = re.compile(r"[(（\[【〔［][^()（）\[\]【】〔〕［］]*[)）\]】〕］]")
_REGIONS = (
    "内蒙古自治区|广西壮族自治区|西藏自治区|宁夏回族自治区|新疆维吾尔自治区"
    "|香港特别行政区|澳门特别行政区"
)
_PREFIX = re.compile(
    rf"^(?:中国)?(?:{_REGIONS}|[^省市区县路街道号\d]{{2,7}}省)?(?:[^省市区县路街道号\d]{{2,7}}市)?"
)
_DECORATION_TAIL = re.compile(r"(?:附近|周边|一带)$")
_FLOOR_TAIL = re.compile(r"(?:第?(\d+)(?:楼|层)|f(\d+)|(\d+)f)(?:\d+室?)?$")
_ROOM_TAIL = re.compile(r"\d+室$")
_HOUSE_NUMBER = re.compile(r"(\d+(?:之\d+)?)号(?!楼)")


@dataclass(frozen=True)
class KnownPlace:
    """A place an address can be matched to."""

    kind: str  # "customer" | "competitor_site" | "office"
    id: int
    name: str
    address: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class AddressMatch:
    place: KnownPlace
    score: float  # 0..1
    exact: bool  # the full normalised texts are equal


def _basic(text: str) -> str:
    """NFKC, traditional forms, number separators; whitespace and punctuation removed."""
    text = unicodedata.normalize("NFKC", text).translate(_TRADITIONAL)
    text = _DASH_BETWEEN_DIGITS.sub(r"\1之\2", text)
    text = _HASH_NUMBER.sub(r"\1号", text)
    kept = [ch for ch in text if unicodedata.category(ch)[0] not in "PZCS"]
    return "".join(kept).casefold()


def _strip_prefix(text: str) -> str:
    m = _PREFIX.match(text)
    if m and m.end() and m.end() < len(text):
        return text[m.end() :]
    return text


def normalise_address(text: str) -> str:
    """The comparable form of an address (see the module rules); "" for blank text."""
    return _strip_prefix(_basic(text or ""))


@dataclass(frozen=True)
class _Key:
    full: str
    fuzzy: str
    house: tuple[str, ...]
    floor: str | None


def _key(text: str) -> _Key:
    full = normalise_address(text)
    fuzzy = normalise_address(_BRACKETED.sub("", text or "")) or full
    floor: str | None = None
    while True:
        before = fuzzy
        if m := _DECORATION_TAIL.search(fuzzy):
            fuzzy = fuzzy[: m.start()]
        if m := _FLOOR_TAIL.search(fuzzy):
            if m.start() == 0:
                break
            floor = floor or next(g for g in m.groups() if g is not None)
            fuzzy = fuzzy[: m.start()]
        elif (m := _ROOM_TAIL.search(fuzzy)) and m.start() > 0:
            fuzzy = fuzzy[: m.start()]
        if fuzzy == before or not fuzzy:
            break
    fuzzy = fuzzy or full
    house = tuple(_HOUSE_NUMBER.findall(fuzzy))
    return _Key(full, fuzzy, house, str(int(floor)) if floor else None)


def _grams(text: str) -> set[str]:
    return {text[i : i + 3] for i in range(len(text) - 2)}


class AddressMatcher:
    """Matches address texts against a fixed set of known places."""

    def __init__(self, places: Iterable[KnownPlace], *, min_score: float = 0.85) -> None:
        if not 0.0 < min_score <= 1.0:
            raise ValueError(f"min_score must be in (0, 1], got {min_score}")
        self.min_score = min_score
        self._exact: dict[str, list[KnownPlace]] = {}
        self._places: list[KnownPlace] = []
        self._keys: list[_Key] = []
        self._by_house: dict[tuple[str, ...], set[int]] = {}
        self._by_gram: dict[str, set[int]] = {}
        seen: set[tuple[str, int, str]] = set()
        for place in places:
            key = _key(place.address or "")
            if not key.full or (place.kind, place.id, key.full) in seen:
                continue
            seen.add((place.kind, place.id, key.full))
            self._exact.setdefault(key.full, []).append(place)
            index = len(self._places)
            self._places.append(place)
            self._keys.append(key)
            self._by_house.setdefault(key.house, set()).add(index)
            for gram in _grams(key.fuzzy):
                self._by_gram.setdefault(gram, set()).add(index)
        self._cache: dict[tuple[str, str, tuple[str, ...], str | None], AddressMatch | None] = {}

    def __len__(self) -> int:
        return len(self._places)

    def match(self, address: str) -> AddressMatch | None:
        """The best place for ``address``, or ``None`` (no place, too weak, or ambiguous)."""
        key = _key(address or "")
        cache_key = (key.full, key.fuzzy, key.house, key.floor)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._match_key(key)
        return self._cache[cache_key]

    def match_many(self, addresses: Sequence[str]) -> list[AddressMatch | None]:
        """:meth:`match` for each address, computing each distinct text once."""
        done: dict[str, AddressMatch | None] = {}
        out: list[AddressMatch | None] = []
        for address in addresses:
            text = address or ""
            if text not in done:
                done[text] = self.match(text)
            out.append(done[text])
        return out

    def _match_key(self, key: _Key) -> AddressMatch | None:
        if not key.full:
            return None
        exact = _distinct(self._exact.get(key.full, []))
        if exact:
            return AddressMatch(exact[0], 1.0, True) if len(exact) == 1 else None
        bucket = self._by_house.get(key.house)
        if not bucket:
            return None
        grams = _grams(key.fuzzy)
        if grams:
            shared: set[int] = set()
            for gram in grams:
                shared |= self._by_gram.get(gram, set())
            candidates = bucket & shared
        else:
            candidates = bucket
        best = 0.0
        winners: list[KnownPlace] = []
        la = len(key.fuzzy)
        for index in candidates:
            other = self._keys[index]
            if key.floor and other.floor and key.floor != other.floor:
                continue
            lb = len(other.fuzzy)
            if 2.0 * min(la, lb) / (la + lb) < self.min_score:
                continue
            sm = SequenceMatcher(None, key.fuzzy, other.fuzzy, autojunk=False)
            if sm.quick_ratio() < max(self.min_score, best - _TIE_EPS):
                continue
            score = sm.ratio()
            if score > best + _TIE_EPS:
                best, winners = score, [self._places[index]]
            elif score >= best - _TIE_EPS:
                winners.append(self._places[index])
        winners = _distinct(winners)
        if best < self.min_score or len(winners) != 1:
            return None
        return AddressMatch(winners[0], round(best, 6), False)


def _distinct(places: list[KnownPlace]) -> list[KnownPlace]:
    seen: dict[tuple[str, int], KnownPlace] = {}
    for place in places:
        seen.setdefault((place.kind, place.id), place)
    return list(seen.values())
