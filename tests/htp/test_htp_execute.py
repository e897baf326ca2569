"""The runtime runs the hand-written HTP test package (built against opgen's emulation) on numpy
arrays and agrees with numpy: several shapes (1x1x1x1, ranks 1-4, sizes not multiples of 8, 32
or 128), float32, float16 and quantized uint8/int8 (within one quantization step), registration
choice, param order and defaults, axis params, cost functions."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from opgen.runtime import HtpOpPackage, Quant, register
from opgen.runtime.htp import HtpFp16OpPackage

SHAPES = [(1, 1, 1, 1), (7,), (3, 5), (2, 3, 9), (1, 3, 5, 33), (2, 1, 3, 129)]
RNG = np.random.default_rng(8)


def _random(shape: tuple[int, ...], dtype: Any = np.float32) -> npt.NDArray[Any]:
    return RNG.uniform(-3, 3, size=shape).astype(dtype)


def _quantize(x: npt.NDArray[Any], scale: float, offset: int, dtype: Any) -> npt.NDArray[Any]:
    info = np.iinfo(dtype)
    return np.clip(np.rint(x / scale - offset), info.min, info.max).astype(dtype)


def _dequantize(q: npt.NDArray[Any], scale: float, offset: int) -> npt.NDArray[np.float64]:
    return scale * (q.astype(np.float64) + offset)


def _ran(htp: HtpOpPackage, function: str) -> bool:
    """The debug message the op logs names the tensor type it was called with."""
    return any(function in m for m in htp.messages)


@pytest.mark.parametrize("shape", SHAPES)
def test_relu_float32_uses_the_plain_float_registration(
    htp: HtpOpPackage, shape: tuple[int, ...]
) -> None:
    x = _random(shape)
    (y,) = htp.execute("Relu", [x])
    assert y.shape == x.shape and y.dtype == np.float32
    np.testing.assert_array_equal(y, np.maximum(x, 0))
    assert _ran(htp, "relu execute (ff)")  # SNAIL beats the generic Tensor's GLACIAL


@pytest.mark.parametrize("shape", SHAPES)
def test_relu_quantized_uint8_within_one_step(htp: HtpOpPackage, shape: tuple[int, ...]) -> None:
    scale, offset = 0.03, -117
    x = _random(shape)
    q = _quantize(x, scale, offset, np.uint8)
    quant = {"in[0]": (scale, offset), "out[0]": (scale, offset)}
    (y,) = htp.execute("Relu", [q], quant=quant)
    expected = np.maximum(_dequantize(q, scale, offset), 0)
    assert np.all(np.abs(_dequantize(y, scale, offset) - expected) <= scale + 1e-6)
    assert _ran(htp, "relu execute (fB)")  # the QuantUint8Tensor registration (FAST)


def test_relu_uint8_requantizes_to_another_encoding(htp: HtpOpPackage) -> None:
    x = _random((2, 3, 37))
    q = _quantize(x, 0.03, -100, np.uint8)
    (y,) = htp.execute("Relu", [q], quant={"in[0]": (0.03, -100), "out[0]": (0.015, 0)})
    expected = np.maximum(_dequantize(q, 0.03, -100), 0)
    assert np.all(np.abs(_dequantize(y, 0.015, 0) - np.minimum(expected, 255 * 0.015)) <= 0.015)


@pytest.mark.parametrize("dtype", [np.int8, np.float16])
def test_relu_falls_back_to_the_generic_tensor(htp: HtpOpPackage, dtype: Any) -> None:
    x = _random((3, 11), np.float32)
    quant = {}
    if dtype is np.int8:
        arg = _quantize(x, 0.05, 3, np.int8)
        quant = {"in[0]": (0.05, 3), "out[0]": (0.05, 3)}
        expected = np.maximum(_dequantize(arg, 0.05, 3), 0)
        step = 0.05
    else:
        arg = x.astype(np.float16)
        expected = np.maximum(arg.astype(np.float64), 0)
        step = 0.0
    (y,) = htp.execute("Relu", [arg], quant=quant)
    got = _dequantize(y, 0.05, 3) if dtype is np.int8 else y.astype(np.float64)
    assert np.all(np.abs(got - expected) <= step + 1e-6)
    assert _ran(htp, "relu execute (fb)" if dtype is np.int8 else "relu execute (fe)")


def _softmax(x: npt.NDArray[Any], beta: float) -> npt.NDArray[np.float64]:
    z = beta * (x.astype(np.float64) - x.max(axis=-1, keepdims=True))
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("shape", SHAPES)
def test_softmax_default_beta_over_the_last_axis(htp: HtpOpPackage, shape: tuple[int, ...]) -> None:
    x = _random(shape)
    (y,) = htp.execute("Softmax", [x])
    np.testing.assert_allclose(y, _softmax(x, 1.0), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("beta", [0.5, 2.0])
def test_softmax_beta(htp: HtpOpPackage, beta: float) -> None:
    x = _random((2, 5, 31))
    (y,) = htp.execute("Softmax", [x], {"beta": beta})
    np.testing.assert_allclose(y, _softmax(x, beta), rtol=1e-5, atol=1e-6)


def test_softmax_quantized_output(htp: HtpOpPackage) -> None:
    x = _random((4, 9))
    q = _quantize(x, 0.05, 0, np.int8)
    (y,) = htp.execute(
        "Softmax",
        [q],
        outputs=[(q.shape, np.uint8)],
        quant={"in[0]": (0.05, 0), "out[0]": (1 / 255, 0)},
    )
    expected = _softmax(_dequantize(q, 0.05, 0), 1.0)
    assert np.all(np.abs(y / 255.0 - expected) <= 1 / 255 + 1e-6)


@pytest.mark.parametrize("shape", SHAPES)
def test_requant_writes_the_outputs_own_encoding(htp: HtpOpPackage, shape: tuple[int, ...]) -> None:
    scale, offset = 0.025, -128
    x = _random(shape)
    (y,) = htp.execute(
        "Requant", [x], outputs=[(x.shape, np.uint8)], quant={"out[0]": (scale, offset)}
    )
    expected = np.clip(x, scale * (0 + offset), scale * (255 + offset))
    assert np.all(np.abs(_dequantize(y, scale, offset) - expected) <= scale / 2 + 1e-6)


def test_requant_rounds_half_to_even_and_saturates(htp: HtpOpPackage) -> None:
    x = np.array([0.5, 1.5, 2.5, -0.5, 300.0, -300.0], np.float32)
    (y,) = htp.execute("Requant", [x], outputs=[(x.shape, np.uint8)], quant={"out[0]": (1.0, -10)})
    assert y.tolist() == [10, 12, 12, 10, 255, 0]


@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (3, 17), (2, 2, 65)])
def test_float16(htp: HtpOpPackage, shape: tuple[int, ...]) -> None:
    x = _random(shape, np.float16)
    (y,) = htp.execute("HalfScale", [x], {"factor": 3.0})
    assert y.dtype == np.float16
    np.testing.assert_array_equal(y, (x.astype(np.float32) * 3.0).astype(np.float16))


def test_every_param_kind_with_defaults(htp: HtpOpPackage) -> None:
    x = _random((2, 9))
    t = np.array([1, 2, 3], np.int32)
    (y,) = htp.execute("ParamZoo", [x], {"t": t, "f": 1.5})  # order differs from the param order
    np.testing.assert_allclose(y, x * 1.5 + (-3 + 7 + 0 + 6), rtol=1e-6)
    (y,) = htp.execute("ParamZoo", [x], {"f": 2.0, "i": 10, "u": 1, "b": True, "t": t})
    np.testing.assert_allclose(y, x * 2 + (10 + 1 + 100 + 6), rtol=1e-6)


def test_an_optional_param_without_default_selects_by_arity(htp: HtpOpPackage) -> None:
    x = _random((3, 3))
    t = np.array([0], np.int32)
    (y,) = htp.execute("ParamZoo", [x], {"f": 1.0, "t": t, "extra": 0.25})
    np.testing.assert_allclose(y, x + 4 + 0.25, rtol=1e-6)


def test_unlisted_params_are_dropped(htp: HtpOpPackage) -> None:
    x = _random((2, 4))
    (y,) = htp.execute("Softmax", [x], {"beta": 1.0, "axis": 3})
    np.testing.assert_allclose(y, _softmax(x, 1.0), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("shape", [(6,), (2, 5), (3, 1, 4), (2, 3, 4, 5)])
def test_axis_params_follow_backfilling(htp: HtpOpPackage, shape: tuple[int, ...]) -> None:
    x = _random(shape)
    for axis in range(-len(shape), len(shape)):
        out_shape = list(shape)
        out_shape[axis] = 1
        (y,) = htp.execute(
            "ReduceSum", [x], {"axis": axis}, outputs=[(tuple(out_shape), np.float32)]
        )
        np.testing.assert_allclose(y, x.sum(axis=axis, keepdims=True), rtol=1e-5, atol=1e-5)


def test_a_cost_function_decides(htp: HtpOpPackage) -> None:
    (narrow,) = htp.execute("Pick", [np.zeros((2, 4), np.float32)])
    (wide,) = htp.execute("Pick", [np.zeros((2, 5), np.float32)])
    assert set(narrow.ravel()) == {2.0}  # the cost function says 1.0 < SNAIL
    assert set(wide.ravel()) == {1.0}  # 1e12 > SNAIL


def test_registry(htp: HtpOpPackage) -> None:
    registry = htp.registry
    assert registry.package_name == "TestHtpPkg"
    assert [r.function for r in registry.for_op("Relu")] == [
        "reluImpl<Tensor>",
        "reluImpl<PlainFloatTensor>",
        "reluImpl<QuantUint8Tensor>",
        "reluImpl<F16CroutonTensor>",
    ]
    assert registry.for_op("Relu")[0].cost == 2.0**48
    assert registry.for_op("Relu")[0].flags == 1 << 2  # DEF_PACKAGE_OP: RESOURCE_HVX
    assert registry.for_op("Relu")[2].flags == 0  # an empty flag list
    assert registry.ignored_rules == 4
    assert registry.axis_params == {"axis"}
    assert registry.empty_declarations == ("PKG_NotWritten",)
    order = registry.param_orders["ParamZoo"]
    assert [(e.name, e.mandatory) for e in order] == [
        ("f", True),
        ("i", False),
        ("u", False),
        ("b", False),
        ("t", True),
        ("extra", False),
    ]
    assert [getattr(e.default, "value", None) for e in order] == [None, -3, 7, False, None, None]
    assert registry.param_orders["Softmax"][0].default.value == 1.0  # type: ignore[union-attr]


def test_two_packages_in_one_process(htp: HtpOpPackage, htp_clang_library: Any) -> None:
    from tests.htp import htppkg

    with HtpOpPackage.register(htppkg.spec(htp_clang_library)) as other:
        assert other.registry.package_name == "TestHtpPkgClang"
        x = _random((3, 7))
        (a,) = htp.execute("Softmax", [x])
        (b,) = other.execute("Softmax", [x])
        np.testing.assert_allclose(a, b, rtol=1e-6)
        (q,) = other.execute(
            "Relu", [np.arange(5, dtype=np.uint8)], quant={"in[0]": (1.0, -2), "out[0]": (1.0, -2)}
        )
        assert q.tolist() == [2, 2, 2, 3, 4]


def test_htp_fp16_runs_float32_graphs_through_float16_ops(htp_library: Any) -> None:
    from tests.htp import htppkg

    spec = htppkg.spec(htp_library).replace(":HTP", ":HTP_FP16")
    with register(spec) as fp16:
        assert isinstance(fp16, HtpFp16OpPackage) and fp16.info.target == "HTP_FP16"
        x = _random((2, 3, 33))
        (y,) = fp16.execute("HalfScale", [x], {"factor": 3.0})  # only a PlainFloat16Tensor op
        assert y.dtype == np.float32
        expected = (x.astype(np.float16).astype(np.float32) * 3.0).astype(np.float16)
        np.testing.assert_array_equal(y, expected.astype(np.float32))
        (r,) = fp16.execute("Relu", [x])
        np.testing.assert_array_equal(r, np.maximum(x.astype(np.float16), 0).astype(np.float32))
        assert _ran(fp16, "relu execute (fe)")


def test_configs_next_to_an_htp_build_are_found(htp_library: Path, tmp_path: Path) -> None:
    from tests.htp import htppkg

    build = tmp_path / "TestHtpPkg" / "build" / "x86_64-linux-clang"
    build.mkdir(parents=True)
    shutil.copy(htp_library, build / htp_library.name)
    (tmp_path / "TestHtpPkg" / "config").mkdir()
    shutil.copy(htppkg.SOURCE / "config" / "TestHtpPkg.xml", tmp_path / "TestHtpPkg" / "config")
    with register(htppkg.spec(build / htp_library.name)) as found:
        assert found.declaration("Relu") is not None
        x = np.array([1, 9], np.uint8)
        (y,) = found.execute("Relu", [x], quant={"x": Quant(0.5, -4), "y": Quant(0.5, -4)})
        assert y.tolist() == [4, 9]


@pytest.mark.parametrize("shape", [(1,), (3, 43), (2, 2, 2, 16)])
def test_buffers_are_aligned_and_padded_to_whole_vectors(
    htp: HtpOpPackage, shape: tuple[int, ...]
) -> None:
    x = _random(shape).astype(np.float16)
    (y,) = htp.execute("Aligned", [x])
    np.testing.assert_array_equal(y, x)
