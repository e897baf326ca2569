"""The one escaping layer: config text reaches a generated file only through these functions.

A config may say anything in its free text (descriptions, enumeration labels, default texts,
its own file name). Backends wrap such text in `FreeText`, which refuses to become a plain
string: `str()`, f-strings and Jinja's own output all raise. Templates can only write it through
an escaping filter, one per target context (`ESCAPERS`, registered in opgen/render.py), and each
filter returns text that cannot leave its context: a comment stays one comment line, a string
literal stays one literal. Names (package, op, tensor, parameter) are not free text: the config
checks make them identifiers before any backend sees them.

Comment escapes are visible and unambiguous (`\\n`, `\\\\`, `\\u2028`), so a reader of the
generated file still sees what the config said. To add a context, write
its function here, add it to `ESCAPERS`, and give it a unit test in tests/generate/test_escaping.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass


class UnescapedTextError(TypeError):
    """Free text was about to be written without an escaper: a bug in a backend or template."""


@dataclass(frozen=True)
class FreeText:
    """Text from a config that may contain anything; write it only through an escaper."""

    raw: str

    def __str__(self) -> str:
        raise self.unescaped()

    def unescaped(self) -> UnescapedTextError:
        """The error for writing this text raw, naming the filters that would escape it."""
        return UnescapedTextError(
            f"free text {self.raw!r} reached generated output without an escaping filter "
            f"(one of: {', '.join(sorted(ESCAPERS))})"
        )

    def __format__(self, spec: str) -> str:
        return str(self)

    def __add__(self, other: FreeText | str) -> FreeText:
        return FreeText(self.raw + _raw(other))

    def __radd__(self, other: str) -> FreeText:
        return FreeText(other + self.raw)

    @staticmethod
    def join(separator: str, parts: Iterable[FreeText | str]) -> FreeText:
        return FreeText(separator.join(_raw(p) for p in parts))


Text = FreeText | str
"""What an escaper accepts: free text, or a name the config checks already made an identifier."""


def _raw(text: Text) -> str:
    return text.raw if isinstance(text, FreeText) else text


# ---- comments --------------------------------------------------------------------------------

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _needs_escape(char: str, ascii_only: bool) -> bool:
    """Controls, format characters (bidirectional overrides, BOM, ...), surrogates (undecodable
    bytes of a file name), unassigned code points and every character that some tool treats as
    a line break (Python's splitlines, editors: U+2028, U+0085, ...)."""
    if char == "\\":
        return True
    if ascii_only and ord(char) > 0x7E:
        return True
    category = unicodedata.category(char)
    return category[0] == "C" or category in ("Zl", "Zp")


def _plain(raw: str) -> bool:
    """True when no character of `raw` needs an escape: printable ASCII (U+0020..U+007E, where
    no category is C, Zl or Zp) without a backslash. A shortcut for `_needs_escape`, not a rule."""
    return raw.isascii() and raw.isprintable() and "\\" not in raw


def _visible(char: str) -> str:
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if code < 0x100:
        return f"\\x{code:02X}"
    if code < 0x10000:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def _comment_body(text: Text, ascii_only: bool, extra: dict[str, str]) -> str:
    """`text` on one line, every risky character as a visible escape, never ending in a
    backslash (a trailing backslash would splice the next line into the comment in C, C++,
    OpenCL and Make alike)."""
    raw = _raw(text)
    if _plain(raw) and not any(char in raw for char in extra):
        return raw  # the common case: printable ASCII without a backslash needs nothing
    out = []
    for char in raw:
        if char in extra:
            out.append(extra[char])
        elif _needs_escape(char, ascii_only):
            out.append(_visible(char))
        else:
            out.append(char)
    if raw.endswith("\\"):
        out[-1] = "\\x5C"
    return "".join(out)


def terminal_text(text: Text) -> str:
    """Text for one line of a message on a terminal (diagnostics quote config text): line breaks,
    controls (ANSI escape sequences included) and invisible characters as visible escapes."""
    raw = _raw(text)
    if raw.isascii() and raw.isprintable():
        return raw
    return "".join(
        _visible(c) if c != "\\" and _needs_escape(c, ascii_only=False) else c for c in raw
    )


_TRIGRAPH = re.compile(r"\?(?=\?)")


def c_line_comment(text: Text) -> str:
    """Text for the inside of a C or C++ `//` comment. Besides line breaks and trailing
    backslashes, `??` is broken up (`?\\?`): with trigraphs enabled `??/` is a backslash."""
    return _TRIGRAPH.sub("?\\\\", _comment_body(text, ascii_only=False, extra={}))


def c_block_comment(text: Text) -> str:
    """Text for the inside of a C or C++ `/* */` comment: as a line comment, and neither `*/`
    (which would end it) nor `/*` (which -Wcomment reports) survives."""
    return c_line_comment(text).replace("*/", "*\\/").replace("/*", "/\\*")


def opencl_comment(text: Text) -> str:
    """Text for the inside of an OpenCL C `//` comment. ASCII only (device compilers differ on
    other source characters), and `"` is escaped: the build embeds each kernel file in a C++
    raw string literal that ends with `)opgen_cl"`."""
    body = _comment_body(text, ascii_only=True, extra={'"': '\\"'})
    return _TRIGRAPH.sub("?\\\\", body)


def make_comment(text: Text) -> str:
    """Text for the inside of a Make `#` comment (GNU make, ndk-build). A backslash-newline
    would continue the comment; `$` is doubled so the text stays inert even where make expands
    it (inside `define`, or if the line ever moves into a recipe)."""
    return _comment_body(text, ascii_only=False, extra={"$": "$$"})


_BRACKET = re.compile(r"\[(?=\[)")


def cmake_comment(text: Text) -> str:
    """Text for the inside of a CMake `#` line comment: the Make rules, which also keep `$` and
    `[[` (a bracket comment needs `#[[` at the start) inert."""
    return _BRACKET.sub("[\\\\", make_comment(text))


# ---- literals --------------------------------------------------------------------------------


def c_string_literal(text: Text) -> str:
    """`text` as a double-quoted C/C++ string literal of its UTF-8 bytes: quotes, backslashes,
    `?` (trigraphs) and every byte outside printable ASCII as three-digit octal escapes, which
    cannot run into a following digit."""
    out = []
    raw = _raw(text)
    try:  # a file name's undecodable bytes come back as themselves
        data = raw.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        data = raw.encode("utf-8", "surrogatepass")
    for byte in data:
        char = chr(byte)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= byte < 0x7F and char != "?":
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return '"' + "".join(out) + '"'


# ---- file names ------------------------------------------------------------------------------

_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]")
FILE_STEM_LIMIT = 100


def file_stem(name: str) -> str:
    """A file-name stem from any text: ASCII letters, digits, `_`, `-` and `.` only (anything
    else becomes `_`), not starting with `.` or `-`, at most FILE_STEM_LIMIT characters. Safe
    on every file system, in a Makefile, in a shell word and in a manifest."""
    stem = _UNSAFE_IN_FILE_NAME.sub("_", name)[:FILE_STEM_LIMIT]
    if not stem or stem[0] in ".-":
        stem = "_" + stem[: FILE_STEM_LIMIT - 1]
    return stem


# ---- documents (opgen docs) ------------------------------------------------------------------
# Docs show config text to a reader, so invisible and illegal characters become visible escapes
# (`\\u202E`) rather than disappearing; a backslash stays a backslash (display, not round trip).

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}


def _shown(char: str, keep: str) -> str:
    """`char` itself, or its visible escape when no reader should get it raw: controls (but
    those in `keep`), format characters (bidirectional overrides, ...), surrogates, unassigned
    code points, line separators and the noncharacters U+FFFE/U+FFFF, which XML forbids."""
    if char in keep or char == "\\":
        return char
    if _needs_escape(char, ascii_only=False) or char in "\ufffe\uffff":
        return _visible(char)
    return char


def html_text(text: Text) -> str:
    """Text for HTML or XHTML character data or a quoted attribute value: `& < > " '` as
    references, line breaks as `\\n` (as an XML parser reads them), and the text stays
    well-formed XML (no other control, nor a noncharacter, survives)."""
    raw = _raw(text)
    if _plain(raw) and not any(c in raw for c in _HTML):
        return raw
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(_HTML.get(c) or _shown(c, "\n\t") for c in raw)


_WHITESPACE = re.compile(r"[ \t\n\r\f\v\x1c-\x1f\x85\u2028\u2029]+")
# Every ASCII punctuation character Markdown (CommonMark, GFM, common extensions such as
# `$` math and `{{ }}` macros) gives a meaning to anywhere in a line; CommonMark lets any
# ASCII punctuation be backslash-escaped. `(` and `)` matter only after `]`, which is escaped.
_MARKDOWN_SPECIAL = frozenset("\\`*_[]<>|#~&!{}$")
# A list item (`- `, `+ `, `1. `, `1) `), a thematic break or a setext underline (`- - -`, `===`).
_MARKDOWN_LINE_START = re.compile(r"[-+](?= |$)|\d{1,9}[.)](?= |$)|[-=](?=[-= ]*$)")


def markdown_text(text: Text) -> str:
    """Text for one Markdown paragraph or one GFM table cell: whitespace runs (line breaks
    too) become one space, so the text stays on its line; the characters that could start
    markup (emphasis, code, links, HTML, tables, headings, ...) are backslash-escaped, and a
    start that would open a list or a heading underline is too."""
    raw = _WHITESPACE.sub(" ", _raw(text)).strip(" ")
    out = [("\\" + c) if c in _MARKDOWN_SPECIAL else _shown(c, "") for c in raw]
    lead = _MARKDOWN_LINE_START.match(raw)
    if lead is not None:
        end = lead.end() - 1
        out[end] = "\\" + out[end]
    return "".join(out)


_BACKTICKS = re.compile(r"`+")


def markdown_code_block(text: Text) -> str:
    """`text` as a fenced Markdown code block (nothing inside is markup): the fence is longer
    than any run of backticks in the text; its lines are kept, other controls made visible."""
    raw = _raw(text).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    fence = "`" * max(3, 1 + max((len(m) for m in _BACKTICKS.findall(raw)), default=0))
    body = "".join(_shown(c, "\n\t") for c in raw)
    return f"{fence}\n{body}\n{fence}"


# ---- the registry ----------------------------------------------------------------------------

ESCAPERS: dict[str, Callable[[Text], str]] = {
    "c_comment": c_line_comment,
    "c_block_comment": c_block_comment,
    "opencl_comment": opencl_comment,
    "make_comment": make_comment,
    "cmake_comment": cmake_comment,
    "c_string": c_string_literal,
    "html": html_text,
    "markdown": markdown_text,
    "markdown_code": markdown_code_block,
}
"""Jinja filter name -> escaper. The only filters a template may apply to free text."""
