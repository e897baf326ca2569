"""Expressions of shape rules as C++ over `::opgen::rules::Context ctx` (see emit_cpp.py).

`Scope` turns integer and boolean expressions, axes and tensor references into C++ expression
text and remembers what they read (tensors, parameters, pattern names), so the function's
prologue declares exactly those. Local names are derived from positions (`t_in_0`, `p2`, `b1`),
never from config text; config names reach C++ only as string literals (`lit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opgen.escaping import c_string_literal
from opgen.model import OpDef
from opgen.shapes import ast


class EmitError(ValueError):
    """The rules hold a node the emitter cannot compile (an unresolved name: a checker bug)."""


def lit(text: str) -> str:
    """Config text as a C++ string literal (the only way it reaches generated code)."""
    return c_string_literal(text)


def int_lit(value: int) -> str:
    if value == -(2**63):
        return "INT64_MIN"
    if not -(2**63) < value < 2**63:
        raise EmitError(f"integer {value} does not fit 64 bits")
    return f"int64_t{{{value}}}"


def tensor_label(ref: ast.TensorRef) -> str:
    if ref.name is not None:
        return ref.name
    index = f"-{ref.index + 1}" if ref.from_end else str(ref.index)
    return f"{ref.role}[{index}]"


@dataclass
class Scope:
    op: OpDef
    tensors: dict[tuple[str, int, bool], str] = field(default_factory=dict)
    """(role, index, from_end) -> local variable, with its label in `tensor_labels`."""
    tensor_labels: dict[str, str] = field(default_factory=dict)
    scalars: dict[str, str] = field(default_factory=dict)
    bools: dict[str, str] = field(default_factory=dict)
    tensor_params: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    """Pattern-bound dim name -> local (`b0`, with `has_b0`)."""
    spreads: dict[str, str] = field(default_factory=dict)

    # ---- references ----------------------------------------------------------------------

    def tensor(self, ref: ast.TensorRef) -> str:
        key = (ref.role, ref.index, ref.from_end)
        var = self.tensors.get(key)
        if var is None:
            var = f"t_{ref.role}_{'e' if ref.from_end else ''}{ref.index}"
            self.tensors[key] = var
            self.tensor_labels[var] = tensor_label(ref)
        return var

    def _param_index(self, name: str) -> int:
        for i, p in enumerate(self.op.params):
            if p.name == name:
                return i
        raise EmitError(f"op {self.op.name} has no parameter {name!r}")

    def scalar(self, name: str) -> str:
        if name not in self.scalars:
            self.scalars[name] = f"p{self._param_index(name)}"
        return self.scalars[name]

    def bool_param(self, name: str) -> str:
        if name not in self.bools:
            self.bools[name] = f"pb{self._param_index(name)}"
        return self.bools[name]

    def tensor_param(self, name: str) -> str:
        if name not in self.tensor_params:
            self.tensor_params[name] = f"pt{self._param_index(name)}"
        return self.tensor_params[name]

    def name_var(self, name: str) -> str:
        if name not in self.names:
            self.names[name] = f"b{len(self.names)}"
        return self.names[name]

    def spread_var(self, name: str) -> str:
        if name not in self.spreads:
            self.spreads[name] = f"bs{len(self.spreads)}"
        return self.spreads[name]

    # ---- expressions ---------------------------------------------------------------------

    def iexpr(self, e: ast.IExpr) -> str:
        if isinstance(e, ast.Num):
            return int_lit(e.value)
        if isinstance(e, ast.Bound):
            var = self.name_var(e.name)
            return f"ctx.bound(has_{var}, {var}, {lit(e.name)})"
        if isinstance(e, ast.ScalarParam):
            return self.scalar(e.name)
        if isinstance(e, ast.Dim):
            return f"ctx.dim({self.tensor(e.tensor)}, {self.iexpr(e.index)})"
        if isinstance(e, ast.RankOf):
            return f"ctx.rank({self.tensor(e.tensor)})"
        if isinstance(e, ast.Numel):
            return f"ctx.numel({self.tensor(e.tensor)})"
        if isinstance(e, ast.Len):
            return f"ctx.len({self.tensor_param(e.param)})"
        if isinstance(e, ast.ParamElem):
            indices = ", ".join(self.iexpr(i) for i in e.indices)
            return f"ctx.elem({self.tensor_param(e.param)}, {{{indices}}})"
        if isinstance(e, ast.BinOp):
            fn = {"+": "add", "-": "sub", "*": "mul", "//": "floorDiv", "%": "mod"}.get(e.op)
            if fn is None:
                raise EmitError(f"unknown operator {e.op!r}")
            return f"ctx.{fn}({self.iexpr(e.left)}, {self.iexpr(e.right)})"
        if isinstance(e, ast.Neg):
            return f"ctx.neg({self.iexpr(e.operand)})"
        if isinstance(e, ast.Func):
            return self._func(e)
        if isinstance(e, ast.Select):
            return f"({self.bexpr(e.cond)} ? {self.iexpr(e.then)} : {self.iexpr(e.otherwise)})"
        raise EmitError(f"cannot compile {type(e).__name__} (an unresolved name?)")

    def _func(self, e: ast.Func) -> str:
        args = [self.iexpr(a) for a in e.args]
        if e.fn == "cdiv" and len(args) == 2:
            return f"ctx.cdiv({args[0]}, {args[1]})"
        if e.fn in ("max", "min") and args:
            out = args[-1]
            for a in reversed(args[:-1]):
                out = f"ctx.{e.fn}({a}, {out})"
            return out
        raise EmitError(f"cannot compile {e.fn}() with {len(args)} arguments")

    def bexpr(self, e: ast.BExpr) -> str:
        if isinstance(e, ast.Compare):
            return f"ctx.compare({lit(e.op)}, {self.iexpr(e.left)}, {self.iexpr(e.right)})"
        if isinstance(e, ast.Divisible):
            return f"ctx.divisible({self.iexpr(e.value)}, {self.iexpr(e.divisor)})"
        if isinstance(e, ast.BoolLit):
            return "true" if e.value else "false"
        if isinstance(e, ast.BoolParam):
            return self.bool_param(e.name)
        if isinstance(e, ast.Logic):
            op = {"and": "&&", "or": "||"}.get(e.op)
            if op is None:
                raise EmitError(f"unknown logic operator {e.op!r}")
            return f"({self.bexpr(e.left)} {op} {self.bexpr(e.right)})"
        if isinstance(e, ast.Not):
            return f"(!{self.bexpr(e.operand)})"
        raise EmitError(f"cannot compile {type(e).__name__} (an unresolved name?)")

    def axes(self, a: ast.Axes) -> str:
        if isinstance(a, ast.AxesParam):
            return f"ctx.axesOf({self.tensor_param(a.param)})"
        return f"ctx.axes({{{', '.join(self.iexpr(x) for x in a.axes)}}})"


def walk(node: object) -> list[object]:
    """Every node under `node` (itself included), depth first."""
    out: list[object] = [node]
    fields = getattr(node, "__dataclass_fields__", None)
    if fields is not None:
        for name in fields:
            out.extend(walk(getattr(node, name)))
    elif isinstance(node, tuple):
        for item in node:
            out.extend(walk(item))
    return out


def reads_outputs(node: object) -> bool:
    return any(isinstance(n, ast.TensorRef) and n.role == "out" for n in walk(node))
