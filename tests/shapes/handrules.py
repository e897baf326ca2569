"""OpRules built by hand (what the checker would give for a rule text) and OpDefs loaded through
the real config loader, for the evaluator's tests."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

import opgen
from opgen.model import Datatype, OpDef
from opgen.shapes import ast
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

IN0, IN1, IN2 = (ast.TensorRef("in", i) for i in range(3))


def load_op(
    inputs: Sequence[str] | None = None,
    outputs: Sequence[str] | None = None,
    params: Sequence[str] = (),
    name: str = "Op",
) -> OpDef:
    """One op through opgen.load_packages (defaults parsed as the loader parses them)."""
    with tempfile.TemporaryDirectory() as tmp:
        text = f.config("Pkg", [f.op(name, inputs=inputs, outputs=outputs, params=params)])
        (package,) = opgen.load_packages([f.write(Path(tmp), "Pkg.xml", text)])
    (op,) = package.ops
    return op


def shape(expr: ast.ShapeExpr, text: str = "= rule") -> ShapeRule:
    return ShapeRule(expr, RuleSource(text))


def out(
    name: str,
    expr: ast.ShapeExpr | None,
    text: str = "= rule",
    dtype: ast.DtypeExpr | None = None,
    dtype_text: str | None = None,
) -> OutputRules:
    dt = dtype if dtype is not None else ast.DtypeLike(IN0)
    source = RuleSource(dtype_text) if dtype_text else None
    return OutputRules(name, shape(expr, text) if expr is not None else None, DtypeRule(dt, source))


def pattern(text: str, *elems: ast.PElem) -> PatternRule:
    return PatternRule(ast.Pattern(tuple(elems)), RuleSource(text))


def require(text: str, *conds: ast.BExpr, cid: int = 901) -> Require:
    return Require(tuple(conds), RuleSource(text), cid)


def rules(
    op: OpDef,
    outputs: Sequence[OutputRules],
    patterns: Sequence[PatternRule | None] = (),
    requires: Sequence[Require] = (),
) -> OpRules:
    pats = tuple(patterns) + (None,) * (len(op.inputs) - len(patterns))
    return OpRules(op.name, pats, tuple(outputs), tuple(requires))


def dim(tensor: ast.TensorRef, index: int) -> ast.Dim:
    return ast.Dim(tensor, ast.Num(index))


def b(op: str, left: ast.IExpr, right: ast.IExpr) -> ast.BinOp:
    return ast.BinOp(op, left, right)


F32 = Datatype.FLOAT_32
I32 = Datatype.INT_32
