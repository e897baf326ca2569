"""HTP and HTP_FP16 generation: layout, the vendor's macro sequence, and one check per vendor
generator bug (VENDOR_FACTS §2.3, §2.4, §5.6), each failing on a generator that has the bug."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import opgen
from opgen import naming
from opgen.backends import htp
from opgen.config import ConfigError, validate_configs
from opgen.generate import generate
from opgen.model import Backend
from tests import factories as f
from tests.conftest import ROOT
from tests.generate.htp_harness import (
    F32,
    S32Q,
    SCALAR_DEFAULTS,
    U8Q,
    every_kind_config,
    names_config,
    tensor_in,
    tensor_out,
)

EXAMPLE_CONFIG = ROOT / "examples" / "htp" / "ExampleHtpOpPackage.xml"
EXAMPLE_HTP = ROOT / "examples" / "htp" / "ExampleHtpOpPackage"


def tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and "build" not in p.relative_to(directory).parts
    }


def generate_one(tmp_path: Path, config: Path) -> Path:
    ((output, _),) = generate(opgen.load_packages([config]), tmp_path / "out")
    return output.directory


def op_file(package: Path, op: str) -> str:
    return (package / "src" / "ops" / f"{op}.cpp").read_text()


def param_order(source: str) -> dict[str, tuple[str, str]]:
    """name -> (mandatory, default) from the DEF_PACKAGE_PARAM_ORDER call."""
    body = source.split("DEF_PACKAGE_PARAM_ORDER(", 1)[1].split(")\n", 1)[0]
    triples = re.findall(r'"(\w+)", (true|false), (&\w+|nullptr)', body)
    return {name: (mandatory, default) for name, mandatory, default in triples}


def signature(source: str, function: str) -> tuple[list[str], list[str]]:
    """(template parameters, argument types) of the first declaration of `function`."""
    match = re.search(
        r"(?:template <([^>]*)>\n)?GraphStatus " + re.escape(function) + r"\(([^)]*)\);", source
    )
    assert match, function
    params = [p.split()[-1] for p in match.group(1).split(",")] if match.group(1) else []
    types = [a.strip().removeprefix("const ").split("&")[0] for a in match.group(2).split(",")]
    return params, types


@pytest.fixture(scope="module")
def every_kind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("htp_every_kind")
    return generate_one(root, every_kind_config(root))


def test_vendor_layout_and_ownership(tmp_path: Path) -> None:
    code = "from opgen.cli import vendor_main; vendor_main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "-p", str(EXAMPLE_CONFIG), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    files = set(tree(tmp_path / "ExampleHtpOpPackage"))
    for expected in (
        "Makefile",
        "config/ExampleHtpOpPackage.xml",
        "include/QNN/QnnOpPackage.h",
        "include/opgen/OpConfigSupport.hpp",
        "src/ExampleHtpOpPackageInterface.cpp",
        "src/utils/OpConfigSupport.cpp",
        "src/ops/Relu.cpp",
        "src/ops/Softmax.cpp",
        "src/ops/Sigmoid.cpp",
    ):
        assert expected in files
    ((package, _),) = generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path / "again")
    owners = {r.relpath: r.owner.value for r in package.files}
    assert {p for p, o in owners.items() if o == "user"} == {
        "src/ops/Relu.cpp",
        "src/ops/Softmax.cpp",
        "src/ops/Sigmoid.cpp",
    }
    for rendered in package.files:
        if rendered.owner.value == "opgen" and not rendered.relpath.startswith("config/"):
            assert b"opgen-owned" in rendered.content.split(b"\n", 1)[0], rendered.relpath


def test_interface_keeps_the_vendor_macro_sequence(tmp_path: Path) -> None:
    package = generate_one(tmp_path, EXAMPLE_CONFIG)
    text = (package / "src" / "ExampleHtpOpPackageInterface.cpp").read_text()
    sequence = [
        "DEFINE_UNIQ_TY()",
        "BEGIN_PKG_OPS_OPTS_LIST()",
        "DECLARE_PKG_OPS_OPTS_LIST(PKG_Relu)",
        "DECLARE_PKG_OPS_OPTS_LIST(PKG_Softmax)",
        "DECLARE_PKG_OPS_OPTS_LIST(PKG_Sigmoid)",
        "END_PKG_OPS_OPTS_LIST()",
        "INIT_PACKAGE_OP_DEF()",
        "INIT_PACKAGE_OPTIMIZATION_DEF()",
        "INIT_PACKAGE_PARAM_ORDER_DEF()",
        "LIST_PACKAGE_AXIS_PARAMS()",
        "LIST_PACKAGE_PER_CHANNEL_QUANTIZED_OPS()",
        "REGISTER_PACKAGE_OPS()",
        "REGISTER_PACKAGE_OPTIMIZATIONS()",
        "REGISTER_PACKAGE_PARAM_ORDERS()",
        "REGISTER_PACKAGE_AXIS_PARAMS()",
        "REGISTER_PACKAGE_PER_CHANNEL_QUANTIZED_OPS()",
        "ExampleHtpOpPackageInterfaceProvider(",
    ]
    positions = [text.index(m) for m in sequence]
    assert positions == sorted(positions)
    assert "interface->v1_4.createOpImpl = nullptr" in text
    assert "sg_packageName = THIS_PKG_NAME_STR" in text
    for op in ("Relu", "Softmax", "Sigmoid"):
        source = op_file(package, op)
        assert f"BEGIN_PKG_OP_DEFINITION(PKG_{op});" in source
        assert source.rstrip().endswith(f"END_PKG_OP_DEFINITION(PKG_{op});")


def test_skeleton_reports_not_implemented(every_kind: Path) -> None:
    source = op_file(every_kind, "Everything")
    assert source.count("return GraphStatus::ErrorUnsupported;") == 2  # one per arity
    assert 'errlog("Everything: kernel not implemented yet (src/ops/Everything.cpp)");' in source
    assert "GraphStatus::Success" not in source


# ---- the vendor's bugs, one test each ---------------------------------------------------------


def test_bool_defaults_are_cpp(every_kind: Path) -> None:
    source = op_file(every_kind, "Everything")
    assert not re.search(r"\b(True|False)\b", source)
    # "false" is false (the vendor parses it as True) and the implicit default is false.
    for name, value in (("on", "1u"), ("off", "0u"), ("flag", "0u")):
        block = source.split(f"{{  // '{name}'", 1)[1].split("}();", 1)[0]
        assert f"param.scalarParam.bool8Value = {value};" in block, name


def test_every_scalar_datatype_gets_its_default(every_kind: Path) -> None:
    source = op_file(every_kind, "Everything")
    for name, datatype, _, assignment in SCALAR_DEFAULTS:
        block = source.split(f"{{  // '{name}'", 1)[1].split("}();", 1)[0]
        assert f"param.scalarParam.{assignment};" in block, name
        # 64-bit values travel as their 32-bit counterpart: a Qnn_Scalar_t holds 32 bits.
        carried = datatype.replace("_64", "_32")
        assert f"param.scalarParam.dataType = {carried};" in block, name


def test_list_and_fill_defaults_become_tensors(every_kind: Path) -> None:
    source = op_file(every_kind, "Everything")
    assert "static int32_t sg_opDefaultData_pads[] = {1, 2, 3, 4};" in source
    assert "static uint32_t sg_opDefaultDims_pads[] = {2u, 2u};" in source
    assert "static float sg_opDefaultData_fill[] = {5.0f};" in source
    assert "static uint16_t sg_opDefaultData_halves[] = {0x3800u, 0x3E00u};" in source  # halves
    assert source.count("param.paramType = QNN_PARAMTYPE_TENSOR;") == 3


def test_mandatory_is_honoured_in_the_param_order(every_kind: Path) -> None:
    order = param_order(op_file(every_kind, "Everything"))
    assert order["k"] == ("true", "nullptr")
    assert order["strict"] == ("true", "nullptr")  # mandatory, although it has a default
    assert order["pads"] == ("false", "&sg_opDefault_pads")  # optional with a list default
    assert order["mode"] == ("false", "&sg_opDefault_mode")
    assert list(order)[-2:] == ["k", "strict"]  # declaration order


def test_no_default_leaks_across_ops(tmp_path: Path) -> None:
    ops = [
        f.op("First", "HTP", params=[f.param("alpha", mandatory=False, default="0.5")]),
        f.op("Second", "HTP", params=[f.param("alpha")]),
        f.op("Third", "HTP", params=[f.param("alpha", mandatory=False, default="2.0")]),
    ]
    package = generate_one(tmp_path, f.write(tmp_path, "leak.xml", f.config("LeakPkg", ops)))
    assert param_order(op_file(package, "First"))["alpha"] == ("false", "&sg_opDefault_alpha")
    second = op_file(package, "Second")
    assert param_order(second)["alpha"] == ("true", "nullptr")
    assert "sg_opDefault" not in second
    third = op_file(package, "Third")
    assert "param.scalarParam.floatValue = 2.0f;" in third and "0.5f" not in third


def test_template_parameters_are_sane(every_kind: Path) -> None:
    source = op_file(every_kind, "Everything")
    params, types = signature(source, "everythingImpl")
    # One parameter per distinct datatype list, each used; never an unused TensorType1.
    assert params == ["TensorType", "TensorType1", "TensorType2"]
    assert types[:5] == ["TensorType", "TensorType1", "TensorType", "TensorType", "TensorType2"]
    assert all(p in types for p in params)
    assert 'DEF_PACKAGE_OP((everythingImpl<Tensor, Tensor, Tensor>), "Everything")' in source


def test_each_param_gets_the_tensor_class_of_its_datatype(every_kind: Path) -> None:
    _, types = signature(op_file(every_kind, "Everything"), "everythingImpl")
    names = [
        "flag", "on", "off", "axis", "scale", "tiny", "small", "i16", "count", "u8", "u32",
        "i64", "u64", "f16", "f64", "q8", "s8", "q16", "s16", "s32", "q32",
        "mode", "pads", "fill", "halves", "k", "strict",
    ]  # fmt: skip
    classes = dict(zip(names, types[5:], strict=True))
    assert classes["q8"] == "QuantUint8Tensor"  # the vendor: QuantInt32Tensor
    assert classes["flag"] == "Tensor"  # the vendor: QuantUint16Tensor
    assert classes["u32"] == classes["k"] == "Int32Tensor"  # the vendor: Tensor
    assert classes["small"] == "Tensor"  # the vendor: Int32Tensor for an 8-bit integer
    assert classes["f16"] == classes["halves"] == "PlainFloat16Tensor"  # not F16CroutonTensor
    assert classes["s8"] == "QuantInt8Tensor" and classes["q16"] == "QuantUint16Tensor"
    assert classes["s16"] == "QuantInt16Tensor" and classes["s32"] == "QuantInt32Tensor"
    assert classes["scale"] == classes["fill"] == "PlainFloatTensor"


def test_tensor_names_become_identifiers_without_renaming(every_kind: Path) -> None:
    source = op_file(every_kind, "Everything")
    declaration = source.split("GraphStatus everythingImpl(", 1)[1].split(");", 1)[0]
    for identifier in ("out_0", "counts_out", "in_0", "min_val", "bias_0"):
        assert re.search(rf"& {identifier}\b", declaration), identifier
    assert "in_1" not in declaration and "out_1" not in declaration
    assert "[" not in declaration


def test_optional_inputs_get_a_registration_per_arity(every_kind: Path) -> None:
    source = op_file(every_kind, "Everything")
    _, full = signature(source, "everythingImpl")
    _, short = signature(source, "everythingImplWithout_bias_0")
    assert len(full) == len(short) + 1
    assert 'DEF_PACKAGE_OP((everythingImplWithout_bias_0<Tensor, Tensor>), "Everything")' in source


def test_repeated_inputs_are_rejected_at_their_line(tmp_path: Path) -> None:
    op = f.op(
        "Concat",
        "HTP",
        inputs=[f.tensor("Input", "in[0]", repeated=True)],
        outputs=[f.tensor("Output", "out[0]")],
    )
    config = f.write(tmp_path, "repeated.xml", f.config("RepeatedPkg", [op]))
    line = next(i for i, t in enumerate(config.read_text().splitlines(), 1) if "<Input>" in t)
    code = "from opgen.cli import vendor_main; vendor_main()"
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", code, "-p", str(config), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert f"{config}:{line}:" in result.stderr
    assert "'in[0]' of op 'Concat' is Repeated" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert not (out / "RepeatedPkg").exists()


def _validation_errors(config: Path) -> list[str]:
    return [d.format() for d in validate_configs([config]).diagnostics]


def _guard(config: Path) -> str:
    """Generation's own check, on a package validation refused (so only the guard stands)."""
    (package,) = validate_configs([config]).packages
    with pytest.raises(htp.HtpGenerationError) as caught:
        htp.plan(package.resolve(Backend.HTP))
    return str(caught.value)


def test_an_unrepresentable_default_is_a_located_error(tmp_path: Path) -> None:
    op = f.op("Big", "HTP", params=[f.param("n", "QNN_DATATYPE_INT_64", mandatory=False,
                                            default="5000000000")])  # fmt: skip
    config = f.write(tmp_path, "big.xml", f.config("BigPkg", [op]))
    (error,) = _validation_errors(config)
    assert re.match(r".*big\.xml:\d+:\d+: error: default 5000000000 of 'n' does not fit", error)
    assert error.split(": error: ")[1] in _guard(config)
    with pytest.raises(ConfigError):
        opgen.load_packages([config])


def test_htp_only_rules_are_reported_at_validation_for_htp_ops_only(tmp_path: Path) -> None:
    """Repeated inputs and optional outputs: `opgen validate` reports them at their line for an
    HTP op (once, although both HTP views are checked), and not for the same op on the CPU."""
    ops = [
        f.op(
            "Concat",
            backend,
            inputs=[f.tensor("Input", "in[0]", repeated=True)],
            outputs=[f.tensor("Output", "out[0]", mandatory=False)],
        )
        for backend in ("HTP", "CPU")
    ]
    for backend, op in zip(("HTP", "CPU"), ops, strict=True):
        config = f.write(tmp_path, f"{backend}.xml", f.config("P", [op]))
        text = config.read_text().splitlines()
        errors = _validation_errors(config)
        if backend == "CPU":
            assert errors == []
            continue
        line_in = next(i for i, t in enumerate(text, 1) if "<Input>" in t)
        line_out = next(i for i, t in enumerate(text, 1) if "<Output>" in t)
        assert [e.split(":")[1] for e in errors] == [str(line_in), str(line_out)]
        assert "input 'in[0]' of op 'Concat' is Repeated" in errors[0]
        assert "output 'out[0]' of op 'Concat' is optional" in errors[1]
        assert "is Repeated" in _guard(config)


def test_fp16_registers_flat_fp16_tensors_and_the_relaxed_precision_rule(tmp_path: Path) -> None:
    config = every_kind_config(tmp_path, "HtpFp16Params", "HTP_FP16")
    source = op_file(generate_one(tmp_path, config), "Plain")
    assert (
        'DEF_PACKAGE_OP_AND_COST_AND_FLAGS((plainImpl<PlainFloat16Tensor>), "Plain", FAST, '
        "Flags::RESOURCE_HVX)" in source
    )
    assert re.search(r"^DEF_PACKAGE_OP\w*\(\(\w+<F16CroutonTensor", source, re.M) is None
    rule = source.split("DEF_PACKAGE_OPTIMIZATION_WITH_FLAGS(", 1)[1]
    assert rule.lstrip().startswith("GRAPH_CLEANUP, relaxed_precision_flag,")
    assert 'Op(FROM_DEFAULT_PACKAGE("Cast"), "in_0")' in rule


def test_fp16_keeps_non_float_tensors_and_params_in_their_class(tmp_path: Path) -> None:
    config = every_kind_config(tmp_path, "HtpFp16Params", "HTP_FP16")
    source = op_file(generate_one(tmp_path, config), "Everything")
    assert "everythingImpl<PlainFloat16Tensor, Int32Tensor, QuantInt32Tensor>" in source
    _, types = signature(source, "everythingImpl")
    assert types[9] == "PlainFloatTensor"  # 'scale' stays float32: params are not cast


def test_validate_op_config_tables_follow_the_declaration(every_kind: Path) -> None:
    text = (every_kind / "src" / "HtpParamsInterface.cpp").read_text()
    tables = text.split("namespace op_Everything {", 1)[1].split("}  // namespace op_", 1)[0]
    assert '{"bias[0]", false, false, input_bias_0_types' in tables  # optional input
    assert "input_in_0_types[] = {0x0232u, 0x0408u};" in tables
    assert '{"pads", false, true, param_pads_types' in tables and ", 2, 0u}" in tables
    assert '{"mode", false, false, param_mode_types' in tables and ", 3u}" in tables
    assert '{"k", true, false, param_k_types' in tables
    assert "::opgen::validateOpConfig(opConfig, sg_packageName" in text


def test_output_is_deterministic(tmp_path: Path) -> None:
    configs = [every_kind_config(tmp_path), EXAMPLE_CONFIG]
    generate(opgen.load_packages(configs), tmp_path / "a")
    generate(opgen.load_packages(configs), tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_committed_example_matches_the_generator(tmp_path: Path) -> None:
    """Golden check: every opgen-owned file of the example is what opgen generates today.

    After a deliberate template change, regenerate it with:
        qnn-op-package-generator -p examples/htp/ExampleHtpOpPackage.xml -o examples/htp
    """
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    fresh = tree(tmp_path / "ExampleHtpOpPackage")
    committed = tree(EXAMPLE_HTP)
    owned = [p for p in fresh if not p.startswith("src/ops/")]
    assert {p: committed.get(p) for p in owned} == {p: fresh[p] for p in owned}


def test_two_ops_differing_only_in_first_letter_case_get_distinct_functions(
    tmp_path: Path,
) -> None:
    """The vendor's spelling (first letter lowered) unless that makes two ops' functions one.
    (Such ops are refused anyway, as their files would be one on a case-insensitive file system;
    the function names stay distinct regardless.)"""
    names = naming.htp_function_names(["relu", "Relu", "Softmax"])
    assert names == {"relu": "reluImpl", "Relu": "ReluImpl", "Softmax": "softmaxImpl"}
    ops = [f.op("relu", "HTP"), f.op("Relu", "HTP")]
    errors = _validation_errors(f.write(tmp_path, "case.xml", f.config("CasePkg", ops)))
    assert "op 'Relu' and op 'relu' differ only in case" in errors[0]


@pytest.mark.parametrize("datatypes", [(F32,), (F32, U8Q), (S32Q,)])
def test_each_datatype_list_is_one_template_parameter(
    tmp_path: Path, datatypes: tuple[str, ...]
) -> None:
    op = f.op(
        "Mix",
        "HTP",
        inputs=[tensor_in("a", *datatypes), tensor_in("b", *datatypes), tensor_in("c", F32, S32Q)],
        outputs=[tensor_out("y", *datatypes)],
    )
    package = generate_one(tmp_path, f.write(tmp_path, "mix.xml", f.config("MixPkg", [op])))
    params, types = signature(op_file(package, "Mix"), "mixImpl")
    assert params == ["TensorType", "TensorType1"]
    assert types == ["TensorType", "TensorType", "TensorType", "TensorType1"]


def test_generated_names_stay_distinct_and_config_text_stays_in_comments(tmp_path: Path) -> None:
    """Names derived from config names never collide (a param `x_data` next to a tensor
    default of `x`; tables of op `A` with input `input_x` and of op `A_input` with input `x`),
    and a default written over several lines stays inside its one-line comment."""
    package = generate_one(tmp_path, names_config(tmp_path))
    source = op_file(package, "A")
    assert "// 'p': default [[1, 2],\\n    [3, 4]]\n" in source
    assert not [line for line in source.splitlines() if line.lstrip().startswith("[3, 4]]")]
    declared = re.findall(r"^static [\w ]+? (\w+)(?:\[\])? =", source, re.M)
    assert len(declared) == len(set(declared)) == 7, declared
    interface = (package / "src" / "NamesPkgInterface.cpp").read_text()
    assert "namespace op_A {" in interface and "namespace op_A_input {" in interface


def test_an_argument_named_like_an_htp_class_is_a_located_error(tmp_path: Path) -> None:
    op = f.op("Bad", "HTP", params=[f.param("Tensor"), f.param("TensorType1")])
    config = f.write(tmp_path, "bad.xml", f.config("BadPkg", [op]))
    errors = _validation_errors(config)
    assert len(errors) == 2
    assert re.search(r"bad\.xml:\d+:\d+: error: parameter name 'Tensor' of op 'Bad'", errors[0])
    assert "parameter name 'TensorType1'" in errors[1]
    assert "parameter name 'Tensor' of op 'Bad'" in _guard(config)
