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
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    copy = tmp_path_factory.mktemp("example_htp") / EXAMPLE_HTP.name
    shutil.copytree(EXAMPLE_HTP, copy, ignore=shutil.ignore_patterns("build"))
    library = build_htp(copy)
    with register(f"{library}:{PROVIDER}:HTP", configs=[CONFIG]) as package:
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
