"""Configs through the real parser into the model: merging, backends, supplements, defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

import opgen
from opgen.model import Backend, Datatype, Layout, ParamKind, RankExpr, ScalarDefault
from tests import factories as f

VALID = Path(__file__).resolve().parents[1] / "configs" / "valid"


@pytest.mark.parametrize("path", sorted(VALID.glob("*.xml")), ids=lambda p: p.name)
def test_every_valid_config_is_accepted_without_warnings(path: Path) -> None:
    result = opgen.validate_configs([path])
    assert result.ok
    assert [d.format() for d in result.diagnostics] == []
    assert result.packages and all(p.ops for p in result.packages)


def test_same_package_name_merges_in_config_order() -> None:
    packages = opgen.load_packages([VALID / "multi_a.xml", VALID / "multi_b.xml"])
    assert [p.name for p in packages] == ["MultiPkg"]
    assert [op.name for op in packages[0].ops] == ["AddBias", "MulScale", "Negate"]
    assert [c.path.name for c in packages[0].configs] == ["multi_a.xml", "multi_b.xml"]


def test_different_package_names_stay_separate(tmp_path: Path) -> None:
    a = f.write(tmp_path, "a.xml", f.config("PkgA", [f.op("A")]))
    b = f.write(tmp_path, "b.xml", f.config("PkgB", [f.op("B")]))
    assert [p.name for p in opgen.load_packages([a, b])] == ["PkgA", "PkgB"]


def test_one_package_targets_several_backends(tmp_path: Path) -> None:
    supplemental = """
<SupplementalOpDefList Backend="HTP">
  <SupportedOps><OpName>Both</OpName></SupportedOps>
  <SupplementalOpDef><Name>Both</Name>
    <Input><Name>in[0]</Name><Datatype>QNN_DATATYPE_UFIXED_POINT_8</Datatype></Input>
  </SupplementalOpDef>
</SupplementalOpDefList>"""
    text = f.config(
        "Multi",
        [
            f.op("Both", "CPU", inputs=[f.tensor("Input", "in[0]", ["BACKEND_SPECIFIC"])]),
            f.op("GpuOnly", "GPU"),
        ],
        [
            supplemental.replace('"HTP"', '"CPU"').replace("UFIXED_POINT_8", "FLOAT_32"),
            supplemental,
        ],
    )
    (package,) = opgen.load_packages([f.write(tmp_path, "m.xml", text)])
    assert package.backends == (Backend.CPU, Backend.HTP, Backend.GPU)
    cpu, htp, gpu = (package.resolve(b) for b in package.backends)
    assert [op.name for op in cpu.ops] == ["Both"]
    assert [op.name for op in gpu.ops] == ["GpuOnly"]
    assert cpu.ops[0].inputs[0].datatypes == (Datatype.FLOAT_32,)
    assert htp.ops[0].inputs[0].datatypes == (Datatype.UFIXED_POINT_8,)
    # The declaration itself is unchanged: resolution makes a new view.
    assert package.ops[0].inputs[0].datatypes == (Datatype.BACKEND_SPECIFIC,)


def test_backend_specific_layout_and_only_default_are_resolved() -> None:
    (package,) = opgen.load_packages([VALID / "supplemental.xml"])
    for backend in package.backends:
        for op in package.resolve(backend).ops:
            for spec in op.tensors():
                assert Datatype.BACKEND_SPECIFIC not in spec.datatypes
                assert spec.layout is not Layout.BACKEND_SPECIFIC
    flags = {
        (b, op.name, t.name): t.only_default_supported
        for b in package.backends
        for op in package.resolve(b).ops
        for t in op.tensors()
    }
    assert any(flags.values())


def test_implicit_and_symbolic_defaults(tmp_path: Path) -> None:
    text = f.config(
        "Defaults",
        [
            f.op(
                "Op",
                params=[
                    f.param("flag", "QNN_DATATYPE_BOOL_8", mandatory=False),
                    f.param("mode", "QNN_DATATYPE_UINT_32", mandatory=False, enum=["a", "b"]),
                    f.param(
                        "named",
                        "QNN_DATATYPE_UINT_32",
                        mandatory=False,
                        enum=["a", "b"],
                        default="b",
                    ),
                    f.param("axis", "QNN_DATATYPE_INT_32", mandatory=False, default="N-1"),
                    f.param("k", "QNN_DATATYPE_UINT_32"),
                ],
            )
        ],
    )
    (package,) = opgen.load_packages([f.write(tmp_path, "d.xml", text)])
    flag, mode, named, axis, k = package.ops[0].params
    assert (flag.kind, flag.default and flag.default.value) == (
        ParamKind.BOOL,
        ScalarDefault(False),
    )
    assert (mode.kind, mode.default and mode.default.value) == (ParamKind.ENUM, ScalarDefault(0))
    assert named.default is not None and named.default.value == ScalarDefault(1)
    assert axis.default is not None and axis.default.value == ScalarDefault(RankExpr(1, -1))
    assert k.mandatory and k.default is None


def test_load_packages_raises_one_error_with_every_diagnostic(tmp_path: Path) -> None:
    text = f.config(
        "Bad",
        [
            f.op("Op", params=[f.param("a", "QNN_DATATYPE_UINT_8", mandatory=False, default="-1")]),
            f.op("Op"),
        ],
    )
    path = f.write(tmp_path, "bad.xml", text)
    with pytest.raises(opgen.ConfigError) as info:
        opgen.load_packages([path])
    messages = [d.message for d in info.value.diagnostics]
    assert any("-1 is negative for QNN_DATATYPE_UINT_8" in m for m in messages)
    assert any("defined twice" in m for m in messages)
    assert "2 error(s)" in str(info.value)


def test_same_file_given_twice_is_read_once(tmp_path: Path) -> None:
    path = f.write(tmp_path, "a.xml", f.config("Once", [f.op("A")]))
    result = opgen.validate_configs([path, path])
    assert result.ok
    assert [op.name for op in result.packages[0].ops] == ["A"]
    assert [d.level.value for d in result.diagnostics] == ["warning"]


def test_json_view_names_every_op_and_param() -> None:
    (package,) = opgen.load_packages([VALID / "tensors_and_params.xml"])
    data = package.to_json()
    assert data["package_name"] == package.name
    backends = data["backends"]
    assert isinstance(backends, dict)
    assert backends["CPU"]["operations"] == [op.name for op in package.ops]
