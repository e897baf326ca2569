"""Tokens of the rule grammar, and the cursor the parsers walk them with.

`tokenize` turns one rule text into `Token`s (integers, identifiers, punctuation, an end marker),
each with its 1-based column; `TokenCursor` holds the position in that list and the small helpers
every sub-parser uses to look at, take and expect tokens, and to build a `RuleSyntaxError` that
names what was expected, what was found and, for punctuation from other languages, how to write
it here. `RuleSyntaxError` lives here because the tokenizer is the first to raise it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

__all__ = ["RuleSyntaxError", "Token", "TokenCursor", "closest", "tokenize"]


class RuleSyntaxError(Exception):
    """A rule that does not parse: `col` is 1-based in the rule text; `hint` says how to fix it."""

    def __init__(self, message: str, col: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.col = col
        self.hint = hint


# ---- tokens ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # "int" | "ident" | "op" | "end"
    text: str
    col: int


_PUNCT = ("...", "//", "==", "!=", "<=", ">=", "&&", "||", *"[](),;.:+-*%<>?=!/&|")
_HINTS = {
    "&&": "write 'and'",
    "||": "write 'or'",
    "!": "write 'not' (or '!=' to compare)",
    "/": "write '//' for floor division or cdiv(a, b) for ceiling division",
    "&": "write 'and'; in XML, '<' is written '&lt;' and reaches the rule as '<'",
    "|": "write 'or'",
}


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        col = i + 1
        if c.isdigit():
            j = i
            while j < n and text[j].isdigit():
                j += 1
            if j + 1 < n and text[j] == "." and text[j + 1].isdigit():
                raise RuleSyntaxError("rules use integers only", col, "no floating-point numbers")
            tokens.append(Token("int", text[i:j], col))
            i = j
            continue
        if c.isalpha() or c == "_":
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            tokens.append(Token("ident", text[i:j], col))
            i = j
            continue
        for p in _PUNCT:
            if text.startswith(p, i):
                tokens.append(Token("op", p, col))
                i += len(p)
                break
        else:
            raise RuleSyntaxError(f"unexpected character {c!r}", col)
    tokens.append(Token("end", "", n + 1))
    return tokens


# ---- cursor ----------------------------------------------------------------------------------

_T = TypeVar("_T")


def _describe(tok: Token) -> str:
    return "the end of the rule" if tok.kind == "end" else repr(tok.text)


def closest(word: str, choices: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]}?" if close else None


class TokenCursor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = tokenize(text)
        self.pos = 0

    # -- token helpers

    @property
    def tok(self) -> Token:
        return self.toks[self.pos]

    def peek(self, k: int = 1) -> Token:
        return self.toks[min(self.pos + k, len(self.toks) - 1)]

    def at(self, text: str) -> bool:
        return self.tok.kind in ("op", "ident") and self.tok.text == text

    def take(self) -> Token:
        tok = self.tok
        if tok.kind != "end":
            self.pos += 1
        return tok

    def skip(self, count: int) -> None:
        for _ in range(count):
            self.take()

    def accept(self, text: str) -> Token | None:
        return self.take() if self.at(text) else None

    def fail(
        self, expected: str, tok: Token | None = None, hint: str | None = None
    ) -> RuleSyntaxError:
        tok = tok or self.tok
        if hint is None and tok.kind == "op":
            hint = _HINTS.get(tok.text)
            if tok.text == "=" and expected != "'='":
                hint = "write '==' to compare"
        return RuleSyntaxError(f"expected {expected}, found {_describe(tok)}", tok.col, hint)

    def expect(self, text: str, hint: str | None = None) -> Token:
        if not self.at(text):
            raise self.fail(repr(text), hint=hint)
        return self.take()

    def end(self) -> None:
        if self.tok.kind != "end":
            raise self.fail("the end of the rule")

    def lead(self, word: str) -> Token:
        if not self.at(word):
            raise self.fail(f"a rule starting with {word!r}")
        return self.take()

    def comma_list(self, item: Callable[[], _T], close: str) -> list[_T]:
        items = [item()]
        while self.accept(","):
            items.append(item())
        if not self.at(close):
            raise self.fail(f"',' or {close!r}")
        self.take()
        return items
