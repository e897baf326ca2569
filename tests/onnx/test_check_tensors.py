"""`opgen onnx check`, the tensors: counts, Repeated, static inputs, dtypes, output shapes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
from onnx import TensorProto

from opgen.config import Level, load_packages
from opgen.onnx import node_params
from tests.onnx.models import (
    FLOAT,
    UINT8,
    inp,
    make_model,
    node,
    opdef,
    out,
    param,
    write_config,
)
from tests.onnx.test_check import lines

M = "m.onnx: node 'n' (Op): "
U8 = "QNN_DATATYPE_UINT_8"
UFX8 = "QNN_DATATYPE_UFIXED_POINT_8"


def model(inputs: list[str], outputs: list[str] = ["y"], **kw: object) -> object:  # noqa: B006
    types = {
        name: (FLOAT, [1, 4]) for name in inputs if name and name not in kw.get("initializers", {})
    }  # type: ignore[operator]
    types.update(kw.pop("types", {}))  # type: ignore[arg-type]
    out_type = kw.pop("out_type", FLOAT)
    outs = {o: out_type for o in outputs}
    return make_model([node("Op", inputs, outputs, name="n")], types, outs, **kw)  # type: ignore[arg-type]


def test_too_many_inputs(tmp_path: Path) -> None:
    assert lines(tmp_path, [opdef("Op")], model(["a", "b"])) == [
        M + "error: the node has 2 input(s), the config declares 1: the converter fails "
        "(IndexError) on the extra ones"
    ]


def test_missing_input_without_default(tmp_path: Path) -> None:
    ops = [opdef("Op", inputs=[inp(), inp("in[1]", mandatory=False)])]
    assert lines(tmp_path, ops, model(["a"])) == [
        M + "error: the node has no input for 'in[1]' (input 1), optional without a default: "
        "the converter stops ('Required input tensor')"
    ]


def test_output_count_must_match(tmp_path: Path) -> None:
    assert lines(tmp_path, [opdef("Op")], model(["a"], ["y", "z"])) == [
        M + "error: the node has 2 output(s), the config declares 1: the converter fails "
        "(IndexError) on the extra ones"
    ]


def test_leading_repeated_input_expands(tmp_path: Path) -> None:
    ops = [opdef("Op", inputs=[inp(repeated=True)])]
    assert lines(tmp_path, ops, model(["a", "b", "c"])) == []


def test_repeated_input_not_first(tmp_path: Path) -> None:
    ops = [opdef("Op", inputs=[inp(), inp("rest", repeated=True)])]
    assert lines(tmp_path, ops, model(["a", "b", "c"])) == [
        M + "error: the node has 3 input(s), the config declares 2 (one Repeated): 'rest' is "
        "Repeated but not first, and the converter expands only a leading Repeated input "
        "(make 'rest' the first input)"
    ]


def test_static_input_must_be_an_initializer_named_like_the_xml(tmp_path: Path) -> None:
    ops = [opdef("Op", inputs=[inp(), inp("weights", static=True)])]
    assert lines(tmp_path, ops, model(["a", "w"])) == [
        M + "error: input 1 'w' feeds the static input 'weights' (IsStaticTensor) but is not an "
        "initializer: the converter stops (no associated data) (make it an initializer named "
        "'weights')"
    ]
    w = np.ones((1, 4), np.float32)
    assert lines(tmp_path, ops, model(["a", "w"], initializers={"w": w})) == [
        M + "error: initializer 'w' feeds the static input 'weights': the converter passes it as "
        "a tensor parameter named 'w' and the op package looks for 'weights' (name the "
        "initializer 'weights')"
    ]
    assert lines(tmp_path, ops, model(["a", "weights"], initializers={"weights": w})) == []


def test_uint8_against_ufixed_point_8_explains_the_pitfall(tmp_path: Path) -> None:
    ops = [opdef("Op", inputs=[inp("in[0]", UFX8)], outputs=[out("out[0]", UFX8, U8)])]
    m = model(["a"], types={"a": (UINT8, [1, 4])}, out_type=UINT8)
    assert lines(tmp_path, ops, m) == [
        M + "error: input 'in[0]' (tensor 'a') is UINT_8 in the model, the config lists "
        "UFIXED_POINT_8: the converter stops (data_type does not match op package config) "
        "(ONNX has no fixed-point types: a quantized tensor reaches the converter as UINT_8; "
        "list QNN_DATATYPE_UINT_8 next to QNN_DATATYPE_UFIXED_POINT_8)"
    ]


def test_output_dtype_from_the_model(tmp_path: Path) -> None:
    m = model(["a"], value_info={"y": (UINT8, [1, 4])})
    assert lines(tmp_path, [opdef("Op")], m) == [
        M + "error: output 'out[0]' (tensor 'y') is UINT_8 in the model, the config lists "
        "FLOAT_32: the converter stops (data_type does not match op package config)"
    ]


def test_output_shape_nothing_gives(tmp_path: Path) -> None:
    ops = [opdef("Op", outputs=[out(rule=None)])]
    assert lines(tmp_path, ops, model(["a"])) == [
        M + "warning: output 'out[0]' (tensor 'y'): neither a rule nor the model gives its shape "
        "(it has no shape rule): the converter then needs "
        "--converter_op_package_lib (write a shape rule (<Text>= ...</Text>) or value_info for it)"
    ]
    assert lines(tmp_path, ops, model(["a"], value_info={"y": (FLOAT, [1, 4])})) == []


def test_model_shape_contradicting_the_rule(tmp_path: Path) -> None:
    m = model(["a"], value_info={"y": (FLOAT, [1, 3])})
    assert lines(tmp_path, [opdef("Op")], m) == [
        M + "error: output 'out[0]' (tensor 'y') is [1, 3] in the model, the rule "
        "'= like(in[0])' gives [1, 4]"
    ]


def test_rules_rejecting_the_node(tmp_path: Path) -> None:
    ops = [opdef("Op", inputs=[inp(rule="= [B, 8]")])]
    (line,) = lines(tmp_path, ops, model(["a"]))
    assert line.startswith(M + "error: the op's rules reject the node: ")
    assert "8" in line and "4" in line


def test_shapes_flow_through_custom_chains_and_stay_symbolic(tmp_path: Path) -> None:
    nodes = [node("Op", ["x"], ["t"], name="a"), node("Op", ["t"], ["y"], name="b")]
    m = make_model(nodes, {"x": (FLOAT, ["batch", 4])}, {"y": FLOAT})
    assert lines(tmp_path, [opdef("Op")], m) == []


def test_node_params_applies_defaults_and_labels(tmp_path: Path) -> None:
    mode = param("mode", "QNN_DATATYPE_UINT_32", default="0", enum=["A", "B"])
    ops = [
        opdef(
            "Op",
            params=[
                param("alpha", default="0.5"),
                param("axis", "QNN_DATATYPE_INT_32", default="N-1"),
                mode,
            ],
        )
    ]
    (package,) = load_packages([write_config(tmp_path, ops)])
    op = package.ops[0]
    n = node("Op", ["x"], ["y"], mode="B", alpha=2)
    assert node_params(n, op, input_rank=3) == {"alpha": 2.0, "axis": 2, "mode": 1}


def test_help_imports_no_onnx_and_missing_onnx_says_how_to_install() -> None:
    code = (
        "import sys\n"
        "from opgen.cli import opgen_main\n"
        "try:\n    opgen_main(['--help'])\nexcept SystemExit:\n    pass\n"
        "assert 'onnx' not in sys.modules, 'onnx imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    code = (
        "import sys\nsys.modules['onnx'] = None\n"
        "from opgen.cli import opgen_main\nopgen_main(['onnx', 'check', 'm.onnx', '-p', 'x.xml'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (
        1,
        "error: the ONNX commands need the onnx package: pip install 'opgen[onnx]'\n",
    )


def test_shapes_reach_a_custom_node_through_native_ones(tmp_path: Path) -> None:
    # custom -> Relu -> custom: ONNX inference alone stops at the first custom output; check
    # infers as annotate does (rules to a fixed point), so the second node's shape is known.
    from opgen.onnx.check import check_model
    from tests.onnx import annot_models as am

    packages = load_packages([am.write_config(tmp_path)])
    chain = am.model(
        [
            am.custom("Grow", ["x"], ["c0"]),
            am.native("Relu", ["c0"], ["r0"]),
            am.custom("Same", ["r0"], ["c1"]),
        ],
        [("x", TensorProto.FLOAT, ["N", 3])],
        [("c1", TensorProto.FLOAT, None)],
    )
    findings = check_model(chain, packages, tmp_path / "chain.onnx")
    assert [d.code for d in findings if d.level is not Level.NOTE] == []
