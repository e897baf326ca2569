"""HTP names: clashes in the HTP scopes are diagnostics at validation, at both places, and the
listing (opgen/config/names.py) holds every identifier the HTP contexts hand the templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from opgen import naming
from opgen.backends import htp
from opgen.config import validate_configs
from opgen.config.names import generated_identifiers
from opgen.model import Backend
from tests import factories as f
from tests.naming.test_collisions import Case, Expect, _line, name, scalar


def optional_input(n: str) -> str:
    return f.tensor("Input", n, mandatory=False)


HTP_CASES = [
    Case(
        "table_namespace_vs_entry_point",
        "op_X",
        (f.op("XInit", "HTP"),),
        (
            Expect(
                "error",
                name("XInit"),
                "op 'XInit' gives the C++ name 'op_XInit' in the global scope, as package "
                "'op_X' does",
            ),
            Expect("note", "<OpDefCollection", "package 'op_X' is declared here"),
        ),
    ),
    Case(
        "arity_function_vs_other_op_function",
        "P",
        (
            f.op("A", "HTP", inputs=[f.tensor("Input", "in[0]"), optional_input("xImpl")]),
            f.op("AImplWithout_x", "HTP"),
        ),
        (
            Expect(
                "error",
                name("AImplWithout_x"),
                "op 'AImplWithout_x' gives the C++ name 'aImplWithout_xImpl' in the global "
                "scope, as op 'A' does",
            ),
            Expect("note", name("A"), "op 'A' is declared here"),
        ),
    ),
    Case(
        "default_symbol_vs_op_function",
        "P",
        (f.op("Sg_opDefault_x", "HTP_FP16", params=[scalar("xImpl")]),),
        (
            Expect(
                "error",
                name("xImpl"),
                "parameter 'xImpl' of op 'Sg_opDefault_x' gives the C++ name "
                "'sg_opDefault_xImpl' in the op file src/ops/Sg_opDefault_x.cpp, as op "
                "'Sg_opDefault_x' does",
            ),
            Expect("note", name("Sg_opDefault_x"), "op 'Sg_opDefault_x' is declared here"),
        ),
    ),
    Case(
        "argument_vs_htp_class",
        "P",
        (f.op("A", "HTP", params=[scalar("Idx")]),),
        (
            Expect(
                "error",
                name("Idx"),
                "parameter name 'Idx' of op 'A' is a name the HTP op function already uses (an "
                "HTP tensor class or template parameter); rename it",
            ),
        ),
    ),
    Case(
        "repeated_input_and_optional_output",
        "P",
        (
            f.op(
                "Concat",
                "HTP",
                inputs=[f.tensor("Input", "in[0]", repeated=True)],
                outputs=[f.tensor("Output", "out[0]", mandatory=False)],
            ),
        ),
        (
            Expect(
                "error",
                "<Input>",
                "input 'in[0]' of op 'Concat' is Repeated, which HTP op packages cannot express "
                "(the HTP core matches a fixed number of tensors); declare a fixed number of "
                "tensors, optional ones last",
            ),
            Expect(
                "error",
                "<Output>",
                "output 'out[0]' of op 'Concat' is optional, which HTP op packages cannot "
                "express (every output is an argument of the op function)",
            ),
        ),
    ),
]

# The same shapes on the CPU (or clashes that only HTP has) are accepted there.
CPU_ACCEPTED = [
    ("table_namespace_vs_entry_point", "op_X", (f.op("XInit"),)),
    ("argument_named_Idx", "P", (f.op("A", params=[scalar("Idx")]),)),
    ("repeated_input", "P", (f.op("A", inputs=[f.tensor("Input", "in[0]", repeated=True)]),)),
]


@pytest.mark.parametrize("case", HTP_CASES, ids=[c.id for c in HTP_CASES])
def test_htp_clash_is_reported_at_validation(case: Case, tmp_path: Path) -> None:
    text = f.config(case.package, case.ops, case.supplementals)
    result = validate_configs([f.write(tmp_path, "c.xml", text)])
    got = [(d.level.value, d.line, d.message) for d in result.diagnostics]
    want = [(e.level, _line(text, e.anchor, e.nth), e.message) for e in case.expected]
    assert got == want


@pytest.mark.parametrize(("case", "package", "ops"), CPU_ACCEPTED, ids=[a[0] for a in CPU_ACCEPTED])
def test_htp_rules_do_not_apply_to_cpu_ops(
    case: str, package: str, ops: tuple[str, ...], tmp_path: Path
) -> None:
    result = validate_configs([f.write(tmp_path, "c.xml", f.config(package, ops))])
    assert [d.format() for d in result.diagnostics] == []


def _context_names(view_backend: Backend, path: Path) -> set[str]:
    """Every identifier the HTP contexts hand the templates (types and fixed names aside)."""
    (package,) = validate_configs([path]).packages
    ctx = htp.package_context(package.resolve(view_backend))
    names = set(vars(ctx.functions).values())
    for op in ctx.ops:
        names |= {op.table_namespace, naming.htp_ops_table(op.name)}
        names |= {row.types_table for row in op.inputs + op.outputs + op.params}
        for variant in op.variants:
            names.add(variant.function)
            names |= {a.identifier for a in variant.arguments}
        for d in op.defaults:
            names |= {d.symbol, d.data_symbol, d.dims_symbol} if d.tensor else {d.symbol}
    return names


@pytest.mark.parametrize("backend", [Backend.HTP, Backend.HTP_FP16])
def test_listing_holds_every_identifier_the_htp_templates_get(
    backend: Backend, tmp_path: Path
) -> None:
    pads = f.param("pads", "QNN_DATATYPE_INT_32", rank="1D", mandatory=False, default="{1,2}")
    ops = [
        f.op(
            "Mix",
            backend.value,
            inputs=[f.tensor("Input", "in[0]"), optional_input("bias"), optional_input("gate")],
            params=[scalar("beta"), pads, f.param("axis", "QNN_DATATYPE_INT_32")],
        ),
        f.op("relu", backend.value),
    ]
    path = f.write(tmp_path, "c.xml", f.config("Pkg", ops))
    (package,) = validate_configs([path]).packages
    listed = {i.name for i in generated_identifiers(package.resolve(backend))}
    got = _context_names(backend, path)
    assert {"mixImplWithout_bias", "mixImplWithout_gate", "sg_opDefaultDims_pads"} <= got
    assert got <= listed
