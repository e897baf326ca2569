"""The implemented example CPU package, built once, run through the runtime against numpy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from opgen.runtime import CpuOpPackage, OpPackageError, register

SHAPES = [(1,), (7,), (3, 5), (2, 3, 4), (2, 1, 3, 8)]


@pytest.fixture(scope="module")
def example(example_cpu_library: Path) -> Iterator[CpuOpPackage]:
    with register(str(example_cpu_library)) as package:
        assert isinstance(package, CpuOpPackage)
        yield package


def softmax(x: np.ndarray, axis: int = -1, beta: float = 1.0) -> np.ndarray:
    z = beta * x.astype(np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("dtype", [np.float32, np.int8, np.int16, np.int32, np.uint8], ids=str)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_relu(example: CpuOpPackage, dtype: type, shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(1)
    x = rng.integers(-50, 50, size=shape).astype(dtype)
    if dtype is np.float32:
        x = x + rng.random(shape).astype(np.float32)
    (y,) = example.execute("Relu", [x])
    assert y.dtype == x.dtype and y.shape == shape
    np.testing.assert_array_equal(y, np.maximum(x, 0).astype(dtype))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_softmax_defaults_to_the_last_axis(example: CpuOpPackage, shape: tuple[int, ...]) -> None:
    x = np.random.default_rng(2).normal(size=shape).astype(np.float32) * 4
    (y,) = example.execute("Softmax", [x])
    np.testing.assert_allclose(y, softmax(x), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize(("axis", "beta"), [(0, 1.0), (1, 0.5), (-2, 2.0), (2, 1.0)])
def test_softmax_axis_and_beta(example: CpuOpPackage, axis: int, beta: float) -> None:
    x = np.random.default_rng(3).normal(size=(3, 4, 5)).astype(np.float32)
    (y,) = example.execute("Softmax", [x], {"axis": axis, "beta": beta})
    np.testing.assert_allclose(y, softmax(x, axis, beta), rtol=1e-5, atol=1e-7)


def test_softmax_is_stable_for_large_inputs(example: CpuOpPackage) -> None:
    x = np.array([[1000.0, 1001.0, 999.0]], np.float32)
    (y,) = example.execute("Softmax", [x])
    assert np.isfinite(y).all()
    np.testing.assert_allclose(y, softmax(x), rtol=1e-5)


def test_softmax_rejects_an_axis_out_of_range(example: CpuOpPackage) -> None:
    with pytest.raises(OpPackageError, match=r"axis 5 is out of range for rank 2"):
        example.execute("Softmax", [np.zeros((2, 3), np.float32)], {"axis": 5})


def topk(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    # Stable sort of -x: largest first, ties keep the lower index first.
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, order, axis=-1), order.astype(np.int32)


@pytest.mark.parametrize(("shape", "k"), [((5,), 1), ((5,), 5), ((3, 8), 3), ((2, 2, 6), 4)])
def test_topk(example: CpuOpPackage, shape: tuple[int, ...], k: int) -> None:
    x = np.random.default_rng(4).normal(size=shape).astype(np.float32)
    out_shape = (*shape[:-1], k)
    values, indices = example.execute(
        "TopK", [x], {"k": k}, [(out_shape, np.float32), (out_shape, np.int32)]
    )
    expected_values, expected_indices = topk(x, k)
    np.testing.assert_array_equal(values, expected_values)
    np.testing.assert_array_equal(indices, expected_indices)


def test_topk_ties_go_to_the_lower_index(example: CpuOpPackage) -> None:
    x = np.array([[1.0, 3.0, 3.0, 2.0, 3.0]], np.float32)
    values, indices = example.execute(
        "TopK", [x], {"k": 4}, [((1, 4), np.float32), ((1, 4), np.int32)]
    )
    assert values.tolist() == [[3.0, 3.0, 3.0, 2.0]]
    assert indices.tolist() == [[1, 2, 4, 3]]


def test_topk_needs_k(example: CpuOpPackage) -> None:
    x = np.zeros((2, 3), np.float32)
    with pytest.raises(OpPackageError, match="mandatory parameter 'k' is missing"):
        example.execute("TopK", [x], {}, [((2, 1), np.float32), ((2, 1), np.int32)])
    with pytest.raises(OpPackageError, match=r"k = 4 must be in 1\.\.3"):
        example.execute("TopK", [x], {"k": 4}, [((2, 4), np.float32), ((2, 4), np.int32)])


def test_info_is_stable_across_calls(example: CpuOpPackage) -> None:
    first = example.info
    assert first.operations == ("Relu", "Softmax", "TopK")
    for _ in range(3):
        assert example._read_info() == first
