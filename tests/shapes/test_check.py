"""Config-time checking of rules through the real loader: resolution and every diagnostic class."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

from opgen.config import load_packages
from opgen.model import Backend, Datatype
from opgen.shapes import ast as A
from opgen.shapes import rules_of
from opgen.shapes.oprules import DtypeRule, OpRules
from tests.shapes.rule_configs import config, inp, locate, op, out, param, validate

I32 = "QNN_DATATYPE_INT_32"


def walk(node: object) -> Iterator[object]:
    yield node
    if isinstance(node, tuple):
        for child in node:
            yield from walk(child)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from walk(getattr(node, f.name))


def rules(tmp_path: Path, text: str, backend: Backend = Backend.CPU) -> list[OpRules]:
    (package,) = load_packages([_write(tmp_path, text)])
    return [rules_of(o) for o in package.resolve(backend).ops]


def _write(tmp: Path, text: str) -> Path:
    path = tmp / "rules.xml"
    path.write_text(text, encoding="utf-8")
    return path


def test_matmul_rules_resolve(tmp_path: Path) -> None:
    text = config(
        op(
            "BatchMatMul",
            inp("a", "= [B..., M, K]"),
            inp(
                "b",
                "= [K, N]",
                rank="2D",
                constraints=[(901, "Shape", "M tiles by 32", "require divisible(M, 32)")],
            ),
            out("out", "= [B..., M, N]"),
        )
    )
    (r,) = rules(tmp_path, text)
    assert r.op == "BatchMatMul" and r.has_rules
    a, b = r.patterns
    assert a is not None and a.pattern.elems == (A.PSpread("B"), A.PBind("M"), A.PBind("K"))
    assert b is not None and b.source.text == "= [K, N]"
    (o,) = r.outputs
    assert o.shape is not None
    assert o.shape.expr == A.ShapeList((A.BoundSpread("B"), A.Bound("M"), A.Bound("N")))
    assert o.dtype == DtypeRule(A.DtypeFixed(Datatype.FLOAT_32), None)
    (req,) = r.requires
    assert req.conds == (A.Divisible(A.Bound("M"), A.Num(32)),)
    assert req.constraint_id == 901
    assert req.source.location is not None
    assert (req.source.location.line, req.source.location.column) == locate(
        text, "require divisible"
    )


def test_names_resolve_to_params_rank_and_tensors(tmp_path: Path) -> None:
    text = config(
        op(
            "Mixed",
            inp("x"),
            inp("filter", rank="2D"),
            out("y", "= [x.shape[0] + k, N, filter.shape[-1], len(axes), axes[0]]"),
            out("z", "= reduce(x, axes, keep_dims)"),
            out("w", "= with(in[0], axis, select(keep_dims, 1, k))"),
            param("k", mandatory=False, default="3"),
            param("axis", default="N-1", mandatory=False),
            param("axes", rank="1D"),
            param("keep_dims", "QNN_DATATYPE_BOOL_8"),
        )
    )
    (r,) = rules(tmp_path, text)
    y, z, w = (o.shape.expr for o in r.outputs if o.shape is not None)
    x_ref, f_ref = A.TensorRef("in", 0, name="x"), A.TensorRef("in", 1, name="filter")
    assert y == A.ShapeList(
        (
            A.BinOp("+", A.Dim(x_ref, A.Num(0)), A.ScalarParam("k")),
            A.RankOf(A.TensorRef("in", 0)),
            A.Dim(f_ref, A.Num(-1)),
            A.Len("axes"),
            A.ParamElem("axes", (A.Num(0),)),
        )
    )
    assert z == A.Reduce(x_ref, A.AxesParam("axes"), A.BoolParam("keep_dims"))
    assert w == A.With(
        A.TensorRef("in", 0),
        A.ScalarParam("axis"),
        A.Select(A.BoolParam("keep_dims"), A.Num(1), A.ScalarParam("k")),
    )
    names = [n for n in walk(r) if isinstance(n, A.Name)]
    assert names == []
    assert all(t.role in ("in", "out") for t in walk(r) if isinstance(t, A.TensorRef))


def test_a_pattern_name_wins_over_n_and_params(tmp_path: Path) -> None:
    text = config(
        op("Conv", inp("x", "= [N, H]", rank="2D"), out("y", "= [N, H]", rank="2D"), param("H"))
    )
    (r,) = rules(tmp_path, text)
    (o,) = r.outputs
    assert o.shape is not None and o.shape.expr == A.ShapeList((A.Bound("N"), A.Bound("H")))


def test_repeated_inputs(tmp_path: Path) -> None:
    text = config(
        op(
            "Cat",
            inp("first"),
            inp("many", repeated=True),
            inp("last"),
            out("a", "= concat(0, in[*])"),
            out("b", "= like(last)"),
            out("c", "= like(many)"),
            out("d", "= [in[-1].shape[0], rank(in[1])]"),
        ),
        op("Only", inp("xs", repeated=True), out("y", "= concat(axis, xs)"), param("axis")),
    )
    cat, only = rules(tmp_path, text)
    a, b, c, d = (o.shape.expr for o in cat.outputs if o.shape is not None)
    assert a == A.Concat(A.Num(0), A.AllInputs())
    assert b == A.Like(A.TensorRef("in", 1, from_end=True, name="last"))
    assert c == A.Like(A.TensorRef("in", 1, name="many"))
    assert d == A.ShapeList(
        (A.Dim(A.TensorRef("in", 1, from_end=True), A.Num(0)), A.RankOf(A.TensorRef("in", 1)))
    )
    (y,) = only.outputs
    assert y.shape is not None and y.shape.expr == A.Concat(A.ScalarParam("axis"), A.AllInputs())


def test_in_star_without_a_repeated_input_means_all_inputs(tmp_path: Path) -> None:
    text = config(op("Add3", inp("a"), inp("b"), inp("c"), out("y", "= broadcast(in[*])")))
    result = validate(tmp_path, text)
    assert result.ok, [d.format() for d in result.diagnostics]
    (r,) = rules(tmp_path, text)
    assert r.outputs[0].shape is not None
    assert r.outputs[0].shape.expr == A.Broadcast(A.AllInputs())


def test_dtype_rules_and_defaults(tmp_path: Path) -> None:
    both = (Datatype.FLOAT_32.value, I32)
    text = config(
        op(
            "Dt",
            inp("x", datatypes=both),
            out("single", datatypes=(I32,)),
            out("like", datatypes=(*both, "QNN_DATATYPE_INT_8")),
            out("hooked", datatypes=(Datatype.FLOAT_32.value, "QNN_DATATYPE_INT_8")),
            out("fixed", datatypes=both, constraints=[(7, "Datatype", "int", f"= {I32}")]),
            out("copied", datatypes=both, constraints=[(8, "Datatype", "as x", "= like(x)")]),
            out("user", datatypes=(I32,), constraints=[(9, "Datatype", "user", "= hook")]),
        )
    )
    (r,) = rules(tmp_path, text)
    got = {o.name: o.dtype for o in r.outputs}
    assert got["single"] == DtypeRule(A.DtypeFixed(Datatype.INT_32), None)
    assert got["like"] == DtypeRule(A.DtypeLike(A.TensorRef("in", 0)), None)
    assert got["hooked"] == DtypeRule(A.Hook(), None)
    assert got["fixed"].expr == A.DtypeFixed(Datatype.INT_32)
    assert got["fixed"].source is not None and got["fixed"].source.text == f"= {I32}"
    assert got["copied"].expr == A.DtypeLike(A.TensorRef("in", 0, name="x"))
    assert got["user"].expr == A.Hook() and got["user"].source is not None
    assert r.has_rules


def test_prose_is_never_a_rule(tmp_path: Path) -> None:
    text = config(
        op(
            "Prose",
            inp("x", "[batch, height, width, channel] = NHWC"),
            out("y", "a tensor of N dimension", constraints=[(1, "Shape", "same", "x == y")]),
        )
    )
    assert validate(tmp_path, text).ok
    (r,) = rules(tmp_path, text)
    assert r.patterns == (None,) and r.outputs[0].shape is None and r.requires == ()
    assert not r.has_rules


GPU_SUPPLEMENT = """<SupplementalOpDefList Backend="GPU">
<SupportedOps><OpName>Sq</OpName></SupportedOps>
<SupplementalOpDef><Name>Sq</Name>
<Input><Name>x</Name>
<Constraint id="5" Type="Shape">gpu limit<Code>require in[0].shape[0] == 4</Code></Constraint>
</Input>
<Output><Name>y</Name>
<Shape><Text>= [in[0].shape[0], 1]</Text></Shape>
</Output>
</SupplementalOpDef>
</SupplementalOpDefList>"""


def test_supplemental_text_and_constraint_replace_the_rule_per_backend(tmp_path: Path) -> None:
    base = op(
        "Sq",
        inp("x", constraints=[(5, "Shape", "cpu limit", "require in[0].shape[0] == 2")]),
        out("y", "= like(in[0])"),
    )
    text = config(base, supplementals=[GPU_SUPPLEMENT])
    result = validate(tmp_path, text)
    assert result.ok, [d.format() for d in result.diagnostics]
    (cpu,) = rules(tmp_path, text, Backend.CPU)
    (gpu,) = rules(tmp_path, text, Backend.GPU)
    assert cpu.outputs[0].shape is not None and gpu.outputs[0].shape is not None
    assert cpu.outputs[0].shape.expr == A.Like(A.TensorRef("in", 0))
    assert gpu.outputs[0].shape.expr == A.ShapeList(
        (A.Dim(A.TensorRef("in", 0), A.Num(0)), A.Num(1))
    )
    in0 = A.Dim(A.TensorRef("in", 0), A.Num(0))
    assert cpu.requires[0].conds == (A.Compare("==", in0, A.Num(2)),)
    assert gpu.requires[0].conds == (A.Compare("==", in0, A.Num(4)),)
    # A bad rule in the supplement is reported at the supplement's text, once.
    bad = text.replace("= [in[0].shape[0], 1]", "= [in[0].shape[0], k]")
    result = validate(tmp_path, bad)
    line, column = locate(bad, "= [in[0].shape[0], k]")
    assert [
        (d.line, d.column, d.message) for d in result.diagnostics if d.level.value == "error"
    ] == [(line, column + 19, "op 'Sq', output 'y': unknown name 'k'")]
