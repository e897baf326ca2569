"""The `<Default>` grammar: text in, a typed default value out (or the reason it is not one).

default  := bool | element | list | fill
list     := '{' items? '}' | '[' items? ']'        items := (element | list) (',' ...)*
fill     := '{' scalar ',' '..'['.'] ',' scalar '}'  (both ends equal: every element that value)
element  := number | rank expression in N (`N-1` = last axis of the first input)
"""

from __future__ import annotations

import re

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
    return Default(stripped, _parse_value(stripped), location)


def _parse_value(text: str) -> DefaultValue:
    if text[0] in "{[":
        fill = _FILL.match(text)
        if fill:
            first, last = _scalar(fill[1]), _scalar(fill[2])
            if first is None or last is None or first != last:
                raise DefaultSyntaxError(
                    f"fill pattern '{text}' must repeat one number, like {{0,..,0}}"
                )
            return FillDefault(first)
        nested, rest = _parse_list(text, 0)
        if rest != len(text):
            raise DefaultSyntaxError(f"unexpected text after the list in '{text}'")
        assert isinstance(nested, tuple)
        return ListDefault(nested)
    return ScalarDefault(_element(text))


def _parse_list(text: str, pos: int) -> tuple[Nested, int]:
    """Parse a bracketed list starting at text[pos]; returns (items, position after it)."""
    close = "}" if text[pos] == "{" else "]"
    pos += 1
    items: list[Nested] = []
    while True:
        pos = _skip_space(text, pos)
        if pos >= len(text):
            raise DefaultSyntaxError(f"unterminated list in '{text}'")
        if text[pos] == close and not items:
            return (), pos + 1
        if text[pos] in "{[":
            item, pos = _parse_list(text, pos)
        else:
            end = pos
            while end < len(text) and text[end] not in ",}]{[":
                end += 1
            item = _element(text[pos:end].strip())
            pos = end
        items.append(item)
        pos = _skip_space(text, pos)
        if pos >= len(text):
            raise DefaultSyntaxError(f"unterminated list in '{text}'")
        if text[pos] == close:
            return tuple(items), pos + 1
        if text[pos] != ",":
            raise DefaultSyntaxError(f"expected ',' or '{close}' at '{text[pos:]}' in '{text}'")
        pos += 1


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _element(text: str) -> Element:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    scalar = _scalar(text)
    if scalar is not None:
        return scalar
    expr = _rank_expr(text)
    if expr is not None:
        return expr
    raise DefaultSyntaxError(
        f"'{text}' is not a number, boolean, list or rank expression in N (like N-1)"
    )


def _scalar(text: str) -> Scalar | None:
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
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
