"""The `<Default>` grammar: text in, a typed default value out (or the reason it is not one).

default  := bool | element | list | fill
list     := '{' items? '}' | '[' items? ']'        items := (element | list) (',' ...)*
fill     := '{' scalar ',' '..'['.'] ',' scalar '}'  (both ends equal: every element that value)
element  := number | rank expression in N (`N-1` = last axis of the first input)

Hostile text is bounded before Python sees it as a number or recurses on it: a number (or rank
expression) has at most MAX_NUMBER_CHARS characters, lists nest at most MAX_DEFAULT_DEPTH deep
(a list default is a tensor, and no rank is deeper), and a list holds at most
MAX_DEFAULT_ELEMENTS items in all.
"""

from __future__ import annotations

import re

from opgen.datatype_values import MAX_ND_RANK
from opgen.model import (
    Default,
    DefaultValue,
    Element,
    FillDefault,
    ListDefault,
    Nested,
    RankExpr,
    Scalar,
    ScalarDefault,
    SourceLocation,
)

MAX_DEFAULT_CHARS = 1_000_000
MAX_NUMBER_CHARS = 100
MAX_DEFAULT_DEPTH = MAX_ND_RANK
MAX_DEFAULT_ELEMENTS = 65_536
# A fill pattern is two numbers and a few separators; longer text is never one (and the
# pattern's backtracking stays linear on short text).
_MAX_FILL_CHARS = 2 * MAX_NUMBER_CHARS + 64

_INT = re.compile(r"[+-]?[0-9]+\Z")
_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_TERM = re.compile(r"([+-]?)\s*(?:([0-9]+)\s*\*\s*N|N\s*\*\s*([0-9]+)|(N)|([0-9]+))\s*")
_FILL = re.compile(r"[{\[]\s*([^,{}\[\]]+?)\s*,\s*\.\.\.?\s*,\s*([^,{}\[\]]+?)\s*[}\]]\Z")


class DefaultSyntaxError(ValueError):
    pass


def parse_default(text: str, location: SourceLocation | None = None) -> Default:
    """Parse the text of a `<Default>`; raises DefaultSyntaxError with a user-facing reason."""
    stripped = text.strip()
    if not stripped:
        raise DefaultSyntaxError("default is empty")
    if len(stripped) > MAX_DEFAULT_CHARS:
        raise DefaultSyntaxError(
            f"default has {len(stripped)} characters; the limit is {MAX_DEFAULT_CHARS}"
        )
    return Default(stripped, _parse_value(stripped), location)


def _shown(text: str) -> str:
    return text if len(text) <= 60 else f"{text[:40]}...{text[-10:]} ({len(text)} characters)"


def _parse_value(text: str) -> DefaultValue:
    if text[0] in "{[":
        fill = _FILL.match(text) if len(text) <= _MAX_FILL_CHARS else None
        if fill:
            first, last = _scalar(fill[1]), _scalar(fill[2])
            if first is None or last is None or first != last:
                raise DefaultSyntaxError(
                    f"fill pattern '{_shown(text)}' must repeat one number, like {{0,..,0}}"
                )
            return FillDefault(first)
        nested, rest = _parse_list(text, 0, 1, [0])
        if rest != len(text):
            raise DefaultSyntaxError(f"unexpected text after the list in '{_shown(text)}'")
        assert isinstance(nested, tuple)
        return ListDefault(nested)
    return ScalarDefault(_element(text))


def _parse_list(text: str, pos: int, depth: int, count: list[int]) -> tuple[Nested, int]:
    """Parse a bracketed list starting at text[pos], `depth` lists deep, `count[0]` items read
    so far; returns (items, position after it)."""
    if depth > MAX_DEFAULT_DEPTH:
        raise DefaultSyntaxError(
            f"lists in the default nest more than {MAX_DEFAULT_DEPTH} deep, the highest rank"
        )
    close = "}" if text[pos] == "{" else "]"
    pos += 1
    items: list[Nested] = []
    while True:
        pos = _skip_space(text, pos)
        if pos >= len(text):
            raise DefaultSyntaxError(f"unterminated list in '{_shown(text)}'")
        if text[pos] == close and not items:
            return (), pos + 1
        count[0] += 1
        if count[0] > MAX_DEFAULT_ELEMENTS:
            raise DefaultSyntaxError(
                f"the default lists more than {MAX_DEFAULT_ELEMENTS} values and lists"
            )
        if text[pos] in "{[":
            item, pos = _parse_list(text, pos, depth + 1, count)
        else:
            end = pos
            while end < len(text) and text[end] not in ",}]{[":
                end += 1
            item = _element(text[pos:end].strip())
            pos = end
        items.append(item)
        pos = _skip_space(text, pos)
        if pos >= len(text):
            raise DefaultSyntaxError(f"unterminated list in '{_shown(text)}'")
        if text[pos] == close:
            return tuple(items), pos + 1
        if text[pos] != ",":
            raise DefaultSyntaxError(
                f"expected ',' or '{close}' at '{_shown(text[pos:])}' in '{_shown(text)}'"
            )
        pos += 1


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _element(text: str) -> Element:
    if len(text) > MAX_NUMBER_CHARS:
        raise DefaultSyntaxError(
            f"'{_shown(text)}' is too long for a number: the limit is {MAX_NUMBER_CHARS} characters"
        )
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    scalar = _scalar(text)
    if scalar is not None:
        return scalar
    expr = _rank_expr(text)
    if expr is not None:
        return expr
    raise DefaultSyntaxError(
        f"'{_shown(text)}' is not a number, boolean, list or rank expression in N (like N-1)"
    )


def _scalar(text: str) -> Scalar | None:
    if len(text) > MAX_NUMBER_CHARS:
        raise DefaultSyntaxError(
            f"'{_shown(text)}' is too long for a number: the limit is {MAX_NUMBER_CHARS} characters"
        )
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        value = float(text)
        if value == 0.0 and re.search(r"[1-9]", text.split("e")[0].split("E")[0]):
            raise DefaultSyntaxError(f"'{text}' is too small for any floating-point type")
        return value
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return None


def _rank_expr(text: str) -> RankExpr | None:
    """`N`, `N-1`, `2*N+1`, `-N`...: a linear integer expression in N, or None."""
    if "N" not in text:
        return None
    coeff = offset = 0
    pos = 0
    while pos < len(text):
        term = _TERM.match(text, pos)
        if not term or term.end() == pos or (pos > 0 and not term[1]):
            return None
        sign = -1 if term[1] == "-" else 1
        if term[2] or term[3]:
            coeff += sign * int(term[2] or term[3])
        elif term[4]:
            coeff += sign
        else:
            offset += sign * int(term[5])
        pos = term.end()
    return RankExpr(coeff, offset)
