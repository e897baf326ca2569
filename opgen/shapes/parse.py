"""Tokenizer and recursive-descent parser for shape, pattern, dtype and `require` rules.

Each entry point takes the text exactly as written in the config (leading `=` or `require`
included; lxml has already turned `&lt;` into `<`) and returns the unresolved syntax tree of
`opgen.shapes.ast`, with `Name` leaves and, where a rule names a tensor by its XML name,
`TensorRef(role="name", index=-1, name=...)`; the checker resolves both. Rules are one line and
whitespace-insensitive. Every node carries `col`, the 1-based column in the text.

`in[-k]` (k >= 1) parses to `TensorRef("in", k, from_end=True)`: the k-th input from the end of
the op config's inputs (so `in[-1]` is the last one, whatever a Repeated input expands to).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from opgen.model import Datatype
from opgen.shapes import ast as A

__all__ = [
    "RuleSyntaxError",
    "is_code_rule",
    "is_shape_rule",
    "parse_dtype",
    "parse_pattern",
    "parse_require",
    "parse_shape",
]

_INT64_MAX = 2**63 - 1
UNRESOLVED = "name"
"""`TensorRef.role` of a tensor named by its XML name before the checker resolves it."""


class RuleSyntaxError(Exception):
    """A rule that does not parse: `col` is 1-based in the rule text; `hint` says how to fix it."""

    def __init__(self, message: str, col: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.col = col
        self.hint = hint


def is_shape_rule(text: str | None) -> bool:
    """A `<Shape><Text>` is a rule when it starts with `=`; anything else is prose."""
    return text is not None and text.lstrip().startswith("=")


_REQUIRE = re.compile(r"\s*require\b")


def is_code_rule(code: str | None) -> bool:
    """A Constraint's `<Code>` is a rule when it starts with `=` or the word `require`."""
    return code is not None and (code.lstrip().startswith("=") or bool(_REQUIRE.match(code)))


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


# ---- parser ----------------------------------------------------------------------------------

_T = TypeVar("_T")
_CMP = ("==", "!=", "<", "<=", ">", ">=")
_CMP_FUNCS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_INT_FUNCS = ("rank", "numel", "len", "cdiv", "max", "min", "select")
_BOOL_FUNCS = ("divisible", *_CMP_FUNCS)
_SHAPE_FUNCS = (
    "like",
    "broadcast",
    "reduce",
    "concat",
    "permute",
    "with",
    "insert",
    "remove",
    "matmul",
)
_TENSOR_WORDS = ("in", "out")


def _describe(tok: Token) -> str:
    return "the end of the rule" if tok.kind == "end" else repr(tok.text)


def _closest(word: str, choices: tuple[str, ...]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]}?" if close else None


class _Parser:
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

    # -- integers

    def integer(self) -> int:
        tok = self.take()
        if tok.kind != "int":
            raise self.fail("an integer", tok)
        value = int(tok.text)
        if value > _INT64_MAX:
            raise RuleSyntaxError(f"integer {tok.text} does not fit in 64 bits", tok.col)
        return value

    def iexpr(self) -> A.IExpr:
        left = self.term()
        while self.at("+") or self.at("-"):
            op = self.take()
            left = A.BinOp(op.text, left, self.term(), col=op.col)
        return left

    def term(self) -> A.IExpr:
        left = self.unary()
        while self.at("*") or self.at("//") or self.at("%"):
            op = self.take()
            left = A.BinOp(op.text, left, self.unary(), col=op.col)
        return left

    def unary(self) -> A.IExpr:
        if self.at("-"):
            minus = self.take()
            operand = self.unary()
            if isinstance(operand, A.Num) and operand.value > 0:
                return A.Num(-operand.value, col=minus.col)
            return A.Neg(operand, col=minus.col)
        return self.atom()

    def atom(self) -> A.IExpr:
        tok = self.tok
        if tok.kind == "int":
            return A.Num(self.integer(), col=tok.col)
        if self.accept("("):
            inner = self.iexpr()
            self.expect(")")
            return inner
        if tok.kind != "ident":
            raise self.fail("a number, a name or a dim")
        nxt = self.peek()
        if nxt.text == "(" and nxt.kind == "op":
            return self.int_call()
        if self.is_tref_start():
            ref = self.tref()
            if not self.at("."):
                written = self.text[tok.col - 1 : self.tok.col - 1].strip()
                hint = f"a tensor is not a number: write {written}.shape[i] or rank({written})"
                raise self.fail("'.shape[...]' after a tensor", hint=hint)
            return self.dim_of(ref)
        self.take()
        if self.at("["):
            self.take()
            indices = self.comma_list(self.iexpr, "]")
            return A.ParamElem(tok.text, tuple(indices), col=tok.col)
        return A.Name(tok.text, col=tok.col)

    def is_tref_start(self) -> bool:
        """`in[`/`out[`, or an identifier followed by `.` (an XML tensor name with `.shape`)."""
        tok, nxt = self.tok, self.peek()
        if tok.kind != "ident":
            return False
        if tok.text in _TENSOR_WORDS and nxt.text == "[":
            return True
        return nxt.kind == "op" and nxt.text == "."

    def dim_of(self, ref: A.TensorRef) -> A.IExpr:
        self.expect(".")
        shape = self.take()
        if shape.text != "shape":
            raise self.fail("'shape'", shape, hint="a tensor has only '.shape[i]'")
        self.expect("[", hint="write .shape[i] for one dim")
        index = self.iexpr()
        if self.at(":"):
            raise self.fail(
                "']'", hint="a slice of dims is a spread inside a list: [t.shape[a:b]..., ...]"
            )
        self.expect("]")
        return A.Dim(ref, index, col=ref.col)

    def int_call(self) -> A.IExpr:
        name = self.take()
        self.expect("(")
        fn = name.text
        if fn in ("rank", "numel"):
            ref = self.tref()
            self.expect(")")
            return A.RankOf(ref, col=name.col) if fn == "rank" else A.Numel(ref, col=name.col)
        if fn == "len":
            param = self.take()
            if param.kind != "ident":
                raise self.fail("a tensor parameter's name", param)
            self.expect(")")
            return A.Len(param.text, col=name.col)
        if fn == "select":
            cond = self.bexpr()
            self.expect(",")
            then = self.iexpr()
            self.expect(",")
            otherwise = self.iexpr()
            self.expect(")")
            return A.Select(cond, then, otherwise, col=name.col)
        if fn in ("cdiv", "max", "min"):
            args = self.comma_list(self.iexpr, ")")
            if fn == "cdiv" and len(args) != 2:
                raise RuleSyntaxError(
                    f"cdiv takes 2 arguments, got {len(args)}", name.col, "cdiv(a, b)"
                )
            if len(args) < 2:
                raise RuleSyntaxError(f"{fn} takes at least 2 arguments, got {len(args)}", name.col)
            return A.Func(fn, tuple(args), col=name.col)
        hint = _closest(fn, _INT_FUNCS)
        if fn in _SHAPE_FUNCS:
            hint = f"{fn}(...) is a whole shape, not a dim"
        raise RuleSyntaxError(f"unknown function {fn!r}", name.col, hint)

    # -- tensors

    def tref(self) -> A.TensorRef:
        tok = self.take()
        if tok.kind != "ident":
            raise self.fail("a tensor (in[i], out[i] or an input's name)", tok)
        if tok.text in _TENSOR_WORDS and self.at("["):
            self.take()
            if self.at("*"):
                raise self.fail("an index", hint="in[*] stands only for a list of tensors")
            negative = self.accept("-") is not None
            index = self.integer()
            self.expect("]")
            if negative:
                if index == 0:
                    raise RuleSyntaxError(
                        "in[-0] is not an index", tok.col, "in[-1] is the last input"
                    )
                return A.TensorRef(tok.text, index, from_end=True, col=tok.col)
            return A.TensorRef(tok.text, index, col=tok.col)
        return A.TensorRef(UNRESOLVED, -1, col=tok.col, name=tok.text)

    def trefs(self, close: str) -> tuple[A.TensorRef, ...] | A.AllInputs:
        """`in[*]` alone, or a list of tensors, then `close`."""
        if self.at("in") and self.peek().text == "[" and self.peek(2).text == "*":
            tok = self.take()
            self.skip(2)
            self.expect("]")
            self.expect(close, hint="in[*] stands alone for all inputs")
            return A.AllInputs(col=tok.col)
        return tuple(self.comma_list(self.tref, close))

    # -- booleans

    def bexpr(self) -> A.BExpr:
        left = self.band()
        while self.at("or"):
            op = self.take()
            left = A.Logic("or", left, self.band(), col=op.col)
        return left

    def band(self) -> A.BExpr:
        left = self.bnot()
        while self.at("and"):
            op = self.take()
            left = A.Logic("and", left, self.bnot(), col=op.col)
        return left

    def bnot(self) -> A.BExpr:
        if self.at("not"):
            op = self.take()
            return A.Not(self.bnot(), col=op.col)
        return self.bprimary()

    def bprimary(self) -> A.BExpr:
        tok = self.tok
        if tok.kind == "ident" and tok.text in ("true", "false"):
            self.take()
            return A.BoolLit(tok.text == "true", col=tok.col)
        if tok.kind == "ident" and tok.text in _BOOL_FUNCS and self.peek().text == "(":
            self.skip(2)
            a = self.iexpr()
            self.expect(",")
            b = self.iexpr()
            self.expect(")")
            if tok.text == "divisible":
                return A.Divisible(a, b, col=tok.col)
            return A.Compare(_CMP_FUNCS[tok.text], a, b, col=tok.col)
        start = self.pos
        try:
            left = self.iexpr()
        except RuleSyntaxError:
            if not self.at_paren(start):
                raise
            left = None
        if left is not None and self.tok.kind == "op" and self.tok.text in _CMP:
            op = self.take()
            return A.Compare(op.text, left, self.iexpr(), col=op.col)
        if isinstance(left, A.Name):
            return left
        if self.at_paren(start):
            self.pos = start + 1
            inner = self.bexpr()
            self.expect(")")
            return inner
        if left is not None:
            raise self.fail("a comparison ('==', '!=', '<', '<=', '>', '>=')")
        raise self.fail("a condition")  # pragma: no cover - iexpr raised above

    def at_paren(self, pos: int) -> bool:
        tok = self.toks[pos]
        return tok.kind == "op" and tok.text == "("

    # -- shapes

    def shape(self) -> A.ShapeExpr:
        tok = self.tok
        if self.at("?") or self.at("hook"):
            self.take()
            return A.Hook(col=tok.col)
        if self.at("["):
            self.take()
            items: list[A.Item] = []
            if not self.accept("]"):
                items = self.comma_list(self.item, "]")
            return A.ShapeList(tuple(items), col=tok.col)
        if tok.kind == "ident" and self.peek().text == "(":
            return self.shape_call()
        hint = _closest(tok.text, _SHAPE_FUNCS) if tok.kind == "ident" else None
        if self.is_tref_start() or tok.kind == "ident":
            hint = hint or "a tensor's shape is written like(t)"
        raise self.fail(
            "a shape: a list [...], like(...), broadcast(...), ..., hook or ?", hint=hint
        )

    def item(self) -> A.Item:
        tok = self.tok
        if self.at("?"):
            self.take()
            return A.Unknown(col=tok.col)
        if tok.kind == "ident" and self.peek().text == "...":
            self.skip(2)
            return A.BoundSpread(tok.text, col=tok.col)
        if self.is_tref_start():
            save = self.pos
            ref = self.tref()
            if self.at(".") and self.peek().text == "shape" and self.peek(2).text == "[":
                self.skip(3)
                start = None if self.at(":") else self.iexpr()
                if self.accept(":"):
                    stop = None if self.at("]") else self.iexpr()
                    self.expect("]")
                    self.expect("...", hint="a slice of dims is a spread: write t.shape[a:b]...")
                    return A.SliceSpread(ref, start, stop, col=tok.col)
                self.pos = save
            else:
                self.pos = save
        return self.iexpr()

    def shape_call(self) -> A.ShapeExpr:
        name = self.take()
        self.expect("(")
        fn, col = name.text, name.col
        if fn == "like":
            ref = self.tref()
            self.close_call(fn, "like(t)")
            return A.Like(ref, col=col)
        if fn == "broadcast":
            tensors = self.trefs(")")
            if isinstance(tensors, tuple) and len(tensors) < 2:
                raise RuleSyntaxError(
                    f"broadcast takes at least 2 tensors, got {len(tensors)}",
                    col,
                    "like(t) copies one shape",
                )
            return A.Broadcast(tensors, col=col)
        if fn == "matmul":
            left = self.tref()
            self.arg_comma(fn, "matmul(a, b)")
            right = self.tref()
            self.close_call(fn, "matmul(a, b)")
            return A.Matmul(left, right, col=col)
        if fn == "concat":
            axis = self.iexpr()
            self.arg_comma(fn, "concat(axis, t1, t2, ...) or concat(axis, in[*])")
            return A.Concat(axis, self.trefs(")"), col=col)
        if fn in ("with", "insert"):
            usage = f"{fn}(t, axis, dim)"
            ref = self.tref()
            self.arg_comma(fn, usage)
            axis = self.iexpr()
            self.arg_comma(fn, usage)
            dim = self.iexpr()
            self.close_call(fn, usage)
            return (A.With if fn == "with" else A.Insert)(ref, axis, dim, col=col)
        if fn in ("permute", "remove"):
            usage = f"{fn}(t, {'perm' if fn == 'permute' else 'axes'})"
            ref = self.tref()
            self.arg_comma(fn, usage)
            axes = self.axes()
            self.close_call(fn, usage)
            return (
                A.Permute(ref, axes, col=col) if fn == "permute" else A.Remove(ref, axes, col=col)
            )
        if fn == "reduce":
            usage = "reduce(t, axes, keep_dims)"
            ref = self.tref()
            self.arg_comma(fn, usage)
            axes = self.axes()
            self.arg_comma(fn, usage)
            keep = self.bexpr()
            self.close_call(fn, usage)
            return A.Reduce(ref, axes, keep, col=col)
        raise RuleSyntaxError(f"unknown shape function {fn!r}", col, _closest(fn, _SHAPE_FUNCS))

    def arg_comma(self, fn: str, usage: str) -> None:
        if not self.at(","):
            raise self.fail("','", hint=f"too few arguments to {fn}: {usage}")
        self.take()

    def close_call(self, fn: str, usage: str) -> None:
        if self.at(","):
            raise self.fail("')'", hint=f"too many arguments to {fn}: {usage}")
        self.expect(")")

    def axes(self) -> A.Axes:
        tok = self.tok
        if self.accept("["):
            return A.AxesList(tuple(self.comma_list(self.iexpr, "]")), col=tok.col)
        if tok.kind == "ident" and self.peek().text in (",", ")"):
            self.take()
            return A.AxesParam(tok.text, col=tok.col)
        raise self.fail("axes: a list [a, b, ...] or a tensor parameter's name")

    # -- patterns

    def pattern(self) -> A.Pattern:
        tok = self.tok
        if not self.at("["):
            raise self.fail(
                "a pattern [d0, d1, ...]",
                hint="an input's rule is a pattern such as = [B..., M, K]",
            )
        self.take()
        elems: list[A.PElem] = []
        if not self.accept("]"):
            elems = self.comma_list(self.pelem, "]")
        spreads = [e for e in elems if isinstance(e, A.PSpread)]
        if len(spreads) > 1:
            raise RuleSyntaxError(
                "a pattern has at most one spread", spreads[1].col, "B... or ... once"
            )
        return A.Pattern(tuple(elems), col=tok.col)

    def pelem(self) -> A.PElem:
        tok = self.tok
        if tok.kind == "int":
            return A.PInt(self.integer(), col=tok.col)
        if self.accept("..."):
            return A.PSpread(None, col=tok.col)
        if tok.kind == "ident":
            self.take()
            if tok.text == "_":
                if self.at("..."):
                    raise self.fail("',' or ']'", hint="write ... to accept any number of dims")
                return A.PAny(col=tok.col)
            if self.accept("..."):
                return A.PSpread(tok.text, col=tok.col)
            if not (self.at(",") or self.at("]")):
                raise self.fail(
                    "',' or ']'", hint="a pattern holds integers, names, _, ... and NAME..."
                )
            return A.PBind(tok.text, col=tok.col)
        raise self.fail("a dim: an integer, a name, _, ... or NAME...", hint=_pattern_hint(tok))

    # -- dtypes

    def dtype(self) -> A.DtypeExpr:
        tok = self.tok
        if self.at("?") or self.at("hook"):
            self.take()
            return A.Hook(col=tok.col)
        if self.at("like") and self.peek().text == "(":
            self.skip(2)
            ref = self.tref()
            self.close_call("like", "like(t)")
            return A.DtypeLike(ref, col=tok.col)
        if tok.kind == "ident":
            self.take()
            try:
                datatype = Datatype(tok.text)
            except ValueError:
                datatype = None
            if datatype is not None and datatype is not Datatype.BACKEND_SPECIFIC:
                return A.DtypeFixed(datatype, col=tok.col)
            names = tuple(d.value for d in Datatype if d is not Datatype.BACKEND_SPECIFIC)
            hint = _closest("QNN_DATATYPE_" + tok.text, names) or _closest(tok.text, names)
            if datatype is Datatype.BACKEND_SPECIFIC:
                hint = "a rule names the datatype itself (or like(t), or hook)"
            raise RuleSyntaxError(f"unknown datatype {tok.text!r}", tok.col, hint)
        raise self.fail("like(t), a QNN_DATATYPE_* name or hook")


def _pattern_hint(tok: Token) -> str | None:
    if tok.kind == "op" and tok.text == "?":
        return "write _ for any one dim"
    if tok.kind == "op" and tok.text == "-":
        return "pattern dims are non-negative"
    return None


def _run(text: str, lead: str, body: Callable[[_Parser], _T]) -> _T:
    parser = _Parser(text)
    parser.lead(lead)
    if parser.tok.kind == "end":
        raise parser.fail("a rule after " + repr(lead))
    result = body(parser)
    parser.end()
    return result


def parse_shape(text: str) -> A.ShapeExpr:
    """An output's `<Shape><Text>`: `= like(in[0])`, `= [B..., M, N]`, `= hook`, ..."""
    return _run(text, "=", _Parser.shape)


def parse_pattern(text: str) -> A.Pattern:
    """An input's `<Shape><Text>`: `= [B..., M, K]`."""
    return _run(text, "=", _Parser.pattern)


def parse_dtype(text: str) -> A.DtypeExpr:
    """A Datatype Constraint's `<Code>`: `= like(in[0])`, `= QNN_DATATYPE_INT_32`, `= hook`."""
    return _run(text, "=", _Parser.dtype)


def parse_require(text: str) -> tuple[A.BExpr, ...]:
    """A Shape/Value Constraint's `<Code>`: `require c1; c2` (a trailing `;` is allowed)."""

    def body(p: _Parser) -> tuple[A.BExpr, ...]:
        conds = [p.bexpr()]
        while p.accept(";"):
            if p.tok.kind == "end":
                break
            conds.append(p.bexpr())
        if p.tok.kind != "end":
            raise p.fail("';' or the end of the rule")
        return tuple(conds)

    return _run(text, "require", body)
