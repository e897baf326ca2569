"""The enumerations a config's values come from: datatypes (with their Qnn_DataType_t codes), ranks,
layouts, backends and constraint types. Re-exported by opgen.model, where the rest of the domain
model lives."""

from __future__ import annotations

import enum


class Datatype(enum.Enum):
    """`<Datatype>` values. The value is the spelling used in configs."""

    BACKEND_SPECIFIC = "BACKEND_SPECIFIC"
    INT_8 = "QNN_DATATYPE_INT_8"
    INT_16 = "QNN_DATATYPE_INT_16"
    INT_32 = "QNN_DATATYPE_INT_32"
    INT_64 = "QNN_DATATYPE_INT_64"
    UINT_8 = "QNN_DATATYPE_UINT_8"
    UINT_16 = "QNN_DATATYPE_UINT_16"
    UINT_32 = "QNN_DATATYPE_UINT_32"
    UINT_64 = "QNN_DATATYPE_UINT_64"
    FLOAT_16 = "QNN_DATATYPE_FLOAT_16"
    FLOAT_32 = "QNN_DATATYPE_FLOAT_32"
    FLOAT_64 = "QNN_DATATYPE_FLOAT_64"
    SFIXED_POINT_4 = "QNN_DATATYPE_SFIXED_POINT_4"
    SFIXED_POINT_8 = "QNN_DATATYPE_SFIXED_POINT_8"
    SFIXED_POINT_16 = "QNN_DATATYPE_SFIXED_POINT_16"
    SFIXED_POINT_32 = "QNN_DATATYPE_SFIXED_POINT_32"
    UFIXED_POINT_4 = "QNN_DATATYPE_UFIXED_POINT_4"
    UFIXED_POINT_8 = "QNN_DATATYPE_UFIXED_POINT_8"
    UFIXED_POINT_16 = "QNN_DATATYPE_UFIXED_POINT_16"
    UFIXED_POINT_32 = "QNN_DATATYPE_UFIXED_POINT_32"
    BOOL_8 = "QNN_DATATYPE_BOOL_8"

    @property
    def qnn_code(self) -> int | None:
        """The `Qnn_DataType_t` value; None for BACKEND_SPECIFIC."""
        return _QNN_CODES.get(self)

    @property
    def is_bool(self) -> bool:
        return self is Datatype.BOOL_8

    @property
    def is_float(self) -> bool:
        return self in (Datatype.FLOAT_16, Datatype.FLOAT_32, Datatype.FLOAT_64)

    @property
    def is_fixed_point(self) -> bool:
        return self in _FIXED_POINT

    @property
    def integer_range(self) -> tuple[int, int] | None:
        """Inclusive range of a plain integer type; None for float, fixed point and bool."""
        return _INTEGER_RANGES.get(self)


def _integer_range(datatype: Datatype) -> tuple[int, int] | None:
    name = datatype.name
    if name.startswith("INT_"):
        bits = int(name[4:])
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    if name.startswith("UINT_"):
        return 0, (1 << int(name[5:])) - 1
    return None


# Looked up, not worked out from the member's name on each call (the default checks ask often).
_FIXED_POINT = frozenset(d for d in Datatype if "FIXED_POINT" in d.name)
_INTEGER_RANGES = {d: r for d in Datatype if (r := _integer_range(d)) is not None}


# Qnn_DataType_t codes: a class nibble (0 int, 1 uint, 2 float, 3 sfixed, 4 ufixed, 5 bool)
# followed by the bit width written as decimal digits in hex (0x0232 = float, 32 bits).
_QNN_CODES = {
    d: int(_code, 16)
    for d, _code in [
        (Datatype.INT_8, "0008"),
        (Datatype.INT_16, "0016"),
        (Datatype.INT_32, "0032"),
        (Datatype.INT_64, "0064"),
        (Datatype.UINT_8, "0108"),
        (Datatype.UINT_16, "0116"),
        (Datatype.UINT_32, "0132"),
        (Datatype.UINT_64, "0164"),
        (Datatype.FLOAT_16, "0216"),
        (Datatype.FLOAT_32, "0232"),
        (Datatype.FLOAT_64, "0264"),
        (Datatype.SFIXED_POINT_4, "0304"),
        (Datatype.SFIXED_POINT_8, "0308"),
        (Datatype.SFIXED_POINT_16, "0316"),
        (Datatype.SFIXED_POINT_32, "0332"),
        (Datatype.UFIXED_POINT_4, "0404"),
        (Datatype.UFIXED_POINT_8, "0408"),
        (Datatype.UFIXED_POINT_16, "0416"),
        (Datatype.UFIXED_POINT_32, "0432"),
        (Datatype.BOOL_8, "0508"),
    ]
}


class Rank(enum.Enum):
    """`<Rank>` values; `dims` is the number of dimensions, None for ND (any rank)."""

    SCALAR = "SCALAR"
    D0 = "0D"
    D1 = "1D"
    D2 = "2D"
    D3 = "3D"
    D4 = "4D"
    D5 = "5D"
    ND = "ND"

    @property
    def dims(self) -> int | None:
        if self is Rank.SCALAR:
            return 0
        if self is Rank.ND:
            return None
        return int(self.value[0])

    @property
    def is_scalar(self) -> bool:
        return self in (Rank.SCALAR, Rank.D0)


class Layout(enum.Enum):
    NHWC = "NHWC"
    NDHWC = "NDHWC"
    NONTRIVIAL = "NONTRIVIAL"
    UNDEFINED = "UNDEFINED"
    BACKEND_SPECIFIC = "BACKEND_SPECIFIC"


class Backend(enum.Enum):
    CPU = "CPU"
    GPU = "GPU"
    DSP = "DSP"
    HTP = "HTP"
    HTP_FP16 = "HTP_FP16"


class ConstraintType(enum.Enum):
    NUMBER = "Number"
    SHAPE = "Shape"
    VALUE = "Value"
    DATATYPE = "Datatype"
    DESCRIPTION = "Description"
