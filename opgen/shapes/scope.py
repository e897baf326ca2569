"""What one evaluation of an op's rules sees: its tensors, params and pattern bindings, and the
integer and boolean expressions over them. Used by :mod:`opgen.shapes.evaluate` only.

Two internal exceptions travel up to the evaluator, which adds op, tensor and rule to them:
:class:`Fail` (the values contradict the rule: a RuleError) and :class:`Unknown` (the value needs
user code or an unknown dim: a None in the result, with the reason).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from opgen.model import (
    Datatype,
    FillDefault,
    ListDefault,
    Nested,
    OpDef,
    RankExpr,
    ScalarDefault,
    TensorSpec,
)
from opgen.shapes import ast
from opgen.shapes import symbolic as sym
from opgen.shapes.symbolic import SymDim

Dim = int | SymDim
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
#: Internal symbols standing for input dims given as None (unknown, no dim_param).
UNKNOWN_PREFIX = "?"


class Fail(Exception):
    """The values contradict the rule."""


class Unknown(Exception):
    """The value is not known here (user code, an unknown dim, an undecidable condition)."""


@dataclass(frozen=True)
class Facts:
    """An actual tensor as the scope sees it: dims normalised, None rank for unknown."""

    label: str
    shape: tuple[Dim, ...] | None
    dtype: Datatype | None


@dataclass(frozen=True)
class _Fill:
    """A `{v,..,v}` default: every element is `value`, the length is the node's."""

    value: object


def bind_positions(specs: Sequence[TensorSpec], count: int) -> list[int] | None:
    """The declared tensor (its XML index) each of ``count`` actual tensors binds to: a Repeated
    one absorbs the extra ones, trailing ones may be absent. None when they cannot bind."""
    repeated = next((i for i, s in enumerate(specs) if s.repeated), None)
    if repeated is None:
        return list(range(count)) if count <= len(specs) else None
    after = len(specs) - repeated - 1
    if count < len(specs) - 1:
        return None
    return [
        i if i < repeated else (len(specs) - (count - i) if i >= count - after else repeated)
        for i in range(count)
    ]


def checked(value: Dim, what: str) -> Dim:
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        raise Fail(f"{what} = {value} overflows a signed 64-bit integer")
    return value


def decided_equal(a: Dim, b: Dim) -> bool | None:
    sign = sym.sign_of_difference(a, b)
    return None if sign is None else sign == 0


class Scope:
    """Tensors, params and bindings of one op evaluation."""

    def __init__(
        self,
        op: OpDef,
        inputs: Sequence[Facts],
        params: Mapping[str, object],
        outputs: Callable[[int], Facts],
    ) -> None:
        self.op = op
        self.inputs = inputs
        self.params = params
        self.output_facts = outputs
        self.bound: dict[str, Dim] = {}
        self.spreads: dict[str, tuple[Dim, ...]] = {}
        self.origin: dict[str, str] = {}
        self._param_cache: dict[str, object] = {}
        self._specs = {p.name: p for p in op.params}

    # ---- tensors -----------------------------------------------------------------------------

    def tensor(self, ref: ast.TensorRef) -> Facts:
        if ref.role == "out":
            return self.output_facts(-ref.index if ref.from_end else ref.index)
        n = len(self.inputs)
        index = n - ref.index if ref.from_end else ref.index  # in[-k]: k-th from the end
        if not 0 <= index < n:
            name = ref.name or f"in[{ref.index}]"
            raise Fail(f"input {name} is absent (the op config has {n} input(s))")
        return self.inputs[index]

    def shape(self, ref: ast.TensorRef) -> tuple[Dim, ...]:
        facts = self.tensor(ref)
        if facts.shape is None:
            raise Unknown(f"the shape of {facts.label} is unknown")
        return facts.shape

    def all_inputs(self) -> list[Facts]:
        return list(self.inputs)

    # ---- params ------------------------------------------------------------------------------

    def param(self, name: str) -> object:
        if name in self._param_cache:
            return self._param_cache[name]
        spec = self._specs.get(name)
        if name in self.params:
            value = _plain(self.params[name])
            if isinstance(value, str) and spec is not None and spec.enum_values:
                if value not in spec.enum_values:
                    labels = ", ".join(spec.enum_values)
                    raise Fail(f"parameter '{name}' is {value!r}, not one of {labels}")
                value = spec.enum_values.index(value)
        elif spec is not None and spec.default is not None:
            value = self._default(spec.default.value)
        elif spec is not None and spec.mandatory:
            raise Fail(f"mandatory parameter '{name}' is missing (it has no default)")
        else:
            raise Fail(f"parameter '{name}' is not given and has no default")
        self._param_cache[name] = value
        return value

    def _default(self, value: ScalarDefault | ListDefault | FillDefault) -> object:
        if isinstance(value, FillDefault):
            return _Fill(value.value)
        if isinstance(value, ScalarDefault):
            return self._element(value.value)
        return self._nested(value.values)

    def _nested(self, item: Nested) -> object:
        if isinstance(item, tuple):
            return [self._nested(i) for i in item]
        return self._element(item)

    def _element(self, item: object) -> object:
        if isinstance(item, RankExpr):
            first = self.inputs[0] if self.inputs else None
            if first is None or first.shape is None:
                raise Unknown(f"the default {item} needs the rank of in[0]")
            return item.evaluate(len(first.shape))
        return item

    def scalar(self, name: str) -> int:
        return as_int(self.param(name), f"parameter '{name}'")

    def boolean(self, name: str) -> bool:
        value = self.param(name)
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise Fail(f"parameter '{name}' is {value!r}, not a boolean")

    def elements(self, name: str) -> list[int]:
        value = self.param(name)
        if isinstance(value, _Fill):
            raise Fail(
                f"parameter '{name}' defaults to {{{value.value},..}}: its length is unknown"
            )
        flat: list[object] = []
        _flatten(value, flat)
        return [as_int(v, f"an element of parameter '{name}'") for v in flat]

    def element(self, name: str, indices: Sequence[int]) -> int:
        value = self.param(name)
        if isinstance(value, _Fill):
            return as_int(value.value, f"an element of parameter '{name}'")
        for depth, i in enumerate(indices):
            if not isinstance(value, list):
                raise Fail(f"parameter '{name}' has {depth} dim(s), indexed with {len(indices)}")
            if not -len(value) <= i < len(value):
                raise Fail(
                    f"{name}[{', '.join(map(str, indices))}]: index {i} is out of range "
                    f"(dim {depth} has {len(value)} element(s))"
                )
            value = value[i]
        if isinstance(value, list):
            raise Fail(f"{name}[{', '.join(map(str, indices))}] is not one element")
        return as_int(value, f"{name}[{', '.join(map(str, indices))}]")

    # ---- integer expressions -----------------------------------------------------------------

    def index(self, expr: ast.IExpr, size: int, what: str) -> int:
        """An index into ``size`` things, negative from the end."""
        value = self.ival(expr)
        if not isinstance(value, int):
            raise Unknown(f"{what} {value} is not a known number")
        if not -size <= value < size:
            raise Fail(f"{what} {value} is out of range for {size} dim(s)")
        return value + size if value < 0 else value

    def ival(self, e: ast.IExpr) -> Dim:
        if isinstance(e, ast.Num):
            return e.value
        if isinstance(e, ast.Bound):
            if e.name in self.bound:
                return self.bound[e.name]
            raise Fail(f"{e.name} is not bound (the input whose pattern binds it is absent)")
        if isinstance(e, ast.ScalarParam):
            return self.scalar(e.name)
        if isinstance(e, ast.Dim):
            shape = self.shape(e.tensor)
            label = self.tensor(e.tensor).label
            return shape[self.index(e.index, len(shape), f"{label}.shape index")]
        if isinstance(e, ast.RankOf):
            return len(self.shape(e.tensor))
        if isinstance(e, ast.Numel):
            total: Dim = 1
            for d in self.shape(e.tensor):
                total = checked(sym.mul(total, d), f"numel({self.tensor(e.tensor).label})")
            return total
        if isinstance(e, ast.Len):
            return len(self.elements(e.param))
        if isinstance(e, ast.ParamElem):
            indices = [self.ival(i) for i in e.indices]
            known = [i for i in indices if isinstance(i, int)]
            if len(known) != len(indices):
                raise Unknown(f"an index of {e.param} is not a known number")
            return self.element(e.param, known)
        if isinstance(e, ast.BinOp):
            return self._binop(e.op, self.ival(e.left), self.ival(e.right))
        if isinstance(e, ast.Neg):
            return checked(sym.mul(-1, self.ival(e.operand)), "a negation")
        if isinstance(e, ast.Func):
            args = [self.ival(a) for a in e.args]
            if e.fn == "cdiv":
                return self._binop("cdiv", *args)
            return (sym.maximum if e.fn == "max" else sym.minimum)(*args)
        if isinstance(e, ast.Select):
            cond = self.bval(e.cond)
            if cond is not None:
                return self.ival(e.then if cond else e.otherwise)
            then, otherwise = self.ival(e.then), self.ival(e.otherwise)
            if decided_equal(then, otherwise):
                return then
            raise Unknown("a select() whose condition depends on symbolic dims")
        raise Fail(f"unresolved name '{e.name}' (the rules were not checked)")

    def _binop(self, op: str, a: Dim, b: Dim) -> Dim:
        try:
            result = _BINOPS[op](a, b)
        except ZeroDivisionError:
            raise Fail(f"{_text(a)} {op} {_text(b)}: division by zero") from None
        return checked(result, f"{_text(a)} {op} {_text(b)}")

    # ---- conditions --------------------------------------------------------------------------

    def bval(self, e: ast.BExpr) -> bool | None:
        """True, False, or None when symbolic dims leave it undecided."""
        if isinstance(e, ast.BoolLit):
            return e.value
        if isinstance(e, ast.BoolParam):
            return self.boolean(e.name)
        if isinstance(e, ast.Compare):
            sign = sym.sign_of_difference(self.ival(e.left), self.ival(e.right))
            return None if sign is None else _COMPARE[e.op](sign)
        if isinstance(e, ast.Divisible):
            value, divisor = self.ival(e.value), self.ival(e.divisor)
            remainder = self._binop("%", value, divisor)
            return remainder == 0 if isinstance(remainder, int) else None
        if isinstance(e, ast.Logic):
            left, right = self.bval(e.left), self.bval(e.right)
            if e.op == "and":
                return (
                    False if False in (left, right) else (None if None in (left, right) else True)
                )
            return True if True in (left, right) else (None if None in (left, right) else False)
        if isinstance(e, ast.Not):
            inner = self.bval(e.operand)
            return None if inner is None else not inner
        raise Fail(f"unresolved name '{e.name}' (the rules were not checked)")

    # ---- patterns ----------------------------------------------------------------------------

    def match(self, pattern: ast.Pattern, facts: Facts) -> None:
        if facts.shape is None:
            return
        dims = facts.shape
        spread = next((i for i, p in enumerate(pattern.elems) if isinstance(p, ast.PSpread)), None)
        fixed = len(pattern.elems) - (spread is not None)
        if (spread is None and len(dims) != fixed) or len(dims) < fixed:
            wanted = f"at least {fixed}" if spread is not None else str(fixed)
            raise Fail(f"{facts.label} has rank {len(dims)}, the pattern wants {wanted}")
        extra = len(dims) - fixed
        position = 0
        for elem in pattern.elems:
            if isinstance(elem, ast.PSpread):
                taken = dims[position : position + extra]
                if elem.name is not None:
                    self._bind_spread(elem.name, taken, facts.label)
                position += extra
                continue
            dim = dims[position]
            if isinstance(elem, ast.PInt) and decided_equal(dim, elem.value) is False:
                raise Fail(f"dim {position} of {facts.label} is {_text(dim)}, not {elem.value}")
            if isinstance(elem, ast.PBind):
                self._bind(elem.name, dim, f"dim {position} of {facts.label}")
            position += 1

    def _bind(self, name: str, dim: Dim, where: str) -> None:
        if name not in self.bound:
            self.bound[name], self.origin[name] = dim, where
            return
        if decided_equal(self.bound[name], dim) is False:
            raise Fail(
                f"{where} is {_text(dim)}, but {name} = {_text(self.bound[name])} "
                f"({self.origin[name]})"
            )

    def _bind_spread(self, name: str, dims: tuple[Dim, ...], label: str) -> None:
        where = f"the dims of {label} bound to {name}..."
        if name not in self.spreads:
            self.spreads[name], self.origin[name] = dims, where
            return
        known = self.spreads[name]
        if len(known) != len(dims) or any(
            decided_equal(a, b) is False for a, b in zip(known, dims, strict=True)
        ):
            raise Fail(
                f"{where} are {show(dims)}, but {name}... = {show(known)} ({self.origin[name]})"
            )


# ---- helpers ---------------------------------------------------------------------------------


_BINOPS: dict[str, Callable[[Dim, Dim], Dim]] = {
    "+": sym.add,
    "-": sym.sub,
    "*": sym.mul,
    "//": sym.floordiv,
    "%": sym.mod,
    "cdiv": sym.cdiv,
}
_COMPARE: dict[str, Callable[[int], bool]] = {
    "==": lambda s: s == 0,
    "!=": lambda s: s != 0,
    "<": lambda s: s < 0,
    "<=": lambda s: s <= 0,
    ">": lambda s: s > 0,
    ">=": lambda s: s >= 0,
}


def _plain(value: object) -> object:
    """numpy arrays and scalars, and anything with ``tolist()``, as Python values."""
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and not isinstance(value, (list, tuple, str, bytes)):
        value = tolist()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _flatten(value: object, out: list[object]) -> None:
    if isinstance(value, list):
        for v in value:
            _flatten(v, out)
    else:
        out.append(value)


def as_int(value: object, what: str) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        raise Fail(f"{what} is a list, not one integer")
    raise Fail(f"{what} is {value!r}, not an integer")


def _text(value: Dim) -> str:
    return str(value)


def show(dims: Sequence[Dim | None]) -> str:
    return "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"
