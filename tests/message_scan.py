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
#: The exception classes the case service refuses with (and the permission and document
#: refusals it passes on).
CASE_REFUSALS = frozenset(
    {
        "CaseRefused",
        "TransitionRefused",
        "ConflictOfInterest",
        "ApprovalRefused",
        "RecordNotFound",
        "CaseNotFound",
        "StaleCase",
        "StaleAlert",
        "AlertNotFound",
        "PermissionDenied",
        "UnknownUser",
        "UnknownEmployee",
        "DocumentDataError",
    }
)
_NUMERIC = re.compile(
    r"revision|current|seen|limit|MAX|MIN|count|len\(|_number\b"
    r"|(?:\b|_)(line|row|byte|offset|fields|width|size)\b"
)
#: Local names of the function being read: what each was last assigned (``where = a or b``),
#: or ``None`` for a counter (``for n, x in enumerate(...)``, ``n = a + b``), so that a message
#: built from them gets samples of what they hold.
_locals: dict[str, ast.expr | None] = {}


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
            if isinstance(inner, ast.Name) and inner.id in _locals:
                held = _locals[inner.id]
                options = (samples(held) if held is not None else None) or ["7"]
            elif isinstance(inner, ast.IfExp):
                options = (samples(inner.body) or ["draft"]) + (samples(inner.orelse) or ["x"])
            elif made[0].endswith("#") or _numeric(ast.unparse(inner)):
                options = ["7"]
            elif "column_letter" in ast.unparse(inner):
                options = ["AB"]
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
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        texts = [s for value in node.values for s in samples(value) or []]
        return texts or None
    if isinstance(node, ast.Call) and call_name(node.func) == "join":
        return ["draft"]
    return None


def _outside_functions(node: ast.AST) -> Iterator[ast.AST]:
    """``ast.walk`` of ``node`` that does not go into function bodies."""
    yield node
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            yield from _outside_functions(child)


def _function_locals(function: ast.AST) -> dict[str, ast.expr | None]:
    """What the simple local names of ``function`` hold (see ``_locals``)."""
    found: dict[str, ast.expr | None] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name):
                arithmetic = isinstance(node.value, ast.BinOp) and samples(node.value) is None
                found[target.id] = None if arithmetic else node.value
        elif (
            isinstance(node, ast.For)
            and isinstance(node.iter, ast.Call)
            and call_name(node.iter.func) == "enumerate"
            and isinstance(node.target, ast.Tuple)
            and isinstance(node.target.elts[0], ast.Name)
        ):
            found[node.target.elts[0].id] = None
    return found


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
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    constants: dict[str, ast.expr | None] = {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    }
    for scope in [tree, *functions]:
        _locals.clear()
        _locals.update(constants)
        if scope is not tree:
            _locals.update(_function_locals(scope))
        for node in _outside_functions(tree) if scope is tree else ast.walk(scope):
            if isinstance(node, ast.Call) and call_name(node.func) in refusals:
                for arg in node.args:
                    for sample in samples(arg) or []:
                        if " " in sample.strip():
                            yield f"{where}:{node.lineno}", sample
        _locals.clear()
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
