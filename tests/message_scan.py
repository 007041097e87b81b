"""Reading the services' source for the messages they refuse with: every call of a refusal
class (``raise CaseRefused(f"...")``, ``return FileRejected(path, "...")``) and the messages
the refusal classes make themselves, each f-string filled with plausible sample values.

Used by the tests that keep the translation catalogs complete (``test_case_text``,
``test_service_text``): a new ``raise`` without a pattern fails there."""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Collection, Iterator
from pathlib import Path

WORKSTATION = Path(__file__).resolve().parents[1] / "workstation"
_NUMERIC = re.compile(r"revision|current|seen|limit|MAX|MIN|count|len\(")


def _numeric(source: str) -> bool:
    return not source.endswith(".value") and _NUMERIC.search(source) is not None


def call_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def samples(node: ast.expr) -> list[str] | None:
    """Example messages ``node`` can make (each formatted value by a plausible sample), or
    None when it is not text."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        made = [""]
        for part in node.values:
            if isinstance(part, ast.Constant):
                made = [m + str(part.value) for m in made]
                continue
            assert isinstance(part, ast.FormattedValue)
            inner = part.value
            if isinstance(inner, ast.IfExp):
                options = (samples(inner.body) or ["draft"]) + (samples(inner.orelse) or ["x"])
            elif made[0].endswith("#") or _numeric(ast.unparse(inner)):
                options = ["7"]
            elif "path" in ast.unparse(inner):
                options = ["/data/casework/company.json"]
            else:
                options = ["draft"]
            if part.conversion == ord("r"):
                options = [repr(o) for o in options]
            made = [m + o for m, o in itertools.product(made, options)]
        return made
    if isinstance(node, ast.IfExp):
        return (samples(node.body) or []) + (samples(node.orelse) or [])
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = samples(node.left), samples(node.right) or ["draft"]
        if left is None:
            return None
        return [a + b for a, b in itertools.product(left, right)]
    if isinstance(node, ast.Call) and call_name(node.func) == "join":
        return ["draft"]
    return None


def messages(path: Path, refusals: Collection[str]) -> Iterator[tuple[str, str]]:
    """``(where, sample message)`` for every refusal ``path`` makes. Arguments that are codes
    rather than sentences (one word, e.g. ``UserError(..., "username_taken")``) are skipped."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(WORKSTATION.parent)
    refusal_classes = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.ClassDef) and (n.name in refusals or n.name == "PermissionAuthorizer")
    ]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and call_name(node.func) in refusals:
            for arg in node.args:
                for sample in samples(arg) or []:
                    if " " in sample.strip():
                        yield f"{where}:{node.lineno}", sample
    for cls in refusal_classes:
        for node in ast.walk(cls):
            if isinstance(node, ast.Call) and call_name(node.func) == "__init__":
                args = node.args
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "message" for t in node.targets
            ):
                args = [node.value]
            else:
                continue
            for arg in args:
                for sample in samples(arg) or []:
                    yield f"{where}:{node.lineno}", sample
