"""A package's output against the reference's, with a tolerance per datatype.

* floats: ``|got - expected| <= atol + rtol * |expected|`` (numpy's ``isclose``), with
  :data:`FLOAT_TOLERANCES` per width; NaN matches NaN and an infinity the same infinity;
* plain integers and booleans: exact;
* fixed point: the output dequantized with its scale and offset is within one quantization step
  (``scale``) of the expected value clipped to what the encoding can hold.

The errors reported are the worst absolute one and the worst relative one
(``|got - expected| / |expected|``, over elements whose expected value is not 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.model import Datatype
from opgen.optest.values import Quant, representable

#: (rtol, atol) per float datatype.
FLOAT_TOLERANCES = {
    Datatype.FLOAT_16: (1e-2, 1e-3),
    Datatype.FLOAT_32: (1e-4, 1e-5),
    Datatype.FLOAT_64: (1e-9, 1e-12),
}


@dataclass(frozen=True)
class Comparison:
    """One output compared."""

    name: str
    worst_abs: float
    worst_rel: float
    mismatches: int
    """Elements outside the tolerance."""
    size: int
    tolerance: str
    problem: str | None = None
    """Why the output could not be compared element by element (a shape), when it could not."""
    where: tuple[int, ...] | None = None
    """The index of the worst mismatch."""

    @property
    def ok(self) -> bool:
        return self.problem is None and self.mismatches == 0

    def describe(self) -> str:
        if self.problem is not None:
            return f"{self.name}: {self.problem}"
        where = f" at {list(self.where)}" if self.where is not None else ""
        return (
            f"{self.name}: {self.mismatches} of {self.size} element(s) outside {self.tolerance} "
            f"(worst abs {self.worst_abs:.3g}{where}, rel {self.worst_rel:.3g})"
        )


def tolerance_text(datatype: Datatype, quant: Quant | None) -> str:
    if quant is not None:
        return f"one step ({quant.scale:.3g})"
    if datatype in FLOAT_TOLERANCES:
        rtol, atol = FLOAT_TOLERANCES[datatype]
        return f"rtol {rtol:g} atol {atol:g}"
    return "exact"


def compare(
    name: str,
    got: npt.NDArray[Any],
    expected: npt.NDArray[Any],
    datatype: Datatype,
    quant: Quant | None,
) -> Comparison:
    tolerance = tolerance_text(datatype, quant)
    want = np.asarray(expected)
    if got.shape != want.shape:
        problem = f"shape {list(got.shape)}, the reference gives {list(want.shape)}"
        return Comparison(name, float("inf"), float("inf"), got.size, got.size, tolerance, problem)
    if want.dtype.kind not in "biuf":
        problem = f"the reference gives {want.dtype} values, not numbers"
        return Comparison(name, float("inf"), float("inf"), got.size, got.size, tolerance, problem)
    if got.size == 0:
        return Comparison(name, 0.0, 0.0, 0, 0, tolerance)
    if quant is not None:
        low, high = representable(datatype, quant)
        x = quant.dequantize(got)
        y = np.clip(want.astype(np.float64), low, high)
        bad = ~(np.abs(x - y) <= quant.scale * (1 + 1e-6))
    elif datatype in FLOAT_TOLERANCES:
        rtol, atol = FLOAT_TOLERANCES[datatype]
        x, y = got.astype(np.float64), want.astype(np.float64)
        bad = ~np.isclose(x, y, rtol=rtol, atol=atol, equal_nan=True)
    else:
        x, y = _exact(got, want)
        bad = x != y
    diff = np.abs(x.astype(np.float64) - y.astype(np.float64))
    diff = np.where(np.isnan(diff) & ~bad, 0.0, diff)  # NaN vs NaN, inf vs inf: matched
    diff = np.where(np.isnan(diff), np.inf, diff)
    scale = np.abs(y.astype(np.float64))
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(scale > 0, diff / scale, 0.0)
    rel = np.where(np.isnan(rel), 0.0, rel)
    mismatches = int(np.count_nonzero(bad))
    worst = np.unravel_index(int(np.argmax(np.where(bad, diff, -1.0))), got.shape)
    return Comparison(
        name,
        float(diff.max()),
        float(rel.max()),
        mismatches,
        int(got.size),
        tolerance,
        where=tuple(int(i) for i in worst) if mismatches else None,
    )


def _exact(
    got: npt.NDArray[Any], want: npt.NDArray[Any]
) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
    """Integers compared as integers (a float64 would round int64 values)."""
    if want.dtype.kind == "f":
        return got.astype(np.float64), want.astype(np.float64)
    if got.dtype.kind == "u" and got.dtype.itemsize == 8:
        return got, want.astype(np.uint64)
    return got.astype(np.int64), want.astype(np.int64)
