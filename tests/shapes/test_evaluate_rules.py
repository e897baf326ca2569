"""The evaluator on rules written as configs write them (CONVERTER_FACTS §6.4 and the issue's
contract forms), parsed and resolved by opgen.shapes, loaded through the real loader."""

from __future__ import annotations

import pytest

from opgen.model import Datatype
from opgen.shapes.evaluate import RuleError, SymDim, TensorFacts, infer
from tests import factories as f
from tests.shapes.rule_configs import inp, op_rules, out

F32, I32 = Datatype.FLOAT_32, Datatype.INT_32
INT = "QNN_DATATYPE_INT_32"


def shapes(op, r, ins, params=None, dtype=F32):  # type: ignore[no-untyped-def]
    return [o.shape for o in infer(r, op, [TensorFacts(s, dtype) for s in ins], params or {})]


def test_elementwise_and_broadcast_add() -> None:
    op, r = op_rules([inp("in[0]"), inp("in[1]")], [out("out[0]", "= broadcast(in[0], in[1])")])
    assert shapes(op, r, [(4, 1, 3), (5, 1)]) == [(4, 5, 3)]
    op, r = op_rules([inp("in[0]")], [out("out[0]", "= like(in[0])")])
    (facts,) = infer(r, op, [TensorFacts((2, 3), F32)], {})
    assert facts.shape == (2, 3) and facts.dtype is F32


def test_batched_matmul_by_patterns_and_by_call() -> None:
    op, r = op_rules(
        [inp("in[0]", "= [B..., M, K]"), inp("in[1]", "= [K, N]")],
        [out("out[0]", "= [B..., M, N]")],
    )
    assert shapes(op, r, [(2, 7, 3, 4), (4, 5)]) == [(2, 7, 3, 5)]
    with pytest.raises(RuleError, match=r"dim 0 of in\[1\] is 6, but K = 4 \(dim 3 of in\[0\]\)"):
        shapes(op, r, [(2, 7, 3, 4), (6, 5)])
    op, r = op_rules([inp("in[0]"), inp("in[1]")], [out("out[0]", "= matmul(in[0], in[1])")])
    assert shapes(op, r, [(2, 1, 3, 4), (5, 4, 6)]) == [(2, 5, 3, 6)]


def test_tile_packing_with_requires() -> None:
    op, r = op_rules(
        [inp("in[0]", "= [1, 1, M, K]", checks=["require divisible(M, 32); divisible(K, 32)"])],
        [out("out[0]", "= [1, cdiv(M, 32), cdiv(K, 32), 1024]")],
    )
    assert shapes(op, r, [(1, 1, 64, 96)]) == [(1, 2, 3, 1024)]
    with pytest.raises(RuleError) as err:
        shapes(op, r, [(1, 1, 64, 100)])
    assert str(err.value) == (
        "Op: constraint 901 'require divisible(M, 32); divisible(K, 32)': 'divisible(K, 32)' is "
        "false (K = 100)"
    )


def test_conv_nhwc_with_tensor_params() -> None:
    rule = (
        "= [N, (H + pad_amount[0,0] + pad_amount[0,1] - dilation[0]*(KH-1) - 1)//stride[0] + 1, "
        "(W + pad_amount[1,0] + pad_amount[1,1] - dilation[1]*(KW-1) - 1)//stride[1] + 1, F]"
    )
    params = [
        f.param("pad_amount", INT, rank="2D", mandatory=False, default="[[0, 0], [0, 0]]"),
        f.param("stride", INT, rank="1D", mandatory=False, default="[1, 1]"),
        f.param("dilation", INT, rank="1D", mandatory=False, default="[1, 1]"),
    ]
    op, r = op_rules(
        [inp("in[0]", "= [N, H, W, C]"), inp("filter", "= [KH, KW, C, F]")],
        [out("out[0]", rule)],
        params,
    )
    assert shapes(op, r, [(1, 32, 32, 3), (3, 3, 3, 8)]) == [(1, 30, 30, 8)]
    given = {"pad_amount": [[1, 1], [1, 1]], "stride": [2, 2], "dilation": [1, 2]}
    assert shapes(op, r, [(1, 32, 32, 3), (3, 3, 3, 8)], given) == [(1, 16, 15, 8)]
    (facts,) = infer(r, op, [TensorFacts(("batch", "h", 32, 3)), TensorFacts((3, 3, 3, 8))], given)
    assert [str(d) for d in facts.shape or ()] == ["batch", "(h - 1) // 2 + 1", "15", "8"]


def test_topk_reduce_concat_transpose_and_nms() -> None:
    op, r = op_rules(
        [inp("in[0]")],
        [
            out("values", "= with(in[0], -1, k)"),
            out("indices", "= with(in[0], -1, k)", datatypes=[INT]),
        ],
        [f.param("k", "QNN_DATATYPE_UINT_32")],
    )
    values, indices = infer(r, op, [TensorFacts((3, 8), F32)], {"k": 2})
    assert (values.shape, values.dtype, indices.shape, indices.dtype) == ((3, 2), F32, (3, 2), I32)
    op, r = op_rules(
        [inp("in[0]")],
        [out("out[0]", "= reduce(in[0], axes, keep_dims)")],
        [
            f.param("axes", "QNN_DATATYPE_UINT_32", rank="1D"),
            f.param("keep_dims", "QNN_DATATYPE_BOOL_8", mandatory=False, default="false"),
        ],
    )
    assert shapes(op, r, [(2, 3, 4)], {"axes": [1]}) == [(2, 4)]
    assert shapes(op, r, [(2, 3, 4)], {"axes": [1], "keep_dims": True}) == [(2, 1, 4)]
    op, r = op_rules(
        [inp("in[0]", repeated=True)],
        [out("out[0]", "= concat(axis, in[*])")],
        [f.param("axis", INT, mandatory=False, default="0")],
    )
    assert shapes(op, r, [(2, 3), (5, 3), (1, 3)]) == [(8, 3)]
    op, r = op_rules(
        [inp("in[0]")],
        [out("out[0]", "= permute(in[0], perm)")],
        [f.param("perm", "QNN_DATATYPE_UINT_32", rank="1D")],
    )
    assert shapes(op, r, [(2, 3, 4)], {"perm": [2, 1, 0]}) == [(4, 3, 2)]
    op, r = op_rules([inp("boxes_in"), inp("scores")], [out("boxes", "= [?, 3]", datatypes=[INT])])
    (boxes,) = infer(r, op, [TensorFacts((10, 4), F32), TensorFacts((10,), F32)], {})
    assert boxes.shape == (None, 3) and boxes.dtype is I32
    assert boxes.shape_reason == "its shape rule '= [?, 3]' leaves dim 0 to user code"


def test_inputs_after_a_repeated_one_count_from_the_end() -> None:
    op, r = op_rules(
        [inp("parts", repeated=True), inp("scale", "= [S]")],
        [out("out[0]", "= [in[0].shape[0], in[-1].shape[0], S, rank(scale)]")],
    )
    assert shapes(op, r, [(2,), (3,), (9,)]) == [(2, 9, 9, 1)]


def test_slices_spreads_and_default_dtypes() -> None:
    op, r = op_rules(
        [inp("in[0]", datatypes=["QNN_DATATYPE_FLOAT_32", "QNN_DATATYPE_UINT_8"])],
        [
            out(
                "out[0]",
                "= [in[0].shape[:-2]..., in[0].shape[-2] * in[0].shape[-1]]",
                datatypes=["QNN_DATATYPE_FLOAT_32", "QNN_DATATYPE_UINT_8"],
            ),
            out(
                "out[1]",
                "= [numel(in[0])]",
                datatypes=["QNN_DATATYPE_FLOAT_32", "QNN_DATATYPE_INT_8"],
            ),
        ],
    )
    flat, count = infer(r, op, [TensorFacts((2, 3, 4, 5), Datatype.UINT_8)], {})
    assert flat.shape == (2, 3, 20) and flat.dtype is Datatype.UINT_8
    assert count.shape == (120,) and count.dtype is None
    assert count.dtype_reason is not None and "user code" in count.dtype_reason
    (facts, _) = infer(r, op, [TensorFacts(("N", 3, "H", 5))], {})
    assert facts.shape == (SymDim.symbol("N"), 3, SymDim.symbol("H") * 5)
