"""The document escapers of opgen/escaping.py (`html`, `markdown`, `markdown_code`): whatever the
text, what a parser reads back is the text itself, in the one element or cell it was put in."""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import nodes
from lxml import etree

from opgen import escaping
from opgen.docs import TEMPLATES, context
from opgen.escaping import FreeText, html_text, markdown_code_block, markdown_text
from opgen.render import make_environment
from opgen.resources import templates_dir
from tests.docs.checks import MARKDOWN, inline_text

PIECES = [
    "<", ">", "&", "&amp;", "&#60;", '"', "'", "|", "\\|", "`", "```", "*", "_", "**", "~~",
    "[", "]", "](", "![x](y)", "<script>", "</td>", "<!--", "]]>", "{{", "}}", "{%", "$", "$$",
    "#", "# ", "- ", "+ ", "1. ", "2) ", "---", "===", "> ", "    ", "\\", "\n", "\r\n", "\t",
    "\u2028", "é", "\U0001f600", "a", "0", " ",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)
WHITESPACE = re.compile(r"[ \t\n\r\f\v\u2028]+")


def collapsed(text: str) -> str:
    return WHITESPACE.sub(" ", text).strip(" ")


@settings(max_examples=300, deadline=None)
@given(texts)
def test_html_text_is_exactly_one_text_node_and_attribute(text: str) -> None:
    element = etree.fromstring(f'<p title="{html_text(text)}">{html_text(text)}</p>')
    assert len(element) == 0
    shown = re.sub("\r\n?", "\n", text).replace("\u2028", "\\u2028")  # a visible escape
    assert element.text == (shown or None)
    # XML attribute-value normalization turns each line break and tab into a space.
    assert element.get("title") == re.sub("[\n\t]", " ", shown)


def test_html_text_makes_illegal_and_invisible_characters_visible() -> None:
    assert html_text("a\x00b\x1b[31m\ufffe\u202e\udcff") == "a\\x00b\\x1B[31m\\uFFFE\\u202E\\uDCFF"
    etree.fromstring(f"<p>{html_text(''.join(map(chr, range(0x20))))}</p>")


@settings(max_examples=300, deadline=None)
@given(texts)
def test_markdown_text_stays_in_its_table_cell(text: str) -> None:
    tokens = MARKDOWN.parse(
        f"| {markdown_text(text)} | x |\n|---|---|\n| {markdown_text(text)} | y |\n"
    )
    cells = [inline_text(t) for t in tokens if t.type == "inline"]
    assert cells == [collapsed(text), "x", collapsed(text), "y"]
    assert all(
        c.type in ("text", "code_inline", "softbreak") for t in tokens for c in t.children or ()
    )
    assert [c.type for t in tokens if t.type == "inline" for c in t.children or ()].count(
        "code_inline"
    ) == 0


@settings(max_examples=300, deadline=None)
@given(texts)
def test_markdown_text_is_one_plain_paragraph(text: str) -> None:
    tokens = MARKDOWN.parse(f"before\n\n{markdown_text(text)}\n\nafter\n")
    blocks = [t.type for t in tokens if t.nesting >= 0 and t.type != "inline"]
    inlines = [inline_text(t) for t in tokens if t.type == "inline"]
    if collapsed(text):
        assert blocks == ["paragraph_open"] * 3 and inlines == ["before", collapsed(text), "after"]
    else:
        assert inlines == ["before", "after"]
    assert all(c.type == "text" for t in tokens for c in t.children or ())


@settings(max_examples=300, deadline=None)
@given(texts)
def test_markdown_code_block_holds_the_text(text: str) -> None:
    body = re.sub("\r\n?", "\n", text).strip("\n").replace("\u2028", "\\u2028")
    tokens = MARKDOWN.parse(f"{markdown_code_block(text)}\n\nafter\n")
    assert [t.type for t in tokens][:1] == ["fence"]
    assert tokens[0].content == body + "\n"
    assert inline_text(tokens[-2]) == "after"


def test_markdown_examples() -> None:
    assert markdown_text("a | b\n`c`") == "a \\| b \\`c\\`"
    assert markdown_text("- item") == "\\- item"
    assert markdown_text("12. x") == "12\\. x"
    assert markdown_text("1.5 and -1") == "1.5 and -1"
    assert markdown_text("= like(in[0])") == "= like(in\\[0\\])"
    assert markdown_code_block("a ``` b") == "````\na ``` b\n````"


@pytest.mark.parametrize("name", ["html", "markdown", "markdown_code"])
def test_registered_as_filters_of_the_one_environment(name: str) -> None:
    env = make_environment()
    assert env.filters[name] is escaping.ESCAPERS[name]
    rendered = env.from_string(f"{{{{ t|{name} }}}}").render(t=escaping.FreeText("<x>"))
    assert rendered == escaping.ESCAPERS[name]("<x>")
    with pytest.raises(escaping.UnescapedTextError):
        env.from_string("{{ t }}").render(t=escaping.FreeText("<x>"))


def docs_free_text_fields() -> set[str]:
    fields = set()
    for _, cls in inspect.getmembers(context, dataclasses.is_dataclass):
        hints = typing.get_type_hints(cls)
        for field in dataclasses.fields(cls):
            if FreeText in {hints[field.name], *typing.get_args(hints[field.name])}:
                fields.add(field.name)
    return fields


def unescaped_output(source: str, fields: set[str]) -> list[str]:
    """Free-text fields a `{{ ... }}` writes without an escaping filter (tests such as
    `{% if x.text is not none %}` print nothing and are not looked at)."""
    found = []
    for output in make_environment().parse(source).find_all(nodes.Output):
        escaped: set[int] = set()
        for node in output.find_all(nodes.Filter):
            if node.name in escaping.ESCAPERS and node.node is not None:
                escaped.add(id(node.node))
        for node in output.find_all(nodes.Getattr):
            if node.attr == "raw" or (node.attr in fields and id(node) not in escaped):
                found.append(f"line {node.lineno}: {node.attr}")
    return found


@pytest.mark.parametrize("template", sorted(TEMPLATES.values()))
def test_docs_templates_escape_every_free_text_field(template: str) -> None:
    source = (templates_dir() / template).read_text("utf-8")
    fields = docs_free_text_fields()
    assert {"name", "text", "summary", "shape", "default", "code", "url"} <= fields
    assert not unescaped_output(source, fields)
    # The scan catches a regression.
    found = unescaped_output("{{ op.summary }} {{ b.text|lower }} {{ x.name.raw|html }}", fields)
    assert sorted(found) == ["line 1: name", "line 1: raw", "line 1: summary", "line 1: text"]


def test_the_html_template_writes_every_value_through_the_html_filter() -> None:
    template = TEMPLATES[".html"]
    tree = make_environment().parse((templates_dir() / template).read_text("utf-8"))
    macros = {m.name for m in tree.find_all(nodes.Macro)}
    for output in tree.find_all(nodes.Output):
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                continue
            if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
                assert node.node.name in macros, node.lineno
                continue
            assert isinstance(node, nodes.Filter) and node.name == "html", node.lineno
