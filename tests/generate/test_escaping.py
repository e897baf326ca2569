"""The escaping layer (opgen/escaping.py): each escaper keeps any text inside its context, the
escapes are unambiguous (they decode back to the text), and compilers agree: escaped comments
swallow no code and escaped literals hold exactly the text's bytes, under g++ and clang++ with
trigraphs enabled."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opgen import escaping, naming
from opgen.escaping import FreeText, UnescapedTextError

# Pieces that broke out of a context somewhere, mixed with arbitrary code points (surrogates
# included: undecodable bytes of a file name arrive as lone surrogates).
HOSTILE = [
    "\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c", "\x00", "\x7f",
    "\\", "\\\n", "*/", "/*", "??/", "??=", "???", "$(", "$$", "$(shell touch PWNED)",
    "`touch PWNED`", '"', "'", ')opgen_cl"', "#include <cstdlib>", "\t", "[[", "#[[",
    "\u202e", "\ufeff", "\u200d", "\U0001f600", "\udcff", "é", "\u0301",
]  # fmt: skip
texts = st.lists(
    st.sampled_from(HOSTILE) | st.text(st.characters(codec=None), max_size=4), max_size=12
).map("".join)

LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def decode(escaped: str, extra: dict[str, str]) -> str:
    """The inverse of the comment escapes: `\\n`, `\\\\`, `\\xHH`, `\\uHHHH`, `\\UHHHHHHHH`,
    `\\?`, `\\/`, `\\*`, `\\[`, `\\"` and any context-specific pairs in `extra`."""
    named = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "?": "?", "/": "/", "*": "*"}
    named |= {"[": "[", '"': '"'}
    out, i = [], 0
    while i < len(escaped):
        pair = escaped[i : i + 2]
        if pair in extra:
            out.append(extra[pair])
            i += 2
        elif escaped[i] != "\\":
            out.append(escaped[i])
            i += 1
        elif escaped[i + 1] in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[escaped[i + 1]]
            out.append(chr(int(escaped[i + 2 : i + 2 + width], 16)))
            i += 2 + width
        else:
            out.append(named[escaped[i + 1]])
            i += 2
    return "".join(out)


def assert_one_safe_line(body: str) -> None:
    assert not LINE_BREAKS.search(body)
    assert len(("// " + body + "\n").splitlines()) == 1
    assert not body.endswith("\\")
    assert not any(escaping.unicodedata.category(c)[0] == "C" or c in "\u2028\u2029" for c in body)


@given(texts)
@settings(max_examples=400)
def test_c_comment_is_one_line_without_trigraphs_and_decodes(text: str) -> None:
    body = escaping.c_line_comment(FreeText(text))
    assert_one_safe_line(body)
    assert "??" not in body
    assert decode(body, {}) == text


@given(texts)
@settings(max_examples=300)
def test_block_comment_cannot_end_or_nest(text: str) -> None:
    body = escaping.c_block_comment(text)
    assert_one_safe_line(body)
    assert "*/" not in body and "/*" not in body and "??" not in body
    assert decode(body, {}) == text


@given(texts)
@settings(max_examples=300)
def test_opencl_comment_is_printable_ascii_and_cannot_end_the_embedding(text: str) -> None:
    body = escaping.opencl_comment(FreeText(text))
    assert_one_safe_line(body)
    assert all(0x20 <= ord(c) < 0x7F for c in body)
    assert ')opgen_cl"' not in body and "??" not in body
    assert decode(body, {}) == text


@given(texts)
@settings(max_examples=300)
def test_make_comment_has_no_live_dollar_and_decodes(text: str) -> None:
    body = escaping.make_comment(FreeText(text))
    assert_one_safe_line(body)
    assert "$" not in body.replace("$$", "")
    assert decode(body, {"$$": "$"}) == text


@given(texts)
@settings(max_examples=200)
def test_cmake_comment_opens_no_bracket_comment(text: str) -> None:
    body = escaping.cmake_comment(FreeText(text))
    assert_one_safe_line(body)
    assert "[[" not in body
    assert decode(body, {"$$": "$"}) == text


def c_literal_bytes(literal: str) -> bytes:
    assert literal[0] == literal[-1] == '"'
    body = literal[1:-1]
    assert re.fullmatch(r'(?:[ -!#->@-\[\]-~]|\\["\\]|\\[0-7]{3})*', body), body
    return re.sub(
        r'\\([0-7]{3}|["\\])',
        lambda m: chr(int(m[1], 8)) if len(m[1]) == 3 else m[1],
        body,
    ).encode("latin-1")


@given(texts)
@settings(max_examples=300)
def test_c_string_literal_holds_exactly_the_utf8_bytes(text: str) -> None:
    literal = escaping.c_string_literal(FreeText(text))
    try:
        expected = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        expected = text.encode("utf-8", "surrogatepass")
    assert c_literal_bytes(literal) == expected


def test_naming_reexports_the_one_string_literal_implementation() -> None:
    assert naming.c_string_literal is escaping.c_string_literal


@pytest.mark.parametrize(
    ("raw", "stem"),
    [
        ("ops", "ops"),
        ("my ops (v2)", "my_ops__v2_"),
        ("x\n$(shell touch PWNED)\n#", "x___shell_touch_PWNED___"),
        ("ünï", "_n_"),
        (".hidden", "_.hidden"),
        ("-rf", "_-rf"),
        ("", "_"),
        ("a" * 300, "a" * escaping.FILE_STEM_LIMIT),
    ],
)
def test_file_stem_is_safe_anywhere(raw: str, stem: str) -> None:
    assert escaping.file_stem(raw) == stem


def test_free_text_refuses_every_way_to_become_a_plain_string() -> None:
    text = FreeText("label\nrest")
    with pytest.raises(UnescapedTextError, match="c_comment"):
        str(text)
    with pytest.raises(UnescapedTextError):
        f"{text}"
    with pytest.raises(UnescapedTextError):
        "".join(["-", format(text)])
    assert (text + "!").raw == "label\nrest!"
    assert ("¡" + text).raw == "¡label\nrest"
    assert FreeText.join("; ", ["a", text]).raw == "a; label\nrest"


# ---- what compilers make of it ---------------------------------------------------------------

COMPILERS = [
    "g++",
    pytest.param(
        "clang++",
        marks=pytest.mark.skipif(shutil.which("clang++") is None, reason="clang++ not installed"),
    ),
]


@pytest.mark.parametrize("cxx", COMPILERS)
def test_compilers_see_one_comment_and_the_exact_literal(cxx: str, tmp_path: Path) -> None:
    """Each hostile piece (and all of them at once) in a line comment, a block comment and a
    string literal, each comment followed by a statement that must still run. Trigraphs are on,
    so a surviving `??/` would splice lines."""
    samples = [*HOSTILE, "".join(HOSTILE), "ends in a backslash\\", "a\\\\"]
    lines = ["#include <cstdio>", "#include <cstring>", "int main() {", "  int seen = 0;"]
    for i, text in enumerate(samples):
        lines += [
            f"  // {escaping.c_line_comment(FreeText(text))}",
            "  ++seen;",
            f"  /* {escaping.c_block_comment(FreeText(text))} */ ++seen;",
            f"  static const char s{i}[] = {escaping.c_string_literal(FreeText(text))};",
            f'  for (unsigned char c : s{i}) std::printf("%02x", c);',
            '  std::printf("\\n");',
        ]
    lines += ['  std::printf("%d\\n", seen);', "  return 0;", "}", ""]
    source = tmp_path / "t.cpp"
    source.write_text("\n".join(lines), encoding="utf-8")
    flags = ["-std=c++17", "-trigraphs", "-Wall", "-Wextra", "-Werror"]
    if cxx == "g++":
        flags.append("-Wtrigraphs")
    build = subprocess.run(
        [cxx, *flags, "-o", str(tmp_path / "t"), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert build.returncode == 0, build.stderr
    run = subprocess.run([str(tmp_path / "t")], capture_output=True, text=True, timeout=60)
    *literals, seen = run.stdout.splitlines()
    assert int(seen) == 2 * len(samples)
    for text, hexed in zip(samples, literals, strict=True):
        try:
            expected = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            expected = text.encode("utf-8", "surrogatepass")
        assert bytes.fromhex(hexed) == expected + b"\0"


def test_make_sees_one_comment_and_runs_nothing(tmp_path: Path) -> None:
    """The Make escapes under GNU make itself: every escaped text as a `#` comment, then a
    variable that must keep its value; nothing in the text may run."""
    samples = [*HOSTILE, "".join(HOSTILE), "x\\", "$(shell touch PWNED)\\"]
    body = [f"# {escaping.make_comment(FreeText(t))}\nN += x" for t in samples]
    makefile = tmp_path / "Makefile"
    makefile.write_text("\n".join([*body, "all:\n\t@echo $(words $(N))", ""]), encoding="utf-8")
    result = subprocess.run(
        ["make", "-s", "-f", str(makefile)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(samples))
    assert not (tmp_path / "PWNED").exists()


def _per_character(text: str, ascii_only: bool, extra: dict[str, str]) -> str:
    out = [
        extra[c] if c in extra else escaping._visible(c) if escaping._needs_escape(c, ascii_only)
        else c
        for c in text
    ]  # fmt: skip
    if text.endswith("\\"):
        out[-1] = "\\x5C"
    return "".join(out)


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("extra", [{}, {"$": "$$", "#": "\\#"}])
def test_plain_text_shortcut_agrees_with_the_per_character_rule(
    ascii_only: bool, extra: dict[str, str]
) -> None:
    # Every code point below U+0100, alone and inside plain text, plus the hostile pieces.
    samples = [chr(c) for c in range(0x100)] + [f"a{chr(c)}b" for c in range(0x100)] + HOSTILE
    samples += ["", "plain text", "ends in a backslash\\", "x = y; // ok"]
    for text in samples:
        assert escaping._comment_body(text, ascii_only, extra) == _per_character(
            text, ascii_only, extra
        ), repr(text)
        expected = "".join(
            escaping._visible(c) if c != "\\" and escaping._needs_escape(c, False) else c
            for c in text
        )
        assert escaping.terminal_text(text) == expected, repr(text)
