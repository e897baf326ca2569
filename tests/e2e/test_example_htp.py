"""The implemented example HTP package, built once against the emulation, run through the
runtime's HTP executor against numpy (quantized results within one quantization step), plus an
unimplemented skeleton's "not implemented" status."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import opgen
from opgen.generate import generate
from opgen.runtime import OpPackageError, register
from tests import factories as f
from tests.conftest import ROOT
from tests.generate.htp_harness import build_htp, every_kind_config

if importlib.util.find_spec("opgen.runtime.htp") is None:
    pytest.skip(
        "the runtime's HTP executor (opgen.runtime.htp) is not in this tree",
        allow_module_level=True,
    )

EXAMPLE_HTP = ROOT / "examples" / "htp" / "ExampleHtpOpPackage"
CONFIG = ROOT / "examples" / "htp" / "ExampleHtpOpPackage.xml"
PROVIDER = "ExampleHtpOpPackageInterfaceProvider"
# 1x1x1x1, and shapes whose sizes are not multiples of 8, 32 or 128.
SHAPES = [(1, 1, 1, 1), (1, 3, 5, 7), (2, 1, 9, 33), (1, 2, 2, 129)]


@pytest.fixture(scope="module")
def example(example_htp_library: Path) -> Iterator[Any]:
    with register(f"{example_htp_library}:{PROVIDER}:HTP", configs=[CONFIG]) as package:
        yield package


def quantize(x: np.ndarray, scale: float, offset: int) -> np.ndarray:
    """QNN's convention: real = scale * (q + offset)."""
    return np.clip(np.rint(x / scale) - offset, 0, 255).astype(np.uint8)


def dequantize(q: np.ndarray, scale: float, offset: int) -> np.ndarray:
    return scale * (q.astype(np.float64) + offset)


def softmax(x: np.ndarray, beta: float = 1.0) -> np.ndarray:
    z = beta * x.astype(np.float64)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_relu_float(example: Any, shape: tuple[int, ...]) -> None:
    x = np.random.default_rng(1).normal(size=shape).astype(np.float32)
    (y,) = example.execute("Relu", [x])
    np.testing.assert_array_equal(y, np.maximum(x, 0))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("out_quant", [(0.05, -128), (0.02, -10)], ids=["same", "own"])
def test_relu_quantized(example: Any, shape: tuple[int, ...], out_quant: tuple[float, int]) -> None:
    in_quant = (0.05, -128)
    x = np.random.default_rng(2).normal(size=shape) * 3
    q = quantize(x, *in_quant)
    (y,) = example.execute(
        "Relu", [q], outputs=[(shape, np.uint8)], quant={"in[0]": in_quant, "out[0]": out_quant}
    )
    assert y.dtype == np.uint8
    expected = quantize(np.maximum(dequantize(q, *in_quant), 0), *out_quant)
    assert np.abs(y.astype(int) - expected).max() <= 1  # within one quantization step


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_softmax_over_the_last_axis_with_the_default_beta(
    example: Any, shape: tuple[int, ...]
) -> None:
    x = np.random.default_rng(3).normal(size=shape).astype(np.float32) * 4
    (y,) = example.execute("Softmax", [x])
    np.testing.assert_allclose(y, softmax(x), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_softmax_beta(example: Any, beta: float) -> None:
    x = np.random.default_rng(4).normal(size=(1, 2, 3, 10)).astype(np.float32)
    (y,) = example.execute("Softmax", [x], {"beta": beta})
    np.testing.assert_allclose(y, softmax(x, beta), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_sigmoid_quantizes_with_the_outputs_own_scale_and_offset(
    example: Any, shape: tuple[int, ...]
) -> None:
    out_quant = (1.0 / 256, 0)
    x = np.random.default_rng(5).normal(size=shape).astype(np.float32) * 3
    (y,) = example.execute("Sigmoid", [x], outputs=[(shape, np.uint8)], quant={"out[0]": out_quant})
    expected = quantize(1.0 / (1.0 + np.exp(-x.astype(np.float64))), *out_quant)
    assert np.abs(y.astype(int) - expected).max() <= 1


def test_sigmoid_of_a_quantized_input(example: Any) -> None:
    in_quant, out_quant = (0.1, -128), (1.0 / 256, 0)
    q = np.arange(256, dtype=np.uint8).reshape(1, 1, 4, 64)
    (y,) = example.execute(
        "Sigmoid",
        [q],
        outputs=[(q.shape, np.uint8)],
        quant={"in[0]": in_quant, "out[0]": out_quant},
    )
    expected = quantize(1.0 / (1.0 + np.exp(-dequantize(q, *in_quant))), *out_quant)
    assert np.abs(y.astype(int) - expected).max() <= 1


def test_an_unimplemented_skeleton_reports_it(tmp_path: Path) -> None:
    generate(opgen.load_packages([every_kind_config(tmp_path)]), tmp_path / "out")
    library = build_htp(tmp_path / "out" / "HtpParams")
    x = np.zeros((1, 1, 1, 4), np.float32)
    with (
        register(
            f"{library}:HtpParamsInterfaceProvider:HTP", configs=[tmp_path / "HtpParams.xml"]
        ) as package,
        pytest.raises(OpPackageError, match=r"ErrorUnsupported") as caught,
    ):
        package.execute("Plain", [x])
    assert "Plain" in str(caught.value) and "HtpParams" in str(caught.value)


# A Relu op file written by hand the way the vendor's documentation teaches: its own
# registration name, an int-returning template, a rule, a debug log. It must drop into the
# generated package unchanged.
VENDOR_STYLE_RELU = r"""
#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"

BEGIN_PKG_OP_DEFINITION(PKG_Relu);

template <typename T_Ttype>
int reluImpl(T_Ttype& out, const T_Ttype& in);

DEF_PACKAGE_OP((reluImpl<Tensor>), "Relu")
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((reluImpl<PlainFloatTensor>), "Relu", SNAIL, Flags::RESOURCE_HVX)

DEF_PACKAGE_OPTIMIZATION(EARLY + 1, Op("Relu", "X"), IS_QUINT8("X"),
                         Op("ReluMinMax", "X", gen_ConstScalar_f32(0.0f), gen_ConstScalar_f32(INF)))

template <typename T_Ttype>
int reluImpl(T_Ttype& out, const T_Ttype& in) {
  debuglog("relu on %zux%zux%zux%zu", in.dim(0), in.dim(1), in.dim(2), in.dim(3));
  out.set_dims(in);
  auto [b_in, h_in, w_in, d_in] = in.dims();
  for (Idx b = 0; b < b_in; b++) {
    for (Idx h = 0; h < h_in; h++) {
      for (Idx w = 0; w < w_in; w++) {
        for (Idx d = 0; d < d_in; d++) {
          float value = in(b, h, w, d);
          out(b, h, w, d) = fmaxf(value, 0.0f);
        }
      }
    }
  }
  return GraphStatus::Success;
}

END_PKG_OP_DEFINITION(PKG_Relu);
"""


def test_a_vendor_style_op_file_drops_in_unchanged(tmp_path: Path) -> None:
    package = tmp_path / EXAMPLE_HTP.name
    shutil.copytree(EXAMPLE_HTP, package, ignore=shutil.ignore_patterns("build"))
    (package / "src" / "ops" / "Relu.cpp").write_text(VENDOR_STYLE_RELU)
    library = build_htp(package)
    x = np.random.default_rng(6).normal(size=(1, 3, 3, 5)).astype(np.float32)
    with register(f"{library}:{PROVIDER}:HTP", configs=[CONFIG]) as vendor_style:
        (y,) = vendor_style.execute("Relu", [x])
    np.testing.assert_array_equal(y, np.maximum(x, 0))


FP16_KERNEL = """
  auto [bs, hs, ws, ds] = in_0.dims();
  for (Idx b = 0; b < bs; b++)
    for (Idx h = 0; h < hs; h++)
      for (Idx w = 0; w < ws; w++)
        for (Idx d = 0; d < ds; d++) out_0(b, h, w, d) = std::fmax(float(in_0(b, h, w, d)), 0.0f);
  return GraphStatus::Success;
}
"""


def test_an_fp16_package_runs_on_flat_fp16_tensors(tmp_path: Path) -> None:
    f16 = ("QNN_DATATYPE_FLOAT_16", "QNN_DATATYPE_FLOAT_32")
    op = f.op(
        "Relu",
        "HTP_FP16",
        inputs=[f.tensor("Input", "in[0]", f16, "4D")],
        outputs=[f.tensor("Output", "out[0]", f16, "4D")],
    )
    config = f.write(tmp_path, "fp16.xml", f.config("Fp16Pkg", [op]))
    generate(opgen.load_packages([config]), tmp_path / "out")
    package = tmp_path / "out" / "Fp16Pkg"
    source = package / "src" / "ops" / "Relu.cpp"
    text = source.read_text()
    start = text.index("  //\n  // Add code here")
    end = text.index("}\n", text.index("return GraphStatus::ErrorUnsupported;")) + 2
    source.write_text("#include <cmath>\n" + text[:start] + FP16_KERNEL + text[end:])
    library = build_htp(package)
    x = np.array([[[[-1.5, 2.25, 0.0, 65504.0, -3.0]]]], np.float16)
    with register(f"{library}:Fp16PkgInterfaceProvider:HTP") as flat:
        (y,) = flat.execute("Relu", [x])
    assert y.dtype == np.float16
    np.testing.assert_array_equal(y, np.maximum(x, 0))
    # As the device runs it: a float32 graph in relaxed precision reaches the same registration.
    x32 = np.random.default_rng(7).normal(size=(1, 2, 3, 9)).astype(np.float32)
    with register(f"{library}:Fp16PkgInterfaceProvider:HTP_FP16", configs=[config]) as relaxed:
        (y32,) = relaxed.execute("Relu", [x32])
    assert y32.dtype == np.float32
    np.testing.assert_array_equal(y32, np.maximum(x32.astype(np.float16), 0).astype(np.float32))
