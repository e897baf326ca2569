"""Strict checks of the generated op references, shared by the docs tests.

The HTML is written as XHTML-compatible HTML5, so it is parsed with lxml.etree as XML (a stray
`<`, an unclosed element or an undefined entity fails the parse); the Markdown is parsed with
markdown-it-py (CommonMark plus GFM tables) into tokens.
"""

from __future__ import annotations

import re

from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token

XHTML = "http://www.w3.org/1999/xhtml"
NS = {"h": XHTML}


def parse_html(content: bytes) -> etree._Element:
    """The document's root, after the checks every reference must pass."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.fromstring(content, parser)
    assert root.tag == f"{{{XHTML}}}html"
    ids = [e.get("id") for e in root.iter() if e.get("id") is not None]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for a in root.iterfind(".//h:a", NS):
        href = a.get("href")
        assert href is not None
        if href.startswith("#"):
            assert href[1:] in ids, f"dangling link {href}"
        else:  # only a reference's own http(s) url may leave the page
            assert href.startswith(("https://", "http://")), href
    # Self-contained: nothing to load, nothing to run.
    for tag in ("script", "link", "img", "iframe", "object", "embed"):
        assert root.find(f".//h:{tag}", NS) is None, tag
    for element in root.iter():
        assert not any(k.startswith("on") for k in element.attrib), element.tag
        assert element.get("src") is None and element.get("style") is None
    return root


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


MARKDOWN = MarkdownIt("commonmark").enable("table")


ANCHOR = re.compile(r'<a id="op-[A-Za-z0-9_-]+">|</a>')


def parse_markdown(text: str) -> list[Token]:
    """The block tokens; no raw HTML reaches them but opgen's own `<a id>` anchors."""
    tokens = MARKDOWN.parse(text)
    for token in tokens:
        assert token.type != "html_block", token.content
        for child in token.children or ():
            if child.type == "html_inline":
                assert ANCHOR.fullmatch(child.content), child.content
    return tokens


def table_rows(tokens: list[Token]) -> list[list[str]]:
    """Every table row (header rows too) as the plain text of its cells."""
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows and token.level >= 4:
            rows[-1].append(inline_text(token))
        elif token.type == "table_close":
            rows.append([])  # a separator between tables
    return rows


def inline_text(token: Token) -> str:
    """An inline token's text as a reader sees it (text and code spans, breaks as spaces)."""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)
