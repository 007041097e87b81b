"""Turn a template's expanded lines into filled blocks: headings, paragraphs, lists, tables.

Block syntax is read from the template's own text *before* placeholders are filled, so a
value that starts with ``-`` or holds a ``|`` never becomes a list or breaks a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workstation.reports.templates import Scope, Template, TemplateError, expand, fill_text

_HEADING_RE = re.compile(r"^(#{1,3})\s+(.*)$")
_BULLET_RE = re.compile(r"^[-*]\s+(.*)$")
_NUMBERED_RE = re.compile(r"^(\d+)[.)]\s+(.*)$")
_SEPARATOR_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_RULE_RE = re.compile(r"^-{3,}$")
#: Paragraph markers: right-aligned, centred, flush left (never indented).
_ALIGN_MARKERS = {">>": "right", "^^": "center", "<<": "left"}


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    #: justify (body text) | left (``<<``) | right (``>>``) | center (``^^``)
    align: str = "justify"
    bold: bool = False


@dataclass(frozen=True)
class ListBlock:
    items: tuple[str, ...]
    ordered: bool
    start: int = 1


@dataclass(frozen=True)
class Cell:
    text: str
    bold: bool = False
    #: Written ``<``: this cell is merged into the one on its left.
    merged: bool = False
    #: Written ``^``: this cell is merged into the one above it (the rows then stay together
    #: on one page).
    merged_up: bool = False


@dataclass(frozen=True)
class TableBlock:
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int
    #: Relative column widths (from the dashes of the separator row), summing to 1.
    widths: tuple[float, ...]


@dataclass(frozen=True)
class Rule:
    pass


Block = Heading | Para | ListBlock | TableBlock | Rule


def _is_cjk(char: str) -> bool:
    return ord(char) >= 0x2E80


def join_lines(parts: list[str]) -> str:
    """Join a paragraph's lines: no space between Chinese text, one space otherwise; a line
    ending in a backslash keeps its line break."""
    text = ""
    for part in parts:
        if not text:
            text = part
        elif text.endswith("<br/>") or _is_cjk(text[-1]) or (part and _is_cjk(part[0])):
            text += part
        else:
            text += " " + part
    return text


def _unbold(raw: str) -> tuple[str, bool]:
    stripped = raw.strip()
    if len(stripped) > 4 and stripped.startswith("**") and stripped.endswith("**"):
        return stripped[2:-2].strip(), True
    return stripped, False


def _split_cells(raw: str) -> list[str]:
    body = raw.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = re.split(r"(?<!\\)\|", body)
    return [cell.replace("\\|", "|").strip() for cell in cells]


class _Builder:
    def __init__(self, template: Template) -> None:
        self.name = template.name
        self.blocks: list[Block] = []
        self.kind = ""  # para | list | table | marker
        self.lines: list[tuple[int, str, Scope]] = []

    def fill(self, line: int, raw: str, scope: Scope) -> str:
        text = raw.rstrip()
        hard_break = text.endswith("\\")
        filled = fill_text(self.name, line, text[:-1].rstrip() if hard_break else text, scope)
        return filled + "<br/>" if hard_break else filled

    def flush(self) -> None:
        lines, kind = self.lines, self.kind
        self.lines, self.kind = [], ""
        if not lines:
            return
        if kind == "para":
            raw = " ".join(text.strip() for _, text, _ in lines)
            _, bold = _unbold(raw)
            if bold:  # drop the ** opening the first line and closing the last
                number, text, scope = lines[0]
                lines[0] = (number, text.strip()[2:], scope)
                number, text, scope = lines[-1]
                lines[-1] = (number, text.strip()[:-2], scope)
            text = join_lines([self.fill(n, t.strip(), s) for n, t, s in lines])
            self.blocks.append(Para(text.removesuffix("<br/>"), bold=bold))
        elif kind.startswith("marker"):
            align = _ALIGN_MARKERS[kind[-2:]]
            parts = [self.fill(n, t.strip()[2:].strip(), s) for n, t, s in lines]
            self.blocks.append(Para("<br/>".join(parts), align=align))
        elif kind in ("bullet", "numbered"):
            self._flush_list(lines, ordered=kind == "numbered")
        elif kind == "table":
            self._flush_table(lines)

    def _flush_list(self, lines: list[tuple[int, str, Scope]], ordered: bool) -> None:
        items: list[list[str]] = []
        start = 1
        for number, text, scope in lines:
            stripped = text.strip()
            match = (_NUMBERED_RE if ordered else _BULLET_RE).match(stripped)
            if match:
                if not items and ordered:
                    start = int(match.group(1))
                items.append([self.fill(number, match.groups()[-1], scope)])
            else:
                items[-1].append(self.fill(number, stripped, scope))
        self.blocks.append(ListBlock(tuple(join_lines(i) for i in items), ordered, start))

    def _flush_table(self, lines: list[tuple[int, str, Scope]]) -> None:
        rows: list[tuple[Cell, ...]] = []
        header_rows = 0
        widths: list[float] | None = None
        for number, text, scope in lines:
            if _SEPARATOR_RE.match(text.strip()):
                if widths is not None:
                    raise TemplateError(self.name, number, "a table has one separator row")
                widths = [float(cell.count("-")) for cell in _split_cells(text)]
                header_rows = len(rows)
                continue
            cells: list[Cell] = []
            for raw in _split_cells(text):
                if raw == "<":
                    if not cells:
                        raise TemplateError(self.name, number, "a row cannot start with <")
                    cells.append(Cell("", merged=True))
                    continue
                if raw == "^":
                    if len(rows) <= header_rows:
                        raise TemplateError(
                            self.name, number, "^ needs a body row above it in the table"
                        )
                    cells.append(Cell("", merged_up=True))
                    continue
                inner, bold = _unbold(raw)
                cells.append(Cell(self.fill(number, inner, scope) if inner else "", bold))
            rows.append(tuple(cells))
        first_line = lines[0][0]
        columns = len(widths) if widths else max((len(r) for r in rows), default=0)
        for row in rows:
            if len(row) != columns:
                raise TemplateError(
                    self.name, first_line, f"table rows need {columns} cells, one has {len(row)}"
                )
        if not rows:
            return
        weights = widths or [1.0] * columns
        total = sum(weights)
        self.blocks.append(TableBlock(tuple(rows), header_rows, tuple(w / total for w in weights)))

    def add(self, line: int, raw: str, scope: Scope) -> None:
        stripped = raw.strip()
        if not stripped:
            self.flush()
            return
        if self.kind == "table" and stripped.startswith("|"):
            self.lines.append((line, raw, scope))
            return
        if self.kind in ("bullet", "numbered") and raw.startswith((" ", "\t")):
            self.lines.append((line, raw, scope))  # an item's continuation line
            return
        marker = stripped[:2]
        if heading := _HEADING_RE.match(stripped):
            self.flush()
            text = self.fill(line, heading.group(2), scope).removesuffix("<br/>")
            self.blocks.append(Heading(len(heading.group(1)), text))
            return
        if _RULE_RE.match(stripped):
            self.flush()
            self.blocks.append(Rule())
            return
        if stripped.startswith("|"):
            kind = "table"
        elif _BULLET_RE.match(stripped):
            kind = "bullet"
        elif _NUMBERED_RE.match(stripped):
            kind = "numbered"
        elif marker in _ALIGN_MARKERS and (len(stripped) == 2 or stripped[2] == " "):
            kind = "marker" + marker
        else:
            kind = "para"
        if kind != self.kind:
            self.flush()
        self.kind = kind
        self.lines.append((line, raw, scope))


def build_blocks(template: Template, context: Scope) -> list[Block]:
    """The template's body, filled from ``context``, as blocks ready to lay out."""
    builder = _Builder(template)
    for line, raw, scope in expand(template, context):
        builder.add(line, raw, scope)
    builder.flush()
    return builder.blocks
