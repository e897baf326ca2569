"""`opgen onnx annotate`: the rules' shapes written into models, checked by onnx itself."""

from __future__ import annotations

from pathlib import Path

import onnx
import pytest
from onnx import TensorProto, helper

from opgen.config import validate_configs
from opgen.model import Package
from opgen.onnx.annotate import annotate, check
from tests.onnx.annot_models import (
    chain,
    custom,
    elem_of,
    model,
    native,
    opgen,
    save,
    shape_of,
    write_config,
)

F = TensorProto.FLOAT


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


def packages(config: Path) -> tuple[Package, ...]:
    result = validate_configs([config])
    assert result.ok, result.diagnostics
    return result.packages


def reinferred(m: onnx.ModelProto) -> onnx.ModelProto:
    return onnx.shape_inference.infer_shapes(m, strict_mode=False)


def test_static_chain_custom_and_native_in_turn(config: Path) -> None:
    done = annotate(chain([2, 3]), packages(config))
    m = done.model
    # Grow(pad=2) -> Relu -> Same -> Add -> Grow(pad default 1): the natives between the
    # custom nodes are inferred only once the custom outputs are known.
    assert [shape_of(m, t) for t in "abcdz"] == [(2, 5), (2, 5), (2, 5), (2, 5), (2, 6)]
    assert all(elem_of(m, t) == F for t in "abcdz")
    assert done.errors == () and done.unknown == () and not done.needs_library
    assert done.written == ("a", "c", "z")
    check(m)  # onnx.checker
    again = reinferred(m)
    assert [shape_of(again, t) for t in "abcdz"] == [shape_of(m, t) for t in "abcdz"]
    # The input model is untouched (z has no shape there).
    assert shape_of(chain([2, 3]), "z") is None


def test_symbolic_dims_stay_symbolic(config: Path) -> None:
    done = annotate(chain(["N", "C"]), packages(config))
    m = done.model
    assert shape_of(m, "a") == ("N", "C + 2")
    assert shape_of(m, "d") == ("N", "C + 2")
    # The second Grow reads the expression back, not a name "C + 2": C + 3.
    assert shape_of(m, "z") == ("N", "C + 3")
    assert done.unknown == () and done.needs_library  # the converter reads dim_param as 0
    check(m)
    assert shape_of(reinferred(m), "z") == ("N", "C + 3")


def test_two_outputs_with_a_fixed_dtype_and_a_param(config: Path) -> None:
    nodes = [custom("Pick", ["x"], ["v", "i"], k=3), native("Relu", ["v"], ["r"])]
    m = model(nodes, [("x", F, [4, 10])], [("r", F, None), ("i", TensorProto.INT32, None)])
    done = annotate(m, packages(config))
    assert shape_of(done.model, "v") == (4, 3)
    assert shape_of(done.model, "i") == (4, 3)
    assert shape_of(done.model, "r") == (4, 3)
    assert elem_of(done.model, "i") == TensorProto.INT32
    check(done.model)


def test_missing_domain_is_added(config: Path) -> None:
    m = chain([2, 3])
    del m.opset_import[1]  # my.ops
    done = annotate(m, packages(config))
    assert done.added_domains == ("my.ops",)
    assert {(o.domain, o.version) for o in done.model.opset_import} == {("", 17), ("my.ops", 1)}
    check(done.model)


def test_unknown_output_is_reported_with_its_reason(config: Path) -> None:
    nodes = [custom("Mystery", ["x"], ["y"]), native("Relu", ["y"], ["z"])]
    m = model(nodes, [("x", F, [2, 3])], [("z", F, None)])
    done = annotate(m, packages(config))
    (unknown,) = done.unknown
    assert (unknown.node, unknown.tensor, unknown.dims) == ("n_y", "y", None)
    assert unknown.reason == "its shape rule '= ?' leaves the whole shape to user code"
    assert done.needs_library


def test_model_shape_contradicting_a_rule_is_an_error(config: Path) -> None:
    m = chain([2, 3])
    m.graph.value_info.append(helper.make_tensor_value_info("a", F, [2, 4]))
    done = annotate(m, packages(config))
    (error,) = done.errors
    assert (error.node, error.op_type) == ("n_a", "Grow")
    assert error.message == (
        "output 'a': the model says [2, 4], but its shape rule '= [B, C + pad]' gives [2, 5]"
    )


def test_model_dims_win_over_symbols(config: Path) -> None:
    m = chain(["N", 3])
    m.graph.value_info.append(helper.make_tensor_value_info("a", F, [8, 5]))
    done = annotate(m, packages(config))
    assert done.errors == ()
    assert shape_of(done.model, "a") == (8, 5)


# ---- the command -----------------------------------------------------------------------------


def test_cli_static_writes_and_prints_the_converter_command(config: Path, tmp_path: Path) -> None:
    source = save(chain([2, 3]), tmp_path / "m.onnx")
    before = source.read_bytes()
    out = tmp_path / "out.onnx"
    r = opgen("onnx", "annotate", str(source), "-p", str(config), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert r.stdout.splitlines() == [
        f"{out}: 3 custom node(s), 3 of 3 output(s) known, 3 value_info written "
        "(2 inference round(s))",
        f"qnn-onnx-converter --input_network {out} --op_package_config {config}",
    ]
    assert source.read_bytes() == before
    written = onnx.load(str(out))
    onnx.checker.check_model(written)
    assert shape_of(written, "z") == (2, 6)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_one_config_flag_per_config_and_the_library_when_needed(
    config: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.xml"
    other.write_text(
        config.read_text()
        .replace('PackageName="AnnotPkg"', 'PackageName="OtherPkg"')
        .replace("<Name>Grow</Name>", "<Name>Grow2</Name>")
        .replace("<Name>Same</Name>", "<Name>Same2</Name>")
        .replace("<Name>Mystery</Name>", "<Name>Mystery2</Name>")
        .replace("<Name>Pick</Name>", "<Name>Pick2</Name>")
        .replace("<Name>Quad</Name>", "<Name>Quad2</Name>"),
        encoding="utf-8",
    )
    nodes = [custom("Mystery", ["x"], ["y"]), native("Relu", ["y"], ["z"])]
    # The graph output states its shape (onnx.checker requires one), y stays unknown.
    source = save(model(nodes, [("x", F, [2, 3])], [("z", F, [2, 3])]), tmp_path / "m.onnx")
    out = tmp_path / "out.onnx"
    r = opgen("onnx", "annotate", str(source), "-p", str(config), "-p", str(other), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines() == [
        f"{source}: node 'n_y' (Mystery): warning: output 'y' is still unknown (no shape): its "
        "shape rule '= ?' leaves the whole shape to user code; the converter needs the "
        "converter op package for it"
    ]
    assert r.stdout.splitlines()[1] == (
        f"qnn-onnx-converter --input_network {out} --op_package_config {config} "
        f"--op_package_config {other} --converter_op_package_lib "
        "AnnotPkg_Converter_Op_Package/ConverterOpPackage/libConverterOpPackage.so,"
        "OtherPkg_Converter_Op_Package/ConverterOpPackage/libConverterOpPackage.so"
    )
    onnx.checker.check_model(onnx.load(str(out)))


def test_cli_symbolic_notes_and_library(config: Path, tmp_path: Path) -> None:
    source = save(chain(["N", 3]), tmp_path / "m.onnx")
    out = tmp_path / "out.onnx"
    r = opgen("onnx", "annotate", str(source), "-p", str(config), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert f"{source}: node 'n_z' (Grow): note: output 'z' has named dims [N, 6]" in r.stderr
    assert "--converter_op_package_lib AnnotPkg_Converter_Op_Package/" in r.stdout


def test_cli_rule_error_names_the_node_and_writes_nothing(config: Path, tmp_path: Path) -> None:
    nodes = [custom("Quad", ["x"], ["y"])]
    source = save(model(nodes, [("x", F, [2, 6])], [("y", F, None)]), tmp_path / "m.onnx")
    out = tmp_path / "out.onnx"
    r = opgen("onnx", "annotate", str(source), "-p", str(config), "-o", str(out))
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        f"{source}: node 'n_y' (Quad): error: constraint 7 'require divisible(K, 4)': "
        "'divisible(K, 4)' is false (K = 6)",
        "1 error(s); nothing written",
    ]
    assert not out.exists()


def test_cli_replaces_the_input_only_when_o_names_it(config: Path, tmp_path: Path) -> None:
    source = save(chain([2, 3]), tmp_path / "m.onnx")
    r = opgen("onnx", "annotate", str(source), "-p", str(config), "-o", str(source))
    assert r.returncode == 0, r.stderr
    assert shape_of(onnx.load(str(source)), "z") == (2, 6)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\x08\x01garbage\xff\xff", "not an ONNX model"),
    ],
)
def test_cli_bad_model_file(
    config: Path, tmp_path: Path, content: bytes | None, message: str
) -> None:
    source = tmp_path / "m.onnx"
    if content is not None:
        source.write_bytes(content)
    r = opgen("onnx", "annotate", str(source), "-p", str(config), "-o", str(tmp_path / "o.onnx"))
    assert r.returncode == 1
    assert message in r.stderr and "Traceback" not in r.stderr


def test_cli_unknown_graph_output_written_with_a_checker_warning(
    config: Path, tmp_path: Path
) -> None:
    nodes = [custom("Mystery", ["x"], ["y"]), native("Relu", ["y"], ["z"])]
    source = save(model(nodes, [("x", F, [2, 3])], [("z", F, None)]), tmp_path / "m.onnx")
    out = tmp_path / "out.onnx"
    r = opgen("onnx", "annotate", str(source), "-p", str(config), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[0] == (
        f"{source}: warning: onnx.checker refuses the annotated model: Field 'shape' of 'type' "
        "is required but missing. (until the unknown outputs are known)"
    )
    assert "warning: output 'y' is still unknown" in r.stderr
    assert "--converter_op_package_lib" in r.stdout
    assert out.exists()
