"""Shape and dtype rules in every backend's validateOpConfig, through the runtime.

One config (four ruled ops: broadcast, with + a dtype rule + a require over a scalar param, a
pattern + require divisible + a list with arithmetic and a scalar param, reduce over a tensor
param) is generated for CPU, GPU and HTP, built once each, registered, and asked to validate and
run op configs: a contradicting one is rejected naming the op, and the package's logged message
names the tensor, the rule as written and the values; a correct one passes and executes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import opgen
from opgen.generate import generate
from opgen.runtime import OpPackage, OpPackageError, PackageLoadError, register
from opgen.runtime.opencl import select_device
from tests.conftest import build_package
from tests.generate.htp_harness import build_htp

F32 = "QNN_DATATYPE_FLOAT_32"
F16 = "QNN_DATATYPE_FLOAT_16"

OPS = """
<OpDef>
<Name>AddB</Name>
<Description><Content>broadcast add</Content></Description>
<Input><Name>a</Name><Mandatory>true</Mandatory><Datatype>{F32}</Datatype>
  <Shape><Rank>ND</Rank></Shape></Input>
<Input><Name>b</Name><Mandatory>true</Mandatory><Datatype>{F32}</Datatype>
  <Shape><Rank>ND</Rank></Shape></Input>
<Output><Name>y</Name><Mandatory>true</Mandatory><Datatype>{F32}</Datatype>
  <Shape><Rank>ND</Rank><Text>= broadcast(a, b)</Text></Shape></Output>
<SupportedBackend>{backend}</SupportedBackend>
</OpDef>
<OpDef>
<Name>LastK</Name>
<Description><Content>top-k like</Content></Description>
<Input><Name>x</Name><Mandatory>true</Mandatory><Datatype>{F32}</Datatype><Datatype>{F16}</Datatype>
  <Shape><Rank>ND</Rank></Shape></Input>
<Output><Name>values</Name>
  <Constraint id="1" Type="Datatype">same as x<Code>= like(x)</Code></Constraint>
  <Mandatory>true</Mandatory><Datatype>{F32}</Datatype><Datatype>{F16}</Datatype>
  <Shape><Rank>ND</Rank><Text>= with(x, -1, k)</Text></Shape></Output>
<Parameter><Name>k</Name>
  <Constraint id="2" Type="Value">at most the last dim of x<Code>require le(k, x.shape[-1])</Code>
  </Constraint>
  <Mandatory>true</Mandatory><Datatype>QNN_DATATYPE_UINT_32</Datatype>
  <Shape><Rank>SCALAR</Rank></Shape></Parameter>
<SupportedBackend>{backend}</SupportedBackend>
</OpDef>
<OpDef>
<Name>Fold</Name>
<Description><Content>pattern, require, a list with arithmetic</Content></Description>
<Input><Name>x</Name>
  <Constraint id="1" Type="Shape">M splits in fours<Code>require divisible(M, 4)</Code></Constraint>
  <Mandatory>true</Mandatory><Datatype>{F32}</Datatype>
  <Shape><Rank>4D</Rank><Text>= [B, H, M, K]</Text></Shape></Input>
<Output><Name>y</Name><Mandatory>true</Mandatory><Datatype>{F32}</Datatype>
  <Shape><Rank>4D</Rank><Text>= [B, H, M // 4, K * 4 + pad]</Text></Shape></Output>
<Parameter><Name>pad</Name><Mandatory>false</Mandatory><Datatype>QNN_DATATYPE_INT_32</Datatype>
  <Shape><Rank>SCALAR</Rank></Shape><Default>0</Default></Parameter>
<SupportedBackend>{backend}</SupportedBackend>
</OpDef>
<OpDef>
<Name>SumAxes</Name>
<Description><Content>reduce over a tensor param</Content></Description>
<Input><Name>x</Name><Mandatory>true</Mandatory><Datatype>{F32}</Datatype>
  <Shape><Rank>ND</Rank></Shape></Input>
<Output><Name>y</Name><Mandatory>true</Mandatory><Datatype>{F32}</Datatype>
  <Shape><Rank>ND</Rank><Text>= reduce(x, axes, keep_dims)</Text></Shape></Output>
<Parameter><Name>axes</Name><Mandatory>true</Mandatory><Datatype>QNN_DATATYPE_INT_32</Datatype>
  <Shape><Rank>1D</Rank></Shape></Parameter>
<Parameter><Name>keep_dims</Name><Mandatory>false</Mandatory><Datatype>QNN_DATATYPE_BOOL_8</Datatype>
  <Shape><Rank>SCALAR</Rank></Shape><Default>false</Default></Parameter>
<SupportedBackend>{backend}</SupportedBackend>
</OpDef>
"""

# Kernels that write ones into the first output (the point is that the op ran).
CPU_KERNEL = """#include "ops/{op}.hpp"
namespace {pkg} {{
namespace {op} {{
Qnn_ErrorHandle_t execute(const Op& op) {{
  float* out = op.{out}.data<float>();
  for (size_t i = 0; i < op.{out}.numElements(); ++i) out[i] = 1.0f;
  return QNN_SUCCESS;
}}
}}  // namespace {op}
}}  // namespace {pkg}
"""
GPU_KERNEL = """__kernel void {op}({args}) {{
  {out}[get_global_id(0)] = 1.0f;
}}
"""
HTP_BODY = """  (void)a;
  (void)b;
  for (Idx i = 0; i < {out}.dim(0); ++i)
    for (Idx j = 0; j < {out}.dim(1); ++j)
      for (Idx k = 0; k < {out}.dim(2); ++k)
        for (Idx l = 0; l < {out}.dim(3); ++l) {out}(i, j, k, l) = 1.0f;
  return GraphStatus::Success;
}}
"""
BACKENDS = ("CPU", "GPU", "HTP")


def config_text(backend: str) -> str:
    ops = OPS.format(F32=F32, F16=F16, backend=backend)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<OpDefCollection PackageName="Rule{backend}Pkg" Domain="test" Version="1.0">\n'
        f"<OpDefList>{ops}</OpDefList>\n</OpDefCollection>\n"
    )


def _write_kernels(backend: str, package: Path, pkg: str) -> None:
    ops = package / "src" / "ops"
    if backend == "CPU":
        (ops / "AddB.cpp").write_text(CPU_KERNEL.format(op="AddB", pkg=pkg, out="y"))
    elif backend == "GPU":
        args = "__global const float* a, __global const float* b, __global float* y"
        (ops / "AddB.cl").write_text(GPU_KERNEL.format(op="AddB", args=args, out="y"))
    else:
        source = (ops / "AddB.cpp").read_text()
        # The skeleton's body, from its first `(void)` to the end of the function.
        body = re.compile(r"  \(void\)y;.*?return GraphStatus::ErrorUnsupported;\n}\n", re.S)
        source, n = body.subn(HTP_BODY.format(out="y"), source)
        assert n == 1, source
        (ops / "AddB.cpp").write_text(source)


def _build(backend: str, root: Path) -> Path:
    config = root / f"Rule{backend}.xml"
    config.write_text(config_text(backend), encoding="utf-8")
    generate(opgen.load_packages([config]), root)
    pkg = f"Rule{backend}Pkg"
    package = root / pkg
    _write_kernels(backend, package, pkg)
    if backend == "CPU":
        return build_package(package)
    if backend == "GPU":
        return build_package(package, target="gpu_x86")
    return build_htp(package)


@pytest.fixture(scope="session", params=BACKENDS)
def ruled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    backend: str = request.param
    if backend == "GPU":
        try:
            select_device()
        except PackageLoadError as exc:
            pytest.skip(str(exc))
    library = _build(backend, tmp_path_factory.mktemp(f"rules_{backend.lower()}"))
    with register(f"{library}:Rule{backend}PkgInterfaceProvider:{backend}") as package:
        yield package


def _validate(
    package: OpPackage, op: str, inputs: list[Any], outputs: list[Any], **params: Any
) -> None:
    package.validate(package.request(op, inputs, params, outputs))


def _rejected(
    package: OpPackage, op: str, inputs: list[Any], outputs: list[Any], **params: Any
) -> str:
    with pytest.raises(OpPackageError) as caught:
        _validate(package, op, inputs, outputs, **params)
    error = caught.value
    assert error.op == op
    assert error.stage == "validateOpConfig"
    assert error.log, "the package logged no reason"
    text = "\n".join(error.log)
    assert op in text
    return text


def f32(*shape: int) -> np.ndarray:
    return np.zeros(shape, np.float32)


def test_correct_configs_pass(ruled: Any) -> None:
    _validate(ruled, "AddB", [f32(1, 2, 1, 3), f32(1, 1, 4, 1)], [((1, 2, 4, 3), np.float32)])
    _validate(ruled, "LastK", [f32(1, 1, 2, 5)], [((1, 1, 2, 3), np.float32)], k=3)
    _validate(
        ruled, "LastK", [f32(1, 1, 2, 5).astype(np.float16)], [((1, 1, 2, 5), np.float16)], k=5
    )
    _validate(ruled, "Fold", [f32(2, 1, 8, 3)], [((2, 1, 2, 12), np.float32)])
    _validate(ruled, "Fold", [f32(2, 1, 8, 3)], [((2, 1, 2, 13), np.float32)], pad=1)
    _validate(
        ruled, "SumAxes", [f32(1, 2, 3, 4)], [((1, 3, 4), np.float32)], axes=np.array([1], np.int32)
    )
    _validate(
        ruled,
        "SumAxes",
        [f32(1, 2, 3, 4)],
        [((1, 1, 3, 1), np.float32)],
        axes=np.array([1, -1], np.int32),
        keep_dims=True,
    )


def test_correct_config_executes(ruled: Any) -> None:
    (y,) = ruled.execute(
        "AddB", [f32(1, 2, 1, 3), f32(1, 1, 4, 1)], outputs=[((1, 2, 4, 3), np.float32)]
    )
    np.testing.assert_array_equal(y, np.ones((1, 2, 4, 3), np.float32))


def test_output_dims_contradicting_broadcast(ruled: Any) -> None:
    text = _rejected(
        ruled, "AddB", [f32(1, 2, 1, 3), f32(1, 1, 4, 1)], [((1, 2, 1, 3), np.float32)]
    )
    assert "'y'" in text and "= broadcast(a, b)" in text
    assert "4" in text and "1" in text


def test_inputs_that_cannot_broadcast(ruled: Any) -> None:
    text = _rejected(
        ruled, "AddB", [f32(1, 1, 2, 3), f32(1, 1, 4, 3)], [((1, 1, 4, 3), np.float32)]
    )
    assert "= broadcast(a, b)" in text


def test_output_dims_contradicting_with(ruled: Any) -> None:
    text = _rejected(ruled, "LastK", [f32(1, 1, 2, 5)], [((1, 1, 2, 4), np.float32)], k=3)
    assert "'values'" in text and "= with(x, -1, k)" in text
    assert re.search(r"\b3\b", text) and re.search(r"\b4\b", text)


def test_output_dtype_contradicting_the_dtype_rule(ruled: Any) -> None:
    text = _rejected(ruled, "LastK", [f32(1, 1, 2, 5)], [((1, 1, 2, 3), np.float16)], k=3)
    assert "'values'" in text and "= like(x)" in text
    assert "FLOAT_16" in text and "FLOAT_32" in text


def test_require_over_a_scalar_param(ruled: Any) -> None:
    text = _rejected(ruled, "LastK", [f32(1, 1, 2, 5)], [((1, 1, 2, 7), np.float32)], k=7)
    assert "require le(k, x.shape[-1])" in text
    assert "7" in text and "5" in text


def test_require_divisible_on_a_pattern_name(ruled: Any) -> None:
    text = _rejected(ruled, "Fold", [f32(2, 1, 6, 3)], [((2, 1, 1, 12), np.float32)])
    assert "require divisible(M, 4)" in text and "6" in text


def test_list_rule_with_arithmetic_and_a_scalar_param(ruled: Any) -> None:
    text = _rejected(ruled, "Fold", [f32(2, 1, 8, 3)], [((2, 1, 2, 12), np.float32)], pad=2)
    assert "'y'" in text and "= [B, H, M // 4, K * 4 + pad]" in text
    assert "14" in text and "12" in text


def test_reduce_over_a_tensor_param(ruled: Any) -> None:
    text = _rejected(
        ruled, "SumAxes", [f32(1, 2, 3, 4)], [((1, 2, 4), np.float32)], axes=np.array([1], np.int32)
    )
    assert "= reduce(x, axes, keep_dims)" in text


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint32, np.int8], ids=str)
def test_integer_tensor_params_of_any_width(ruled: Any, dtype: Any) -> None:
    axes = np.array([1, 3], dtype)
    _validate(ruled, "SumAxes", [f32(1, 2, 3, 4)], [((1, 3), np.float32)], axes=axes)
    _rejected(ruled, "SumAxes", [f32(1, 2, 3, 4)], [((1, 4), np.float32)], axes=axes)


@pytest.mark.parametrize(
    "datatype", ["QNN_DATATYPE_INT_32", "QNN_DATATYPE_UINT_32", "QNN_DATATYPE_INT_8"]
)
def test_integer_scalar_params_of_any_width(ruled: Any, datatype: str) -> None:
    # INT_64 scalars need an SDK whose Qnn_Scalar_t carries them (tests/shapes cover that).
    request = ruled.request(
        "Fold",
        [f32(2, 1, 8, 3)],
        {"pad": 1},
        [((2, 1, 2, 13), np.float32)],
        param_types={"pad": datatype},
    )
    ruled.validate(request)
    request = ruled.request(
        "Fold",
        [f32(2, 1, 8, 3)],
        {"pad": 2},
        [((2, 1, 2, 13), np.float32)],
        param_types={"pad": datatype},
    )
    with pytest.raises(OpPackageError, match="Fold"):
        ruled.validate(request)
