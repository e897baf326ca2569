"""Output shapes and input patterns of shape rules as C++ statements (see emit_cpp.py).

Each function appends lines through `emit(line, depth)`; expressions come from the `Scope`
(emit_cpp_expr.py), config text only as string literals (`lit`).
"""

from __future__ import annotations

from collections.abc import Callable

from opgen.model import TensorSpec
from opgen.shapes import ast
from opgen.shapes.emit_cpp_expr import EmitError, Scope, int_lit, lit, walk
from opgen.shapes.oprules import PatternRule

CTX = "::opgen::rules"

Emit = Callable[[str, int], None]


def positions(j: int, specs: tuple[TensorSpec, ...], count: str) -> tuple[str, str]:
    """C++ (first, end) of the config positions XML tensor `j` takes, given `count` tensors:
    declared ones in order, a Repeated one absorbing the rest, the ones after it from the end."""
    repeated = next((i for i, s in enumerate(specs) if s.repeated), None)
    if repeated is None or j < repeated:
        return f"{j}u", f"{j + 1}u"
    after = len(specs) - j
    if j > repeated:
        first = f"({count} >= {after}u ? {count} - {after}u : {count})"
        return first, f"{first} + 1u"
    tail = len(specs) - repeated - 1
    return f"{j}u", f"({count} >= {tail}u ? {count} - {tail}u : 0u)"


def may_need_hook(e: ast.ShapeExpr) -> bool:
    return isinstance(e, ast.Hook) or any(isinstance(n, ast.Unknown) for n in walk(e))


# ---- input patterns --------------------------------------------------------------------------


def input_pattern(
    scope: Scope, inputs: tuple[TensorSpec, ...], j: int, rule: PatternRule, emit: Emit
) -> None:
    """Checks XML input `j` (each copy of a Repeated one) against its pattern, binding names."""
    spec = inputs[j]
    elems = rule.pattern.elems
    spread_at = next((i for i, e in enumerate(elems) if isinstance(e, ast.PSpread)), None)
    fixed = len(elems) - (0 if spread_at is None else 1)
    first, end = positions(j, inputs, "ctx.numInputs()")
    emit(f"ctx.rule({lit(f'input {spec.name!r}')}, {lit(rule.source.text)});", 1)
    emit(f"for (uint32_t p = {first}; p < {end} && p < ctx.numInputs(); ++p) {{", 1)
    emit(f"const {CTX}::Shape t = ctx.input(p, false, {lit(spec.name)});", 2)
    has_spread = "true" if spread_at is not None else "false"
    emit(f"if (ctx.patternRank(t, {fixed}u, {has_spread})) {{", 2)
    for i, e in enumerate(elems):
        pos = str(i) if spread_at is None or i < spread_at else str(i - len(elems))
        _pattern_elem(scope, e, pos, i, len(elems), emit)
    emit("}", 2)
    emit("}", 1)


def _pattern_elem(scope: Scope, e: ast.PElem, pos: str, i: int, n: int, emit: Emit) -> None:
    d = 3
    if isinstance(e, ast.PInt):
        emit(
            f"ctx.patternCheck(t, {pos}, ctx.patternDim(t, {pos}), {int_lit(e.value)}, "
            f"{lit('the pattern')});",
            d,
        )
    elif isinstance(e, ast.PBind):
        var = scope.name_var(e.name)
        emit("{", d)
        emit(f"const int64_t v = ctx.patternDim(t, {pos});", d + 1)
        emit(
            f"if (!has_{var}) {{ {var} = v; has_{var} = true; "
            f"ctx.noteBinding({lit(e.name)}, v); }}",
            d + 1,
        )
        emit(f"else ctx.patternCheck(t, {pos}, v, {var}, {lit(e.name)});", d + 1)
        emit("}", d)
    elif isinstance(e, ast.PSpread) and e.name is not None:
        var = scope.spread_var(e.name)
        after = n - i - 1
        emit("{", d)
        emit(
            f"const {CTX}::Shape v = ctx.patternSpread(t, {i}u, {after}u, {lit(e.name + '...')});",
            d + 1,
        )
        emit(f"if (!has_{var}) {{ {var} = v; has_{var} = true; }}", d + 1)
        emit(f"else ctx.patternSpreadCheck(v, {var}, {lit(e.name)});", d + 1)
        emit("}", d)


# ---- output shapes ---------------------------------------------------------------------------


def output_shape(scope: Scope, e: ast.ShapeExpr, name: str, emit: Emit) -> None:
    """Declares `::opgen::rules::Shape o`: what shape rule `e` gives for output `name`."""
    s, d, label = scope, 2, lit(name)
    shape = f"{CTX}::Shape o"
    if isinstance(e, ast.ShapeList):
        emit(f"{shape} = ctx.begin({label});", d)
        for item in e.items:
            emit(_item(s, item), d)
    elif isinstance(e, ast.Like):
        emit(f"{shape} = ctx.like({s.tensor(e.tensor)}, {label});", d)
    elif isinstance(e, (ast.Broadcast, ast.Concat)):
        if isinstance(e, ast.Concat):
            emit(f"const int64_t axis = {s.iexpr(e.axis)};", d)
            step = "ctx.concat(&o, {}, axis);"
        else:
            step = "ctx.broadcast(&o, {});"
        if isinstance(e.tensors, ast.AllInputs):
            emit(f"{shape} = ctx.like(ctx.input(0u, false, nullptr), {label});", d)
            emit("for (uint32_t i = 1; i < ctx.numInputs(); ++i) {", d)
            emit(step.format("ctx.input(i, false, nullptr)"), d + 1)
            emit("}", d)
        else:
            first, *rest = e.tensors
            emit(f"{shape} = ctx.like({s.tensor(first)}, {label});", d)
            for t in rest:
                emit(step.format(s.tensor(t)), d)
    elif isinstance(e, ast.Reduce):
        emit(
            f"{shape} = ctx.reduce({s.tensor(e.tensor)}, {s.axes(e.axes)}, "
            f"{s.bexpr(e.keep_dims)}, {label});",
            d,
        )
    elif isinstance(e, ast.Permute):
        emit(f"{shape} = ctx.permute({s.tensor(e.tensor)}, {s.axes(e.perm)}, {label});", d)
    elif isinstance(e, (ast.With, ast.Insert)):
        fn = "with" if isinstance(e, ast.With) else "insert"
        emit(
            f"{shape} = ctx.{fn}({s.tensor(e.tensor)}, {s.iexpr(e.axis)}, "
            f"{s.iexpr(e.dim)}, {label});",
            d,
        )
    elif isinstance(e, ast.Remove):
        emit(f"{shape} = ctx.remove({s.tensor(e.tensor)}, {s.axes(e.axes)}, {label});", d)
    elif isinstance(e, ast.Matmul):
        emit(f"{shape} = ctx.matmul({s.tensor(e.left)}, {s.tensor(e.right)}, {label});", d)
    elif isinstance(e, ast.Hook):
        emit(f"{shape} = ctx.hook({label});", d)
    else:
        raise EmitError(f"cannot compile shape {type(e).__name__}")


def _item(s: Scope, item: ast.Item) -> str:
    if isinstance(item, ast.Unknown):
        return "ctx.pushUnknown(&o);"
    if isinstance(item, ast.SliceSpread):
        start = s.iexpr(item.start) if item.start is not None else "0"
        stop = s.iexpr(item.stop) if item.stop is not None else "0"
        return (
            f"ctx.pushSlice(&o, {s.tensor(item.tensor)}, "
            f"{'true' if item.start is not None else 'false'}, {start}, "
            f"{'true' if item.stop is not None else 'false'}, {stop});"
        )
    if isinstance(item, ast.BoundSpread):
        var = s.spread_var(item.name)
        return f"ctx.pushAll(&o, ctx.boundSpread(has_{var}, {var}, {lit(item.name)}));"
    return f"ctx.push(&o, {s.iexpr(item)});"
