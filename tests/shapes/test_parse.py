"""The rule parser: every form of the grammar, columns, and the syntax errors users will hit."""

from __future__ import annotations

import pytest

from opgen.model import Datatype
from opgen.shapes import (
    RuleSyntaxError,
    is_code_rule,
    is_shape_rule,
    parse_dtype,
    parse_pattern,
    parse_require,
    parse_shape,
)
from opgen.shapes import ast as A

IN0, IN1 = A.TensorRef("in", 0), A.TensorRef("in", 1)


def named(name: str) -> A.TensorRef:
    return A.TensorRef("name", -1, name=name)


def dim(t: A.TensorRef, i: int) -> A.Dim:
    return A.Dim(t, A.Num(i))


N = A.Name

SHAPES = [
    # the contract forms of the issue, exactly as written there
    ("= like(in[0])", A.Like(IN0)),
    ("= broadcast(in[0], in[1])", A.Broadcast((IN0, IN1))),
    (
        "= [in[0].shape[0], k, in[0].shape[-1] // 2]",
        A.ShapeList((dim(IN0, 0), N("k"), A.BinOp("//", dim(IN0, -1), A.Num(2)))),
    ),
    ("= with(in[0], -1, k)", A.With(IN0, A.Num(-1), N("k"))),
    ("= reduce(in[0], axes, keep_dims)", A.Reduce(IN0, A.AxesParam("axes"), N("keep_dims"))),
    ("= concat(axis, in[*])", A.Concat(N("axis"), A.AllInputs())),
    ("= permute(in[0], perm)", A.Permute(IN0, A.AxesParam("perm"))),
    ("= [cdiv(M, 32)]", A.ShapeList((A.Func("cdiv", (N("M"), A.Num(32))),))),
    ("= [?, 3]", A.ShapeList((A.Unknown(), A.Num(3)))),
    ("= hook", A.Hook()),
    ("= ?", A.Hook()),
    # the rest of the grammar
    ("=[B...,M,N]", A.ShapeList((A.BoundSpread("B"), N("M"), N("N")))),
    (
        "= [in[0].shape[0:-2]..., in[1].shape[:1]..., in[0].shape[2:]...]",
        A.ShapeList(
            (
                A.SliceSpread(IN0, A.Num(0), A.Num(-2)),
                A.SliceSpread(IN1, None, A.Num(1)),
                A.SliceSpread(IN0, A.Num(2), None),
            )
        ),
    ),
    ("= []", A.ShapeList(())),
    ("= matmul(in[0], filter)", A.Matmul(IN0, named("filter"))),
    ("= broadcast(in[*])", A.Broadcast(A.AllInputs())),
    ("= concat(0, a, b, c)", A.Concat(A.Num(0), (named("a"), named("b"), named("c")))),
    ("= insert(in[0], 0, 1)", A.Insert(IN0, A.Num(0), A.Num(1))),
    ("= remove(in[0], [0, -1])", A.Remove(IN0, A.AxesList((A.Num(0), A.Num(-1))))),
    (
        "= reduce(in[-1], [axis], false)",
        A.Reduce(A.TensorRef("in", 1, from_end=True), A.AxesList((N("axis"),)), A.BoolLit(False)),
    ),
    ("= like(out[1])", A.Like(A.TensorRef("out", 1))),
    (
        "= [rank(in[0]) - 1, numel(x), len(axes), p[0, 1], max(1, 2, 3), min(a, b)]",
        A.ShapeList(
            (
                A.BinOp("-", A.RankOf(IN0), A.Num(1)),
                A.Numel(named("x")),
                A.Len("axes"),
                A.ParamElem("p", (A.Num(0), A.Num(1))),
                A.Func("max", (A.Num(1), A.Num(2), A.Num(3))),
                A.Func("min", (N("a"), N("b"))),
            )
        ),
    ),
    (
        "= [select(keep and M > 1, M, 1), -(a), a % 2 * 3 + 4 - -5]",
        A.ShapeList(
            (
                A.Select(
                    A.Logic("and", N("keep"), A.Compare(">", N("M"), A.Num(1))), N("M"), A.Num(1)
                ),
                A.Neg(N("a")),
                A.BinOp(
                    "-",
                    A.BinOp("+", A.BinOp("*", A.BinOp("%", N("a"), A.Num(2)), A.Num(3)), A.Num(4)),
                    A.Num(-5),
                ),
            )
        ),
    ),
    ("= [filter.shape[-1]]", A.ShapeList((dim(named("filter"), -1),))),
]


@pytest.mark.parametrize(("text", "tree"), SHAPES, ids=[t for t, _ in SHAPES])
def test_shape_forms(text: str, tree: A.ShapeExpr) -> None:
    assert parse_shape(text) == tree


def test_conv_rule_with_pads_strides_dilation() -> None:
    text = (
        "= [N, (H + pad_amount[0,0] + pad_amount[0,1] - dilation[0]*(KH-1) - 1)//stride[0] + 1,"
        " (W + pad_amount[1,0] + pad_amount[1,1] - dilation[1]*(KW-1) - 1)//stride[1] + 1, F]"
    )
    tree = parse_shape(text)
    assert isinstance(tree, A.ShapeList)
    assert len(tree.items) == 4
    h = tree.items[1]
    assert isinstance(h, A.BinOp) and h.op == "+" and h.right == A.Num(1)
    assert isinstance(h.left, A.BinOp) and h.left.op == "//"
    assert h.left.right == A.ParamElem("stride", (A.Num(0),))


def test_whitespace_does_not_matter() -> None:
    spaced = "  =   with ( in [ 0 ] ,  - 1 , k )  "
    assert parse_shape(spaced) == parse_shape("=with(in[0],-1,k)")


def test_columns_point_into_the_text() -> None:
    tree = parse_shape("= [in[0].shape[0], k // 2]")
    assert isinstance(tree, A.ShapeList)
    assert tree.col == 3
    first, second = tree.items
    assert isinstance(first, A.Dim) and first.col == 4 and first.tensor.col == 4
    assert first.index.col == 16
    assert isinstance(second, A.BinOp) and second.col == 22
    assert second.left.col == 20 and second.right.col == 25


def test_negative_literals_fold_and_precedence() -> None:
    assert parse_shape("= [1 + 2 * 3]") == A.ShapeList(
        (A.BinOp("+", A.Num(1), A.BinOp("*", A.Num(2), A.Num(3))),)
    )
    assert parse_shape("= [(1 + 2) * 3]") == A.ShapeList(
        (A.BinOp("*", A.BinOp("+", A.Num(1), A.Num(2)), A.Num(3)),)
    )
    assert parse_shape("= [- -1]") == A.ShapeList((A.Neg(A.Num(-1)),))
    assert parse_shape("= [1 - 2 - 3]") == A.ShapeList(
        (A.BinOp("-", A.BinOp("-", A.Num(1), A.Num(2)), A.Num(3)),)
    )


PATTERNS = [
    ("= [B, M, K]", (A.PBind("B"), A.PBind("M"), A.PBind("K"))),
    ("= [B..., M, K]", (A.PSpread("B"), A.PBind("M"), A.PBind("K"))),
    ("= [_, ..., 3]", (A.PAny(), A.PSpread(None), A.PInt(3))),
    ("= [1, 1, M, K]", (A.PInt(1), A.PInt(1), A.PBind("M"), A.PBind("K"))),
    ("= []", ()),
    ("=[...]", (A.PSpread(None),)),
]


@pytest.mark.parametrize(("text", "elems"), PATTERNS, ids=[t for t, _ in PATTERNS])
def test_patterns(text: str, elems: tuple[A.PElem, ...]) -> None:
    assert parse_pattern(text) == A.Pattern(elems)


def test_dtypes() -> None:
    assert parse_dtype("= like(in[0])") == A.DtypeLike(IN0)
    assert parse_dtype("= QNN_DATATYPE_INT_32") == A.DtypeFixed(Datatype.INT_32)
    assert parse_dtype("= hook") == A.Hook()
    assert parse_dtype("=?") == A.Hook()
    assert parse_dtype("= like(values)") == A.DtypeLike(named("values"))


def test_requires() -> None:
    m, k = N("M"), N("K")
    assert parse_require("require divisible(M, 32)") == (A.Divisible(m, A.Num(32)),)
    assert parse_require("require divisible(M,32); divisible(K,32);") == (
        A.Divisible(m, A.Num(32)),
        A.Divisible(k, A.Num(32)),
    )
    # `<` arrives unescaped: lxml has turned &lt; into <
    assert parse_require("require M < K and not (K <= 4 or keep)") == (
        A.Logic(
            "and",
            A.Compare("<", m, k),
            A.Not(A.Logic("or", A.Compare("<=", k, A.Num(4)), N("keep"))),
        ),
    )
    assert parse_require("require (M + 1) * 2 >= K") == (
        A.Compare(">=", A.BinOp("*", A.BinOp("+", m, A.Num(1)), A.Num(2)), k),
    )
    assert parse_require("require lt(k, rank(in[0])); le(1, k); eq(M, K); M != K") == (
        A.Compare("<", N("k"), A.RankOf(IN0)),
        A.Compare("<=", A.Num(1), N("k")),
        A.Compare("==", m, k),
        A.Compare("!=", m, k),
    )
    assert parse_require("require true or false and keep") == (
        A.Logic("or", A.BoolLit(True), A.Logic("and", A.BoolLit(False), N("keep"))),
    )
    assert parse_require("require in[1].shape[0] == in[0].shape[-1]") == (
        A.Compare("==", dim(IN1, 0), dim(IN0, -1)),
    )


def test_what_counts_as_a_rule() -> None:
    assert is_shape_rule("= like(in[0])") and is_shape_rule("  =hook")
    assert not is_shape_rule("Same shape as in[0]") and not is_shape_rule(None)
    assert is_code_rule("require M == 1") and is_code_rule("= hook") and is_code_rule("require")
    assert not is_code_rule("requires M == 1") and not is_code_rule("x = 1")


ERRORS = [
    (parse_shape, "= lik(in[0])", 3, "unknown shape function 'lik'", "did you mean like?"),
    (parse_shape, "= [M, K", 8, "expected ',' or ']', found the end of the rule", None),
    (
        parse_shape,
        "= broadcast(in[0])",
        3,
        "broadcast takes at least 2 tensors, got 1",
        "like(t) copies one shape",
    ),
    (
        parse_shape,
        "= with(in[0], -1)",
        17,
        "expected ',', found ')'",
        "too few arguments to with: with(t, axis, dim)",
    ),
    (
        parse_shape,
        "= like(in[0], in[1])",
        13,
        "expected ')', found ','",
        "too many arguments to like: like(t)",
    ),
    (parse_shape, "= [cdiv(1, 2, 3)]", 4, "cdiv takes 2 arguments, got 3", "cdiv(a, b)"),
    (parse_shape, "= [max(1)]", 4, "max takes at least 2 arguments, got 1", None),
    (parse_shape, "= [ceil(M)]", 4, "unknown function 'ceil'", None),
    (parse_shape, "= [cdv(M, 2)]", 4, "unknown function 'cdv'", "did you mean cdiv?"),
    (
        parse_shape,
        "= [in[0].shape[1:]]",
        19,
        "expected '...', found ']'",
        "a slice of dims is a spread: write t.shape[a:b]...",
    ),
    (
        parse_shape,
        "= [M / 2]",
        6,
        "expected ',' or ']', found '/'",
        "write '//' for floor division or cdiv(a, b) for ceiling division",
    ),
    (parse_shape, "= [1.5]", 4, "rules use integers only", "no floating-point numbers"),
    (parse_shape, "= [M $ 2]", 6, "unexpected character '$'", None),
    (parse_shape, "=", 2, "expected a rule after '=', found the end of the rule", None),
    (parse_shape, "like(in[0])", 1, "expected a rule starting with '=', found 'like'", None),
    (parse_shape, "= like(in[0]) x", 15, "expected the end of the rule, found 'x'", None),
    (
        parse_shape,
        "= [in[0]]",
        9,
        "expected '.shape[...]' after a tensor, found ']'",
        "a tensor is not a number: write in[0].shape[i] or rank(in[0])",
    ),
    (parse_shape, "= [in[-0].shape[0]]", 4, "in[-0] is not an index", "in[-1] is the last input"),
    (parse_shape, "= [99999999999999999999]", 4, "does not fit in 64 bits", None),
    (
        parse_shape,
        "= like(in[*])",
        11,
        "expected an index, found '*'",
        "in[*] stands only for a list of tensors",
    ),
    (parse_shape, "= in[0]", 3, "expected a shape", "a tensor's shape is written like(t)"),
    (parse_pattern, "= [M, ?]", 7, "expected a dim", "write _ for any one dim"),
    (parse_pattern, "= [B..., ...]", 10, "a pattern has at most one spread", "B... or ... once"),
    (
        parse_pattern,
        "= like(in[0])",
        3,
        "expected a pattern",
        "an input's rule is a pattern such as = [B..., M, K]",
    ),
    (
        parse_pattern,
        "= [M + 1]",
        6,
        "expected ',' or ']', found '+'",
        "a pattern holds integers, names, _, ... and NAME...",
    ),
    (parse_pattern, "= [-1]", 4, "expected a dim", "pattern dims are non-negative"),
    (parse_dtype, "= INT_32", 3, "unknown datatype 'INT_32'", "did you mean QNN_DATATYPE_INT_32?"),
    (
        parse_dtype,
        "= BACKEND_SPECIFIC",
        3,
        "unknown datatype 'BACKEND_SPECIFIC'",
        "a rule names the datatype itself (or like(t), or hook)",
    ),
    (parse_dtype, "= [1]", 3, "expected like(t), a QNN_DATATYPE_* name or hook", None),
    (parse_require, "require M = 3", 11, "expected ';' or the end", "write '==' to compare"),
    (parse_require, "require a && b", 11, "found '&&'", "write 'and'"),
    (parse_require, "require M + 1", 14, "expected a comparison", None),
    (parse_require, "require", 8, "expected a rule after 'require'", None),
    (parse_require, "require M +", 12, "expected a number, a name or a dim", None),
    (parse_require, "require (M == 1", 16, "expected ')'", None),
]


@pytest.mark.parametrize(
    ("parse", "text", "col", "message", "hint"), ERRORS, ids=[e[1] for e in ERRORS]
)
def test_syntax_errors(parse: object, text: str, col: int, message: str, hint: str | None) -> None:
    with pytest.raises(RuleSyntaxError) as caught:
        parse(text)  # type: ignore[operator]
    assert message in caught.value.message
    assert caught.value.col == col
    assert caught.value.hint == hint
