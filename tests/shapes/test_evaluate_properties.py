"""Property tests of the evaluator: random valid rules on random shapes raise nothing but
RuleError, what infer gives passes check, and broadcast/reduce/concat/permute/matmul agree with
numpy. Small samples by default; OPGEN_STRESS=N runs N times more examples."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opgen.shapes import ast
from opgen.shapes.evaluate import RuleError, SymDim, TensorFacts, check, infer
from tests import factories as f
from tests.shapes.handrules import F32, load_op, out, rules

EXAMPLES = 60 * max(1, int(os.environ.get("OPGEN_STRESS", "0") or 0))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
REFS = [ast.TensorRef("in", i) for i in range(3)]
OP = load_op(
    [f.tensor("Input", f"in[{i}]") for i in range(3)],
    [f.tensor("Output", "out[0]")],
    [
        f.param("k", "QNN_DATATYPE_INT_32"),
        f.param("flag", "QNN_DATATYPE_BOOL_8"),
        f.param("axes", "QNN_DATATYPE_INT_32", rank="1D"),
    ],
)

# ---- random rules ----------------------------------------------------------------------------

refs = st.sampled_from(REFS)
small = st.integers(-4, 4)
leaves = st.one_of(
    st.builds(ast.Num, st.integers(-(1 << 62), 1 << 62) | small),
    st.builds(ast.ScalarParam, st.just("k")),
    st.builds(ast.Dim, refs, st.builds(ast.Num, small)),
    st.builds(ast.RankOf, refs),
    st.builds(ast.Numel, refs),
    st.builds(ast.Len, st.just("axes")),
    st.builds(ast.ParamElem, st.just("axes"), st.tuples(st.builds(ast.Num, small))),
)


def _extend(children: st.SearchStrategy[ast.IExpr]) -> st.SearchStrategy[ast.IExpr]:
    cond = st.one_of(
        st.builds(
            ast.Compare, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), children, children
        ),
        st.builds(ast.Divisible, children, children),
        st.builds(ast.BoolParam, st.just("flag")),
    )
    return st.one_of(
        st.builds(ast.BinOp, st.sampled_from(["+", "-", "*", "//", "%"]), children, children),
        st.builds(ast.Neg, children),
        st.builds(ast.Func, st.just("cdiv"), st.tuples(children, children)),
        st.builds(
            ast.Func,
            st.sampled_from(["max", "min"]),
            st.lists(children, min_size=1, max_size=3).map(tuple),
        ),
        st.builds(ast.Select, cond, children, children),
    )


iexprs = st.recursive(leaves, _extend, max_leaves=6)
axes = st.one_of(
    st.builds(ast.AxesParam, st.just("axes")),
    st.builds(ast.AxesList, st.lists(st.builds(ast.Num, small), max_size=3).map(tuple)),
)
items = st.one_of(
    iexprs,
    st.builds(ast.Unknown),
    st.builds(
        ast.SliceSpread,
        refs,
        st.none() | st.builds(ast.Num, small),
        st.none() | st.builds(ast.Num, small),
    ),
)
shape_exprs = st.one_of(
    st.builds(ast.ShapeList, st.lists(items, max_size=4).map(tuple)),
    st.builds(ast.Like, refs),
    st.builds(
        ast.Broadcast, st.lists(refs, min_size=2, max_size=3).map(tuple) | st.just(ast.AllInputs())
    ),
    st.builds(
        ast.Reduce,
        refs,
        axes,
        st.builds(ast.BoolParam, st.just("flag")) | st.builds(ast.BoolLit, st.booleans()),
    ),
    st.builds(
        ast.Concat,
        st.builds(ast.Num, small) | st.builds(ast.ScalarParam, st.just("k")),
        st.lists(refs, min_size=1, max_size=3).map(tuple) | st.just(ast.AllInputs()),
    ),
    st.builds(ast.Permute, refs, axes),
    st.builds(ast.With, refs, iexprs, iexprs),
    st.builds(ast.Insert, refs, iexprs, iexprs),
    st.builds(ast.Remove, refs, axes),
    st.builds(ast.Matmul, refs, refs),
    st.builds(ast.Hook),
)
concrete_dims = st.integers(0, 6)
symbolic_dims = st.one_of(concrete_dims, st.sampled_from(["N", "M"]), st.none())
shapes = st.lists(concrete_dims, max_size=4).map(tuple)
params = st.fixed_dictionaries(
    {
        "k": st.integers(-3, 8),
        "flag": st.booleans(),
        "axes": st.lists(st.integers(-4, 4), max_size=3),
    }
)


@SETTINGS
@given(expr=shape_exprs, ins=st.lists(shapes, min_size=3, max_size=3), values=params)
def test_random_rules_raise_only_rule_errors_and_check_what_infer_gives(
    expr: ast.ShapeExpr, ins: list[tuple[int, ...]], values: dict[str, object]
) -> None:
    r = rules(OP, [out("out[0]", expr, "= random")])
    facts = [TensorFacts(s, F32) for s in ins]
    try:
        (result,) = infer(r, OP, facts, values)
    except RuleError as exc:
        assert str(exc).startswith("Op: ")
        return
    concrete = result.concrete_shape
    if concrete is not None:
        assert all(d >= 0 for d in concrete)
        check(r, OP, facts, values, [TensorFacts(concrete, F32)])


@SETTINGS
@given(
    expr=shape_exprs,
    ins=st.lists(st.lists(symbolic_dims, max_size=4), min_size=3, max_size=3),
    values=params,
)
def test_random_rules_on_symbolic_dims_raise_only_rule_errors(
    expr: ast.ShapeExpr, ins: list[list[int | str | None]], values: dict[str, object]
) -> None:
    r = rules(OP, [out("out[0]", expr, "= random")])
    try:
        (result,) = infer(r, OP, [TensorFacts(s, F32) for s in ins], values)
    except RuleError:
        return
    for d in result.shape or ():
        assert d is None or isinstance(d, (int, SymDim))
        assert not isinstance(d, SymDim) or not any(s.startswith("?") for s in d.symbols())


# ---- agreement with numpy --------------------------------------------------------------------


def _numpy_shape(fn, *arrays):  # type: ignore[no-untyped-def]
    try:
        return fn(*arrays)
    except (ValueError, IndexError):  # numpy's AxisError is both
        return None


def _ours(expr: ast.ShapeExpr, ins: list[tuple[int, ...]], values: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    r = rules(OP, [out("out[0]", expr)])
    try:
        (result,) = infer(r, OP, [TensorFacts(s, F32) for s in ins], values or {})
    except RuleError:
        return None
    return result.shape


broadcastable = st.lists(st.integers(0, 3), max_size=4).map(tuple)


@SETTINGS
@given(ins=st.lists(broadcastable, min_size=3, max_size=3))
def test_broadcast_agrees_with_numpy(ins: list[tuple[int, ...]]) -> None:
    theirs = _numpy_shape(lambda: np.broadcast_shapes(*ins))
    assert _ours(ast.Broadcast(tuple(REFS)), ins) == theirs


@SETTINGS
@given(shape=shapes, ax=st.lists(st.integers(-4, 4), max_size=4), keep=st.booleans())
def test_reduce_agrees_with_numpy(shape: tuple[int, ...], ax: list[int], keep: bool) -> None:
    x = np.zeros(shape)
    theirs = _numpy_shape(lambda: np.sum(x, axis=tuple(ax) or None, keepdims=keep).shape)
    # (no axes reduce every dim, as ONNX's reduce ops do: numpy spells that axis=None)
    expr = ast.Reduce(REFS[0], ast.AxesParam("axes"), ast.BoolLit(keep))
    assert _ours(expr, [shape, (), ()], {"axes": ax}) == theirs


@SETTINGS
@given(
    base=st.lists(st.integers(0, 3), min_size=1, max_size=4),
    sizes=st.lists(st.integers(0, 3), min_size=3, max_size=3),
    axis=st.integers(-5, 4),
    jitter=st.sampled_from([None, 0, 1]),
)
def test_concat_agrees_with_numpy(
    base: list[int], sizes: list[int], axis: int, jitter: int | None
) -> None:
    ins = []
    for i, n in enumerate(sizes):
        s = list(base)
        s[axis % len(base)] = n
        if jitter is not None and i == 2 and len(s) > 1:
            s[(axis + 1) % len(s)] += jitter
        ins.append(tuple(s))
    theirs = _numpy_shape(lambda: np.concatenate([np.zeros(s) for s in ins], axis=axis).shape)
    assert _ours(ast.Concat(ast.Num(axis), ast.AllInputs()), ins) == theirs


@SETTINGS
@given(shape=shapes, perm=st.lists(st.integers(-4, 4), max_size=4) | st.permutations(range(4)))
def test_permute_agrees_with_numpy(shape: tuple[int, ...], perm: list[int]) -> None:
    x = np.zeros(shape)
    theirs = _numpy_shape(lambda: np.transpose(x, perm).shape)
    assert (
        _ours(ast.Permute(REFS[0], ast.AxesParam("axes")), [shape, (), ()], {"axes": list(perm)})
        == theirs
    )


@SETTINGS
@given(
    left=st.lists(st.integers(1, 3), min_size=1, max_size=4),
    right=st.lists(st.integers(1, 3), min_size=1, max_size=4),
)
def test_matmul_agrees_with_numpy(left: list[int], right: list[int]) -> None:
    theirs = _numpy_shape(lambda: np.matmul(np.zeros(left), np.zeros(right)).shape)
    assert _ours(ast.Matmul(REFS[0], REFS[1]), [tuple(left), tuple(right), ()]) == theirs


@pytest.mark.parametrize("perm", [[0, 1, 1], [0, 1], [2, 0, 3]])
def test_permute_refusals_match_numpy(perm: list[int]) -> None:
    with pytest.raises(ValueError):
        np.transpose(np.zeros((2, 3, 4)), perm)
    assert (
        _ours(ast.Permute(REFS[0], ast.AxesParam("axes")), [(2, 3, 4), (), ()], {"axes": perm})
        is None
    )
