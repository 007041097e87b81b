"""Document templates: load ``<kind>.<locale>.md`` and fill it from a context of plain values.

The format (a small Markdown subset with ``{dotted.placeholders}`` and ``{#each}`` / ``{#if}``
blocks) is described for template editors in ``resources/templates/documents/README.md``.

Placeholders are parsed with :class:`string.Formatter` but never formatted by it: each name is
looked up in the context by hand (dotted names only, no indexing, attributes, conversions or
format specs), so a template cannot reach into Python objects. A placeholder that names
nothing, or names an empty value, raises :class:`TemplateError` with the template, the line
and the placeholder: a document is never printed with a silent blank.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from workstation.config import resources_dir

#: Placeholder names: dotted identifiers, e.g. ``case.number`` or ``approval.signed_at``.
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_EACH_RE = re.compile(r"^\{#each\s+(?P<name>\S+)\s+as\s+(?P<var>[A-Za-z_][A-Za-z0-9_]*)\s*\}$")
_IF_RE = re.compile(r"^\{#if\s+(?P<neg>not\s+)?(?P<name>\S+)\s*\}$")
_COMMENT_RE = re.compile(r"^<!--.*-->$")
_FRONT_KEYS = {"title", "subject", "indent"}
#: Sentinels standing in for filled values while the template's own text is escaped.
_SLOT = "\x00{}\x00"
_SLOT_RE = re.compile("\x00(\\d+)\x00")
_CODE_RE = re.compile(r"`([^`]*)`")

Scope = Mapping[str, object]


def default_templates_dir() -> Path:
    return resources_dir() / "templates" / "documents"


class TemplateError(ValueError):
    """A template cannot be filled: names the template file, the line and the placeholder."""

    def __init__(
        self, template: str, line: int | None, message: str, placeholder: str | None = None
    ) -> None:
        self.template = template
        self.line = line
        self.placeholder = placeholder
        #: What is wrong, without the file and line (``service_text`` translates it).
        self.reason = message
        super().__init__(self.where() + ": " + message)

    def where(self) -> str:
        return f"{self.template}, line {self.line}" if self.line else self.template


@dataclass(frozen=True)
class Template:
    name: str
    #: Front matter, still unfilled (``title``, ``subject``, ``indent``).
    meta: Mapping[str, tuple[int, str]]
    #: ``(line number, text)`` of the body, front matter excluded.
    lines: tuple[tuple[int, str], ...]


def template_path(templates_dir: Path, kind: str, locale: str) -> Path:
    return templates_dir / f"{kind}.{locale}.md"


def load_template(templates_dir: Path, kind: str, locale: str) -> Template:
    path = template_path(templates_dir, kind, locale)
    if not path.is_file():
        raise TemplateError(path.name, None, f"no template at {path}")
    return parse_template(path.name, path.read_text(encoding="utf-8-sig"))


def parse_template(name: str, text: str) -> Template:
    raw = text.splitlines()
    meta: dict[str, tuple[int, str]] = {}
    start = 0
    if raw and raw[0].strip() == "---":
        for index in range(1, len(raw)):
            line = raw[index].strip()
            if line == "---":
                start = index + 1
                break
            if not line or line.startswith("#"):
                continue
            key, sep, value = line.partition(":")
            if not sep or key.strip() not in _FRONT_KEYS:
                known = ", ".join(sorted(_FRONT_KEYS))
                raise TemplateError(name, index + 1, f"front matter wants 'key: value' ({known})")
            meta[key.strip()] = (index + 1, value.strip())
        else:
            raise TemplateError(name, 1, "front matter opened with --- is never closed")
    if "title" not in meta:
        raise TemplateError(name, 1, "front matter must give the document's title: 'title: ...'")
    body = tuple((number + 1, raw[number]) for number in range(start, len(raw)))
    return Template(name=name, meta=meta, lines=body)


# --- {#each} / {#if} blocks -------------------------------------------------------------


@dataclass
class _Block:
    line: int
    keyword: str  # each | if
    name: str
    var: str = ""
    negate: bool = False
    body: list[object] = field(default_factory=list)
    otherwise: list[object] = field(default_factory=list)
    in_else: bool = False

    def add(self, node: object) -> None:
        (self.otherwise if self.in_else else self.body).append(node)


def _parse_blocks(template: Template) -> list[object]:
    root = _Block(0, "root", "")
    stack = [root]
    for number, text in template.lines:
        line = text.strip()
        if not line.startswith(("{#", "{/")):
            if not _COMMENT_RE.match(line):
                stack[-1].add((number, text))
            continue
        if each := _EACH_RE.match(line):
            block = _Block(number, "each", each["name"], var=each["var"])
        elif cond := _IF_RE.match(line):
            block = _Block(number, "if", cond["name"], negate=bool(cond["neg"]))
        elif line == "{#else}":
            if stack[-1].keyword == "root" or stack[-1].in_else:
                raise TemplateError(template.name, number, "{#else} without an open block")
            stack[-1].in_else = True
            continue
        elif line in ("{/each}", "{/if}"):
            if stack[-1].keyword != line[2:-1]:
                raise TemplateError(template.name, number, f"{line} does not close a block")
            stack.pop()
            continue
        else:
            raise TemplateError(template.name, number, f"cannot read the block line {line!r}")
        if not NAME_RE.match(block.name):
            raise TemplateError(template.name, number, f"bad name {block.name!r}", block.name)
        stack[-1].add(block)
        stack.append(block)
    if len(stack) > 1:
        open_block = stack[-1]
        raise TemplateError(
            template.name, open_block.line, f"{{#{open_block.keyword}}} is never closed"
        )
    return root.body


def _lookup(template: str, line: int, scope: Scope, name: str) -> object:
    parts = name.split(".")
    node: object = scope
    for depth, part in enumerate(parts):
        if not isinstance(node, Mapping) or part not in node:
            if isinstance(node, Mapping):
                prefix = ".".join(parts[:depth])
                known = sorted(f"{prefix}.{k}" if prefix else k for k in node)
                hint = "; known here: " + ", ".join(known) if known else ""
            else:
                hint = f"; {'.'.join(parts[:depth])} has no fields"
            raise TemplateError(template, line, f"unknown placeholder {{{name}}}{hint}", name)
        node = node[part]
    return node


def expand(template: Template, context: Scope) -> list[tuple[int, str, Scope]]:
    """The body with every ``{#each}``/``{#if}`` resolved: ``(line, raw text, scope)``."""
    out: list[tuple[int, str, Scope]] = []

    def walk(nodes: Sequence[object], scope: Scope) -> None:
        for node in nodes:
            if isinstance(node, tuple):
                out.append((node[0], node[1], scope))
                continue
            assert isinstance(node, _Block)
            value = _lookup(template.name, node.line, scope, node.name)
            if node.keyword == "if":
                walk(node.body if bool(value) != node.negate else node.otherwise, scope)
                continue
            if not isinstance(value, list):
                raise TemplateError(
                    template.name, node.line, f"{{{node.name}}} is not a list", node.name
                )
            for item in value:
                walk(node.body, {**scope, node.var: item})
            if not value:
                walk(node.otherwise, scope)

    walk(_parse_blocks(template), context)
    return out


# --- placeholders -------------------------------------------------------------------------


def fill_text(template: str, line: int, raw: str, scope: Scope) -> str:
    """``raw`` with its placeholders filled, as reportlab paragraph markup.

    The template's own text and every value are XML-escaped; a value's newlines become line
    breaks; `backticks` in the template mark small fixed-looking text (``<code>``).
    """
    try:
        parsed = list(string.Formatter().parse(raw))
    except ValueError as exc:
        hint = f"unbalanced braces ({exc}); write {{{{ or }}}} for a literal brace"
        raise TemplateError(template, line, hint) from exc
    skeleton: list[str] = []
    values: list[str] = []
    for literal, name, spec, conversion in parsed:
        skeleton.append(literal.replace("\x00", ""))
        if name is None:
            continue
        if not NAME_RE.match(name) or spec or conversion:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (":" if spec else "")
            raise TemplateError(
                template, line, f"{shown}...}} is not a plain dotted placeholder", name
            )
        value = _lookup(template, line, scope, name)
        if isinstance(value, list | Mapping):
            what = "a list: repeat it with {#each}" if isinstance(value, list) else "a group"
            raise TemplateError(template, line, f"placeholder {{{name}}} is {what}", name)
        if value is None or not str(value).strip():
            raise TemplateError(
                template,
                line,
                f"placeholder {{{name}}} has no value: fill it in the case, or wrap the line "
                f"in {{#if {name}}} ... {{/if}}",
                name,
            )
        skeleton.append(_SLOT.format(len(values)))
        values.append(str(value))
    _no_doubled_punctuation(skeleton, values)
    values = [escape(v).replace("\r\n", "\n").replace("\n", "<br/>") for v in values]
    text = escape("".join(skeleton))
    if "**" in _SLOT_RE.sub("", text):
        raise TemplateError(template, line, "** (bold) must enclose a whole paragraph or cell")
    text = _CODE_RE.sub(r"<code>\1</code>", text)
    return _SLOT_RE.sub(lambda m: values[int(m.group(1))], text)


#: A value's last mark that gives way to the template's own punctuation right after it
#: ("证据确凿。" + "。" prints one "。"; "（属实。）" prints "（属实）"; an English full stop
#: only gives way to another one). A quoted sentence keeps its own: “不得……。”
_VALUE_ENDS = frozenset("。．.，,；;：:、")
#: The template's marks that take over from it.
_TEMPLATE_GOES_ON = frozenset("。．.，,；;：:、！!？?）)】")


def _no_doubled_punctuation(skeleton: list[str], values: list[str]) -> None:
    """Drop a value's closing mark when the template's text right after it starts with
    punctuation of its own (``skeleton`` alternates literal text and value slots)."""
    for i, part in enumerate(skeleton):
        found = _SLOT_RE.fullmatch(part)
        if found is None:
            continue
        after = next((p for p in skeleton[i + 1 :] if not _SLOT_RE.fullmatch(p)), "")
        if not after or after[0] not in _TEMPLATE_GOES_ON:
            continue
        index = int(found.group(1))
        value = values[index].rstrip()
        if not value or value[-1] not in _VALUE_ENDS or not value[:-1].strip():
            continue
        if value[-1] == "." and after[0] not in ".。":
            continue  # an abbreviation's full stop stays before a comma ("Co., Ltd., ...")
        values[index] = value[:-1]


def fill_meta(template: Template, context: Scope) -> dict[str, str]:
    return {
        key: fill_text(template.name, line, value, context).replace("<br/>", " ")
        for key, (line, value) in template.meta.items()
    }
