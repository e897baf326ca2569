"""The syntax tree of shape and dtype rules: what the parser builds and every consumer reads.

A rule is one line of config text (an output's or input's `<Shape><Text>` starting with `=`, or a
`<Constraint>`'s `<Code>`). The parser gives the nodes below with `Name` leaves; the checker
(`opgen.shapes.check`) resolves every `Name` into `Bound`, `ScalarParam` or `RankOf` and every
tensor name into a `TensorRef`, so the evaluator and the C++ emitter never look names up.

Nodes are frozen and hashable; `col` is the 1-based column of the node in its rule text, which
diagnostics add to the text's own location. The checked rules of one op, each with the text it
was parsed from, are gathered in `opgen.shapes.oprules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from opgen.model import Datatype

# ---- tensors ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TensorRef:
    """`in[i]`, `out[i]` or an input's XML name, resolved to a position among the op config's
    tensors. ``from_end`` counts from the last input (inputs after a Repeated one)."""

    role: str  # "in" | "out"
    index: int
    from_end: bool = False
    col: int = field(default=0, compare=False)
    name: str | None = field(default=None, compare=False)
    """The XML name as written, when the rule named the tensor (for messages)."""


@dataclass(frozen=True)
class AllInputs:
    """`in[*]`: every input of the op config, a Repeated input's copies included."""

    col: int = field(default=0, compare=False)


# ---- integer expressions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: int
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Name:
    """A bare identifier before checking: a bound dim, a scalar param or `N`."""

    name: str
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Bound:
    """A dim name bound by an input pattern (`M` in `= [B, M, K]`)."""

    name: str
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ScalarParam:
    """A scalar parameter's value (its XML default when the op config omits it)."""

    name: str
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Dim:
    """`t.shape[i]`; a negative index counts from the end."""

    tensor: TensorRef
    index: IExpr
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class RankOf:
    """`rank(t)`; also what `N` resolves to (the rank of `in[0]`)."""

    tensor: TensorRef
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Numel:
    tensor: TensorRef
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Len:
    """`len(p)`: the element count of a tensor parameter."""

    param: str
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class ParamElem:
    """`p[i]` or `p[i, j]`: an element of a static tensor parameter (row-major)."""

    param: str
    indices: tuple[IExpr, ...]
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BinOp:
    op: str  # "+" | "-" | "*" | "//" | "%"
    left: IExpr
    right: IExpr
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Neg:
    operand: IExpr
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Func:
    """`cdiv(a, b)` (ceiling division), `max(a, b, ...)`, `min(a, b, ...)`."""

    fn: str  # "cdiv" | "max" | "min"
    args: tuple[IExpr, ...]
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Select:
    cond: BExpr
    then: IExpr
    otherwise: IExpr
    col: int = field(default=0, compare=False)


IExpr = (
    Num
    | Name
    | Bound
    | ScalarParam
    | Dim
    | RankOf
    | Numel
    | Len
    | ParamElem
    | BinOp
    | Neg
    | Func
    | Select
)

# ---- boolean expressions ---------------------------------------------------------------------


@dataclass(frozen=True)
class Compare:
    """`a == b` and friends; `eq(a, b)`, `lt(a, b)`, `le(a, b)` parse to this too."""

    op: str  # "==" | "!=" | "<" | "<=" | ">" | ">="
    left: IExpr
    right: IExpr
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Divisible:
    """`divisible(a, b)`: b divides a exactly."""

    value: IExpr
    divisor: IExpr
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BoolLit:
    value: bool
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BoolParam:
    """A BOOL_8 scalar parameter used as a condition (`keep_dims`)."""

    name: str
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Logic:
    op: str  # "and" | "or"
    left: BExpr
    right: BExpr
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Not:
    operand: BExpr
    col: int = field(default=0, compare=False)


BExpr = Compare | Divisible | BoolLit | BoolParam | Name | Logic | Not
"""`Name` appears only before checking (a bool param or a pattern name, decided by the checker)."""

# ---- shapes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unknown:
    """`?` as one dim of a list: that dim comes from user code."""

    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class SliceSpread:
    """`t.shape[a:b]...`: the dims of t from a to b (Python slice rules, ends optional)."""

    tensor: TensorRef
    start: IExpr | None
    stop: IExpr | None
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BoundSpread:
    """`B...` in an output list: the dims a pattern bound to `B...`."""

    name: str
    col: int = field(default=0, compare=False)


Item = IExpr | Unknown | SliceSpread | BoundSpread


@dataclass(frozen=True)
class ShapeList:
    items: tuple[Item, ...]
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class AxesList:
    axes: tuple[IExpr, ...]
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class AxesParam:
    """Axes held by a tensor parameter (`axes`, `perm`)."""

    param: str
    col: int = field(default=0, compare=False)


Axes = AxesList | AxesParam


@dataclass(frozen=True)
class Like:
    tensor: TensorRef
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Broadcast:
    tensors: tuple[TensorRef, ...] | AllInputs
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Reduce:
    tensor: TensorRef
    axes: Axes
    keep_dims: BExpr
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Concat:
    axis: IExpr
    tensors: tuple[TensorRef, ...] | AllInputs
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Permute:
    tensor: TensorRef
    perm: Axes
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class With:
    """`with(t, axis, dim)`: t's shape with one dim replaced."""

    tensor: TensorRef
    axis: IExpr
    dim: IExpr
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Insert:
    """`insert(t, axis, dim)`: t's shape with a dim inserted before `axis` (-1 appends)."""

    tensor: TensorRef
    axis: IExpr
    dim: IExpr
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Remove:
    tensor: TensorRef
    axes: Axes
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Matmul:
    """Batched matmul: [..., M, K] x [..., K, N] -> [broadcast(...), M, N]."""

    left: TensorRef
    right: TensorRef
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Hook:
    """`= hook` or `= ?`: the whole shape (or dtype) comes from user code."""

    col: int = field(default=0, compare=False)


ShapeExpr = (
    ShapeList
    | Like
    | Broadcast
    | Reduce
    | Concat
    | Permute
    | With
    | Insert
    | Remove
    | Matmul
    | Hook
)

# ---- input patterns --------------------------------------------------------------------------


@dataclass(frozen=True)
class PInt:
    """A literal dim in a pattern: a check."""

    value: int
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class PBind:
    """A name in a pattern: binds the dim, or checks it equals an earlier binding."""

    name: str
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class PSpread:
    """`B...` binds zero or more dims; `...` alone (name None) accepts them."""

    name: str | None
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class PAny:
    """`_`: any one dim."""

    col: int = field(default=0, compare=False)


PElem = PInt | PBind | PSpread | PAny


@dataclass(frozen=True)
class Pattern:
    elems: tuple[PElem, ...]
    col: int = field(default=0, compare=False)


# ---- dtype rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DtypeLike:
    tensor: TensorRef
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class DtypeFixed:
    datatype: Datatype
    col: int = field(default=0, compare=False)


DtypeExpr = DtypeLike | DtypeFixed | Hook
