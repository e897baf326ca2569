"""Name resolution: the parser's `Name` leaves and named tensors become resolved nodes.

A bare identifier is, in this order: a dim bound by an input pattern (`Bound`), a scalar
parameter (`ScalarParam`, its XML Default when the op config omits it), or `N`, the rank of
`in[0]` (`RankOf`). In a condition it may also be a BOOL_8 parameter (`BoolParam`). A tensor
named by its XML name becomes a `TensorRef`:

- an input before any Repeated input, or the Repeated input itself: `TensorRef("in", j)`
  (the Repeated input's first copy);
- an input after a Repeated input: `TensorRef("in", k, from_end=True)`, k >= 1 counting from
  the end of the op config's inputs (k = 1 is the last input), as `in[-k]` parses;
- an output: `TensorRef("out", j)`.

In a tensor list (`broadcast`, `concat`) a Repeated input named alone, when it is the op's only
input, becomes `AllInputs` (all its copies). Problems raise `Problem` with the column of the
node at fault; the checker turns them into diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opgen.config.diagnostics import did_you_mean
from opgen.model import Datatype, OpDef, ParamKind, TensorSpec
from opgen.shapes import ast as A
from opgen.shapes.parse import UNRESOLVED


class Problem(Exception):
    def __init__(self, message: str, col: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.col = col
        self.hint = hint


@dataclass
class Scope:
    """What names mean in one op's rules; `bindings` maps a pattern name to "dim" or "spread"."""

    op: OpDef
    bindings: dict[str, str] = field(default_factory=dict)
    allow_outputs: bool = False
    """Only checks may read outputs; shape and dtype rules read inputs and params."""
    pattern_ranks: dict[str, int] = field(default_factory=dict)
    """Input name -> the rank its pattern fixes (a pattern without a spread)."""

    @property
    def repeated(self) -> int | None:
        return next((i for i, t in enumerate(self.op.inputs) if t.repeated), None)

    def param(self, name: str) -> TensorSpec | None:
        return next((p for p in self.op.params if p.name == name), None)

    # ---- tensors

    def input_spec(self, ref: A.TensorRef) -> TensorSpec | None:
        """The XML input a resolved reference reads, when that is fixed."""
        if ref.role != "in":
            return None
        n = len(self.op.inputs)
        index = n - ref.index if ref.from_end else ref.index
        rep = self.repeated
        if ref.from_end and rep is not None and index <= rep:
            return self.op.inputs[rep]
        return self.op.inputs[index] if 0 <= index < n else None

    def tensor(self, ref: A.TensorRef) -> A.TensorRef:
        inputs, outputs = self.op.inputs, self.op.outputs
        if ref.role == UNRESOLVED:
            return self.named_tensor(ref)
        if ref.role == "out" and not self.allow_outputs:
            raise Problem(
                f"{_ref_text(ref)}: a shape or dtype rule reads inputs and parameters, not outputs",
                ref.col,
            )
        count = len(inputs) if ref.role == "in" else len(outputs)
        kind = "input" if ref.role == "in" else "output"
        limit = ref.index if ref.from_end else ref.index + 1
        if limit > count:
            raise Problem(
                f"{_ref_text(ref)} is out of range: op '{self.op.name}' declares {count} {kind}(s)",
                ref.col,
            )
        rep = self.repeated
        if ref.role == "in" and not ref.from_end and rep is not None and ref.index > rep:
            after = inputs[ref.index].name
            raise Problem(
                f"{_ref_text(ref)} comes after Repeated input '{inputs[rep].name}', "
                "whose copies move it",
                ref.col,
                f"write {after}.shape[...] / like({after}), or in[-{count - ref.index}]",
            )
        return ref

    def named_tensor(self, ref: A.TensorRef) -> A.TensorRef:
        name = ref.name or ""
        inputs = self.op.inputs
        for j, spec in enumerate(inputs):
            if spec.name == name:
                rep = self.repeated
                if rep is not None and j > rep:
                    return A.TensorRef("in", len(inputs) - j, True, col=ref.col, name=name)
                return A.TensorRef("in", j, col=ref.col, name=name)
        for j, spec in enumerate(self.op.outputs):
            if spec.name == name:
                return self.tensor(A.TensorRef("out", j, col=ref.col, name=name))
        if self.param(name) is not None:
            raise Problem(f"'{name}' is a parameter, not an input or output", ref.col)
        choices = [t.name for t in inputs + self.op.outputs]
        raise Problem(
            f"unknown tensor '{name}'", ref.col, did_you_mean(name, choices) or "in[i] or out[i]"
        )

    def tensors(
        self, refs: tuple[A.TensorRef, ...] | A.AllInputs
    ) -> tuple[A.TensorRef, ...] | A.AllInputs:
        if isinstance(refs, A.AllInputs):
            return refs
        rep = self.repeated
        first = refs[0]
        if rep is not None and len(refs) == 1 and first.name == self.op.inputs[rep].name:
            if len(self.op.inputs) == 1:
                return A.AllInputs(col=first.col)
            raise Problem(
                f"'{first.name}' is Repeated among other inputs: a list cannot name all its copies",
                first.col,
                "in[*] stands for every input",
            )
        return tuple(self.tensor(r) for r in refs)

    def rank(self, ref: A.TensorRef) -> int | None:
        """The declared rank of the tensor a resolved reference reads, when fixed."""
        if ref.role == "in":
            spec = self.input_spec(ref)
            if spec is None:
                return None
        else:
            spec = self.op.outputs[-ref.index if ref.from_end else ref.index]
        dims = spec.rank.dims
        return dims if dims is not None else self.pattern_ranks.get(spec.name)

    # ---- integers

    def iexpr(self, e: A.IExpr) -> A.IExpr:
        match e:
            case A.Num() | A.Bound() | A.ScalarParam():
                return e
            case A.Name():
                return self.int_name(e)
            case A.Dim():
                tensor = self.tensor(e.tensor)
                index = self.iexpr(e.index)
                rank = self.rank(tensor)
                if (
                    isinstance(index, A.Num)
                    and rank is not None
                    and not -rank <= index.value < rank
                ):
                    raise Problem(
                        f"{_ref_text(tensor)}.shape[{index.value}] is out of range for a "
                        f"rank-{rank} tensor",
                        e.index.col,
                    )
                return A.Dim(tensor, index, col=e.col)
            case A.RankOf():
                return A.RankOf(self.tensor(e.tensor), col=e.col)
            case A.Numel():
                return A.Numel(self.tensor(e.tensor), col=e.col)
            case A.Len():
                self.tensor_param(e.param, e.col)
                return e
            case A.ParamElem():
                spec = self.tensor_param(e.param, e.col)
                dims = spec.rank.dims
                if dims is not None and len(e.indices) != dims:
                    raise Problem(
                        f"'{e.param}' is {spec.rank.value}: index it with {dims} "
                        f"subscript(s), not {len(e.indices)}",
                        e.col,
                    )
                return A.ParamElem(e.param, tuple(self.iexpr(i) for i in e.indices), col=e.col)
            case A.BinOp():
                return A.BinOp(e.op, self.iexpr(e.left), self.iexpr(e.right), col=e.col)
            case A.Neg():
                return A.Neg(self.iexpr(e.operand), col=e.col)
            case A.Func():
                return A.Func(e.fn, tuple(self.iexpr(a) for a in e.args), col=e.col)
            case A.Select():
                return A.Select(
                    self.bexpr(e.cond), self.iexpr(e.then), self.iexpr(e.otherwise), col=e.col
                )
        raise AssertionError(f"not an integer expression: {e!r}")  # pragma: no cover

    def int_name(self, e: A.Name) -> A.IExpr:
        name = e.name
        kind = self.bindings.get(name)
        if kind == "dim":
            return A.Bound(name, col=e.col)
        if kind == "spread":
            raise Problem(
                f"'{name}' is a list of dims (bound by {name}... in a pattern), not one dim",
                e.col,
                f"write {name}... inside a list",
            )
        spec = self.param(name)
        if spec is not None:
            kind_ = spec.kind
            if kind_ is ParamKind.TENSOR:
                raise Problem(
                    f"'{name}' is a tensor parameter, not a number",
                    e.col,
                    f"write {name}[i] for an element or len({name}) for its size",
                )
            if kind_ is ParamKind.BOOL:
                raise Problem(
                    f"'{name}' is a boolean parameter, not a number",
                    e.col,
                    f"use it as a condition: select({name}, a, b)",
                )
            self.needs_value(spec, e.col)
            return A.ScalarParam(name, col=e.col)
        if name == "N" and self.op.inputs:
            return A.RankOf(A.TensorRef("in", 0, col=e.col), col=e.col)
        raise Problem(f"unknown name '{name}'", e.col, self.name_hint(name, numbers=True))

    def name_hint(self, name: str, numbers: bool) -> str | None:
        if numbers:
            choices = [n for n, k in self.bindings.items() if k == "dim"]
            choices += [
                p.name for p in self.op.params if p.kind in (ParamKind.SCALAR, ParamKind.ENUM)
            ]
            choices += ["N"] if self.op.inputs else []
        else:
            choices = [p.name for p in self.op.params if p.kind is ParamKind.BOOL]
        hint = did_you_mean(name, choices)
        if hint is None and any(t.name == name for t in self.op.inputs + self.op.outputs):
            hint = f"'{name}' is a tensor: write {name}.shape[i] or rank({name})"
        if hint is None and not self.bindings and numbers:
            hint = "bind dim names with a pattern on an input, e.g. <Text>= [B, M, K]</Text>"
        return hint

    def needs_value(self, spec: TensorSpec, col: int) -> None:
        if not spec.mandatory and spec.default is None:
            raise Problem(
                f"the rule reads optional parameter '{spec.name}', which has no Default",
                col,
                "give it a <Default> or make it mandatory",
            )

    def tensor_param(self, name: str, col: int) -> TensorSpec:
        spec = self.param(name)
        if spec is None:
            choices = [p.name for p in self.op.params if p.kind is ParamKind.TENSOR]
            raise Problem(f"unknown tensor parameter '{name}'", col, did_you_mean(name, choices))
        if spec.kind is not ParamKind.TENSOR:
            raise Problem(
                f"'{name}' is a scalar parameter, not a tensor",
                col,
                f"use {name} itself as a number",
            )
        if spec.datatypes and all(d.is_float or d is Datatype.BOOL_8 for d in spec.datatypes):
            raise Problem(f"'{name}' holds no integers (its datatypes are not integer types)", col)
        self.needs_value(spec, col)
        return spec

    def axes(self, axes: A.Axes) -> A.Axes:
        if isinstance(axes, A.AxesParam):
            self.tensor_param(axes.param, axes.col)
            return axes
        return A.AxesList(tuple(self.iexpr(a) for a in axes.axes), col=axes.col)

    # ---- booleans

    def bexpr(self, e: A.BExpr) -> A.BExpr:
        match e:
            case A.BoolLit() | A.BoolParam():
                return e
            case A.Name():
                return self.bool_name(e)
            case A.Compare():
                return A.Compare(e.op, self.iexpr(e.left), self.iexpr(e.right), col=e.col)
            case A.Divisible():
                return A.Divisible(self.iexpr(e.value), self.iexpr(e.divisor), col=e.col)
            case A.Logic():
                return A.Logic(e.op, self.bexpr(e.left), self.bexpr(e.right), col=e.col)
            case A.Not():
                return A.Not(self.bexpr(e.operand), col=e.col)
        raise AssertionError(f"not a condition: {e!r}")  # pragma: no cover

    def bool_name(self, e: A.Name) -> A.BExpr:
        spec = self.param(e.name)
        if e.name not in self.bindings and spec is not None and spec.kind is ParamKind.BOOL:
            self.needs_value(spec, e.col)
            return A.BoolParam(e.name, col=e.col)
        if e.name in self.bindings or spec is not None:
            raise Problem(
                f"'{e.name}' is a number, not a condition",
                e.col,
                f"compare it, e.g. {e.name} != 0",
            )
        raise Problem(f"unknown condition '{e.name}'", e.col, self.name_hint(e.name, numbers=False))


def _ref_text(ref: A.TensorRef) -> str:
    if ref.name is not None:
        return f"'{ref.name}'"
    return f"{ref.role}[-{ref.index}]" if ref.from_end else f"{ref.role}[{ref.index}]"
