"""A config with every rule form stays a plain OpDef: schema-valid, its texts kept as written."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from opgen.config import load_packages, validate_configs
from opgen.model import Backend
from opgen.shapes import ast as A
from opgen.shapes import is_code_rule, is_shape_rule, rules_of

ROOT = Path(__file__).resolve().parents[2]
EVERY_FORM = Path(__file__).parent / "data" / "every_form.xml"


def test_every_form_passes_the_schema_with_plain_lxml() -> None:
    """The path the vendor tool takes: lxml XSD validation, no opgen code involved."""
    schema = etree.XMLSchema(etree.parse(str(ROOT / "schemas" / "OpDef.xsd")))
    doc = etree.parse(str(EVERY_FORM))
    assert schema.validate(doc), schema.error_log
    # What the vendor translator would trip over: an empty <Text/>, a Constraint without prose.
    assert all((t.text or "").strip() for t in doc.iter("Text"))
    assert all((c.text or "").strip() for c in doc.iter("Constraint") if c.find("Code") is not None)


def test_every_form_loads_without_a_diagnostic_and_keeps_its_texts() -> None:
    result = validate_configs([EVERY_FORM])
    assert result.ok and result.diagnostics == ()
    doc = etree.parse(str(EVERY_FORM))
    (op_el,) = doc.iter("OpDef")
    raw_texts = [t.text for t in op_el.iter("Text")]
    raw_codes = [c.text for c in op_el.iter("Code")]
    (package,) = load_packages([EVERY_FORM])
    (op,) = package.ops
    texts = [t.shape_text for t in op.tensors() if t.shape_text is not None]
    codes = [c.code for t in op.tensors() for c in t.constraints if c.code is not None]
    # The vendor collapses whitespace runs in Text to one space: a rule is unchanged by that.
    assert texts == raw_texts == [" ".join(str(t).split()) for t in raw_texts]
    assert codes == raw_codes
    assert all(is_shape_rule(t) for t in texts) and all(is_code_rule(c) for c in codes)
    assert "require k <= in[0].shape[-1]" in codes  # CDATA passes as is
    assert any("K < 4096" in c for c in codes if c)  # &lt; arrives as <


def test_every_form_resolves_per_backend_view() -> None:
    (package,) = load_packages([EVERY_FORM])
    (base,) = package.ops
    (view,) = package.resolve(Backend.CPU).ops
    for op in (base, view):
        rules = rules_of(op)
        assert all(p is not None for p in rules.patterns)
        assert all(o.shape is not None for o in rules.outputs), rules.outputs
    base_rules, view_rules = rules_of(base), rules_of(view)
    nms = {o.name: o for o in view_rules.outputs}["nms"]
    assert nms.shape is not None and nms.shape.expr == A.ShapeList((A.Unknown(), A.Num(4)))
    assert {r.constraint_id for r in base_rules.requires} == {901, 4}
    tile = next(r for r in view_rules.requires if r.constraint_id == 901)
    assert tile.conds == (A.Divisible(A.Bound("M"), A.Num(64)),)
    dtypes = {o.name: o.dtype for o in view_rules.outputs}
    assert dtypes["like"].expr == A.DtypeLike(A.TensorRef("in", 0))
    assert dtypes["user"].expr == A.Hook() and dtypes["user"].source is not None
