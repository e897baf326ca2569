"""The rule emitter, compiled: generated rule functions and the C++ runtime run on op configs.

Rules are built by hand (the parser lands separately); configs go through the real loader.
"""

from __future__ import annotations

import pytest

from opgen.config import load_packages
from opgen.model import Datatype, OpDef
from opgen.shapes import ast as A
from opgen.shapes.oprules import (
    DtypeRule,
    OpRules,
    OutputRules,
    PatternRule,
    Require,
    RuleSource,
    ShapeRule,
)
from tests import factories as f
from tests.shapes.cpp_harness import Harness, build

F32, I32, I64, U32, U8, BOOL = 0x0232, 0x0032, 0x0064, 0x0132, 0x0108, 0x0508
FAIL = 3110  # QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE

IN0, IN1 = A.TensorRef("in", 0), A.TensorRef("in", 1)


def src(text: str) -> RuleSource:
    return RuleSource(text)


def out(name: str, shape: A.ShapeExpr | None, text: str, dtype: A.DtypeExpr | None = None,
        dtype_text: str | None = None) -> OutputRules:  # fmt: skip
    return OutputRules(
        name,
        ShapeRule(shape, src(text)) if shape is not None else None,
        DtypeRule(dtype or A.DtypeLike(IN0), src(dtype_text) if dtype_text else None),
    )


CONFIG = f.config(
    "RulePkg",
    [
        f.op("TopK", inputs=[f.tensor("Input", "x")],
             outputs=[f.tensor("Output", "values"),
                      f.tensor("Output", "indices", ("QNN_DATATYPE_INT_32",))],
             params=[f.param("k", "QNN_DATATYPE_UINT_32", default="1")]),
        f.op("BatchMatMul", inputs=[f.tensor("Input", "a"), f.tensor("Input", "b")],
             outputs=[f.tensor("Output", "y")]),
        f.op("Sum", inputs=[f.tensor("Input", "x")], outputs=[f.tensor("Output", "y")],
             params=[f.param("axes", "QNN_DATATYPE_INT_32", rank="1D", default="[0]"),
                     f.param("keep_dims", "QNN_DATATYPE_BOOL_8", default="false")]),
        f.op("Cat", inputs=[f.tensor("Input", "xs", repeated=True)],
             outputs=[f.tensor("Output", "y")],
             params=[f.param("axis", "QNN_DATATYPE_INT_32", default="0")]),
        f.op("Arith", inputs=[f.tensor("Input", "x")], outputs=[f.tensor("Output", "y")]),
        f.op("Nms", inputs=[f.tensor("Input", "boxes")],
             outputs=[f.tensor("Output", "selected", ("QNN_DATATYPE_INT_32",
                                                      "QNN_DATATYPE_INT_64"))]),
        f.op("Shuffle", inputs=[f.tensor("Input", "x"), f.tensor("Input", "z")],
             outputs=[f.tensor("Output", "p"), f.tensor("Output", "q")],
             params=[f.param("perm", "QNN_DATATYPE_INT_32", rank="1D", default="[1, 0]")]),
    ],
)  # fmt: skip

d = A.Dim


def rules_for(op: OpDef) -> OpRules:
    name = op.name
    if name == "TopK":
        last = A.With(IN0, A.Num(-1), A.ScalarParam("k"))
        return OpRules(name, (None,), (
            out("values", last, "= with(in[0], -1, k)"),
            out("indices", last, "= with(in[0], -1, k)", A.DtypeFixed(Datatype.INT_32),
                "= QNN_DATATYPE_INT_32"),
        ), ())  # fmt: skip
    if name == "BatchMatMul":
        pa = A.Pattern((A.PSpread("B"), A.PBind("M"), A.PBind("K")))
        pb = A.Pattern((A.PBind("K"), A.PBind("N")))
        shape = A.ShapeList((A.BoundSpread("B"), A.Bound("M"), A.Bound("N")))
        req = Require((A.Divisible(A.Bound("M"), A.Num(2)),), src("require divisible(M, 2)"), 901)
        return OpRules(name, (PatternRule(pa, src("= [B..., M, K]")),
                                PatternRule(pb, src("= [K, N]"))),
                         (out("y", shape, "= [B..., M, N]"),), (req,))  # fmt: skip
    if name == "Sum":
        shape = A.Reduce(IN0, A.AxesParam("axes"), A.BoolParam("keep_dims"))
        return OpRules(name, (None,), (out("y", shape, "= reduce(in[0], axes, keep_dims)"),), ())
    if name == "Cat":
        shape = A.Concat(A.ScalarParam("axis"), A.AllInputs())
        return OpRules(name, (None,), (out("y", shape, "= concat(axis, in[*])"),), ())
    if name == "Arith":
        x0, x1 = d(IN0, A.Num(0)), d(IN0, A.Num(1))
        items = (
            A.BinOp("+", A.BinOp("//", A.BinOp("-", x0, A.Num(11)), A.Num(3)), A.Num(5)),
            A.BinOp("+", A.BinOp("%", A.BinOp("-", x0, A.Num(11)), A.Num(3)), A.Num(0)),
            A.Func("cdiv", (x1, A.Num(3))),
            A.Func("max", (x0, x1, A.Num(7))),
            A.Select(A.Compare(">", x0, x1), x0, x1),
            A.BinOp("*", A.RankOf(IN0), A.Numel(IN0)),
            A.SliceSpread(IN0, A.Num(1), None),
        )
        return OpRules(name, (None,), (out("y", A.ShapeList(items), "= [...]"),), ())
    if name == "Nms":
        shape = A.ShapeList((A.Unknown(), A.Num(3)))
        return OpRules(name, (None,), (out("selected", shape, "= [?, 3]", A.Hook(), "= hook"),), ())
    if name == "Shuffle":
        return OpRules(name, (None, None), (
            out("p", A.Permute(IN0, A.AxesParam("perm")), "= permute(in[0], perm)"),
            out("q", A.Broadcast((IN0, IN1)), "= broadcast(in[0], in[1])"),
        ), ())  # fmt: skip
    raise AssertionError(name)


HOOKS = r"""
namespace opgen { namespace hooks { namespace Nms {
Qnn_ErrorHandle_t selected_shape(const Qnn_OpConfig_t& config, uint32_t, uint32_t rank,
                                 uint32_t* dims, const bool* known) {
  if (rank != 2 || known[0] || !known[1]) return 77;
  dims[0] = config.v1.inputTensors[0].v1.dimensions[0] / 2;
  return QNN_SUCCESS;
}
Qnn_ErrorHandle_t selected_dtype(const Qnn_OpConfig_t&, uint32_t, Qnn_DataType_t* dataType) {
  *dataType = QNN_DATATYPE_INT_64;
  return QNN_SUCCESS;
}
} } }
"""


@pytest.fixture(scope="module")
def ops(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[OpDef, OpRules]]:
    path = f.write(tmp_path_factory.mktemp("cfg"), "rules.xml", CONFIG)
    (package,) = load_packages([path])
    return [(op, rules_for(op)) for op in package.ops]


@pytest.fixture(scope="module", params=["g++", "clang++"])
def h(request: pytest.FixtureRequest, ops: list[tuple[OpDef, OpRules]],
      tmp_path_factory: pytest.TempPathFactory) -> Harness:  # fmt: skip
    return build(tmp_path_factory.mktemp("harness"), ops, HOOKS, compiler=request.param)


def test_topk_validate_accepts_and_rejects(h: Harness) -> None:
    ok = h.run("TopK", [[2, 10]], [[2, 3], [2, 3]], out_types=[F32, I32], scalars=[("k", U32, 3)])
    assert ok.code == 0, ok.message
    bad = h.run("TopK", [[2, 10]], [[2, 4], [2, 3]], out_types=[F32, I32], scalars=[("k", U32, 3)])
    assert bad.code == FAIL
    assert bad.message == (
        "TopK: output 'values': rule '= with(in[0], -1, k)': output values has shape [2, 4], "
        "the rule gives [2, 3]"
    )
    dtype = h.run(
        "TopK", [[2, 10]], [[2, 3], [2, 3]], out_types=[F32, I64], scalars=[("k", U32, 3)]
    )
    assert dtype.code == FAIL
    assert "has datatype QNN_DATATYPE_INT_64, the rule gives QNN_DATATYPE_INT_32" in dtype.message


def test_integer_params_of_any_width_and_the_default(h: Harness) -> None:
    for code in (I32, U32, U8, 0x0016, 0x0116, 0x0008):
        r = h.run("TopK", [[5]], [[0], [0]], infer=True, scalars=[("k", code, 4)])
        assert (r.code, r.dims) == (0, ((4,), (4,))), r.message
    r = h.run("TopK", [[5]], [[0], [0]], infer=True)  # k omitted: its default 1
    assert r.dims == ((1,), (1,))
    assert r.dtypes == (F32, I32)  # like(in[0]) and the fixed INT_32
    r = h.run("TopK", [[5]], [[0], [0]], infer=True, scalars=[("k", F32, 4)])
    assert r.code == FAIL and "parameter 'k' has datatype QNN_DATATYPE_FLOAT_32" in r.message


def test_patterns_bind_check_and_require(h: Harness) -> None:
    r = h.run("BatchMatMul", [[7, 3, 4, 6], [6, 5]], [[0, 0, 0, 0]], infer=True)
    assert (r.code, r.dims) == (0, ((7, 3, 4, 5),)), r.message
    r = h.run("BatchMatMul", [[7, 3, 4, 6], [6, 5]], [[7, 3, 4, 5]])
    assert r.code == 0, r.message
    k = h.run("BatchMatMul", [[7, 4, 6], [5, 5]], [[7, 4, 5]])
    assert k.code == FAIL
    assert k.message == (
        "BatchMatMul: input 'b': rule '= [K, N]': b.shape[0] is 5 ([5, 5]), but K is 6"
    )
    m = h.run("BatchMatMul", [[3, 6], [6, 5]], [[3, 5]])
    assert m.code == FAIL
    assert m.message == (
        "BatchMatMul: constraint 901: rule 'require divisible(M, 2)': condition 1 is false "
        "(divisible(3, 2); M = 3, K = 6, N = 5)"
    )
    rank = h.run("BatchMatMul", [[6], [6, 5]], [[5]])
    assert rank.code == FAIL and "a has rank 1 ([6]); the pattern needs at least 2" in rank.message


def test_reduce_with_tensor_param_bool_param_and_defaults(h: Harness) -> None:
    r = h.run("Sum", [[2, 3, 4]], [[0]], infer=True, tensors=[("axes", I64, [-1, 0])])
    assert (r.code, r.dims) == (0, ((3,),)), r.message
    r = h.run("Sum", [[2, 3, 4]], [[0, 0, 0]], infer=True, tensors=[("axes", I32, [1])],
              scalars=[("keep_dims", BOOL, 1)])  # fmt: skip
    assert r.dims == ((2, 1, 4),)
    r = h.run("Sum", [[2, 3, 4]], [[0, 0]], infer=True)  # axes [0], keep_dims false
    assert r.dims == ((3, 4),)
    dup = h.run("Sum", [[2, 3]], [[2]], tensors=[("axes", I32, [0, -2])])
    assert dup.code == FAIL and "axis -2 is given twice" in dup.message


def test_concat_over_a_repeated_input(h: Harness) -> None:
    r = h.run("Cat", [[2, 3], [4, 3], [1, 3]], [[0, 0]], infer=True)
    assert r.dims == ((7, 3),)
    r = h.run("Cat", [[2, 3], [2, 5]], [[0, 0]], infer=True, scalars=[("axis", I32, -1)])
    assert r.dims == ((2, 8),)
    bad = h.run("Cat", [[2, 3], [4, 4]], [[6, 3]])
    assert bad.code == FAIL and "dim 1 differs" in bad.message


def test_integer_semantics_floor_mod_cdiv_max_select_slices(h: Harness) -> None:
    # x0 = 4: (4 - 11) // 3 + 5 = 2 (floor), (4 - 11) % 3 = 2 (sign of the divisor)
    r = h.run("Arith", [[4, 10, 6]], [[0] * 8], infer=True)
    assert r.code == 0, r.message
    assert r.dims == ((2, 2, 4, 10, 10, 3 * 240, 10, 6),)
    neg = h.run("Arith", [[1, 2]], [[0] * 7], infer=True)  # (1 - 11) // 3 + 5 = 1
    assert neg.dims == ((1, 2, 1, 7, 2, 2 * 2, 2),)
    low = h.run("Arith", [[20]], [[0] * 6], infer=True)
    assert (
        low.code == FAIL
        and "in[0].shape[1] is out of range: in[0] has rank 1 ([20])" in low.message
    )


def test_permute_and_broadcast(h: Harness) -> None:
    r = h.run("Shuffle", [[2, 3], [4, 1, 3]], [[0, 0], [0, 0, 0]], infer=True)
    assert r.dims == ((3, 2), (4, 2, 3))
    bad = h.run("Shuffle", [[2, 3], [4, 3]], [[3, 2], [4, 3]])
    assert bad.code == FAIL and "cannot broadcast" in bad.message
    perm = h.run("Shuffle", [[2, 3], [3]], [[3, 2], [2, 3]], tensors=[("perm", I32, [0, 0])])
    assert perm.code == FAIL and "appears twice in the permutation" in perm.message


def test_hooks_fill_unknown_dims_and_dtypes_in_infer_mode_only(h: Harness) -> None:
    r = h.run("Nms", [[10, 4]], [[0, 0]], infer=True, out_types=[I32])
    assert (r.code, r.dims, r.dtypes) == (0, ((5, 3),), (I64,)), r.message
    shapes_only = h.run("Nms", [[10, 4]], [[0, 0]], infer=True, parts=1, out_types=[I32])
    assert shapes_only.dtypes == (I32,)
    # Validate: the `?` dim and the hook dtype are not checked; the 3 is.
    assert h.run("Nms", [[10, 4]], [[99, 3]], out_types=[I32]).code == 0
    assert h.run("Nms", [[10, 4]], [[99, 4]], out_types=[I32]).code == FAIL
    rank = h.run("Nms", [[10, 4]], [[0, 0, 0]], infer=True)
    assert rank.code == FAIL and "rank 3 as the caller set it, the rule gives 2" in rank.message


def test_version_2_tensors_need_a_header_that_declares_them(h: Harness) -> None:
    r = h.run("TopK", [[5]], [[0], [0]], infer=True, version=2)
    assert r.code == FAIL
    assert "build against a QnnTypes.h that declares Qnn_TensorV2_t" in r.message
