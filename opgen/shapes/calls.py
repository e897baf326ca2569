"""Output shapes from shape expressions: lists and the calls (like, broadcast, reduce, concat,
permute, with, insert, remove, matmul). Semantics are documented in :mod:`opgen.shapes.evaluate`."""

from __future__ import annotations

from collections.abc import Sequence

from opgen.shapes import ast
from opgen.shapes import symbolic as sym
from opgen.shapes.scope import Dim, Facts, Fail, Scope, Unknown, decided_equal, show


def shape_of(expr: ast.ShapeExpr, scope: Scope, reasons: list[str]) -> list[Dim | None]:
    """The dims ``expr`` gives; a None dim (with its reason appended to ``reasons``) needs user
    code or is unknown. Raises Fail (contradiction) or Unknown (the whole shape is unknown)."""
    if isinstance(expr, ast.ShapeList):
        return _list(expr, scope, reasons)
    if isinstance(expr, ast.Like):
        return list(scope.shape(expr.tensor))
    if isinstance(expr, ast.Broadcast):
        return _broadcast(_tensors(expr.tensors, scope), reasons)
    if isinstance(expr, ast.Reduce):
        dims = scope.shape(expr.tensor)
        axes = _axes(expr.axes, len(dims), scope, "reduce axis")
        keep = scope.bval(expr.keep_dims)
        if keep is None:
            raise Unknown("keep_dims undecided")
        if not axes:  # ONNX's reduce ops: no axes reduce every dim
            axes = list(range(len(dims)))
        return [1 if i in axes else d for i, d in enumerate(dims) if keep or i not in axes]
    if isinstance(expr, ast.Concat):
        return _concat(expr, scope)
    if isinstance(expr, ast.Permute):
        dims = scope.shape(expr.tensor)
        perm = _axes(expr.perm, len(dims), scope, "permute axis", ordered=True)
        if sorted(perm) != list(range(len(dims))):
            raise Fail(f"{show(perm)} is not a permutation of the {len(dims)} dims")
        return [dims[p] for p in perm]
    if isinstance(expr, ast.With):
        changed: list[Dim | None] = list(scope.shape(expr.tensor))
        changed[scope.index(expr.axis, len(changed), "axis")] = scope.ival(expr.dim)
        return changed
    if isinstance(expr, ast.Insert):
        grown: list[Dim | None] = list(scope.shape(expr.tensor))
        grown.insert(scope.index(expr.axis, len(grown) + 1, "axis"), scope.ival(expr.dim))
        return grown
    if isinstance(expr, ast.Remove):
        dims = scope.shape(expr.tensor)
        axes = _axes(expr.axes, len(dims), scope, "removed axis")
        return [d for i, d in enumerate(dims) if i not in axes]
    if isinstance(expr, ast.Matmul):
        return _matmul(scope.tensor(expr.left), scope.tensor(expr.right), reasons)
    raise Unknown("the whole shape to user code")  # ast.Hook


def _list(expr: ast.ShapeList, scope: Scope, reasons: list[str]) -> list[Dim | None]:
    dims: list[Dim | None] = []
    for item in expr.items:
        if isinstance(item, ast.Unknown):
            reasons.append(f"dim {len(dims)} to user code")
            dims.append(None)
        elif isinstance(item, ast.SliceSpread):
            shape = scope.shape(item.tensor)
            start = _bound(item.start, scope)
            stop = _bound(item.stop, scope)
            dims.extend(shape[start:stop])
        elif isinstance(item, ast.BoundSpread):
            if item.name not in scope.spreads:
                if item.name in scope.unknown:
                    raise Unknown(f"{item.name}... is bound by an input of unknown rank")
                raise Fail(
                    f"{item.name}... is not bound (the input whose pattern binds it is absent)"
                )
            dims.extend(scope.spreads[item.name])
        else:
            try:
                dims.append(scope.ival(item))
            except Unknown as exc:
                reasons.append(f"dim {len(dims)} unknown ({exc})")
                dims.append(None)
    return dims


def _bound(expr: ast.IExpr | None, scope: Scope) -> int | None:
    if expr is None:
        return None
    value = scope.ival(expr)
    if not isinstance(value, int):
        raise Unknown(f"a slice end ({value}) that is not a known number")
    return value


def _tensors(refs: tuple[ast.TensorRef, ...] | ast.AllInputs, scope: Scope) -> list[Facts]:
    if isinstance(refs, ast.AllInputs):
        return scope.all_inputs()
    return [scope.tensor(r) for r in refs]


def _axes(
    axes: ast.Axes, rank: int, scope: Scope, what: str, *, ordered: bool = False
) -> list[int]:
    if isinstance(axes, ast.AxesParam):
        spec = next((p for p in scope.op.params if p.name == axes.param), None)
        values = (
            [scope.scalar(axes.param)]
            if spec is not None and spec.rank.is_scalar
            else scope.elements(axes.param)
        )
    else:
        values = []
        for a in axes.axes:
            v = scope.ival(a)
            if not isinstance(v, int):
                raise Unknown(f"an {what} that is not a known number")
            values.append(v)
    out = []
    for v in values:
        if not -rank <= v < rank:
            raise Fail(f"{what} {v} is out of range for rank {rank}")
        out.append(v + rank if v < 0 else v)
    if ordered:
        return out
    if len(set(out)) != len(out):
        raise Fail(f"the axes {show(values)} name a dim twice")
    return sorted(out)


def _merge(a: Dim, b: Dim, where: str) -> Dim | None:
    """One broadcast dim (None: unknown, two different symbols)."""
    if a == 1:
        return b
    if b == 1 or decided_equal(a, b):
        return a
    if isinstance(a, int) and isinstance(b, int):
        raise Fail(f"{where}: {a} and {b} do not broadcast")
    if isinstance(a, int) or isinstance(b, int):
        return a if isinstance(a, int) else b  # ONNX: the symbol must be 1 or that number
    if sym.sign_of_difference(a, b) is not None:
        raise Fail(f"{where}: {a} and {b} do not broadcast")
    return None


def _broadcast(tensors: Sequence[Facts], reasons: list[str]) -> list[Dim | None]:
    shapes = []
    for t in tensors:
        if t.shape is None:
            raise Unknown(f"the shape of {t.label} is unknown")
        shapes.append(t.shape)
    return broadcast_shapes(shapes, ", ".join(t.label for t in tensors), reasons)


def broadcast_shapes(
    shapes: Sequence[Sequence[Dim]], labels: str, reasons: list[str]
) -> list[Dim | None]:
    rank = max((len(s) for s in shapes), default=0)
    out: list[Dim | None] = []
    for k in range(rank):
        dims = [s[len(s) - rank + k] for s in shapes if len(s) - rank + k >= 0]
        merged: Dim | None = dims[0]
        for d in dims[1:]:
            if merged is None:
                break
            merged = _merge(
                merged, d, f"broadcasting {labels} ({', '.join(show(s) for s in shapes)})"
            )
        if merged is None:
            reasons.append(f"dim {k} unknown (different symbols broadcast)")
        out.append(merged)
    return out


def _concat(expr: ast.Concat, scope: Scope) -> list[Dim | None]:
    tensors = _tensors(expr.tensors, scope)
    if not tensors:
        raise Fail("concat of no tensors")
    shapes = []
    for t in tensors:
        if t.shape is None:
            raise Unknown(f"the shape of {t.label} is unknown")
        shapes.append(t.shape)
    first = shapes[0]
    axis = scope.index(expr.axis, len(first), "concat axis")
    total: Dim = 0
    for t, s in zip(tensors, shapes, strict=True):
        if len(s) != len(first):
            raise Fail(f"{t.label} has rank {len(s)}, {tensors[0].label} rank {len(first)}")
        for k, (a, b) in enumerate(zip(first, s, strict=True)):
            if k != axis and decided_equal(a, b) is False:
                raise Fail(
                    f"dim {k} of {t.label} is {b}, of {tensors[0].label} {a} "
                    f"(only the concat axis {axis} may differ)"
                )
        total = sym.add(total, s[axis])
    return [total if k == axis else d for k, d in enumerate(first)]


def _matmul(left: Facts, right: Facts, reasons: list[str]) -> list[Dim | None]:
    if left.shape is None or right.shape is None:
        raise Unknown("the shape of a matmul operand is unknown")
    a, b = list(left.shape), list(right.shape)
    if not a or not b:
        raise Fail(
            f"matmul needs operands of rank 1 or more: {left.label} {show(a)}, "
            f"{right.label} {show(b)}"
        )
    row, column = len(a) == 1, len(b) == 1
    if row:
        a = [1, *a]
    if column:
        b = [*b, 1]
    if decided_equal(a[-1], b[-2]) is False:
        raise Fail(
            f"{left.label} {show(left.shape)} and {right.label} {show(right.shape)}: "
            f"the inner dims {a[-1]} and {b[-2]} differ"
        )
    batch = broadcast_shapes(
        [a[:-2], b[:-2]], f"the batch dims of {left.label}, {right.label}", reasons
    )
    return [*batch, *([] if row else [a[-2]]), *([] if column else [b[-1]])]
