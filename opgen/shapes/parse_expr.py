"""The expression grammar inside every rule: integers, tensors and conditions.

`ExprParser` extends the token cursor with the recursive-descent parsers for integer
expressions (arithmetic, dims `t.shape[i]`, parameters, `rank`/`numel`/`len`/`cdiv`/`max`/`min`/
`select`), tensor references (`in[i]`, `out[i]`, `in[-k]`, `in[*]`, an input's XML name) and
conditions (comparisons, `and`/`or`/`not`, `divisible`, `eq`...), with the nesting limit that keeps
deep rules from reaching Python's recursion limit. The rule forms built on it (shapes, patterns,
dtypes, `require`) and the entry points are in `opgen.shapes.parse`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from opgen.shapes import ast as A
from opgen.shapes.lex import RuleSyntaxError, TokenCursor, closest

__all__ = ["SHAPE_FUNCS", "UNRESOLVED", "ExprParser"]

_INT64_MAX = 2**63 - 1
_MAX_DEPTH = 64
UNRESOLVED = "name"
"""`TensorRef.role` of a tensor named by its XML name before the checker resolves it."""

_N = TypeVar("_N", A.IExpr, A.BExpr)
_CMP = ("==", "!=", "<", "<=", ">", ">=")
_CMP_FUNCS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_INT_FUNCS = ("rank", "numel", "len", "cdiv", "max", "min", "select")
_BOOL_FUNCS = ("divisible", *_CMP_FUNCS)
SHAPE_FUNCS = (
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
"""The shape functions: a dim written as one of them gets a hint that it is a whole shape."""
_TENSOR_WORDS = ("in", "out")
_KEYWORDS = ("true", "false", "and", "or", "not")


class ExprParser(TokenCursor):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.depth = 0

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
        return self.chain(self.term, ("+", "-"), A.BinOp)

    def term(self) -> A.IExpr:
        return self.chain(self.unary, ("*", "//", "%"), A.BinOp)

    def chain(self, operand: Callable[[], _N], ops: tuple[str, ...], node: Callable[..., _N]) -> _N:
        """A left-associative run `a op b op c`; each link counts as a level of nesting."""
        start = self.depth
        try:
            left = operand()
            while self.tok.kind in ("op", "ident") and self.tok.text in ops:
                tok = self.take()
                self.nest()
                left = node(tok.text, left, operand(), col=tok.col)
            return left
        finally:
            self.depth = start

    def nest(self) -> None:
        """Deep nesting is refused with a syntax error before Python's recursion limit."""
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise RuleSyntaxError(f"the rule nests deeper than {_MAX_DEPTH} levels", self.tok.col)

    def unary(self) -> A.IExpr:
        self.nest()
        try:
            return self.unary_body()
        finally:
            self.depth -= 1

    def unary_body(self) -> A.IExpr:
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
        if tok.kind != "ident" or tok.text in _KEYWORDS:
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
        hint = closest(fn, _INT_FUNCS)
        if fn in SHAPE_FUNCS:
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
        return self.chain(self.band, ("or",), A.Logic)

    def band(self) -> A.BExpr:
        return self.chain(self.bnot, ("and",), A.Logic)

    def bnot(self) -> A.BExpr:
        self.nest()
        try:
            return self.bnot_body()
        finally:
            self.depth -= 1

    def bnot_body(self) -> A.BExpr:
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
