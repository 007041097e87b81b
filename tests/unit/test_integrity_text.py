"""What ``case verify`` and the documents' refusal say reads in Chinese: every text of
``cases.integrity_text`` and every word of an item has an entry in
``resources/translations/integrity.zh_CN.json`` with the same fields, and that catalog holds
nothing else."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

from workstation.cases import integrity_text
from workstation.cases.integrity import NO_STATE
from workstation.cases.integrity_text import DOCUMENT_NAMES, SHOWN, WORDS, difference_line
from workstation.cases.views import Difference
from workstation.config import resources_dir
from workstation.i18n import Translator, catalog

CATALOG = resources_dir() / "translations" / "integrity.zh_CN.json"


def marked() -> set[str]:
    """Every ``tr("...")`` literal in ``cases/integrity_text.py``."""
    source = Path(integrity_text.__file__).read_text(encoding="utf-8")
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value)
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_and_word_has_a_chinese_entry_with_its_fields() -> None:
    zh = catalog("zh_CN")
    texts = marked() | set(WORDS) | set(DOCUMENT_NAMES.values()) | {NO_STATE}
    assert len(marked()) > 20
    assert sorted(t for t in texts if not zh.get(t)) == []
    assert [t for t in texts if _fields(t) != _fields(zh[t])] == []
    assert set(SHOWN.values()) <= set(WORDS)


def test_the_catalog_holds_nothing_else() -> None:
    entries = set(json.loads(CATALOG.read_text(encoding="utf-8")))
    assert sorted(entries - marked() - set(WORDS) - {NO_STATE}) == []


def test_a_difference_in_both_languages() -> None:
    d = Difference(
        3,
        "evidence #13",
        "changed",
        signed="ab12" * 16,
        now="9f3e" * 16,
        part="frozen record",
        label="Order SO-1 2026-10-02 22350.00 (transferred)",
    )
    assert difference_line(d, Translator("en")) == (
        "evidence #13 (Order SO-1 2026-10-02 22350.00 (transferred)): frozen record changed "
        "since signature #3 (signed ab12ab12ab12…, now 9f3e9f3e9f3e…)"
    )
    zh = difference_line(d, Translator("zh_CN"))
    assert zh.startswith("证据 #13（") and "冻结记录在签名 #3 之后被更改" in zh
