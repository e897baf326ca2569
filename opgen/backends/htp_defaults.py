"""The `Qnn_Param_t` defaults of an HTP op's optional parameters, as C++ initialisers.

Every scalar datatype gets a default (the vendor aborts on INT_64, UINT_64, FLOAT_16 and fixed
point, VENDOR_FACTS §2.4), and list and fill defaults become static tensors. Bools are `0u`/`1u`
in `bool8Value`, never Python's `True`.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

from opgen import naming
from opgen.datatype_values import Unrepresentable, cpp_float, float_format, rounded
from opgen.escaping import FreeText
from opgen.model import (
    Datatype,
    FillDefault,
    ListDefault,
    ParamKind,
    RankExpr,
    ScalarDefault,
    SourceLocation,
    TensorSpec,
)

# The Qnn_Scalar_t member carrying a value of each datatype, and the datatype written into the
# scalar. A Qnn_Scalar_t holds at most 32 bits, so 64-bit datatypes travel as their 32-bit
# counterpart (the HTP core has no 64-bit dtype either).
_SCALAR_CARRIER = {
    Datatype.FLOAT_32: ("floatValue", Datatype.FLOAT_32),
    Datatype.FLOAT_16: ("floatValue", Datatype.FLOAT_16),
    Datatype.FLOAT_64: ("floatValue", Datatype.FLOAT_32),
    Datatype.INT_32: ("int32Value", Datatype.INT_32),
    Datatype.INT_64: ("int32Value", Datatype.INT_32),
    Datatype.SFIXED_POINT_32: ("int32Value", Datatype.SFIXED_POINT_32),
    Datatype.UINT_32: ("uint32Value", Datatype.UINT_32),
    Datatype.UINT_64: ("uint32Value", Datatype.UINT_32),
    Datatype.UFIXED_POINT_32: ("uint32Value", Datatype.UFIXED_POINT_32),
    Datatype.INT_16: ("int16Value", Datatype.INT_16),
    Datatype.SFIXED_POINT_16: ("int16Value", Datatype.SFIXED_POINT_16),
    Datatype.UINT_16: ("uint16Value", Datatype.UINT_16),
    Datatype.UFIXED_POINT_16: ("uint16Value", Datatype.UFIXED_POINT_16),
    Datatype.INT_8: ("int8Value", Datatype.INT_8),
    Datatype.SFIXED_POINT_8: ("int8Value", Datatype.SFIXED_POINT_8),
    Datatype.SFIXED_POINT_4: ("int8Value", Datatype.SFIXED_POINT_4),
    Datatype.UINT_8: ("uint8Value", Datatype.UINT_8),
    Datatype.UFIXED_POINT_8: ("uint8Value", Datatype.UFIXED_POINT_8),
    Datatype.UFIXED_POINT_4: ("uint8Value", Datatype.UFIXED_POINT_4),
    Datatype.BOOL_8: ("bool8Value", Datatype.BOOL_8),
}

# Element storage of tensor defaults: (C type, struct format, datatype written).
_TENSOR_STORAGE = {
    Datatype.FLOAT_32: ("float", "f", Datatype.FLOAT_32),
    Datatype.FLOAT_64: ("float", "f", Datatype.FLOAT_32),
    Datatype.FLOAT_16: ("uint16_t", "e", Datatype.FLOAT_16),
    Datatype.INT_8: ("int8_t", "b", Datatype.INT_8),
    Datatype.INT_16: ("int16_t", "h", Datatype.INT_16),
    Datatype.INT_32: ("int32_t", "i", Datatype.INT_32),
    Datatype.INT_64: ("int32_t", "i", Datatype.INT_32),
    Datatype.UINT_8: ("uint8_t", "B", Datatype.UINT_8),
    Datatype.UINT_16: ("uint16_t", "H", Datatype.UINT_16),
    Datatype.UINT_32: ("uint32_t", "I", Datatype.UINT_32),
    Datatype.UINT_64: ("uint32_t", "I", Datatype.UINT_32),
    Datatype.BOOL_8: ("uint8_t", "B", Datatype.BOOL_8),
    Datatype.SFIXED_POINT_4: ("int8_t", "b", Datatype.SFIXED_POINT_4),
    Datatype.SFIXED_POINT_8: ("int8_t", "b", Datatype.SFIXED_POINT_8),
    Datatype.SFIXED_POINT_16: ("int16_t", "h", Datatype.SFIXED_POINT_16),
    Datatype.SFIXED_POINT_32: ("int32_t", "i", Datatype.SFIXED_POINT_32),
    Datatype.UFIXED_POINT_4: ("uint8_t", "B", Datatype.UFIXED_POINT_4),
    Datatype.UFIXED_POINT_8: ("uint8_t", "B", Datatype.UFIXED_POINT_8),
    Datatype.UFIXED_POINT_16: ("uint16_t", "H", Datatype.UFIXED_POINT_16),
    Datatype.UFIXED_POINT_32: ("uint32_t", "I", Datatype.UFIXED_POINT_32),
}

# The rank HTP kernels see: every tensor is backfilled to 4-D (HTP_DSP_FACTS §2.1), so a rank
# expression such as `N-1` (the last axis) is evaluated at N = 4.
KERNEL_RANK = 4


class SignatureError(ValueError):
    """A declaration HTP cannot express; `location` is where it is written."""

    def __init__(self, location: SourceLocation, message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


@dataclass(frozen=True)
class ParamDefault:
    """A `Qnn_Param_t` default of one parameter, built once in the op's file."""

    symbol: str
    name: str
    data_symbol: str
    """Tensor: the static array of the elements."""
    dims_symbol: str
    """Tensor: the static array of the dimensions."""
    tensor: bool
    datatype: str
    """`QNN_DATATYPE_FLOAT_32`."""
    member: str
    """Scalar: the Qnn_Scalar_t member (`floatValue`)."""
    value: str
    """Scalar: a C++ literal."""
    element_type: str
    """Tensor: the C type of the elements."""
    elements: str
    """Tensor: the initializer list body of the elements."""
    dims: str
    """Tensor: the initializer list body of the dimensions."""
    rank: int
    fixed_point: bool
    note: FreeText
    """For the comment beside it: the default as the config writes it."""


def param_default(spec: TensorSpec) -> ParamDefault:
    """The `Qnn_Param_t` the core passes when a node omits the (optional) parameter."""
    assert spec.default is not None
    value = spec.default.value
    where = spec.default.location or spec.location
    first = spec.datatypes[0]
    note = "default " + FreeText(spec.default.text)
    symbol = naming.htp_default_symbol(spec.name)
    data, dims_symbol = naming.htp_default_data(spec.name), naming.htp_default_dims(spec.name)
    if spec.kind is not ParamKind.TENSOR:
        assert isinstance(value, ScalarDefault)
        member, carried = _SCALAR_CARRIER[first]
        literal = _scalar_literal(value.value, carried, where, spec.name)
        if isinstance(value.value, RankExpr):
            note += f" (N = {KERNEL_RANK}: HTP kernels see 4-D tensors)"
        return ParamDefault(
            symbol, spec.name, data, dims_symbol, False, carried.value, member, literal,
            "", "", "", 0, carried.is_fixed_point, note,
        )  # fmt: skip
    c_type, fmt, carried = _TENSOR_STORAGE[first]
    if isinstance(value, ListDefault):
        leaves = value.leaves()
        dims = _dims(value)
    elif isinstance(value, FillDefault):
        leaves, dims = [value.value], [1]
        note += " (passed as one element: the node decides the length of a fill)"
    else:
        assert isinstance(value, ScalarDefault)
        leaves, dims = [value.value], [1]
    elements = ", ".join(
        _element_literal(v, c_type, fmt, carried, where, spec.name) for v in leaves
    )
    return ParamDefault(
        symbol, spec.name, data, dims_symbol, True, carried.value, "", "", c_type,
        elements or "0", ", ".join(f"{d}u" for d in dims), len(dims),
        carried.is_fixed_point, note,
    )  # fmt: skip


def _dims(value: ListDefault) -> list[int]:
    shape = [len(value.values)]
    level: tuple[object, ...] = value.values
    while level and all(isinstance(v, tuple) for v in level):
        lengths = {len(v) for v in level if isinstance(v, tuple)}
        if len(lengths) != 1:
            return [len(value.leaves())]
        shape.append(lengths.pop())
        level = tuple(x for v in level if isinstance(v, tuple) for x in v)
    return shape if math.prod(shape) == len(value.leaves()) else [len(value.leaves())]


def _numeric(v: object) -> float | int:
    if isinstance(v, RankExpr):
        return v.evaluate(KERNEL_RANK)
    if isinstance(v, bool):
        return int(v)
    assert isinstance(v, int | float)
    return v


def _scalar_literal(v: object, carried: Datatype, where: SourceLocation, name: str) -> str:
    if carried is Datatype.BOOL_8:
        return "1u" if _numeric(v) else "0u"
    number = _numeric(v)
    if carried.is_float:
        try:
            return cpp_float(rounded(number, float_format(carried), carried.value), "float")
        except Unrepresentable as exc:
            raise SignatureError(where, f"default of '{name}': {exc}") from None
    return _integer_literal(number, carried, where, name)


def _integer_literal(
    number: float | int, carried: Datatype, where: SourceLocation, name: str
) -> str:
    if isinstance(number, float):
        if not number.is_integer():
            raise SignatureError(
                where,
                f"default {number} of '{name}' is not an integer: HTP passes "
                f"{carried.value} defaults as raw values (scale 1, offset 0)",
            )
        number = int(number)
    low, high = _range(carried)
    if not low <= number <= high:
        raise SignatureError(
            where,
            f"default {number} of '{name}' does not fit {carried.value} ({low}..{high}), "
            "the type a 32-bit Qnn_Scalar_t carries it in",
        )
    if number < -0x7FFFFFFF:
        return f"({number + 1} - 1)"  # INT32_MIN cannot be written as one literal
    return f"{number}" + ("u" if low == 0 else "")


def _range(datatype: Datatype) -> tuple[int, int]:
    bounds = datatype.integer_range
    if bounds is not None:
        return bounds
    bits = int(datatype.name.rsplit("_", 1)[1])
    if datatype.name.startswith("S"):
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def _element_literal(
    v: object, c_type: str, fmt: str, carried: Datatype, where: SourceLocation, name: str
) -> str:
    number = _numeric(v)
    if fmt == "e":  # FLOAT_16 elements are stored as IEEE half bits
        try:
            half = rounded(number, "e", "FLOAT_16")
        except Unrepresentable as exc:
            raise SignatureError(where, f"default of '{name}': {exc}") from None
        bits = struct.unpack("<H", struct.pack("<e", half))[0]
        return f"0x{bits:04X}u"
    if fmt == "f":
        return _scalar_literal(number, Datatype.FLOAT_32, where, name)
    if carried is Datatype.BOOL_8:
        return "1u" if number else "0u"
    return _integer_literal(number, carried, where, name)
