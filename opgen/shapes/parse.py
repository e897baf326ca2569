"""Recursive-descent parser for shape, pattern, dtype and `require` rules.

Each entry point takes the text exactly as written in the config (leading `=` or `require`
included; lxml has already turned `&lt;` into `<`) and returns the unresolved syntax tree of
`opgen.shapes.ast`, with `Name` leaves and, where a rule names a tensor by its XML name,
`TensorRef(role="name", index=-1, name=...)`; the checker resolves both. Rules are one line and
whitespace-insensitive. Every node carries `col`, the 1-based column in the text.

`in[-k]` (k >= 1) parses to `TensorRef("in", k, from_end=True)`: the k-th input from the end of
the op config's inputs (so `in[-1]` is the last one, whatever a Repeated input expands to).

The tokenizer is `opgen.shapes.lex`; the expression grammar every rule form shares (integers,
tensors, conditions) is `opgen.shapes.parse_expr`; this module holds the rule forms and the
entry points.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from opgen.model import Datatype
from opgen.shapes import ast as A
from opgen.shapes.detect import is_code_rule as is_code_rule
from opgen.shapes.detect import is_shape_rule as is_shape_rule
from opgen.shapes.lex import RuleSyntaxError, Token, closest
from opgen.shapes.parse_expr import SHAPE_FUNCS, ExprParser
from opgen.shapes.parse_expr import UNRESOLVED as UNRESOLVED

__all__ = [
    "RuleSyntaxError",
    "is_code_rule",
    "is_shape_rule",
    "parse_dtype",
    "parse_pattern",
    "parse_require",
    "parse_shape",
]


# ---- parser ----------------------------------------------------------------------------------

_T = TypeVar("_T")


class _Parser(ExprParser):
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
        hint = closest(tok.text, SHAPE_FUNCS) if tok.kind == "ident" else None
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
        raise RuleSyntaxError(f"unknown shape function {fn!r}", col, closest(fn, SHAPE_FUNCS))

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
            hint = closest("QNN_DATATYPE_" + tok.text, names) or closest(tok.text, names)
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
