"""The collision matrix: config names that meet after mangling, through the real parser.

Each case is a config whose names collide in one C++ scope of the generated code (or would, on one
backend only); the test asserts the exact diagnostics and their lines. Cases that must be accepted
are built in tests/naming/test_accepted_build.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from opgen import naming
from opgen.backends import cpu, dsp, gpu
from opgen.config import Level, validate_configs
from opgen.config.names import generated_identifiers
from opgen.model import Backend, BackendPackage
from opgen.resources import templates_dir
from tests import factories as f

U32 = "QNN_DATATYPE_UINT_32"
TEMPLATES = templates_dir()
# Op A on the GPU too (SupportedOps in a supplemental list adds its backend).
GPU_TOO = (
    '<SupplementalOpDefList Backend="GPU"><SupportedOps><OpName>A</OpName></SupportedOps>'
    "<SupplementalOpDef><Name>A</Name></SupplementalOpDef></SupplementalOpDefList>"
)


def enum(name: str, labels: tuple[str, ...] = ("x", "y")) -> str:
    return f.param(name, U32, mandatory=False, default="0", enum=labels)


def scalar(name: str) -> str:
    return f.param(name, "QNN_DATATYPE_INT_32", mandatory=False, default="0")


@dataclass(frozen=True)
class Expect:
    level: str
    anchor: str
    """Text of the line the diagnostic points at; `nth` picks among equal lines (1-based)."""
    message: str
    nth: int = 1


@dataclass(frozen=True)
class Case:
    id: str
    package: str
    ops: tuple[str, ...]
    expected: tuple[Expect, ...]
    supplementals: tuple[str, ...] = ()


def name(n: str) -> str:
    return f"<Name>{n}</Name>"


CASES = [
    Case(
        "duplicate_op",
        "P",
        (f.op("A"), f.op("A")),
        (
            Expect("error", name("A"), "op 'A' is defined twice in package 'P'", nth=2),
            Expect("note", name("A"), "op 'A' was first defined here"),
        ),
    ),
    Case(
        "op_vs_op_suffix",
        "P",
        (f.op("A"), f.op("ANum")),
        (
            Expect(
                "error",
                name("ANum"),
                "op 'ANum' gives the C++ name 'kANumParams' in the global scope, as op 'A' does",
            ),
            Expect("note", name("A"), "op 'A' is declared here"),
        ),
    ),
    Case(
        "tensor_vs_param_types_array",
        "P",
        (f.op("A", inputs=[f.tensor("Input", "param_p")], params=[scalar("p")]),),
        (
            Expect(
                "error",
                name("p"),
                "parameter 'p' of op 'A' gives the C++ name 'kA_param_p_types' in the global "
                "scope, as input 'param_p' of op 'A' does",
            ),
            Expect("note", name("param_p"), "input 'param_p' of op 'A' is declared here"),
        ),
    ),
    Case(
        "op_and_tensor_across_ops",
        "P",
        (
            f.op("A_x", inputs=[f.tensor("Input", "y")]),
            f.op("A", inputs=[f.tensor("Input", "x_y")]),
        ),
        (
            Expect(
                "error",
                name("x_y"),
                "input 'x_y' of op 'A' gives the C++ name 'kA_x_y_types' in the global scope, "
                "as input 'y' of op 'A_x' does",
            ),
            Expect("note", name("y"), "input 'y' of op 'A_x' is declared here"),
        ),
    ),
    Case(
        "output_vs_output_across_ops",
        "P",
        (
            f.op("B_out", outputs=[f.tensor("Output", "z")]),
            f.op("B", outputs=[f.tensor("Output", "out_z")]),
        ),
        (
            Expect(
                "error",
                name("out_z"),
                "output 'out_z' of op 'B' gives the C++ name 'kB_out_z_types' in the global "
                "scope, as output 'z' of op 'B_out' does",
            ),
            Expect("note", name("z"), "output 'z' of op 'B_out' is declared here"),
        ),
    ),
    Case(
        "enum_types",
        "P",
        (f.op("A", params=[enum("a_b"), enum("aB")]),),
        (
            Expect(
                "error",
                name("aB"),
                "enumeration parameter 'aB' of op 'A' gives the C++ name 'ABEnum' in namespace "
                "P::A, as enumeration parameter 'a_b' of op 'A' does",
            ),
            Expect("note", name("a_b"), "enumeration parameter 'a_b' of op 'A' is declared here"),
        ),
    ),
    Case(
        "enum_type_vs_field",
        "P",
        (f.op("A", params=[enum("x"), scalar("XEnum")]),),
        (
            Expect(
                "error",
                name("XEnum"),
                "parameter 'XEnum' of op 'A' gives the C++ name 'XEnum' in struct P::A::Op, as "
                "enumeration parameter 'x' of op 'A' does",
            ),
            Expect("note", name("x"), "enumeration parameter 'x' of op 'A' is declared here"),
        ),
    ),
    Case(
        "field_vs_struct",
        "P",
        (f.op("A", params=[scalar("Op")]),),
        (
            Expect(
                "error",
                name("Op"),
                "parameter 'Op' of op 'A' gives the C++ name 'Op' in struct P::A::Op, which the "
                "generated code declares itself",
            ),
        ),
    ),
    Case(
        "tensor_vs_param_field",
        "P",
        (f.op("A", params=[scalar("in_0")]),),
        (
            Expect(
                "error",
                name("in_0"),
                "parameter name 'in_0' clashes with input 'in[0]' of op 'A'",
            ),
            Expect("note", name("in[0]"), "'in[0]' was declared here"),
        ),
    ),
    Case(
        "op_vs_generated_interface",
        "P",
        (f.op("packageFreeOp"),),
        (
            Expect(
                "error",
                name("packageFreeOp"),
                "op 'packageFreeOp' gives the C++ name 'packageFreeOpImpl' in the global scope, "
                "which the generated code declares itself",
            ),
        ),
    ),
    Case(
        "op_vs_package_symbol",
        "createX",
        (f.op("XInterfaceProvider"),),
        (
            Expect(
                "error",
                name("XInterfaceProvider"),
                "op 'XInterfaceProvider' gives the C++ name 'createXInterfaceProvider' in the "
                "global scope, as package 'createX' does",
            ),
            Expect("note", "<OpDefCollection", "package 'createX' is declared here"),
        ),
    ),
    # GPU only: the GPU interface exports <Package>_opgenLastError.
    Case(
        "gpu_op_vs_last_error_symbol",
        "createA",
        (f.op("A_opgenLastError", "GPU"),),
        (
            Expect(
                "error",
                name("A_opgenLastError"),
                "op 'A_opgenLastError' gives the C++ name 'createA_opgenLastError' in the global "
                "scope, as package 'createA' does",
            ),
            Expect("note", "<OpDefCollection", "package 'createA' is declared here"),
        ),
    ),
    # One clash, two backends' views: reported once.
    Case(
        "same_clash_in_two_backends",
        "P",
        (f.op("A", inputs=[f.tensor("Input", "param_p")], params=[scalar("p")]),),
        (
            Expect(
                "error",
                name("p"),
                "parameter 'p' of op 'A' gives the C++ name 'kA_param_p_types' in the global "
                "scope, as input 'param_p' of op 'A' does",
            ),
            Expect("note", name("param_p"), "input 'param_p' of op 'A' is declared here"),
        ),
        (GPU_TOO,),
    ),
    Case(
        "macro_and_standard_names",
        "P",
        (f.op("NULL"), f.op("B", params=[scalar("INT32_MAX"), scalar("size_t")])),
        (
            Expect(
                "error",
                name("NULL"),
                "op name 'NULL' is a macro in the C/C++ standard library (<cstddef>)",
            ),
            Expect(
                "error",
                name("INT32_MAX"),
                "parameter name 'INT32_MAX' is a macro in the C/C++ standard library (<cstdint>)",
            ),
            Expect(
                "error",
                name("size_t"),
                "parameter name 'size_t' is a name from the C/C++ standard library (<cstddef>) "
                "that the generated code uses unqualified",
            ),
        ),
    ),
    Case(
        "package_vs_global_function",
        "strcmp",
        (f.op("A"),),
        (
            Expect(
                "error",
                "<OpDefCollection",
                "package name 'strcmp' is declared at global scope by the C/C++ standard library "
                "(<cstring>), where the package's namespace goes",
            ),
        ),
    ),
    # A generated name listed after the config's still counts (the CPU interface's constant).
    Case(
        "package_vs_generated_interface",
        "kPackageName",
        (f.op("A"),),
        (
            Expect(
                "error",
                "<OpDefCollection",
                "package 'kPackageName' gives the C++ name 'kPackageName' in the global scope, "
                "which the generated code declares itself",
            ),
        ),
    ),
    # DSP: per-op names are the lowered op name and a suffix (naming_dsp.DSP_OP_ROLES).
    Case(
        "dsp_op_vs_op_suffix",
        "P",
        (f.op("A", "DSP"), f.op("A_create", "DSP")),
        (
            Expect(
                "error",
                name("A_create"),
                "op 'A_create' gives the C++ name 'a_createOpFactory' in the global scope, as "
                "op 'A' does",
            ),
            Expect("note", name("A"), "op 'A' is declared here"),
        ),
    ),
    Case(
        "dsp_ops_equal_when_lowered",
        "P",
        (f.op("Relu", "DSP"), f.op("RELU", "DSP")),
        (
            Expect(
                "error",
                name("RELU"),
                "op 'RELU' and op 'Relu' differ only in case, so their DSP names "
                "(relu_executeOp, ...) would be one, and their files (src/ops/RELU.cpp, ...) "
                "would be one file on a case-insensitive file system",
            ),
            Expect("note", name("Relu"), "op 'Relu' is declared here"),
        ),
    ),
    # The package prefixes the UDO dispatchers: `fptr` meets the vendor's five fptr typedefs,
    # reported once.
    Case(
        "dsp_package_vs_vendor_typedefs",
        "fptr",
        (f.op("A", "DSP"),),
        (
            Expect(
                "error",
                "<OpDefCollection",
                "package 'fptr' gives the C++ name 'fptrQueryOperation' in the global scope, "
                "which the generated code declares itself",
            ),
        ),
    ),
    # With an enumeration, the package is a namespace beside each op's table namespace.
    Case(
        "dsp_package_vs_table_namespace",
        "op_A",
        (f.op("A", "DSP", params=[enum("mode")]),),
        (
            Expect(
                "error",
                name("A"),
                "op 'A' gives the C++ name 'op_A' in the global scope, as package 'op_A' does",
            ),
            Expect("note", "<OpDefCollection", "package 'op_A' is declared here"),
        ),
    ),
    Case(
        "dsp_enum_types",
        "P",
        (f.op("A", "DSP", params=[enum("a_b"), enum("aB")]),),
        (
            Expect(
                "error",
                name("aB"),
                "enumeration parameter 'aB' of op 'A' gives the C++ name 'ABEnum' in namespace "
                "P::A, as enumeration parameter 'a_b' of op 'A' does",
            ),
            Expect("note", name("a_b"), "enumeration parameter 'a_b' of op 'A' is declared here"),
        ),
    ),
    Case(
        "op_file_names_differ_in_case",
        "P",
        (f.op("Relu"), f.op("relu")),
        (
            Expect(
                "error",
                name("relu"),
                "op 'relu' and op 'Relu' differ only in case, so their files (src/ops/relu.cpp, "
                "...) would be one file on a case-insensitive file system",
            ),
            Expect("note", name("Relu"), "op 'Relu' is declared here"),
        ),
    ),
    Case(
        "op_file_name_too_long",
        "P",
        (f.op("A" * 252),),
        (
            Expect(
                "error",
                name("A" * 252),
                f"op name '{'A' * 20}...{'A' * 8}' (252 characters) gives the file name "
                f"'{'A' * 24}...{'A' * 12}.hpp' of 256 bytes; file names are limited to 255 bytes",
            ),
        ),
    ),
    Case(
        "package_file_name_too_long",
        "P" * 250,
        (f.op("A"),),
        (
            Expect(
                "error",
                "<OpDefCollection",
                f"package name '{'P' * 20}...{'P' * 8}' (250 characters) gives the file name "
                f"'{'P' * 24}...PPPInterface.cpp' of 263 bytes; file names are limited to "
                "255 bytes",
            ),
        ),
    ),
]

# Near misses that must be accepted (and build: test_accepted_build.py covers the same shapes).
ACCEPTED = [
    ("packageFreeOp_on_gpu", "P", (f.op("packageFreeOp", "GPU"),)),
    ("A_opgenLastError_on_cpu", "createA", (f.op("A_opgenLastError", "CPU"),)),
    ("gpu_kernel_names_AB_and_AB_op", "P", (f.op("AB", "GPU"), f.op("AB_op", "GPU"))),
    ("op_named_Op_and_execute", "P", (f.op("Op"), f.op("execute"), f.op("kPackageName"))),
    ("op_named_like_package", "P", (f.op("P"),)),
    ("longest_names", "P" * 242, (f.op("C" * 251), f.op("G" * 244, "GPU"))),
    ("case_differs_from_macros", "P", (f.op("Null", params=[scalar("Eof"), scalar("index")]),)),
    ("dsp_package_like_table_namespace_without_enums", "op_A", (f.op("A", "DSP"),)),
    ("dsp_near_miss_stems", "P", tuple(f.op(n, "DSP") for n in ("A", "A_creat", "new_a", "g_a"))),
    ("dsp_case_variants_on_two_backends", "P", (f.op("Relu", "DSP"), f.op("relu_", "CPU"))),
    (
        "dsp_generated_locals_as_params",
        "P",
        (
            f.op(
                "A", "DSP", params=[scalar(n) for n in ("index", "read", "log", "strcmp", "parsed")]
            ),
        ),
    ),
]


def _line(text: str, anchor: str, nth: int) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), 1) if anchor in line]
    return lines[nth - 1]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_collision_is_reported_at_both_places(case: Case, tmp_path: Path) -> None:
    text = f.config(case.package, case.ops, case.supplementals)
    path = f.write(tmp_path, "c.xml", text)
    result = validate_configs([path])
    got = [(d.level.value, d.line, d.message) for d in result.diagnostics]
    want = [(e.level, _line(text, e.anchor, e.nth), e.message) for e in case.expected]
    assert got == want
    assert not result.ok
    if case.supplementals:  # the clash is in both backends' views, and reported once
        assert result.packages[0].backends == (Backend.CPU, Backend.GPU)


@pytest.mark.parametrize(("case", "package", "ops"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_near_misses_are_accepted(
    case: str, package: str, ops: tuple[str, ...], tmp_path: Path
) -> None:
    path = f.write(tmp_path, "c.xml", f.config(package, ops))
    result = validate_configs([path])
    assert [d.format() for d in result.diagnostics if d.level is Level.ERROR] == []


def _dsp_context_names(view: BackendPackage) -> set[str]:
    ctx = dsp.package_context(view)
    names = {ctx.header_guard, ctx.interface_provider, *ctx.functions.values()}
    for op in ctx.ops:
        names |= {op.table_namespace, op.factory_struct, op.factory_type, op.params_struct}
        names |= {op.params_type, op.create_factory, op.release_factory, op.validate, op.execute}
        names |= {op.query, op.read_params, op.new_function, op.free_function, op.op_type_global}
        names |= {op.static_params_global, op.inputs_global, op.outputs_global, op.layout_global}
        names |= {op.input_quant_global, op.output_quant_global}
        names |= {t.types_table for t in op.inputs + op.outputs}
        for p in op.params:
            names |= {p.field, p.types_table}
            if p.enum_type:
                names |= {p.enum_type, p.labels_array, *(c.name for c in p.enum_constants)}
            if p.tensor_default:
                d = p.tensor_default
                names |= {d.data, d.dims, d.tensor}
    return names


def _context_names(view_backend: Backend, path: Path) -> set[str]:
    """Every identifier the backend's template contexts hand the templates."""
    (package,) = validate_configs([path]).packages
    view = package.resolve(view_backend)
    if view_backend is Backend.DSP:
        return _dsp_context_names(view)
    names: set[str] = set()
    if view_backend is Backend.CPU:
        ctx: object = cpu.package_context(view)
    else:
        ctx = gpu.package_context(view)
    names.add(ctx.interface_provider)  # type: ignore[attr-defined]
    for op in ctx.ops:  # type: ignore[attr-defined]
        names |= {op.name, op.header_guard, op.inputs_array, op.outputs_array, op.params_array}
        names |= {op.num_params, op.validate_function, op.create_function}
        names.add(op.impl_struct if view_backend is Backend.CPU else op.source_symbol)
        for t in op.inputs + op.outputs:
            names |= {t.field, t.types_array}
        for p in op.params:
            names |= {p.field, p.types_array}
            if p.enum_type:
                names.add(p.enum_type)
                names |= {c.name for c in p.enum_constants}
        if view_backend is Backend.GPU:
            names.add(op.kernel_name)
            names |= {a.identifier for a in op.kernel_args}
    return names


@pytest.mark.parametrize("backend", [Backend.CPU, Backend.GPU, Backend.DSP])
def test_listing_holds_every_identifier_the_templates_get(backend: Backend, tmp_path: Path) -> None:
    """The check sees what the generated code declares: the listing is the contexts' names."""
    pads = f.param("pads", "QNN_DATATYPE_INT_32", rank="1D", mandatory=False, default="[1, 2]")
    ops = [
        f.op(
            "Mix",
            backend.value,
            inputs=[f.tensor("Input", "in[0]"), f.tensor("Input", "local")],
            params=[
                enum("round_mode", ("NULL", "a b", "a_b")),
                scalar("max"),
                scalar("beta"),
                pads,
            ],
        ),
        f.op("relu", backend.value),
    ]
    path = f.write(tmp_path, "c.xml", f.config("Pkg", ops))
    (package,) = validate_configs([path]).packages
    listed = {i.name for i in generated_identifiers(package.resolve(backend))}
    names = _context_names(backend, path)
    assert names <= listed
    if backend is Backend.DSP:
        assert {"pads_defaultData", "round_mode_labels", "g_mixOpType", "mix_readParams"} <= names
    else:
        assert naming.header_guard("Pkg", "Mix") in listed


def test_file_names_cover_the_longest_each_backend_emits() -> None:
    assert max(map(len, naming.op_file_names("X", ("CPU",)))) == len("X.o.d")
    assert max(map(len, naming.op_file_names("X", ("GPU",)))) == len("X.cl.inc.tmp")
    assert max(map(len, naming.package_file_names("X"))) == len("XInterface.cpp")


def test_templates_glue_no_identifiers_themselves() -> None:
    """Identifiers built from config names come from the context (spelled by opgen/naming.py),
    so the check above sees them: no C++/OpenCL template sticks text to a `{{ }}` in code."""
    glued = re.compile(r"[A-Za-z0-9_]\{\{|\}\}(?!u\b)[A-Za-z0-9_]")
    strip = re.compile(r'//[^\n]*|"(?:\\.|[^"\\\n])*"')
    offenders = []
    for path in sorted(TEMPLATES.rglob("*.j2")):
        if not path.name.endswith((".cpp.j2", ".hpp.j2", ".cl.j2")):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = strip.sub("", line.replace("{{ '{' }}", "{").replace("{{ '}' }}", "}"))
            if glued.search(code) and not code.lstrip().startswith("#include"):
                offenders.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}")
    assert offenders == []
