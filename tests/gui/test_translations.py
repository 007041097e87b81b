"""Every string the GUI marks with ``tr("...")`` has a Chinese entry in the catalogs."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from workstation.config import resources_dir
from workstation.i18n import catalog

GUI_PACKAGE = Path(__file__).resolve().parents[2] / "workstation" / "gui"
#: Names a Translator is called through in the GUI code (``tr``, ``self._tr``, ``self.tr_``).
TRANSLATOR_NAMES = {"tr", "_tr", "tr_"}


def _callee_name(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def marked_strings() -> dict[str, list[str]]:
    """English text → where it is used, for every ``tr("literal")`` in workstation/gui."""
    found: dict[str, list[str]] = {}
    for path in sorted(GUI_PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or _callee_name(node) not in TRANSLATOR_NAMES:
                continue
            if node.args and isinstance(node.args[0], ast.Constant):
                text = node.args[0].value
                if isinstance(text, str):
                    where = f"{path.relative_to(GUI_PACKAGE.parent.parent)}:{node.lineno}"
                    found.setdefault(text, []).append(where)
    return found


def test_the_scan_finds_the_gui_strings() -> None:
    strings = marked_strings()
    assert "Employees" in strings and "Show on map" in strings and "Evaluate now" in strings
    assert len(strings) > 80


def test_every_marked_string_has_a_chinese_entry() -> None:
    zh = catalog("zh_CN")
    missing = {text: where for text, where in marked_strings().items() if not zh.get(text)}
    assert missing == {}, "add these to resources/translations/gui.zh_CN.json"


def test_chinese_entries_keep_the_format_fields() -> None:
    zh = catalog("zh_CN")
    for text in marked_strings():
        fields = {n for _, n, _, _ in __import__("string").Formatter().parse(text) if n}
        translated = {n for _, n, _, _ in __import__("string").Formatter().parse(zh[text]) if n}
        assert fields == translated, (text, zh[text])


def test_gui_catalog_has_no_unused_entries() -> None:
    path = resources_dir() / "translations" / "gui.zh_CN.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    unused = sorted(set(entries) - set(marked_strings()))
    assert unused == []
