"""The evaluator on hand-built rules: every shape call, patterns, requires, params, dtypes and
the messages of what fails (symbolic dims: test_evaluate_symbolic.py)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from opgen.model import Datatype
from opgen.shapes import ast
from opgen.shapes.evaluate import OutputFacts, RuleError, TensorFacts, check, infer
from opgen.shapes.oprules import OpRules
from tests import factories as f
from tests.shapes.handrules import F32, I32, IN0, IN1, b, dim, load_op, out, pattern, require, rules

X = f.tensor("Input", "in[0]")
Y = f.tensor("Input", "in[1]")
Z = f.tensor("Output", "out[0]")


def one(op_rules: OpRules, op, shapes, params=None, dtype=F32) -> OutputFacts:  # type: ignore[no-untyped-def]
    (result, *_) = infer(op_rules, op, [TensorFacts(s, dtype) for s in shapes], params or {})
    return result


def test_topk_with_replaces_the_last_dim_by_k() -> None:
    op = load_op(
        [X],
        [f.tensor("Output", "values"), f.tensor("Output", "indices", ["QNN_DATATYPE_INT_32"])],
        [f.param("k", "QNN_DATATYPE_UINT_32")],
    )
    expr = ast.With(IN0, ast.Num(-1), ast.ScalarParam("k"))
    r = rules(op, [out("values", expr), out("indices", expr, dtype=ast.DtypeFixed(I32))])
    values, indices = infer(r, op, [TensorFacts((2, 3, 8), F32)], {"k": 3})
    assert values == OutputFacts("values", (2, 3, 3), F32)
    assert indices.shape == (2, 3, 3) and indices.dtype is I32
    assert values.concrete_shape == (2, 3, 3)


def test_a_list_of_input_dims_params_and_floor_division() -> None:
    op = load_op([X], [Z], [f.param("k", "QNN_DATATYPE_INT_32")])
    expr = ast.ShapeList(
        (
            dim(IN0, 0),
            ast.ScalarParam("k"),
            b("//", dim(IN0, -1), ast.Num(2)),
            ast.Func("cdiv", (dim(IN0, -1), ast.Num(2))),
            b("%", ast.Num(-7), ast.Num(3)),
        )
    )
    r = rules(op, [out("out[0]", expr)])
    assert one(r, op, [(4, 5, 7)], {"k": 9}).shape == (4, 9, 3, 4, 2)


def test_broadcast_follows_numpy_and_names_the_shapes_that_do_not() -> None:
    op = load_op([X, Y], [Z])
    r = rules(op, [out("out[0]", ast.Broadcast((IN0, IN1)), "= broadcast(in[0], in[1])")])
    assert one(r, op, [(2, 1, 4), (3, 1)]).shape == (2, 3, 4)
    assert one(r, op, [(), (5,)]).shape == (5,)
    with pytest.raises(RuleError) as err:
        one(r, op, [(2, 3), (4,)])
    assert str(err.value) == (
        "Op: output 'out[0]': shape rule '= broadcast(in[0], in[1])': broadcasting in[0], in[1] "
        "([2, 3], [4]): 3 and 4 do not broadcast"
    )
    assert err.value.op == "Op" and err.value.tensor == "out[0]"
    assert err.value.rule == "= broadcast(in[0], in[1])"


def test_reduce_keeps_or_drops_and_refuses_a_duplicate_axis() -> None:
    op = load_op(
        [X],
        [Z],
        [
            f.param("axes", "QNN_DATATYPE_INT_32", rank="1D"),
            f.param("keep_dims", "QNN_DATATYPE_BOOL_8", mandatory=False, default="false"),
        ],
    )
    expr = ast.Reduce(IN0, ast.AxesParam("axes"), ast.BoolParam("keep_dims"))
    r = rules(op, [out("out[0]", expr, "= reduce(in[0], axes, keep_dims)")])
    assert one(r, op, [(2, 3, 4)], {"axes": [0, -1]}).shape == (3,)
    assert one(r, op, [(2, 3, 4)], {"axes": [1], "keep_dims": True}).shape == (2, 1, 4)
    assert one(r, op, [(2, 3, 4)], {"axes": []}).shape == ()  # no axes: every dim (ONNX)
    assert one(r, op, [(2, 3, 4)], {"axes": [], "keep_dims": True}).shape == (1, 1, 1)
    with pytest.raises(RuleError, match=r"the axes \[1, -2\] name a dim twice"):
        one(r, op, [(2, 3, 4)], {"axes": [1, -2]})
    with pytest.raises(RuleError, match=r"reduce axis 3 is out of range for rank 3"):
        one(r, op, [(2, 3, 4)], {"axes": [3]})


class _Array:
    """Anything with tolist(), as numpy arrays are."""

    def __init__(self, values: list[int]) -> None:
        self.values = values

    def tolist(self) -> list[int]:
        return self.values


def test_tensor_params_take_anything_with_tolist() -> None:
    op = load_op([X], [Z], [f.param("perm", "QNN_DATATYPE_UINT_32", rank="1D")])
    r = rules(
        op, [out("out[0]", ast.Permute(IN0, ast.AxesParam("perm")), "= permute(in[0], perm)")]
    )
    assert one(r, op, [(2, 3, 4)], {"perm": _Array([2, 0, 1])}).shape == (4, 2, 3)
    assert one(r, op, [(2, 3, 4)], {"perm": (1, 0, 2)}).shape == (3, 2, 4)
    with pytest.raises(RuleError, match=r"\[0, 0, 1\] is not a permutation of the 3 dims"):
        one(r, op, [(2, 3, 4)], {"perm": [0, 0, 1]})
    with pytest.raises(RuleError, match=r"is not a permutation"):
        one(r, op, [(2, 3, 4)], {"perm": [0, 1]})


def test_concat_over_a_repeated_input() -> None:
    op = load_op(
        [f.tensor("Input", "parts", repeated=True)],
        [Z],
        [f.param("axis", "QNN_DATATYPE_INT_32", mandatory=False, default="0")],
    )
    r = rules(
        op,
        [
            out(
                "out[0]",
                ast.Concat(ast.ScalarParam("axis"), ast.AllInputs()),
                "= concat(axis, in[*])",
            )
        ],
    )
    assert one(r, op, [(2, 3), (4, 3), (1, 3)]).shape == (7, 3)
    assert one(r, op, [(2, 3), (2, 5)], {"axis": -1}).shape == (2, 8)
    with pytest.raises(RuleError) as err:
        one(r, op, [(2, 3), (2, 5)])
    assert "dim 1 of 'parts' is 5, of 'parts' 3 (only the concat axis 0 may differ)" in str(
        err.value
    )


def test_insert_and_remove() -> None:
    op = load_op([X], [Z], [f.param("axes", "QNN_DATATYPE_INT_32", rank="1D")])
    ins = rules(op, [out("out[0]", ast.Insert(IN0, ast.Num(-1), ast.Num(1)))])
    assert one(ins, op, [(2, 3)]).shape == (2, 3, 1)
    ins0 = rules(op, [out("out[0]", ast.Insert(IN0, ast.Num(0), dim(IN0, 1)))])
    assert one(ins0, op, [(2, 3)]).shape == (3, 2, 3)
    rem = rules(op, [out("out[0]", ast.Remove(IN0, ast.AxesParam("axes")))])
    assert one(rem, op, [(2, 1, 3, 1)], {"axes": [1, -1]}).shape == (2, 3)


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ((2, 3), (3, 4), (2, 4)),
        ((5, 1, 2, 3), (7, 3, 4), (5, 7, 2, 4)),
        ((3,), (3, 4), (4,)),
        ((2, 3), (3,), (2,)),
        ((3,), (3,), ()),
    ],
)
def test_matmul_as_numpy(
    left: tuple[int, ...], right: tuple[int, ...], expected: tuple[int, ...]
) -> None:
    op = load_op([X, Y], [Z])
    r = rules(op, [out("out[0]", ast.Matmul(IN0, IN1))])
    assert one(r, op, [left, right]).shape == expected


def test_matmul_refuses_different_inner_dims() -> None:
    op = load_op([X, Y], [Z])
    r = rules(op, [out("out[0]", ast.Matmul(IN0, IN1), "= matmul(in[0], in[1])")])
    with pytest.raises(
        RuleError, match=r"in\[0\] \[2, 3\] and in\[1\] \[4, 5\]: the inner dims 3 and 4 differ"
    ):
        one(r, op, [(2, 3), (4, 5)])


def test_user_code_gives_none_with_the_reason() -> None:
    op = load_op(
        [X],
        [f.tensor("Output", "boxes"), f.tensor("Output", "scores"), f.tensor("Output", "count")],
    )
    r = rules(
        op,
        [
            out("boxes", ast.ShapeList((ast.Unknown(), ast.Num(3))), "= [?, 3]"),
            out("scores", ast.Hook(), "= hook", dtype=ast.Hook(), dtype_text="= hook"),
            out("count", None),
        ],
    )
    boxes, scores, count = infer(r, op, [TensorFacts((5, 4), F32)], {})
    assert boxes.shape == (None, 3) and boxes.concrete_shape is None
    assert boxes.shape_reason == "its shape rule '= [?, 3]' leaves dim 0 to user code"
    assert scores.shape is None and scores.dtype is None
    assert scores.shape_reason == "its shape rule '= hook' leaves the whole shape to user code"
    assert scores.dtype_reason == "its dtype rule '= hook' leaves the dtype to user code"
    assert count.shape is None and count.shape_reason == "it has no shape rule"
    assert count.dtype is F32


def test_patterns_bind_check_and_spread() -> None:
    op = load_op([X, Y], [Z])
    pats = [
        pattern("= [B..., M, K]", ast.PSpread("B"), ast.PBind("M"), ast.PBind("K")),
        pattern("= [K, 4]", ast.PBind("K"), ast.PInt(4)),
    ]
    expr = ast.ShapeList((ast.BoundSpread("B"), ast.Bound("M"), ast.Num(4)))
    r = rules(op, [out("out[0]", expr, "= [B..., M, 4]")], pats)
    assert one(r, op, [(7, 6, 2, 3), (3, 4)]).shape == (7, 6, 2, 4)
    assert one(r, op, [(2, 3), (3, 4)]).shape == (2, 4)
    with pytest.raises(RuleError) as err:
        one(r, op, [(2, 3), (5, 4)])
    assert str(err.value) == (
        "Op: input in[1]: pattern '= [K, 4]': dim 0 of in[1] is 5, but K = 3 (dim 1 of in[0])"
    )
    with pytest.raises(RuleError, match=r"dim 1 of in\[1\] is 5, not 4"):
        one(r, op, [(2, 3), (3, 5)])
    with pytest.raises(RuleError, match=r"in\[0\] has rank 1, the pattern wants at least 2"):
        one(r, op, [(3,), (3, 4)])


def test_a_failing_require_names_op_constraint_text_and_values() -> None:
    op = load_op([X], [Z])
    pats = [pattern("= [1, 1, M, K]", ast.PInt(1), ast.PInt(1), ast.PBind("M"), ast.PBind("K"))]
    text = "require divisible(M, 32); divisible(K, 32)"
    req = require(
        text,
        ast.Divisible(ast.Bound("M"), ast.Num(32), col=9),
        ast.Divisible(ast.Bound("K"), ast.Num(32), col=27),
        cid=7,
    )
    expr = ast.ShapeList(
        (
            ast.Num(1),
            ast.Func("cdiv", (ast.Bound("M"), ast.Num(32))),
            ast.Func("cdiv", (ast.Bound("K"), ast.Num(32))),
            ast.Num(1024),
        )
    )
    r = rules(op, [out("out[0]", expr)], pats, [req])
    assert one(r, op, [(1, 1, 64, 96)]).shape == (1, 2, 3, 1024)
    with pytest.raises(RuleError) as err:
        one(r, op, [(1, 1, 64, 97)])
    assert str(err.value) == (
        "Op: constraint 7 'require divisible(M, 32); divisible(K, 32)': "
        "'divisible(K, 32)' is false (K = 97)"
    )


def test_compare_require_shows_dims_and_params() -> None:
    op = load_op([X, Y], [Z], [f.param("k", "QNN_DATATYPE_INT_32")])
    cond = ast.Compare("<=", ast.ScalarParam("k"), dim(IN0, -1))
    r = rules(
        op, [out("out[0]", ast.Like(IN0))], requires=[require("require k <= in[0].shape[-1]", cond)]
    )
    with pytest.raises(RuleError) as err:
        one(r, op, [(2, 3), (1,)], {"k": 5})
    assert str(err.value).endswith("is false (k = 5; in[0].shape = [2, 3])")


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        (b("//", dim(IN0, 0), ast.Num(0)), "2 // 0: division by zero"),
        (b("%", dim(IN0, 0), b("-", dim(IN0, 0), ast.Num(2))), "2 % 0: division by zero"),
        (ast.Func("cdiv", (ast.Num(1), ast.Num(0))), "1 cdiv 0: division by zero"),
        (b("-", dim(IN0, 0), ast.Num(3)), "gives dim 0 = -1, a negative dim (in[0] = [2, 5])"),
        (b("*", ast.Num(1 << 62), ast.Num(2)), "overflows a signed 64-bit integer"),
        (dim(IN0, 2), "in[0].shape index 2 is out of range for 2 dim(s)"),
        (ast.ScalarParam("k"), "mandatory parameter 'k' is missing (it has no default)"),
    ],
)
def test_arithmetic_failures_are_rule_errors(expr: ast.IExpr, message: str) -> None:
    op = load_op([X], [Z], [f.param("k", "QNN_DATATYPE_INT_32")])
    r = rules(op, [out("out[0]", ast.ShapeList((expr,)))])
    with pytest.raises(RuleError, match=re.escape(message)):
        one(r, op, [(2, 5)])


def test_absent_params_take_their_xml_default_n_minus_1_against_the_rank() -> None:
    op = load_op(
        [X],
        [Z],
        [
            f.param("axis", "QNN_DATATYPE_INT_32", mandatory=False, default="N-1"),
            f.param(
                "pads",
                "QNN_DATATYPE_UINT_32",
                rank="2D",
                mandatory=False,
                default="[[1, 2], [3, 4]]",
            ),
            f.param("scale", "QNN_DATATYPE_FLOAT_32", mandatory=False, default="2.0"),
            f.param("mode", "QNN_DATATYPE_UINT_32", mandatory=False, default="1", enum=["A", "B"]),
        ],
    )
    expr = ast.ShapeList(
        (
            ast.ScalarParam("axis"),
            ast.ParamElem("pads", (ast.Num(1), ast.Num(0))),
            ast.ParamElem("pads", (ast.Num(-1), ast.Num(-1))),
            ast.Len("pads"),
            ast.ScalarParam("scale"),
            ast.ScalarParam("mode"),
        )
    )
    r = rules(op, [out("out[0]", expr)])
    assert one(r, op, [(5, 6, 7)]).shape == (2, 3, 4, 4, 2, 1)
    given = {"axis": 0, "pads": [[0, 0], [9, 8]], "scale": 3, "mode": "A"}
    assert one(r, op, [(5, 6, 7)], given).shape == (0, 9, 8, 4, 3, 0)
    with pytest.raises(RuleError, match=r"parameter 'scale' is 2.5, not an integer"):
        one(r, op, [(5,)], {"scale": 2.5})
    with pytest.raises(RuleError, match=r"parameter 'mode' is 'C', not one of A, B"):
        one(r, op, [(5,)], {"mode": "C"})
    with pytest.raises(RuleError, match=r"pads\[2, 0\]: index 2 is out of range"):
        r2 = rules(
            op, [out("out[0]", ast.ShapeList((ast.ParamElem("pads", (ast.Num(2), ast.Num(0))),)))]
        )
        one(r2, op, [(5,)])


def test_select_and_logic() -> None:
    op = load_op(
        [X], [Z], [f.param("flag", "QNN_DATATYPE_BOOL_8", mandatory=False, default="true")]
    )
    cond = ast.Logic(
        "and", ast.BoolParam("flag"), ast.Not(ast.Compare("==", dim(IN0, 0), ast.Num(0)))
    )
    expr = ast.ShapeList(
        (
            ast.Select(cond, ast.Num(1), ast.Num(2)),
            ast.Func("max", (dim(IN0, 0), ast.Num(3))),
            ast.Func("min", (dim(IN0, 0), ast.Num(3), ast.Num(9))),
        )
    )
    r = rules(op, [out("out[0]", expr)])
    assert one(r, op, [(4,)]).shape == (1, 4, 3)
    assert one(r, op, [(4,)], {"flag": False}).shape == (2, 4, 3)
    assert one(r, op, [(0,)]).shape == (2, 3, 0)


def test_dtype_rules_and_an_unknown_dtype() -> None:
    op = load_op(
        [X, f.tensor("Input", "in[1]", ["QNN_DATATYPE_INT_8"])], [Z, Z.replace("out[0]", "out[1]")]
    )
    r = rules(
        op,
        [
            out("out[0]", ast.Like(IN1), dtype=ast.DtypeLike(IN1)),
            out("out[1]", ast.Like(IN0), dtype=ast.DtypeFixed(Datatype.UINT_8)),
        ],
    )
    first, second = infer(r, op, [TensorFacts((2,), F32), TensorFacts((3,), Datatype.INT_8)], {})
    assert (first.shape, first.dtype, second.dtype) == ((3,), Datatype.INT_8, Datatype.UINT_8)
    first, _ = infer(r, op, [TensorFacts((2,), F32), TensorFacts((3,))], {})
    assert first.dtype is None and first.dtype_reason == "the dtype of in[1] is unknown"


def test_an_output_rule_may_use_an_earlier_output() -> None:
    op = load_op([X], [Z, Z.replace("out[0]", "out[1]")])
    r = rules(
        op,
        [
            out("out[0]", ast.With(IN0, ast.Num(0), ast.Num(1))),
            out("out[1]", ast.Insert(ast.TensorRef("out", 0), ast.Num(0), ast.Num(9))),
        ],
    )
    assert infer(r, op, [TensorFacts((4, 5), F32)], {})[1].shape == (9, 1, 5)
    loop = rules(op, [out("out[0]", ast.Like(ast.TensorRef("out", 0))), out("out[1]", None)])
    with pytest.raises(RuleError, match="depends on itself"):
        infer(loop, op, [TensorFacts((4, 5), F32)], {})


def test_a_missing_input_is_named() -> None:
    op = load_op([X, f.tensor("Input", "bias", mandatory=False)], [Z])
    r = rules(op, [out("out[0]", ast.Like(ast.TensorRef("in", 1, name="bias")))])
    with pytest.raises(RuleError, match=r"input bias is absent \(the op config has 1 input\(s\)\)"):
        one(r, op, [(2,)])


def test_check_accepts_what_infer_gives_and_names_what_differs() -> None:
    op = load_op(
        [X],
        [f.tensor("Output", "values"), f.tensor("Output", "indices", ["QNN_DATATYPE_INT_32"])],
        [f.param("k", "QNN_DATATYPE_UINT_32")],
    )
    expr = ast.With(IN0, ast.Num(-1), ast.ScalarParam("k"))
    text = "= with(in[0], -1, k)"
    r = rules(
        op,
        [
            out("values", expr, text),
            out("indices", expr, text, ast.DtypeFixed(I32), "= QNN_DATATYPE_INT_32"),
        ],
    )
    x = [TensorFacts((2, 8), F32)]
    check(r, op, x, {"k": 3}, [TensorFacts((2, 3), F32), TensorFacts((2, 3), I32)])
    with pytest.raises(RuleError) as err:
        check(r, op, x, {"k": 3}, [TensorFacts((2, 4), F32), TensorFacts((2, 3), I32)])
    assert str(err.value) == (
        "Op: output 'values' has shape [2, 4], but its shape rule '= with(in[0], -1, k)' gives "
        "[2, 3] (dim 1; in[0] = [2, 8])"
    )
    with pytest.raises(
        RuleError, match=r"has shape \[2, 3, 1\], but its shape rule .* gives rank 2"
    ):
        check(r, op, x, {"k": 3}, [TensorFacts((2, 3, 1), F32), TensorFacts((2, 3), I32)])
    with pytest.raises(RuleError) as err:
        check(r, op, x, {"k": 3}, [TensorFacts((2, 3), F32), TensorFacts((2, 3), F32)])
    assert str(err.value) == (
        "Op: output 'indices' is QNN_DATATYPE_FLOAT_32, but its dtype rule "
        "'= QNN_DATATYPE_INT_32' gives QNN_DATATYPE_INT_32"
    )


def test_check_skips_what_needs_user_code() -> None:
    op = load_op([X], [f.tensor("Output", "boxes")])
    r = rules(op, [out("boxes", ast.ShapeList((ast.Unknown(), ast.Num(3))), "= [?, 3]")])
    check(r, op, [TensorFacts((5, 4), F32)], {}, [TensorFacts((17, 3), F32)])
    with pytest.raises(RuleError, match=r"gives \[\?, 3\] \(dim 1"):
        check(r, op, [TensorFacts((5, 4), F32)], {}, [TensorFacts((17, 4), F32)])


def test_a_negative_input_dim_is_a_rule_error() -> None:
    op = load_op([X], [Z])
    r = rules(op, [out("out[0]", ast.Like(IN0))])
    with pytest.raises(RuleError, match=r"^Op: dim 1 of in\[0\] is -1: a dim cannot be negative$"):
        one(r, op, [(2, -1)])


def test_the_evaluator_does_not_import_numpy() -> None:
    code = "import sys, opgen.shapes.evaluate, opgen.shapes; sys.exit('numpy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0
