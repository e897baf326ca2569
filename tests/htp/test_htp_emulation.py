"""opgen's host emulation of the HTP op-writing API, compiled with g++ and clang++ under
-Wall -Wextra -Werror: the semantics the fact sheet states (checked by a small program against
numpy), and the promised one-message refusals for HVX, crouton access and malformed ops."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.htp import htppkg

COMPILERS = ["g++", "clang++"]

SEMANTICS = Path(__file__).resolve().parent / "emulation" / "semantics.cpp"

HALF_SAMPLES = [
    "0", "-0", "1", "0.1", "65504", "65519", "65520", "1e9", "-1e9", "6.1e-5", "5.96e-8", "2.98e-8",
    "2.99e-8", "1e-10", "1.00048828125", "1.00146484375", "nan", "inf", "-inf", "-3.14159",
]  # fmt: skip


def _compiler(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"needs {name}")
    return found


def _compile(
    compiler: str, tmp_path: Path, source: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "unit.cpp"
    path.write_text(source, encoding="utf-8")
    return subprocess.run(
        [_compiler(compiler), *htppkg.FLAGS, *htppkg.includes(), *extra, str(path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.parametrize("compiler", COMPILERS)
def test_semantics(compiler: str, tmp_path: Path) -> None:
    result = _compile(compiler, tmp_path, SEMANTICS.read_text(), "-o", str(tmp_path / "semantics"))
    assert result.returncode == 0, result.stderr
    run = subprocess.run(
        [str(tmp_path / "semantics"), *HALF_SAMPLES], capture_output=True, text=True, check=True
    )
    values: dict[str, list[str]] = {}
    for line in run.stdout.splitlines():
        key, *rest = line.split()
        if key == "half":
            with np.errstate(over="ignore"):
                half = np.array([float(rest[0])], np.float32).astype(np.float16)
            expected = half.view(np.uint16)[0]
            if np.isnan(float(rest[0])):
                assert int(rest[1]) & 0x7FFF > 0x7C00, line
            else:
                assert int(rest[1]) == int(expected), line
        else:
            values[key] = rest
    assert values["sr_u8"] == ["2", "4", "0", "255", "0"]  # round half to even, saturate, NaN -> 0
    assert values["sr_i8"] == ["-128", "-128"]
    assert values["sr_i32"] == ["2147483647", "-2147483648"]
    # 10 + 1.234 / 0.1 = 22.34 -> 22; assignment returns the float given; reads dequantize.
    assert values["q_store"] == ["22", "1.234000", "1.200000"]
    assert values["q_sat"] == ["0", "255"]
    assert values["q_generic"] == ["10", "1.200000", "10"]
    assert values["dso"] == ["1", "0.100", "10"]
    assert values["f16_clamp"] == ["31743", "64511"]  # +-65504, never inf
    assert values["dims"] == ["2", "3", "5", "7", "3", "7", "4", "210"]
    assert values["last"] == ["3.5", "1", "1"]
    assert values["set_dims_same"] == ["0"]
    assert values["set_dims_other"] == ["1", "7"]  # reported, never resized
    assert values["status"] == ["0", "1", "7"]  # operator bool is true on error
    assert values["limits"] == ["31743", "64511", "5120"]
    assert values["errlog"] == ["-1"]
    assert values["costs"] == ["2.81475e+14", "4.29497e+09", "256"]


OP_FILE = """
#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"
BEGIN_PKG_OP_DEFINITION(PKG_Unit);
{body}
END_PKG_OP_DEFINITION(PKG_Unit);
"""

HVX_BODY = """
template <typename T>
GraphStatus hvxImpl(T& out, const T& in) {
  HVX_Vector zero;
  (void)zero;
  (void)out;
  (void)in;
  return GraphStatus::Success;
}
DEF_PACKAGE_OP((hvxImpl<QuantUint8Tensor>), "Hvx")
"""

INTRINSIC_BODY = """
GraphStatus hvxImpl(QuantUint8Tensor& out, const QuantUint8Tensor& in) {
  q6op_vstu_AV(out.get_raw_addr(0, 0, 0, 0), vmemu(in.get_raw_addr(0, 0, 0, 0)));
  return GraphStatus::Success;
}
DEF_PACKAGE_OP(hvxImpl, "Hvx")
"""

CROUTON_BODY = """
GraphStatus croutonImpl(QUint8CroutonTensor& out, const QUint8CroutonTensor& in) {
  out(0, 0, 0, 0) = in(0, 0, 0, 0);
  return GraphStatus::Success;
}
DEF_PACKAGE_OP(croutonImpl, "Crouton")
"""

GUARDED_BODY = """
template <typename T>
GraphStatus reluImpl(T& out, const T& in) {
#ifndef OPGEN_HTP_HOST_EMULATION
  HVX_Vector zero = Q6_Vb_vsplat_R(0);
  (void)zero;
#endif
  auto [b, h, w, d] = in.dims();
  for (Idx i = 0; i < b; i++)
    for (Idx j = 0; j < h; j++)
      for (Idx k = 0; k < w; k++)
        for (Idx c = 0; c < d; c++) out(i, j, k, c) = fmaxf(in(i, j, k, c), 0.0f);
  return GraphStatus::Success;
}
DEF_PACKAGE_OP((reluImpl<QuantUint8Tensor>), "Relu")

// Shapes come from optimization rules only: this compiles and is never chosen on the host.
template <bool Same, typename T>
GraphStatus poolImpl(T& out, const T& in, const TensorShape<4>& window) {
  (void)out;
  (void)in;
  return window.dims()[1] > 0 || Same ? GraphStatus::Success : GraphStatus::ErrorDimensions;
}
DEF_PACKAGE_OP((poolImpl<false, Tensor>), "Pool")
DEF_PACKAGE_OPTIMIZATION(QNN, Op("PoolMax2d", "in", "w"), OK,
                         Op("Pool", "in", gen_Shape(1, 2, 2, 1)))
"""


def _refused(compiler: str, tmp_path: Path, source: str, message: str) -> None:
    result = _compile(compiler, tmp_path, source, "-fsyntax-only")
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if "error: " in line]
    assert len(errors) <= 3, result.stderr  # one message, not a wall of template errors


@pytest.mark.parametrize("compiler", COMPILERS)
@pytest.mark.parametrize("body", [HVX_BODY, INTRINSIC_BODY], ids=["vector", "intrinsic"])
def test_hvx_use_names_the_construct_and_the_guard(
    compiler: str, body: str, tmp_path: Path
) -> None:
    source = OP_FILE.format(body=body)
    _refused(compiler, tmp_path, source, "HVX (HVX_Vector, HVX_VectorPair, HVX_VectorPred")
    _refused(compiler, tmp_path, source, "#ifndef OPGEN_HTP_HOST_EMULATION")


@pytest.mark.parametrize("compiler", COMPILERS)
def test_hvx_headers_name_the_guard(compiler: str, tmp_path: Path) -> None:
    source = '#include "hexagon_protos.h"\n' + OP_FILE.format(body="")
    _refused(compiler, tmp_path, source, "hexagon_protos.h (the HVX intrinsics) is not available")


@pytest.mark.parametrize("compiler", COMPILERS)
def test_crouton_access_names_the_construct_and_the_guard(compiler: str, tmp_path: Path) -> None:
    _refused(
        compiler,
        tmp_path,
        OP_FILE.format(body=CROUTON_BODY),
        "element access t(b,h,w,d) of a crouton (chunked) layout tensor is not emulated",
    )


@pytest.mark.parametrize("compiler", COMPILERS)
def test_guarded_hvx_compiles(compiler: str, tmp_path: Path) -> None:
    result = _compile(compiler, tmp_path, OP_FILE.format(body=GUARDED_BODY), "-fsyntax-only")
    assert result.returncode == 0, result.stderr


NEWER_INTERFACE = """
#include "HTP/QnnHtpCommon.h"
#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"
#include "HTP/core/unique_types.h"
#include "QnnOpPackage.h"

DEFINE_UNIQ_TY()
BEGIN_PKG_OPS_OPTS_LIST()
DECLARE_PKG_OPS_OPTS_LIST(PKG_Relu)
END_PKG_OPS_OPTS_LIST()

INIT_PACKAGE_OP_DEF()
INIT_PACKAGE_OPTIMIZATION_DEF()
INIT_PACKAGE_PARAM_ORDER_DEF()
INIT_PKG_CORE_INIT_FUNC()
LIST_PACKAGE_AXIS_PARAMS()
LIST_PACKAGE_PER_CHANNEL_QUANTIZED_OPS("Relu")

Qnn_ErrorHandle_t NewerInit(QnnOpPackage_GlobalInfrastructure_t infrastructure);
Qnn_ErrorHandle_t NewerInit(QnnOpPackage_GlobalInfrastructure_t infrastructure) {
  (void)infrastructure;
  REGISTER_PACKAGE_PARAM_ORDERS()
  REGISTER_PACKAGE_AXIS_PARAMS()
  REGISTER_PACKAGE_PER_CHANNEL_QUANTIZED_OPS()
  return QNN_SUCCESS;
}
"""


@pytest.mark.parametrize("compiler", COMPILERS)
def test_the_newer_interface_style_compiles(compiler: str, tmp_path: Path) -> None:
    result = _compile(compiler, tmp_path, NEWER_INTERFACE, "-fsyntax-only", "-DTHIS_PKG_NAME=New")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "GraphStatus f(PlainFloatTensor out, const PlainFloatTensor& in) { (void)out; (void)in;"
            ' return GraphStatus::Success; }\nDEF_PACKAGE_OP(f, "F")',
            "every argument of an op function is a reference",
        ),
        (
            "GraphStatus f(const Tensor& in, Tensor& out) { (void)out; (void)in;"
            ' return GraphStatus::Success; }\nDEF_PACKAGE_OP(f, "F")',
            "outputs (non-const references) come before inputs",
        ),
        (
            "GraphStatus f(Tensor& out, const float& in) { (void)out; (void)in;"
            ' return GraphStatus::Success; }\nDEF_PACKAGE_OP(f, "F")',
            "op function arguments are HTP tensor types",
        ),
        ('DEF_PACKAGE_PARAM_ORDER("F", "a", true)', "takes one or more triples"),
    ],
    ids=["by-value", "outputs-last", "not-a-tensor", "param-order"],
)
def test_malformed_ops_get_one_message(body: str, message: str, tmp_path: Path) -> None:
    _refused("g++", tmp_path, OP_FILE.format(body=body), message)


HEADERS = sorted(p.name for p in (htppkg.EMULATION / "HTP" / "core").glob("*.h"))


@pytest.mark.parametrize("compiler", COMPILERS)
def test_every_header_compiles_on_its_own(compiler: str, tmp_path: Path) -> None:
    sources = []
    for header in HEADERS:
        source = tmp_path / f"{header[:-2]}.cpp"
        source.write_text(f'#include "HTP/core/{header}"\n#include "HTP/core/{header}"\n')
        sources.append(str(source))
    result = subprocess.run(
        [_compiler(compiler), *htppkg.FLAGS, *htppkg.includes(), "-fsyntax-only", *sources],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert len(HEADERS) >= 20
