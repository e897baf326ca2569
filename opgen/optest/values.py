"""Tensor values for cases: random data per datatype, and the scale and offset of fixed-point
tensors in QNN's convention (real = scale * (q + offset))."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.model import Datatype
from opgen.runtime import dtypes

#: Plain integers wider than 8 bits are drawn from this range (their full range overflows
#: every sum a reference computes in the same type).
WIDE_INT_LIMIT = 1000


@dataclass(frozen=True)
class Quant:
    """One fixed-point tensor's encoding."""

    scale: float
    offset: int

    def dequantize(self, q: npt.NDArray[Any]) -> npt.NDArray[np.float64]:
        return self.scale * (q.astype(np.float64) + self.offset)

    def to_json(self) -> list[float | int]:
        return [self.scale, self.offset]


def storage(datatype: Datatype) -> np.dtype[Any]:
    found = dtypes.storage(datatype)
    assert found is not None, datatype  # cases are drawn for datatypes with storage only
    return found


def integer_limits(datatype: Datatype) -> tuple[int, int]:
    info = np.iinfo(storage(datatype))
    return int(info.min), int(info.max)


def draw(rng: np.random.Generator, datatype: Datatype, shape: tuple[int, ...]) -> npt.NDArray[Any]:
    """Random values of ``datatype`` (fixed point: every raw value is equally likely)."""
    dtype = storage(datatype)
    if datatype.is_bool:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    if datatype.is_float:
        return (rng.standard_normal(size=shape) * 2).astype(dtype)
    low, high = raw_range(datatype)
    return rng.integers(low, high, size=shape, endpoint=True).astype(dtype)


def raw_range(datatype: Datatype) -> tuple[int, int]:
    """The integers inputs of ``datatype`` are drawn from."""
    low, high = integer_limits(datatype)
    size = storage(datatype).itemsize
    if not datatype.is_fixed_point and size > 1:
        return max(low, -WIDE_INT_LIMIT), min(high, WIDE_INT_LIMIT)
    if datatype.is_fixed_point and size > 2:
        return max(low, -(1 << 20)), min(high, 1 << 20)
    return low, high


def input_quant(rng: np.random.Generator, datatype: Datatype) -> Quant:
    """An encoding for an input: about [-3, 3] over the raw range (unsigned: offset at its
    middle; signed: symmetric), the scale varied a little per case."""
    low, high = raw_range(datatype)
    factor = float(rng.uniform(0.5, 1.5))
    if low == 0:
        return Quant(6.0 * factor / high, -((high + 1) // 2))
    return Quant(3.0 * factor / high, 0)


def output_quant(datatype: Datatype, expected: npt.NDArray[Any]) -> Quant:
    """An encoding covering the expected values and 0 (as calibration would give it)."""
    low, high = integer_limits(datatype)
    values = np.asarray(expected, dtype=np.float64)
    finite = values[np.isfinite(values)]
    lo = min(float(finite.min()), 0.0) if finite.size else 0.0
    hi = max(float(finite.max()), 0.0) if finite.size else 1.0
    if hi - lo < 1e-6:
        hi = lo + 1.0
    if low == 0:
        scale = (hi - lo) / high
        return Quant(scale, int(np.clip(round(lo / scale), -high, 0)))
    return Quant(max(abs(lo), abs(hi)) / high, 0)


def representable(datatype: Datatype, quant: Quant) -> tuple[float, float]:
    """The real values a fixed-point tensor with ``quant`` can hold."""
    low, high = integer_limits(datatype)
    return quant.scale * (low + quant.offset), quant.scale * (high + quant.offset)
