"""`opgen onnx draft`: configs drafted from models validate, generate and build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import onnx
import pytest
from lxml import etree
from onnx import TensorProto, helper

from opgen.config import validate_configs
from opgen.onnx.draft import draft
from tests.conftest import build_package
from tests.onnx.annot_models import model, opgen, save

F = TensorProto.FLOAT


def scale_model() -> onnx.ModelProto:
    """Two Scale nodes (same alpha, different mode) and a Pack node, with value_info stating the
    custom outputs' shapes: Scale's equals its input's, Pack's does not."""
    nodes = [
        helper.make_node(
            "Scale", ["x"], ["a"], name="s1", domain="acme", alpha=0.5, axes=[0, 1], mode="fast"
        ),
        helper.make_node("Relu", ["a"], ["b"], name="r"),
        helper.make_node(
            "Scale", ["b"], ["c"], name="s2", domain="acme", alpha=0.5, axes=[0, 1], mode="slow"
        ),
        helper.make_node("Pack", ["c", "q"], ["z"], name="p", domain="acme", k=4),
    ]
    m = model(
        nodes,
        [("x", F, ["N", 8]), ("q", TensorProto.UINT8, [8])],
        [("z", F, ["N", 2, 4])],
        domains=["acme"],
    )
    m.graph.value_info.extend(
        [
            helper.make_tensor_value_info("a", F, ["N", 8]),
            helper.make_tensor_value_info("c", F, ["N", 8]),
        ]
    )
    return m


def ops_of(xml: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(xml)
    return {op.findtext("Name"): op for op in root.iter("OpDef")}


def test_draft_decides_dtypes_ranks_params_and_rules(tmp_path: Path) -> None:
    done = draft(scale_model(), source="m.onnx")
    root = etree.fromstring(done.xml)
    assert (root.get("PackageName"), root.get("Domain")) == ("AcmeOpPackage", "acme")
    ops = ops_of(done.xml)
    assert list(ops) == ["Scale", "Pack"] and done.nodes == 3
    scale, pack = ops["Scale"], ops["Pack"]
    out = scale.find("Output")
    assert out.findtext("Shape/Text") == "= like(in[0])"
    assert out.findtext("Shape/Rank") == "2D"
    assert out.findtext("Constraint/Code") == "= like(in[0])"
    assert out.find("Constraint").text.strip()  # prose before <Code>
    params = {p.findtext("Name"): p for p in scale.iter("Parameter")}
    assert params["alpha"].findtext("Default") == "0.5"
    assert params["alpha"].findtext("Mandatory") == "false"
    assert params["axes"].findtext("Default") == "[0, 1]"
    assert params["axes"].findtext("Shape/Rank") == "1D"
    assert params["mode"].findtext("Mandatory") == "true"  # the nodes disagree
    assert [e.text for e in params["mode"].iter("Enum")] == ["fast", "slow"]
    assert pack.find("Output").findtext("Shape/Text") == "= ?"
    q = pack.findall("Input")[1]
    assert [d.text for d in q.iter("Datatype")] == [
        "QNN_DATATYPE_UINT_8",
        "QNN_DATATYPE_UFIXED_POINT_8",
    ]
    comments = [c.text for c in root.iter(etree.Comment)]
    assert any("UFIXED_POINT_8 (a quantized graph)" in c for c in comments)
    assert any("no rule is obvious" in c and "[N, 2, 4] from ([N, 8], [8])" in c for c in comments)
    path = tmp_path / "draft.xml"
    path.write_bytes(done.xml)
    result = validate_configs([path])
    assert result.ok, result.diagnostics


def test_hostile_names_are_sanitized_and_escaped(tmp_path: Path) -> None:
    evil = 'ev"il<&>--dom\x01'
    nodes = [
        helper.make_node(
            "1 Bad-Op<x>",
            ["x"],
            ["y"],
            name="n<&>",
            domain=evil,
            **{"class": 1, "a-b": 2.5, "__x": 3},
        ),
        helper.make_node("Relu", ["y"], ["z"], name="r"),
        helper.make_node("execute", ["z"], ["w"], name="e", domain=evil, mode="</Enum>--\x02"),
    ]
    m = model(nodes, [("x", F, [2])], [("w", F, None)], domains=[evil])
    done = draft(m, source="m<>.onnx")
    root = etree.fromstring(done.xml)  # well-formed
    names = [op.findtext("Name") for op in root.iter("OpDef")]
    assert names[0] == "CustomOp_1_Bad_Op_x"
    params = [p.findtext("Name") for p in root.iter("Parameter")]
    assert sorted(params[:3]) == ["a_b", "class_2", "x"]
    for c in root.iter(etree.Comment):
        assert "--" not in c.text and not c.text.endswith("-")
    assert len(done.renamed) >= 1
    path = tmp_path / "draft.xml"
    path.write_bytes(done.xml)
    result = validate_configs([path])
    assert result.ok, result.diagnostics


def test_ops_option_and_the_standard_domains() -> None:
    m = scale_model()
    assert list(ops_of(draft(m, ops=["pack"]).xml)) == ["Pack"]
    # A native op is drafted only when named.
    assert list(ops_of(draft(m, ops=["Relu"]).xml)) == ["Relu"]
    with pytest.raises(Exception, match="no node of type 'Nope'"):
        draft(m, ops=["Nope"])


def test_cli_errors(tmp_path: Path) -> None:
    source = save(scale_model(), tmp_path / "m.onnx")
    out = tmp_path / "d.xml"
    out.write_text("mine")
    r = opgen("onnx", "draft", str(source), "-o", str(out))
    assert (r.returncode, r.stderr) == (1, f"error: '{out}' exists; use --force to replace it\n")
    assert out.read_text() == "mine"
    r = opgen("onnx", "draft", str(source), "--package", "class", "-o", str(tmp_path / "e.xml"))
    assert r.returncode == 1
    assert r.stderr == "error: package name 'class' is a C/C++ keyword\n"
    r = opgen("onnx", "draft", str(source), "--ops", "Nope", "-o", str(tmp_path / "e.xml"))
    assert (r.returncode, r.stderr) == (1, "error: no node of type 'Nope' in m.onnx\n")


def test_round_trip_draft_validate_generate_build(tmp_path: Path) -> None:
    """draft -> opgen validate -> qnn-op-package-generator -> make cpu_x86 (one build)."""
    source = save(scale_model(), tmp_path / "m.onnx")
    cfg = tmp_path / "draft.xml"
    r = opgen("onnx", "draft", str(source), "--package", "DraftPkg", "-o", str(cfg))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].startswith(f"{cfg}: 2 op(s) from 3 node(s): Scale, Pack;")
    r = opgen("validate", str(cfg))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "DraftPkg: backends CPU; 2 op(s): Scale, Pack\n"
    gen = subprocess.run(
        [
            sys.executable,
            "-c",
            "from opgen.cli import vendor_main; vendor_main()",
            "-p",
            str(cfg),
            "-o",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert gen.returncode == 0, gen.stderr
    library = build_package(tmp_path / "out" / "DraftPkg")
    assert library.name == "libDraftPkg.so"
