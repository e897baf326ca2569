"""`opgen onnx check`: one small model per pitfall (CONVERTER_FACTS §1.3-§1.6), exact lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from onnx import AttributeProto, helper

from opgen.config import validate_configs
from opgen.onnx import load_model
from opgen.onnx.check import check_model
from tests.onnx.models import (
    FLOAT,
    chain,
    make_model,
    node,
    opdef,
    param,
    save,
    write_config,
)

OPGEN = [sys.executable, "-m", "opgen"]
I32 = "QNN_DATATYPE_INT_32"
SCALE = opdef("Scale", params=[param("alpha", default="1.0")])
M = "m.onnx: node 'n' (Scale): "


def scale_model(**kw: object) -> object:
    domain = kw.pop("domain", "test.dom")
    op_type = kw.pop("op_type", "Scale")
    nodes = [node(op_type, ["x"], ["y"], name="n", domain=domain, **kw)]  # type: ignore[arg-type]
    return make_model(nodes, {"x": (FLOAT, [1, 4])}, {"y": FLOAT})


def lines(tmp_path: Path, ops: list[str], model: object) -> list[str]:
    """The check's diagnostics, formatted, for a model saved as m.onnx (cwd-relative name)."""
    result = validate_configs([write_config(tmp_path, ops)])
    assert result.ok, [d.format() for d in result.diagnostics]
    save(model, tmp_path / "m.onnx")  # type: ignore[arg-type]
    found = check_model(load_model(tmp_path / "m.onnx"), result.packages, Path("m.onnx"))
    return [d.format() for d in found]


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OPGEN, "onnx", "check", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )


# ---- a clean model, through the CLI ---------------------------------------------------------


def test_clean_model_passes(tmp_path: Path) -> None:
    write_config(tmp_path, [SCALE])
    save(scale_model(alpha=2.0), tmp_path / "m.onnx")  # type: ignore[arg-type]
    done = run(tmp_path, "m.onnx", "-p", "ops.xml")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_errors_exit_1_with_gcc_style_lines(tmp_path: Path) -> None:
    write_config(tmp_path, [SCALE])
    save(scale_model(alpha=2.0, domain="other.dom"), tmp_path / "m.onnx")  # type: ignore[arg-type]
    done = run(tmp_path, "m.onnx", "-p", "ops.xml")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        M + "error: the node's domain 'other.dom' is not in the model's opset_import: ONNX shape "
        "inference and onnx.checker reject the model (add an opset_import entry for "
        "'other.dom', version 1)",
        "1 error(s), 0 warning(s)",
    ]


def test_json_lists_findings_for_tools(tmp_path: Path) -> None:
    write_config(tmp_path, [SCALE])
    save(scale_model(op_type="scale", alpha=2, beta=1.0), tmp_path / "m.onnx")  # type: ignore[arg-type]
    done = run(tmp_path, "m.onnx", "-p", "ops.xml", "--json")
    assert done.returncode == 0, done.stderr
    findings = json.loads(done.stdout)
    assert [(f["level"], f["code"]) for f in findings] == [
        ("warning", "case-mismatch"),
        ("warning", "attribute-type"),
        ("warning", "attribute-undeclared"),
    ]
    first = findings[0]
    assert set(first) == {
        "level",
        "code",
        "file",
        "line",
        "column",
        "node",
        "op_type",
        "index",
        "message",
        "hint",
    }
    assert (first["file"], first["line"], first["node"], first["op_type"], first["index"]) == (
        "m.onnx",
        None,
        "n",
        "scale",
        0,
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "m.onnx: no such file"),
        (
            b"hello, not a model\n",
            "m.onnx: not an ONNX model (the file is truncated or is not ONNX protobuf)",
        ),
        ("truncated", "m.onnx: not an ONNX model (the file is truncated or is not ONNX protobuf)"),
        (b"", "m.onnx: not an ONNX model (no graph, no IR version)"),
    ],
)
def test_bad_model_file_is_one_error_line(
    tmp_path: Path, content: bytes | str | None, message: str
) -> None:
    write_config(tmp_path, [SCALE])
    if content == "truncated":
        data = scale_model(alpha=2.0).SerializeToString()  # type: ignore[attr-defined]
        (tmp_path / "m.onnx").write_bytes(data[: len(data) // 2])
    elif isinstance(content, bytes):
        (tmp_path / "m.onnx").write_bytes(content)
    done = run(tmp_path, "m.onnx", "-p", "ops.xml")
    assert (done.returncode, done.stdout, done.stderr) == (1, "", f"error: {message}\n")


def test_bad_config_gives_config_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "ops.xml").write_text("<OpDefCollection", encoding="utf-8")
    save(scale_model(alpha=2.0), tmp_path / "m.onnx")  # type: ignore[arg-type]
    done = run(tmp_path, "m.onnx", "-p", "ops.xml")
    assert done.returncode == 1
    assert done.stderr.startswith("ops.xml:1:")
    assert "error:" in done.stderr and "Traceback" not in done.stderr


def test_thousand_custom_nodes_check(tmp_path: Path) -> None:
    write_config(tmp_path, [SCALE])
    save(chain(1000, "Scale", alpha=0.5), tmp_path / "m.onnx")
    done = run(tmp_path, "m.onnx", "-p", "ops.xml", "--json")
    assert (done.returncode, json.loads(done.stdout)) == (0, [])
    many = chain(1000, "Scale", alpha=1)  # INT for a FLOAT param: one warning per node
    assert len(lines(tmp_path, [SCALE], many)) == 1000


# ---- recognition and domain ----------------------------------------------------------------


def test_case_only_match_warns(tmp_path: Path) -> None:
    assert lines(tmp_path, [SCALE], scale_model(op_type="scale")) == [
        "m.onnx: node 'n' (scale): warning: op_type 'scale' matches OpDef 'Scale' only when case "
        "is ignored: the converter emits the type 'scale' verbatim and the op package, which "
        "registers 'Scale', rejects it when the graph is built (spell the op_type 'Scale')"
    ]


def test_default_domain_warns(tmp_path: Path) -> None:
    assert lines(tmp_path, [SCALE], scale_model(domain="")) == [
        M + "warning: the node is in the default ONNX domain: onnx.checker rejects a type ONNX "
        "does not define there (use the package's Domain 'test.dom')"
    ]


def test_unnamed_node_is_labelled_by_type_and_index(tmp_path: Path) -> None:
    nodes = [
        helper.make_node("Relu", ["x"], ["r"]),
        node("Scale", ["r"], ["y"], domain="nope"),
    ]
    model = make_model(nodes, {"x": (FLOAT, [1, 4])}, {"y": FLOAT})
    (line,) = lines(tmp_path, [SCALE], model)
    assert line.startswith("m.onnx: node 'Scale#1' (Scale): error: the node's domain 'nope'")


def test_opdef_matching_no_node_is_a_note(tmp_path: Path) -> None:
    ops = [SCALE, opdef("Unused")]
    result = validate_configs([write_config(tmp_path, ops)])
    save(scale_model(), tmp_path / "m.onnx")  # type: ignore[arg-type]
    (found,) = check_model(load_model(tmp_path / "m.onnx"), result.packages, Path("m.onnx"))
    unused = result.packages[0].ops[1]
    assert found.format() == (
        f"{unused.name_at}: note: OpDef 'Unused' of package TestPackage matches no node of "
        "m.onnx (the converter skips it)"
    )
    assert found.file == tmp_path / "ops.xml" and found.line > 1


# ---- attributes ------------------------------------------------------------------------------


def test_attribute_missing_without_default(tmp_path: Path) -> None:
    ops = [opdef("Scale", params=[param("alpha", mandatory=True)])]
    assert lines(tmp_path, ops, scale_model(alhpa=1.0)) == [
        M + "error: attribute 'alpha' is missing and the config writes no default: the "
        "converter stops ('Required custom op attribute') (did you mean alhpa?)",
        M + "warning: attribute 'alhpa' is not a parameter of Scale: the converter ignores it "
        "(did you mean alpha?)",
    ]


def test_float_for_int_param(tmp_path: Path) -> None:
    ops = [opdef("Scale", params=[param("k", I32, default="1")])]
    assert lines(tmp_path, ops, scale_model(k=2.5)) == [
        M + "error: attribute 'k' (FLOAT) is 2.5; the parameter takes INT_32"
    ]


def test_int_for_float_param_arrives_as_int32(tmp_path: Path) -> None:
    assert lines(tmp_path, [SCALE], scale_model(alpha=2)) == [
        M + "warning: attribute 'alpha' is INT: the converter sends it as INT_32, the parameter "
        "takes FLOAT_32 (write it as a float attribute)"
    ]


def test_ints_for_scalar_param(tmp_path: Path) -> None:
    ops = [opdef("Scale", params=[param("k", I32, default="1")])]
    assert lines(tmp_path, ops, scale_model(k=[1, 2])) == [
        M + "error: attribute 'k' (INTS) is a tensor; the parameter is a scalar"
    ]


def test_ints_for_2d_param(tmp_path: Path) -> None:
    ops = [opdef("Scale", params=[param("pads", I32, "2D", default="[[0, 0], [0, 0]]")])]
    assert lines(tmp_path, ops, scale_model(pads=[0, 0, 0, 0])) == [
        M + "error: attribute 'pads' (INTS) gives a 1-D tensor; the parameter is 2D (write a "
        "TENSOR attribute of that rank)"
    ]


def test_int_beyond_int32(tmp_path: Path) -> None:
    ops = [opdef("Scale", params=[param("k", "QNN_DATATYPE_INT_64", default="1")])]
    assert lines(tmp_path, ops, scale_model(k=1 << 40)) == [
        M + "error: attribute 'k' holds 1099511627776, beyond INT_32: the converter sends INT "
        "attributes as INT_32"
    ]


@pytest.mark.parametrize(
    ("value", "kind", "why"),
    [
        ("fast", "STRING", "the converter fails on STRING attributes (it decodes a str)"),
        (["a", "b"], "STRINGS", "the converter has no datatype for STRINGS and fails"),
        ("tensors", "TENSORS", "the converter crashes on TENSORS attributes"),
        (
            "graph",
            "GRAPH",
            "the converter does not handle it and passes the previous attribute's value instead",
        ),
    ],
)
def test_attribute_types_the_converter_mishandles(
    tmp_path: Path, value: object, kind: str, why: str
) -> None:
    ops = [opdef("Scale", params=[param("alpha", default="1.0")])]
    model = scale_model()
    attr: AttributeProto
    if value == "tensors":
        t = helper.make_tensor("t", FLOAT, [1], [1.0])
        attr = helper.make_attribute("alpha", [t])
    elif value == "graph":
        attr = helper.make_attribute("alpha", helper.make_graph([], "g", [], []))
    else:
        attr = helper.make_attribute("alpha", value)
    model.graph.node[0].attribute.append(attr)  # type: ignore[attr-defined]
    assert lines(tmp_path, ops, model) == [M + f"error: attribute 'alpha' is {kind}: {why}"]


def test_enum_label_as_string_and_out_of_range(tmp_path: Path) -> None:
    mode = param("mode", "QNN_DATATYPE_UINT_32", default="0", enum=["NEAREST", "LINEAR"])
    ops = [opdef("Scale", params=[mode])]
    assert lines(tmp_path, ops, scale_model(mode="LINEAR")) == [
        M + "error: attribute 'mode' is STRING: the converter fails on STRING attributes (it "
        "decodes a str) (write the index 1 as an INT)"
    ]
    assert lines(tmp_path, ops, scale_model(mode=2)) == [
        M + "error: attribute 'mode' (INT) is 2, out of range for the enumeration "
        "{NEAREST, LINEAR} (0..1)"
    ]
    assert lines(tmp_path, ops, scale_model(mode=1)) == []


def test_absent_bool_with_false_default(tmp_path: Path) -> None:
    flag = param("flag", "QNN_DATATYPE_BOOL_8", default="false")
    ops = [opdef("Scale", params=[flag])]
    assert lines(tmp_path, ops, scale_model()) == [
        M + "warning: attribute 'flag' is absent: the converter reads the default 'false' as "
        "true (the truth of a non-empty text) (write the attribute: flag=0)"
    ]
    assert lines(tmp_path, ops, scale_model(flag=0)) == []


def test_implicit_default_is_opgens_not_the_converters(tmp_path: Path) -> None:
    ops = [opdef("Scale", params=[param("flag", "QNN_DATATYPE_BOOL_8")])]
    assert lines(tmp_path, ops, scale_model()) == [
        M + "error: attribute 'flag' is missing and the config writes no default: the converter "
        "stops ('Required custom op attribute') (write <Default>false</Default>)"
    ]
