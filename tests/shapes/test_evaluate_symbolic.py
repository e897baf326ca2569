"""Symbolic dims: SymDim arithmetic, folding and text, and named ONNX dims through the rules."""

from __future__ import annotations

import pytest

from opgen.shapes import ast
from opgen.shapes import symbolic as sym
from opgen.shapes.evaluate import RuleError, SymDim, TensorFacts, infer
from tests import factories as f
from tests.shapes.handrules import F32, IN0, IN1, b, dim, load_op, out, pattern, rules

N, M = SymDim.symbol("N"), SymDim.symbol("M")
X = f.tensor("Input", "in[0]")
Y = f.tensor("Input", "in[1]")
Z = f.tensor("Output", "out[0]")


def test_arithmetic_folds_to_a_canonical_form() -> None:
    assert (N + 1) - 1 == N
    assert N * 2 == N + N
    assert N - N == 0 and isinstance(N - N, int)
    assert (N + M) * 2 - 2 * M == 2 * N
    assert (N + 1) * (N - 1) == N * N - 1
    assert hash(N + M) == hash(M + N)
    assert (4 * N + 8) // 4 == N + 2
    assert sym.cdiv(6 * N, 3) == 2 * N
    assert (4 * N) % 2 == 0
    assert N // 1 == N
    assert sym.maximum(N, 3, N, 5) == sym.maximum(5, N)
    assert sym.maximum(sym.maximum(N, M), 2) == sym.maximum(M, N, 2)
    assert sym.minimum(4, 7) == 4
    assert N // 2 != N // 3
    with pytest.raises(ZeroDivisionError):
        N // 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2 * N + 1, "2*N + 1"),
        (1 - N, "-N + 1"),
        (N * M - 3, "M*N - 3"),
        ((N - 3) // 2 + 1, "(N - 3) // 2 + 1"),
        (2 * (N // 2), "2*(N // 2)"),
        (sym.cdiv(M, 32), "cdiv(M, 32)"),
        (sym.maximum(N, M), "max(M, N)"),
        (N % 4, "N % 4"),
        (N // -2, "N // (-2)"),
        (-(N // 2), "-(N // 2)"),
        (M - N // 2, "M - N // 2"),
    ],
)
def test_text_is_a_dim_param_in_the_rules_syntax(value: SymDim, text: str) -> None:
    assert str(value) == text


def test_sign_of_difference_decides_only_what_symbols_do_not_change() -> None:
    assert sym.sign_of_difference(N + 1, N) == 1
    assert sym.sign_of_difference(N, N) == 0
    assert sym.sign_of_difference(N, M) is None
    assert sym.sign_of_difference(3, 5) == -1


def test_a_named_dim_flows_through_a_conv_like_rule() -> None:
    op = load_op([X], [Z], [f.param("stride", "QNN_DATATYPE_INT_32")])
    pats = [pattern("= [B, H, C]", ast.PBind("B"), ast.PBind("H"), ast.PBind("C"))]
    h = b("+", b("//", b("-", ast.Bound("H"), ast.Num(3)), ast.ScalarParam("stride")), ast.Num(1))
    expr = ast.ShapeList((ast.Bound("B"), h, b("*", ast.Bound("C"), ast.Num(2))))
    r = rules(op, [out("out[0]", expr)], pats)
    (facts,) = infer(r, op, [TensorFacts(("batch", "height", 8), F32)], {"stride": 2})
    assert [str(d) for d in facts.shape or ()] == ["batch", "(height - 3) // 2 + 1", "16"]
    (facts,) = infer(r, op, [TensorFacts(("batch", 11, 8), F32)], {"stride": 2})
    assert facts.shape == (SymDim.symbol("batch"), 5, 16)


def test_with_keeps_symbols_and_patterns_compare_them() -> None:
    op = load_op([X, Y], [Z], [f.param("k", "QNN_DATATYPE_INT_32")])
    pats = [
        pattern("= [M, K]", ast.PBind("M"), ast.PBind("K")),
        pattern("= [K, 5]", ast.PBind("K"), ast.PInt(5)),
    ]
    r = rules(op, [out("out[0]", ast.With(IN0, ast.Num(-1), ast.ScalarParam("k")))], pats)
    (facts,) = infer(r, op, [TensorFacts(("M", "K"), F32), TensorFacts(("K", "C"))], {"k": 4})
    assert facts.shape == (M, 4)
    # Undecided (K vs L, C vs 5) passes; decided contradictions fail.
    infer(r, op, [TensorFacts(("M", "K")), TensorFacts(("L", "C"))], {"k": 4})
    with pytest.raises(RuleError, match=r"dim 0 of in\[1\] is K \+ 1, but K = K"):
        infer(r, op, [TensorFacts(("M", "K")), TensorFacts((SymDim.symbol("K") + 1, 5))], {"k": 4})


def test_broadcast_of_symbols_follows_onnx() -> None:
    op = load_op([X, Y], [Z])
    r = rules(op, [out("out[0]", ast.Broadcast((IN0, IN1)), "= broadcast(in[0], in[1])")])
    (facts,) = infer(r, op, [TensorFacts(("N", 1, "M", 7)), TensorFacts((3, "M", 1))], {})
    assert facts.shape == (N, 3, M, 7)
    (facts,) = infer(r, op, [TensorFacts(("N", 1)), TensorFacts((5, "N"))], {})
    assert facts.shape == (5, N)
    (facts,) = infer(r, op, [TensorFacts(("A", 1, 4)), TensorFacts(("B", "C", "C"))], {})
    assert facts.shape == (None, SymDim.symbol("C"), 4)
    assert facts.shape_reason == (
        "its shape rule '= broadcast(in[0], in[1])' leaves dim 0 unknown (different symbols "
        "broadcast)"
    )
    with pytest.raises(RuleError, match="N and N \\+ 1 do not broadcast"):
        infer(r, op, [TensorFacts(("N",)), TensorFacts((N + 1,))], {})


def test_symbolic_requires_pass_unless_contradicted() -> None:
    from tests.shapes.handrules import require

    op = load_op([X], [Z])
    req = require("require divisible(in[0].shape[0], 4)", ast.Divisible(dim(IN0, 0), ast.Num(4)))
    r = rules(op, [out("out[0]", ast.Like(IN0))], requires=[req])
    infer(r, op, [TensorFacts(("N",))], {})
    infer(r, op, [TensorFacts((4 * N,))], {})
    with pytest.raises(RuleError, match="is false"):
        infer(r, op, [TensorFacts((6,))], {})


def test_unknown_dims_and_ranks_give_none() -> None:
    op = load_op([X], [Z])
    r = rules(op, [out("out[0]", ast.ShapeList((b("*", dim(IN0, 0), ast.Num(2)), dim(IN0, 1))))])
    (facts,) = infer(r, op, [TensorFacts((None, 3))], {})
    assert facts.shape == (None, 3)
    (facts,) = infer(r, op, [TensorFacts(None)], {})
    assert facts.shape == (None, None)
    like = rules(op, [out("out[0]", ast.Like(IN0), "= like(in[0])")])
    (facts,) = infer(like, op, [TensorFacts(None)], {})
    assert facts.shape is None
    assert (
        facts.shape_reason
        == "its shape rule '= like(in[0])' gives no shape: the shape of in[0] is unknown"
    )


def test_matmul_and_concat_with_symbols() -> None:
    op = load_op([X, Y], [Z])
    mm = rules(op, [out("out[0]", ast.Matmul(IN0, IN1))])
    (facts,) = infer(mm, op, [TensorFacts(("B", "M", "K")), TensorFacts(("K", "N"))], {})
    assert facts.shape == (SymDim.symbol("B"), M, N)
    cat = rules(op, [out("out[0]", ast.Concat(ast.Num(0), (IN0, IN1)))])
    (facts,) = infer(cat, op, [TensorFacts(("N", 3)), TensorFacts(("N", 3))], {})
    assert facts.shape == (2 * N, 3)
