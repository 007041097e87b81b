"""The document template language: front matter, blocks, placeholders, {#each}/{#if}."""

from __future__ import annotations

import pytest

from workstation.reports.template_blocks import (
    Cell,
    Heading,
    ListBlock,
    Para,
    Rule,
    TableBlock,
    build_blocks,
)
from workstation.reports.templates import TemplateError, fill_meta, parse_template

CONTEXT: dict[str, object] = {
    "case": {"number": "CW-1", "facts": "A & B <x>\nsecond line", "ref": None, "empty": ""},
    "items": [{"index": "1", "text": "甲"}, {"index": "2", "text": "乙"}],
    "none": [],
}


def blocks(body: str, context: dict[str, object] | None = None) -> list[object]:
    template = parse_template("t.md", "---\ntitle: T {case.number}\n---\n" + body)
    return list(build_blocks(template, CONTEXT if context is None else context))


def error(body: str) -> TemplateError:
    with pytest.raises(TemplateError) as caught:
        blocks(body)
    return caught.value


def test_front_matter() -> None:
    template = parse_template("t.md", "---\ntitle: 通知 {case.number}\nindent: 2\n---\n# x\n")
    assert fill_meta(template, CONTEXT) == {"title": "通知 CW-1", "indent": "2"}
    assert template.lines == ((5, "# x"),)
    with pytest.raises(TemplateError, match="title"):
        parse_template("t.md", "# no front matter\n")
    with pytest.raises(TemplateError, match=r"t\.md, line 2: front matter"):
        parse_template("t.md", "---\ntitel: x\n---\n")
    with pytest.raises(TemplateError, match="never closed"):
        parse_template("t.md", "---\ntitle: x\n")


def test_blocks_and_joining() -> None:
    body = (
        "# 标题\n\n## Section\n\n第一行\n第二行\n\nOne line\nand the next\n\n"
        ">> 公司\n>> 日期\n\n<< 致：\n\n^^ centre\n\n---\n\n**整段加粗**\n"
    )
    assert blocks(body) == [
        Heading(1, "标题"),
        Heading(2, "Section"),
        Para("第一行第二行"),
        Para("One line and the next"),
        Para("公司<br/>日期", align="right"),
        Para("致：", align="left"),
        Para("centre", align="center"),
        Rule(),
        Para("整段加粗", bold=True),
    ]


def test_lists_with_continuations_and_start() -> None:
    body = "- a\n  more\n- b\n\n3. c\n4. d\n"
    assert blocks(body) == [
        ListBlock(("a more", "b"), ordered=False),
        ListBlock(("c", "d"), ordered=True, start=3),
    ]


def test_values_are_escaped_and_keep_their_line_breaks() -> None:
    assert blocks("事实：{case.facts}\n") == [Para("事实：A &amp; B &lt;x&gt;<br/>second line")]
    assert blocks("{{literal}} & <b>\n") == [Para("{literal} &amp; &lt;b&gt;")]
    assert blocks("hash `{case.number}`\n") == [Para("hash <code>CW-1</code>")]


def test_each_if_else_and_not() -> None:
    body = (
        "{#each items as it}\n- {it.index}. {it.text}\n{/each}\n\n"
        "{#each none as n}\n{n.text}\n{#else}\nnothing\n{/each}\n\n"
        "{#if case.ref}\nref {case.ref}\n{#else}\nno ref\n{/if}\n\n"
        "{#if not none}\nempty list\n{/if}\n"
    )
    assert blocks(body) == [
        ListBlock(("1. 甲", "2. 乙"), ordered=False),
        Para("nothing"),
        Para("no ref"),
        Para("empty list"),
    ]


def test_tables() -> None:
    body = (
        "| No. | Text \\| more |\n|--|------|\n{#each items as it}\n| {it.index} | {it.text} |\n"
        "{/each}\n| **Total** | < |\n"
    )
    [table] = blocks(body)
    assert isinstance(table, TableBlock)
    assert table.header_rows == 1
    assert table.widths == pytest.approx((2 / 8, 6 / 8))
    assert table.rows[0] == (Cell("No."), Cell("Text | more"))
    assert table.rows[1] == (Cell("1"), Cell("甲"))
    assert table.rows[-1] == (Cell("Total", bold=True), Cell("", merged=True))
    [form] = blocks("|---|---|\n| **a** | b |\n")
    assert isinstance(form, TableBlock) and form.header_rows == 0


def test_a_cell_merged_into_the_one_above() -> None:
    body = (
        "| No. | Text | Kind |\n|--|----|--|\n{#each items as it}\n| {it.index} | {it.text} | k |\n"
        "| ^ | hash `{it.index}` | < |\n{/each}\n"
    )
    [table] = blocks(body)
    assert isinstance(table, TableBlock) and len(table.rows) == 5
    assert table.rows[2] == (
        Cell("", merged_up=True),
        Cell("hash <code>1</code>"),
        Cell("", merged=True),
    )


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("x\n{case.nmber}\n", 5, "unknown placeholder {case.nmber}; known here: case.empty"),
        ("{case.ref}\n", 4, "{case.ref} has no value"),
        ("{case.empty}\n", 4, "{case.empty} has no value"),
        ("{items}\n", 4, "is a list"),
        ("{case}\n", 4, "is a group"),
        ("{case.number:>9}\n", 4, "not a plain dotted placeholder"),
        ("{case.number!r}\n", 4, "not a plain dotted placeholder"),
        ("{items[0]}\n", 4, "not a plain dotted placeholder"),
        ("{}\n", 4, "not a plain dotted placeholder"),
        ("a } b\n", 4, "unbalanced braces"),
        ("a **b** c\n", 4, "bold"),
        ("\n{#each items as it}\n{it.text}\n", 5, "{#each} is never closed"),
        ("{/if}\n", 4, "does not close a block"),
        ("{#each case as c}\n{/each}\n", 4, "is not a list"),
        ("{#for x}\n", 4, "cannot read the block line"),
        ("| a | b |\n| c |\n", 4, "table rows need 2 cells"),
        ("| < | b |\n", 4, "cannot start with <"),
        ("| a |\n|--|\n| ^ |\n", 6, "^ needs a body row above it"),
    ],
)
def test_errors_name_the_template_and_line(body: str, line: int, words: str) -> None:
    caught = error(body)
    assert caught.template == "t.md" and caught.line == line
    assert str(caught).startswith(f"t.md, line {line}: ")
    assert words in str(caught)


def test_an_error_carries_the_placeholder() -> None:
    assert error("{case.nmber}\n").placeholder == "case.nmber"
    assert error("{case.ref}\n").placeholder == "case.ref"
