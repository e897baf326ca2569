"""Default values as values of a datatype: exact integers, correctly rounded floats, C++ literals.

One place decides what number a `<Default>` becomes in the generated code, so the validator
(which refuses what cannot be represented) and the backends (which write the literal) agree.

Floating-point rules: a default is rounded to the nearest value of its storage format, ties to
even (what a C++ compiler does with a decimal literal). An integer written for a float
parameter is rounded directly from its exact value; a decimal is first read as the nearest
double, then rounded to float32 or float16 (a double rounding that can differ from the direct
one by one unit in the last place, and only for decimals within 2^-29 of a float32 midpoint).
A value that rounds to infinity is out of range; a non-zero value that rounds to zero is too
small. The literal is the shortest decimal that reads back as exactly that double (`repr`), with
an `f` suffix for float, so the compiler reproduces the value bit for bit.
"""

from __future__ import annotations

import math
import struct

from opgen.model import Datatype, RankExpr

#: Rank expressions (`N-1`) are checked for every rank the first input allows; an ND input
#: allows ranks 0..MAX_ND_RANK (QNN backends handle tensors of up to 8 dimensions).
MAX_ND_RANK = 8
#: Bounds that keep `coeff * rank0 + offset` free of int64 overflow for any uint32 rank.
MAX_RANK_COEFF = 1 << 16
MAX_RANK_OFFSET = 1 << 62
#: Integers up to this magnitude are exact as a double.
DOUBLE_EXACT = 1 << 53

# Storage formats: struct code, significand bits, largest finite value.
_FORMATS = {
    "e": (11, 65504.0),
    "f": (24, float.fromhex("0x1.fffffep+127")),
    "d": (53, float.fromhex("0x1.fffffffffffffp+1023")),
}
_FORMAT_NAMES = {"e": "float16", "f": "float32", "d": "a double"}


class Unrepresentable(ValueError):
    """The value has no representation in the format; the message says why."""


def float_format(datatype: Datatype) -> str:
    """The storage format of a float (or fixed-point, carried as float) datatype."""
    if datatype is Datatype.FLOAT_16:
        return "e"
    if datatype is Datatype.FLOAT_64:
        return "d"
    return "f"


def rounded(value: int | float, fmt: str, name: str | None = None) -> float:
    """`value` rounded to the nearest value of `fmt` ('e', 'f' or 'd'); raises Unrepresentable
    (whose message calls the format `name`)."""
    bits, largest = _FORMATS[fmt]
    name = name or _FORMAT_NAMES[fmt]
    if isinstance(value, int):
        # Round the exact integer to `bits` significant bits, ties to even (no double rounding).
        magnitude = abs(value)
        shift = max(magnitude.bit_length() - bits, 0)
        kept, rest = divmod(magnitude, 1 << shift)
        half = (1 << shift) >> 1
        if shift and (rest > half or (rest == half and kept & 1)):
            kept += 1
        magnitude = kept << shift
        if magnitude > largest:
            raise Unrepresentable(f"{value} is out of range for {name}")
        result = float(magnitude)
        return -result if value < 0 else result
    if not math.isfinite(value):
        raise Unrepresentable(f"{value} is not a finite number")
    if fmt == "d":
        return value
    try:
        (result,) = struct.unpack("<" + fmt, struct.pack("<" + fmt, value))
    except OverflowError:
        raise Unrepresentable(f"{value!r} is out of range for {name}") from None
    assert isinstance(result, float)
    if result == 0.0 and value != 0.0:
        raise Unrepresentable(f"{value!r} is too small for {name}: it rounds to 0")
    return result


def exact_in_double(value: int) -> bool:
    return abs(value) <= DOUBLE_EXACT or (
        abs(value) <= _FORMATS["d"][1] and int(float(value)) == value
    )


def rank_values(expr: RankExpr, ranks: range) -> tuple[tuple[int, int], tuple[int, int]]:
    """(rank, value) at both ends of `ranks`: a linear expression is extreme there."""
    low, high = ranks[0], ranks[-1]
    return (low, expr.evaluate(low)), (high, expr.evaluate(high))


def cpp_int(value: int) -> str:
    """An integer literal every compiler reads as that value, warning-free (LP64 or LLP64)."""
    if -(1 << 31) < value < (1 << 31):
        return str(value)
    if value == -(1 << 63):
        return "(-9223372036854775807LL - 1)"
    if value < 0:
        return f"({value}LL)"
    return f"{value}LL" if value < (1 << 63) else f"{value}ULL"


def cpp_float(value: float, c_type: str) -> str:
    """A literal of the double (or, for `float`, the float32) `value` that reads back exactly."""
    if not math.isfinite(value):
        raise Unrepresentable(f"non-finite default {value}")
    literal = repr(value)
    if "." not in literal and "e" not in literal:
        literal += ".0"
    return literal + ("f" if c_type == "float" else "")
