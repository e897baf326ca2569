"""Property tests: random rules from the grammar parse, print back and check without surprises;
random garbage never raises anything but RuleSyntaxError. OPGEN_STRESS=1 raises the sample."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opgen.config import load_packages
from opgen.config.diagnostics import Diagnostics, Level
from opgen.model import Constraint, ConstraintType, OpDef
from opgen.shapes import (
    RuleSyntaxError,
    check_op_rules,
    parse_dtype,
    parse_pattern,
    parse_require,
    parse_shape,
)
from opgen.shapes import ast as A
from opgen.shapes.format import to_text
from opgen.shapes.oprules import OpRules
from tests.shapes.rule_configs import config, inp, op, out, param

STRESS = bool(os.environ.get("OPGEN_STRESS"))
SETTINGS = settings(
    max_examples=2000 if STRESS else 60,
    deadline=None,
    derandomize=not STRESS,  # the default run checks the same sample every time
    suppress_health_check=[HealthCheck.too_slow],
)

TENSORS = ["in[0]", "in[1]", "in[-1]", "x", "w", "y", "in[5]", "nope"]
NAMES = ["M", "K", "Q", "k", "axis", "N", "keep", "axes", "zz"]
ints = st.integers(-3, 40).map(str)
tensor = st.sampled_from(TENSORS)
leaf = st.one_of(
    ints,
    st.sampled_from(NAMES),
    st.builds(lambda t, i: f"{t}.shape[{i}]", tensor, st.integers(-3, 3)),
    st.builds(lambda f, t: f"{f}({t})", st.sampled_from(["rank", "numel"]), tensor),
    st.sampled_from(["len(axes)", "axes[0]", "pads[0, 1]", "pads[1]"]),
)


def _compound(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    cond = st.builds(
        lambda a, o, b: f"{a} {o} {b}", children, st.sampled_from(["==", "<", ">="]), children
    )
    return st.one_of(
        st.builds(
            lambda a, o, b: f"({a} {o} {b})",
            children,
            st.sampled_from(["+", "-", "*", "//", "%"]),
            children,
        ),
        st.builds(lambda a, o, b: f"{a} {o} {b}", children, st.sampled_from(["+", "*"]), children),
        children.map(lambda a: f"-{a}"),
        st.builds(
            lambda f, a, b: f"{f}({a}, {b})",
            st.sampled_from(["cdiv", "max", "min"]),
            children,
            children,
        ),
        st.builds(
            lambda c, a, b: f"select({c}, {a}, {b})",
            st.one_of(cond, st.just("keep")),
            children,
            children,
        ),
    )


iexpr = st.recursive(leaf, _compound, max_leaves=8)
cond_leaf = st.one_of(
    st.builds(
        lambda a, o, b: f"{a} {o} {b}",
        iexpr,
        st.sampled_from(["==", "!=", "<", "<=", ">", ">="]),
        iexpr,
    ),
    st.builds(lambda a, b: f"divisible({a}, {b})", iexpr, iexpr),
    st.builds(lambda f, a, b: f"{f}({a}, {b})", st.sampled_from(["eq", "lt", "le"]), iexpr, iexpr),
    st.sampled_from(["true", "false", "keep", "k"]),
)
cond = st.recursive(
    cond_leaf,
    lambda c: st.one_of(
        st.builds(lambda a, o, b: f"{a} {o} {b}", c, st.sampled_from(["and", "or"]), c),
        c.map(lambda a: f"not ({a})"),
        c.map(lambda a: f"({a})"),
    ),
    max_leaves=4,
)
axes = st.one_of(
    st.just("axes"),
    st.just("k"),
    st.lists(iexpr, min_size=1, max_size=3).map(lambda xs: f"[{', '.join(xs)}]"),
)
item = st.one_of(
    iexpr,
    st.just("?"),
    st.sampled_from(["B...", "M...", "in[0].shape[0:-1]...", "x.shape[:2]...", "w.shape[1:]..."]),
)
trefs = st.one_of(st.just("in[*]"), st.lists(tensor, min_size=2, max_size=3).map(", ".join))
shape = st.one_of(
    st.lists(item, max_size=5).map(lambda xs: f"[{', '.join(xs)}]"),
    tensor.map(lambda t: f"like({t})"),
    trefs.map(lambda ts: f"broadcast({ts})"),
    st.builds(lambda t, a, c: f"reduce({t}, {a}, {c})", tensor, axes, cond),
    st.builds(lambda a, ts: f"concat({a}, {ts})", iexpr, trefs),
    st.builds(lambda t, a: f"permute({t}, {a})", tensor, axes),
    st.builds(
        lambda f, t, a, d: f"{f}({t}, {a}, {d})",
        st.sampled_from(["with", "insert"]),
        tensor,
        iexpr,
        iexpr,
    ),
    st.builds(lambda t, a: f"remove({t}, {a})", tensor, axes),
    st.builds(lambda a, b: f"matmul({a}, {b})", tensor, tensor),
    st.sampled_from(["hook", "?"]),
)
pelem = st.sampled_from(["M", "K", "Q", "B...", "...", "_", "4", "1", "M..."])
pattern = (
    st.lists(pelem, max_size=5)
    .filter(lambda xs: sum(e.endswith("...") for e in xs) <= 1)  # the grammar's one spread
    .map(lambda xs: f"= [{', '.join(xs)}]")
)
dtype = st.one_of(
    tensor.map(lambda t: f"= like({t})"),
    st.sampled_from(
        [
            "= QNN_DATATYPE_INT_32",
            "= QNN_DATATYPE_FLOAT_32",
            "= QNN_DATATYPE_INT_8",
            "= hook",
            "= ?",
        ]
    ),
)
require = st.lists(cond, min_size=1, max_size=3).map(lambda cs: "require " + "; ".join(cs))


@cache
def base_op(tmp: str) -> OpDef:
    text = config(
        op(
            "Prop",
            inp("x", "= [B..., M, K]", datatypes=("QNN_DATATYPE_FLOAT_32", "QNN_DATATYPE_INT_32")),
            inp("w", "= [K, Q]", rank="2D"),
            out("y", "= like(in[0])", datatypes=("QNN_DATATYPE_FLOAT_32", "QNN_DATATYPE_INT_32")),
            param("k"),
            param("axis", mandatory=False, default="0"),
            param("keep", "QNN_DATATYPE_BOOL_8"),
            param("axes", "QNN_DATATYPE_UINT_32", rank="1D"),
            param("pads", "QNN_DATATYPE_UINT_32", rank="2D"),
        )
    )
    path = Path(tmp) / "prop.xml"
    path.write_text(text, encoding="utf-8")
    (package,) = load_packages([path])
    return package.ops[0]


@cache
def _tmp() -> str:
    return tempfile.mkdtemp(prefix="opgen-rules-")


def with_texts(
    shape_text: str | None = None,
    pattern_text: str | None = None,
    dtype_code: str | None = None,
    require_code: str | None = None,
) -> OpDef:
    base = base_op(_tmp())
    x, w = base.inputs
    (y,) = base.outputs
    if pattern_text is not None:
        w = dataclasses.replace(w, shape_text=pattern_text)
    if shape_text is not None:
        y = dataclasses.replace(y, shape_text=shape_text)
    constraints = []
    if dtype_code is not None:
        constraints.append(Constraint(1, ConstraintType.DATATYPE, "dt", dtype_code, y.location))
    if require_code is not None:
        constraints.append(Constraint(2, ConstraintType.SHAPE, "chk", require_code, y.location))
    y = dataclasses.replace(y, constraints=tuple(constraints))
    return dataclasses.replace(base, inputs=(x, w), outputs=(y,))


def _checked(op_def: OpDef) -> OpRules:
    diagnostics = Diagnostics()
    rules = check_op_rules(op_def, diagnostics)
    if not diagnostics.has_errors:
        leftover = [n for n in _walk(rules) if isinstance(n, A.Name)]
        assert leftover == [], leftover
    assert all(d.level in (Level.ERROR, Level.WARNING) for d in diagnostics.items)
    return rules


def _walk(node: object) -> list[object]:
    found = [node]
    if isinstance(node, tuple):
        for child in node:
            found += _walk(child)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            found += _walk(getattr(node, f.name))
    return found


@SETTINGS
@given(shape)
def test_random_shape_rules_parse_print_back_and_check(body: str) -> None:
    text = "= " + body
    tree = parse_shape(text)
    assert parse_shape("= " + to_text(tree)) == tree
    _checked(with_texts(shape_text=text))


@SETTINGS
@given(pattern, shape)
def test_random_patterns_parse_and_check(text: str, body: str) -> None:
    tree = parse_pattern(text)
    assert parse_pattern("= " + to_text(tree)) == tree
    _checked(with_texts(shape_text="= " + body, pattern_text=text))


@SETTINGS
@given(dtype, require)
def test_random_dtype_rules_and_checks(dtype_text: str, require_text: str) -> None:
    dtype_tree = parse_dtype(dtype_text)
    assert parse_dtype("= " + to_text(dtype_tree)) == dtype_tree
    conds = parse_require(require_text)
    printed = "require " + "; ".join(to_text(c) for c in conds)
    assert parse_require(printed) == conds
    rules = _checked(with_texts(dtype_code=dtype_text, require_code=require_text))
    assert len(rules.outputs) == 1


ALPHABET = st.sampled_from(
    [
        *"[](),;.:+-*/%<>=!?&|_ 0123456789abcdefikmnorsptuwxMKNQ\t",
        *["...", "in[", "require", "like(", "\u00e9", "\u2028", "\x00"],
    ]
)
garbage = st.lists(ALPHABET, max_size=40).map("".join)


@SETTINGS
@given(st.sampled_from(["", "=", "= ", "require ", "= ["]), garbage)
def test_garbage_raises_only_rule_syntax_errors(prefix: str, tail: str) -> None:
    text = prefix + tail
    for parse in (parse_shape, parse_pattern, parse_dtype, parse_require):
        try:
            parse(text)
        except RuleSyntaxError as exc:
            assert 1 <= exc.col <= len(text) + 1
    _checked(with_texts(shape_text=text, pattern_text=text, dtype_code=text, require_code=text))


def test_deep_nesting_is_a_syntax_error_not_a_crash() -> None:
    for text in (
        "= [" + "(" * 5000 + "1" + ")" * 5000 + "]",
        "= [" + " + ".join(["1"] * 5000) + "]",
        "require " + "not " * 5000 + "true",
        "require " + " and ".join(["true"] * 5000),
    ):
        parse = parse_require if text.startswith("require") else parse_shape
        try:
            parse(text)
        except RuleSyntaxError as exc:
            assert "nests deeper" in exc.message
        else:
            raise AssertionError("expected a RuleSyntaxError")
