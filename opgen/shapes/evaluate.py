"""The rules evaluated in Python: output shapes and dtypes from input facts, or a check of them.

    facts = infer(rules, op, [TensorFacts((2, 8), Datatype.FLOAT_32)], {"k": 3})
    facts[0].shape == (2, 3); facts[1].dtype is Datatype.INT_32

``infer`` matches every input pattern (binding its names), runs every ``require``, then gives
each XML output its shape and dtype; ``check`` does the same and compares given outputs with
what the rules say. A contradiction (a pattern an input does not fit, a failing require, a
division by zero, a negative dim, an axis out of range, shapes that do not broadcast...) raises
:class:`RuleError`, whose message names the op, the tensor, the rule text and the values.
What needs user code is not an error: a ``?`` dim, ``= hook``, or an output with no shape
rule gives ``None`` with the reason in :class:`OutputFacts`.

Dims are exact Python ints, or :class:`~opgen.shapes.symbolic.SymDim` for named ONNX dims (pass
a str or a SymDim as a dim). Concrete arithmetic is signed 64-bit (overflow is an error), ``//``
floors, ``cdiv`` rounds up. With symbols:

* a condition (pattern int, repeated name, ``require``) that the symbols leave undecided passes:
  only what is contradicted whatever the symbols are fails (``N`` vs ``N + 1``, never ``N`` vs
  ``M``);
* ``broadcast`` of a symbol with 1 (or with itself) gives the symbol, with a number other than 1
  the number (ONNX's practice: the symbol must be 1 or that number), and of two different symbols
  an unknown dim (None), as ONNX's shape inference does, since either may be the 1;
* a dim given as None (unknown, no dim_param) flows as an anonymous symbol; a result depending
  on one is None.

Shape semantics beyond CONVERTER_FACTS §6.3: ``reduce`` over no axes reduces every dim (as
ONNX's reduce ops and the C++ runtime do; numpy's ``axis=()`` would keep them); ``insert``'s axis
counts in the result (-1 appends); ``remove`` takes any dims, not only 1s; ``matmul`` follows
``numpy.matmul`` (a 1-D left operand is a row, a 1-D right operand a column, and the added dim is
dropped again). Tensor params are nested lists (or anything with ``.tolist()``); an absent param
takes its XML default (``N-1`` against the rank of in[0]).
No numpy here: the CLI and the ONNX tools import this.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from opgen.model import Datatype, OpDef
from opgen.shapes import ast
from opgen.shapes import symbolic as sym
from opgen.shapes.calls import shape_of
from opgen.shapes.oprules import OpRules, OutputRules, Require
from opgen.shapes.scope import UNKNOWN_PREFIX, Dim, Facts, Fail, Scope, Unknown, bind_positions
from opgen.shapes.scope import decided_equal as _equal
from opgen.shapes.scope import show as _show
from opgen.shapes.symbolic import SymDim

__all__ = ["OutputFacts", "RuleError", "SymDim", "TensorFacts", "check", "infer"]


class RuleError(Exception):
    """The values contradict an op's rules. ``str()`` is one line naming op, tensor, rule and
    values (``detail`` is the same without the op); ``op``, ``tensor`` and ``rule`` hold the
    parts (None where they do not apply)."""

    def __init__(
        self, detail: str, *, op: str, tensor: str | None = None, rule: str | None = None
    ) -> None:
        self.op, self.tensor, self.rule, self.detail = op, tensor, rule, detail
        super().__init__(f"{op}: {detail}")


@dataclass(frozen=True)
class TensorFacts:
    """What is known of an actual tensor: dims as ints, dim_param names (str) or SymDims, None
    for an unknown dim; ``shape`` None for an unknown rank; ``dtype`` None when unknown."""

    shape: Sequence[int | str | SymDim | None] | None
    dtype: Datatype | None = None


@dataclass(frozen=True)
class OutputFacts:
    """One XML output as the rules give it. A None (the whole shape, one dim, the dtype) needs
    user code or is unknown; ``shape_reason``/``dtype_reason`` say why."""

    name: str
    shape: tuple[int | SymDim | None, ...] | None
    dtype: Datatype | None
    shape_reason: str | None = None
    dtype_reason: str | None = None
    rule: str | None = field(default=None, compare=False)
    """The shape rule's text, None when the output has none."""

    @property
    def concrete_shape(self) -> tuple[int, ...] | None:
        """The shape when every dim is a known int."""
        if self.shape is None or not all(isinstance(d, int) for d in self.shape):
            return None
        return tuple(d for d in self.shape if isinstance(d, int))


def infer(
    rules: OpRules,
    op: OpDef,
    inputs: Sequence[TensorFacts],
    params: Mapping[str, object],
) -> tuple[OutputFacts, ...]:
    """Each XML output's shape and dtype (raises :class:`RuleError`)."""
    run = _Run(rules, op, inputs, params, None)
    run.prepare()
    return tuple(run.output(i) for i in range(len(rules.outputs)))


def check(
    rules: OpRules,
    op: OpDef,
    inputs: Sequence[TensorFacts],
    params: Mapping[str, object],
    outputs: Sequence[TensorFacts],
) -> None:
    """Raise :class:`RuleError` unless the inputs fit the rules and the outputs are what the
    rules give (dims or dtypes that need user code are not compared)."""
    run = _Run(rules, op, inputs, params, outputs)
    run.prepare()
    positions = bind_positions(op.outputs, len(outputs))
    if positions is None:
        raise RuleError(
            f"{len(outputs)} output(s) do not bind to the declared {len(op.outputs)}",
            op=op.name,
        )
    for given, xml in zip(run.given_outputs, positions, strict=True):
        run.compare(xml, given)


class _Run:
    def __init__(
        self,
        rules: OpRules,
        op: OpDef,
        inputs: Sequence[TensorFacts],
        params: Mapping[str, object],
        outputs: Sequence[TensorFacts] | None,
    ) -> None:
        self.rules, self.op = rules, op
        self.positions = bind_positions(op.inputs, len(inputs))
        if self.positions is None:
            raise RuleError(
                f"{len(inputs)} input(s) do not bind to the declared {len(op.inputs)}",
                op=op.name,
            )
        self.inputs = [
            _facts(op.name, _label(op.inputs[x].name, "in", i), t)
            for i, (t, x) in enumerate(zip(inputs, self.positions, strict=True))
        ]
        out_names = [o.name for o in op.outputs]
        self.given_outputs = [
            _facts(op.name, _label(out_names[i] if i < len(out_names) else "", "out", i), t)
            for i, t in enumerate(outputs or ())
        ]
        self.checking = outputs is not None
        self.scope = Scope(op, self.inputs, params, self._out)
        self.done: dict[int, OutputFacts] = {}
        self.busy: set[int] = set()

    # ---- patterns and requires ---------------------------------------------------------------

    def prepare(self) -> None:
        assert self.positions is not None
        for facts, xml in zip(self.inputs, self.positions, strict=True):
            rule = self.rules.patterns[xml] if xml < len(self.rules.patterns) else None
            if rule is None:
                continue
            try:
                self.scope.match(rule.pattern, facts)
            except Fail as exc:
                where = f"input {facts.label}: pattern '{rule.source.text}'"
                raise self._error(f"{where}: {exc}", facts.label, rule.source.text) from None
        for req in self.rules.requires:
            for i in range(len(req.conds)):
                self._require(req, i)

    def _require(self, req: Require, i: int) -> None:
        cond = req.conds[i]
        where = f"constraint {req.constraint_id} '{req.source.text}'"
        try:
            holds = self.scope.bval(cond)
        except Fail as exc:
            raise self._error(f"{where}: {exc}", None, req.source.text) from None
        except Unknown:
            return
        if holds is False:
            values = "; ".join(_values(cond, self.scope)) or "no values"
            part = _part(req.source.text, req.conds, i)
            raise self._error(f"{where}: {part} is false ({values})", None, req.source.text)

    # ---- outputs -----------------------------------------------------------------------------

    def _out(self, index: int) -> Facts:
        if index < 0:
            index += len(self.given_outputs if self.checking else self.rules.outputs)
        if self.checking:
            if not 0 <= index < len(self.given_outputs):
                raise Fail(f"out[{index}] is absent")
            return self.given_outputs[index]
        if not 0 <= index < len(self.rules.outputs):
            raise Fail(f"out[{index}] is absent (the op declares {len(self.rules.outputs)})")
        out = self.output(index)
        if out.shape is None or any(d is None for d in out.shape):
            raise Unknown(f"the shape of {out.name} is unknown")
        return Facts(out.name, tuple(d for d in out.shape if d is not None), out.dtype)

    def output(self, index: int) -> OutputFacts:
        if index in self.done:
            return self.done[index]
        rules = self.rules.outputs[index]
        if index in self.busy:
            raise Fail(f"the rule of output '{rules.name}' depends on itself")
        self.busy.add(index)
        shape, shape_reason = self._shape(rules)
        dtype, dtype_reason = self._dtype(rules)
        self.busy.discard(index)
        text = rules.shape.source.text if rules.shape else None
        self.done[index] = OutputFacts(rules.name, shape, dtype, shape_reason, dtype_reason, text)
        return self.done[index]

    def _shape(self, rules: OutputRules) -> tuple[tuple[Dim | None, ...] | None, str | None]:
        if rules.shape is None:
            return None, "it has no shape rule"
        text = rules.shape.source.text
        reasons: list[str] = []
        try:
            dims = shape_of(rules.shape.expr, self.scope, reasons)
        except Fail as exc:
            raise self._error(
                f"output '{rules.name}': shape rule '{text}': {exc}", rules.name, text
            ) from None
        except Unknown as exc:
            if isinstance(rules.shape.expr, ast.Hook):
                return None, f"its shape rule '{text}' leaves the whole shape to user code"
            return None, f"its shape rule '{text}' gives no shape: {exc}"
        for k, d in enumerate(dims):
            if isinstance(d, int) and d < 0:
                raise self._error(
                    f"output '{rules.name}': shape rule '{text}' gives dim {k} = "
                    f"{d}, a negative dim ({self._inputs_text()})",
                    rules.name,
                    text,
                )
        dims = [None if _anonymous(d) else d for d in dims]
        if any(d is None for d in dims) and not reasons:
            reasons.append("a dim that depends on an unknown input dim")
        return tuple(dims), (
            f"its shape rule '{text}' leaves " + ", ".join(reasons) if reasons else None
        )

    def _dtype(self, rules: OutputRules) -> tuple[Datatype | None, str | None]:
        expr = rules.dtype.expr
        text = rules.dtype.source.text if rules.dtype.source else "the default dtype"
        if isinstance(expr, ast.DtypeFixed):
            return expr.datatype, None
        if isinstance(expr, ast.Hook):
            return None, f"its dtype rule '{text}' leaves the dtype to user code"
        try:
            facts = self.scope.tensor(expr.tensor)
        except Fail as exc:
            raise self._error(
                f"output '{rules.name}': dtype rule '{text}': {exc}", rules.name, text
            ) from None
        if facts.dtype is None:
            return None, f"the dtype of {facts.label} is unknown"
        return facts.dtype, None

    def compare(self, xml: int, given: Facts) -> None:
        want = self.output(xml)
        rule = want.rule or ""
        if want.shape is not None and given.shape is not None:
            if len(want.shape) != len(given.shape):
                raise self._error(
                    f"output {given.label} has shape {_show(given.shape)}, but its shape rule "
                    f"'{rule}' gives rank {len(want.shape)}: {_show(want.shape)} "
                    f"({self._inputs_text()})",
                    given.label,
                    rule,
                )
            for k, (w, g) in enumerate(zip(want.shape, given.shape, strict=True)):
                if w is not None and _equal(w, g) is False:
                    raise self._error(
                        f"output {given.label} has shape {_show(given.shape)}, but its shape "
                        f"rule '{rule}' gives {_show(want.shape)} (dim {k}; "
                        f"{self._inputs_text()})",
                        given.label,
                        rule,
                    )
        if want.dtype is not None and given.dtype is not None and want.dtype is not given.dtype:
            source = self.rules.outputs[xml].dtype.source
            text = f"dtype rule '{source.text}'" if source else "default dtype"
            raise self._error(
                f"output {given.label} is {given.dtype.value}, but its {text} gives "
                f"{want.dtype.value}",
                given.label,
                source.text if source else None,
            )

    # ---- messages ----------------------------------------------------------------------------

    def _error(self, message: str, tensor: str | None, rule: str | None) -> RuleError:
        return RuleError(message, op=self.op.name, tensor=tensor, rule=rule)

    def _inputs_text(self) -> str:
        parts = [
            f"{f.label} = {_show(f.shape) if f.shape is not None else '?'}" for f in self.inputs
        ]
        return ", ".join(parts) or "no inputs"


def _label(name: str, role: str, position: int) -> str:
    default = f"{role}[{position}]"
    return f"'{name}'" if name and name != default else default


def _facts(op: str, label: str, t: TensorFacts) -> Facts:
    if t.shape is None:
        return Facts(label, None, t.dtype)
    dims: list[Dim] = []
    for k, d in enumerate(t.shape):
        if d is None:
            dims.append(SymDim.symbol(f"{UNKNOWN_PREFIX}{label}.{k}"))
        elif isinstance(d, bool) or not isinstance(d, (int, str, SymDim)):
            raise TypeError(f"dim {k} of {label} is {d!r}: give an int, a str or a SymDim")
        elif isinstance(d, int) and d < 0:
            raise RuleError(
                f"dim {k} of {label} is {d}: a dim cannot be negative", op=op, tensor=label
            )
        else:
            dims.append(sym.as_dim(d))
    return Facts(label, tuple(dims), t.dtype)


def _anonymous(d: Dim | None) -> bool:
    return isinstance(d, SymDim) and any(s.startswith(UNKNOWN_PREFIX) for s in d.symbols())


def _part(text: str, conds: Sequence[ast.BExpr], i: int) -> str:
    """The text of condition ``i`` of a `require` (from its first column to the next one's)."""
    starts = [_start(c) for c in conds]
    start = starts[i]
    if start <= 0 or start > len(text):
        return f"'{text}'"
    stop = starts[i + 1] - 1 if i + 1 < len(starts) and starts[i + 1] > start else len(text)
    return "'" + text[start - 1 : stop].strip().rstrip(";").strip() + "'"


def _start(node: object) -> int:
    """The first column of a node (an infix node's own column is its operator's)."""
    cols = [c for c in [getattr(node, "col", 0)] if c > 0]
    for name in getattr(node, "__dataclass_fields__", {}):
        value = getattr(node, name)
        for item in value if isinstance(value, tuple) else (value,):
            if hasattr(item, "__dataclass_fields__"):
                col = _start(item)
                if col > 0:
                    cols.append(col)
    return min(cols, default=0)


def _values(e: object, scope: Scope) -> list[str]:
    """`name = value` for the leaves of a condition, for messages."""
    out: list[str] = []

    def add(label: str, fn: Callable[[], object]) -> None:
        try:
            text = f"{label} = {fn()}"
        except (Fail, Unknown):
            return
        if text not in out:
            out.append(text)

    def walk(node: object) -> None:
        if isinstance(node, ast.Bound):
            add(node.name, lambda: scope.bound.get(node.name, "?"))
        elif isinstance(node, ast.ScalarParam | ast.BoolParam):
            add(node.name, lambda: scope.param(node.name))
        elif isinstance(node, ast.Dim | ast.RankOf | ast.Numel):
            try:
                label = scope.tensor(node.tensor).label
            except Fail:
                return
            add(f"{label}.shape", lambda: _show(scope.shape(node.tensor)))
        elif isinstance(node, ast.Len | ast.ParamElem):
            add(node.param, lambda: scope.param(node.param))
        for child in getattr(node, "__dataclass_fields__", {}):
            value = getattr(node, child)
            for item in value if isinstance(value, tuple) else (value,):
                if hasattr(item, "__dataclass_fields__") and not isinstance(item, ast.TensorRef):
                    walk(item)

    walk(e)
    return out
