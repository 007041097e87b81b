"""Find the customer a free text names: a check-in's remark, note or location title.

Pure and in memory (no database access), like :mod:`workstation.ingest.address_match`: the
importer builds one :class:`CustomerNames` of every customer and asks it per text.

People write a customer's name the way they say it: "拜访客户：苏州某某精密机械有限公司",
"某某精密机械 送样", "某某精密机械(苏州)". Names are therefore compared by **keys**:

* :func:`name_text` is the comparable form of any text: Unicode NFKC, case-folded, whitespace
  and punctuation (brackets included) removed, and the legal forms (``股份有限公司``,
  ``有限责任公司``, ``有限公司``, ``股份公司``, ``公司``) removed wherever they stand.
* A customer's keys are its **full** key (the name without a bracketed place such as ``(中国)``
  or ``（苏州）``, without its legal form and a trailing ``股份`` / ``集团``), the same with the
  bracketed place kept as a word (``某某精密机械苏州``: a text naming the place is more specific
  than one that does not) and its **core**
  (the full key without the places it starts with: ``中国``, a province, a city, each with or
  without ``省`` / ``市``). ``苏州市某某精密机械有限公司`` has the full key ``苏州市某某精密机械``
  and the core ``某某精密机械``. Cities are the ones the store knows (the customers' city column
  and the cities their addresses name) plus every province; a place word is only removed when
  at least :data:`MIN_KEY_CHARS` characters remain.
* A text names a customer when one of its keys (at least :data:`MIN_KEY_CHARS` characters)
  occurs in the text's form. The **longest** key found wins (the text "苏州某某精密机械" names
  苏州某某 rather than 无锡某某, whose core alone it holds); among customers found by keys of
  the same length, the employee's own customers come first; two different customers left
  is no answer (never a guess).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass

__all__ = ["CustomerNames", "NameMatch", "NamedCustomer", "city_of_address", "name_text"]

#: Keys shorter than this are too common to stand for a customer inside a sentence.
MIN_KEY_CHARS = 3
#: Legal forms removed from any text, longest first.
LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司")
#: Further tails a customer's name is known by without.
NAME_TAILS = (*LEGAL_FORMS, "股份", "集团")
PROVINCES = (
    *("北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江"),
    *("安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州"),
    *("云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆"),
    *("香港", "澳门"),
)
#: What follows a place name in a company name: 省, 市, or nothing.
_PLACE_TAILS = ("省", "市", "")
_BRACKETED = re.compile(r"[(（\[【〔［]([^()（）\[\]【】〔〕［］]*)[)）\]】〕］]")
_CITY_OF_ADDRESS = re.compile(
    r"^(?:中国)?(?:[^省市区县路街道号\d]{2,7}省)?([^省市区县路街道号\d]{2,7})市"
)


def _basic(text: str) -> str:
    """NFKC, case-folded, without whitespace and punctuation."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PZCS")


def name_text(text: str) -> str:
    """The comparable form of a free text (see the module rules)."""
    form = _basic(text)
    for legal in LEGAL_FORMS:
        form = form.replace(legal, "")
    return form


def city_of_address(address: str | None) -> str | None:
    """The city an address starts with (``江苏省苏州市…`` → ``苏州``), or None."""
    found = _CITY_OF_ADDRESS.match(_basic(address or ""))
    return found.group(1) if found else None


@dataclass(frozen=True)
class NamedCustomer:
    """A customer whose name a text may hold."""

    id: int
    name: str


@dataclass(frozen=True)
class NameMatch:
    customer_id: int
    #: The key found in the text (the customer's name as compared).
    key: str
    #: The customer is one of the employee's own.
    own: bool


class CustomerNames:
    """Every customer's keys, indexed by their first two characters."""

    def __init__(self, customers: Iterable[NamedCustomer], places: Iterable[str] = ()) -> None:
        words = {_basic(p) for p in (*PROVINCES, "中国", *places) if p}
        #: Longest first, so 黑龙江 is tried before a two-character word.
        self._places = sorted((w for w in words if len(w) >= 2), key=len, reverse=True)
        self._by_start: dict[str, list[tuple[str, int]]] = {}
        for customer in customers:
            for key in self.keys(customer.name):
                self._by_start.setdefault(key[:2], []).append((key, customer.id))

    def keys(self, name: str) -> set[str]:
        """The full key and the core of a customer's name (see the module rules)."""
        text = unicodedata.normalize("NFKC", name or "")
        placed = self._without_tails(name_text(text))
        text = _BRACKETED.sub(
            lambda m: "" if self._is_place(_basic(m.group(1))) else m.group(1), text
        )
        full = self._without_tails(_basic(text))
        core = self._without_places(full)
        return {k for k in (placed, full, core) if len(k) >= MIN_KEY_CHARS}

    @staticmethod
    def _without_tails(key: str) -> str:
        changed = True
        while changed:
            changed = False
            for tail in NAME_TAILS:
                if key.endswith(tail) and len(key) - len(tail) >= MIN_KEY_CHARS:
                    key, changed = key[: -len(tail)], True
        return key

    def _is_place(self, word: str) -> bool:
        return any(word in (p, p + "省", p + "市") for p in self._places) or word == "中国"

    def _without_places(self, key: str) -> str:
        changed = True
        while changed:
            changed = False
            for place in self._places:
                if not key.startswith(place):
                    continue
                for tail in _PLACE_TAILS:
                    rest = key[len(place) :]
                    if rest.startswith(tail) and len(rest) - len(tail) >= MIN_KEY_CHARS:
                        key, changed = rest[len(tail) :], True
                        break
                if changed:
                    break
        return key

    def find(self, text: str | None, own: Collection[int] = ()) -> NameMatch | None:
        """The customer ``text`` names, preferring ``own`` customers (see the module rules)."""
        form = name_text(text or "")
        found: dict[int, str] = {}
        for i in range(len(form) - 1):
            for key, customer_id in self._by_start.get(form[i : i + 2], ()):
                if form.startswith(key, i) and len(key) > len(found.get(customer_id, "")):
                    found[customer_id] = key
        if not found:
            return None
        longest = max(len(k) for k in found.values())
        best = [c for c, k in found.items() if len(k) == longest]
        mine = [c for c in best if c in own]
        chosen = mine if mine else best
        if len(chosen) != 1:
            return None
        return NameMatch(chosen[0], found[chosen[0]], chosen[0] in own)
