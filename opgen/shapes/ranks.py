"""Rank arithmetic at config time: what rank a rule gives, against the declared `Rank`."""

from __future__ import annotations

from opgen.model import TensorSpec
from opgen.shapes import ast as A
from opgen.shapes.resolve import Problem, Scope


def pattern_rank(pattern: A.Pattern, dims: int | None) -> str | None:
    """Why a pattern contradicts a declared rank of `dims` (None: ND), or None."""
    fixed = sum(not isinstance(e, A.PSpread) for e in pattern.elems)
    spread = len(pattern.elems) != fixed
    if dims is None:
        return None
    if spread and fixed > dims:
        return f"the pattern needs at least {fixed} dims, but the input is rank {dims}"
    if not spread and fixed != dims:
        return f"the pattern has {fixed} dim(s), but the input is rank {dims}"
    return None


def shape_rank(expr: A.ShapeExpr, scope: Scope) -> int | None:
    """The rank a resolved shape rule gives, when the declaration fixes it."""
    match expr:
        case A.ShapeList():
            if any(isinstance(i, A.SliceSpread | A.BoundSpread) for i in expr.items):
                return None
            return len(expr.items)
        case A.Like() | A.With() | A.Permute():
            return scope.rank(expr.tensor)
        case A.Insert():
            rank = scope.rank(expr.tensor)
            return rank + 1 if rank is not None else None
        case A.Remove():
            rank = scope.rank(expr.tensor)
            if rank is None or not isinstance(expr.axes, A.AxesList):
                return None
            return rank - len(expr.axes.axes)
        case A.Reduce():
            rank = scope.rank(expr.tensor)
            keep = expr.keep_dims
            if rank is None or not isinstance(keep, A.BoolLit):
                return None
            if keep.value:
                return rank
            return rank - len(expr.axes.axes) if isinstance(expr.axes, A.AxesList) else None
        case A.Broadcast() | A.Concat():
            refs = expr.tensors
            if isinstance(refs, A.AllInputs):
                ranks = [scope.rank(A.TensorRef("in", i)) for i in range(len(scope.op.inputs))]
            else:
                ranks = [scope.rank(r) for r in refs]
            if any(r is None for r in ranks) or not ranks:
                return None
            known = [r for r in ranks if r is not None]
            return max(known) if isinstance(expr, A.Broadcast) else known[0]
        case A.Matmul():
            left, right = scope.rank(expr.left), scope.rank(expr.right)
            if left is None or right is None:
                return None
            return max(left, right)
    return None


def check_shape_rank(expr: A.ShapeExpr, spec: TensorSpec, scope: Scope) -> None:
    """A rule whose rank contradicts the output's declared `Rank` is a config error."""
    declared = spec.rank.dims
    got = shape_rank(expr, scope)
    if declared is None or got is None or got == declared:
        return
    raise Problem(
        f"the rule gives rank {got}, but the output declares Rank {spec.rank.value}",
        expr.col,
        "fix the rule or the <Rank>",
    )
