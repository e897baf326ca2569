"""numpy dtypes and ``Qnn_DataType_t`` codes, both ways.

A numpy array crosses the interface with its natural code (float32 -> QNN_DATATYPE_FLOAT_32,
bool -> QNN_DATATYPE_BOOL_8, ...). A declared fixed-point datatype is stored in the integer of
its width, so a uint8 array can also travel as QNN_DATATYPE_UFIXED_POINT_8 when that is what the
op declares.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from opgen.model import Datatype

#: numpy storage of every datatype an array can carry.
_STORAGE: dict[Datatype, np.dtype[np.generic]] = {
    Datatype.INT_8: np.dtype(np.int8),
    Datatype.INT_16: np.dtype(np.int16),
    Datatype.INT_32: np.dtype(np.int32),
    Datatype.INT_64: np.dtype(np.int64),
    Datatype.UINT_8: np.dtype(np.uint8),
    Datatype.UINT_16: np.dtype(np.uint16),
    Datatype.UINT_32: np.dtype(np.uint32),
    Datatype.UINT_64: np.dtype(np.uint64),
    Datatype.FLOAT_16: np.dtype(np.float16),
    Datatype.FLOAT_32: np.dtype(np.float32),
    Datatype.FLOAT_64: np.dtype(np.float64),
    Datatype.SFIXED_POINT_8: np.dtype(np.int8),
    Datatype.SFIXED_POINT_16: np.dtype(np.int16),
    Datatype.SFIXED_POINT_32: np.dtype(np.int32),
    Datatype.UFIXED_POINT_8: np.dtype(np.uint8),
    Datatype.UFIXED_POINT_16: np.dtype(np.uint16),
    Datatype.UFIXED_POINT_32: np.dtype(np.uint32),
    Datatype.BOOL_8: np.dtype(np.bool_),
}

#: The natural datatype of each supported numpy dtype (fixed point is never natural).
_NATURAL: dict[np.dtype[np.generic], Datatype] = {
    dtype: datatype for datatype, dtype in _STORAGE.items() if not datatype.is_fixed_point
}

#: Names ``--output-spec`` and friends accept, in the order help texts list them.
DTYPE_NAMES: tuple[str, ...] = tuple(str(d) for d in _NATURAL)


def supported(dtype: np.dtype[np.generic]) -> bool:
    return dtype in _NATURAL


def natural_datatype(dtype: np.dtype[np.generic]) -> Datatype:
    """The datatype a numpy dtype travels as; KeyError when no Qnn datatype stores it."""
    return _NATURAL[dtype]


def storage(datatype: Datatype) -> np.dtype[np.generic] | None:
    """The numpy dtype that stores a datatype's elements (None for 4-bit and backend types)."""
    return _STORAGE.get(datatype)


def tensor_datatype(dtype: np.dtype[np.generic], declared: Iterable[Datatype] = ()) -> Datatype:
    """The datatype an array of ``dtype`` travels as, for a tensor declared with ``declared``.

    The natural one when declared (or nothing is declared); else the first declared datatype with
    the same storage (a fixed-point type); else the natural one, which the package will refuse
    with its own message.
    """
    natural = natural_datatype(dtype)
    options = tuple(declared)
    if not options or natural in options:
        return natural
    return next((d for d in options if _STORAGE.get(d) == dtype), natural)


def parse_dtype(text: str) -> np.dtype[np.generic]:
    """A dtype from a name like ``float32``, ``uint8``, ``bool`` (numpy spellings)."""
    try:
        dtype = np.dtype(text)
    except TypeError as exc:
        raise ValueError(f"unknown dtype '{text}'") from exc
    if dtype not in _NATURAL or dtype.byteorder not in ("=", "|"):
        raise ValueError(f"unsupported dtype '{text}' (supported: {', '.join(DTYPE_NAMES)})")
    return dtype


#: QNN names ``--output-spec`` accepts (``QNN_DATATYPE_INT_32`` or ``INT_32``): every datatype
#: with numpy storage.
QNN_NAMES: tuple[str, ...] = tuple(d.name for d in _STORAGE)


def output_datatype(text: str) -> Datatype:
    """A datatype for an output from a numpy name (``int32``: its natural datatype) or a QNN
    name (``QNN_DATATYPE_UFIXED_POINT_8``, ``UFIXED_POINT_8``, any case); ValueError listing
    the names otherwise."""
    name = text.strip()
    upper = name.upper()
    for datatype in _STORAGE:
        if upper in (datatype.value, datatype.name):
            return datatype
    try:
        dtype = np.dtype(name)
    except TypeError:
        dtype = None
    if dtype is not None and dtype in _NATURAL and dtype.byteorder in ("=", "|"):
        return _NATURAL[dtype]
    word = "unknown" if dtype is None else "unsupported"
    name = name if len(name) <= 40 else name[:37] + "..."
    raise ValueError(
        f"{word} dtype '{name}' (numpy: {', '.join(DTYPE_NAMES)}; QNN, with or without "
        f"QNN_DATATYPE_: {_grouped(QNN_NAMES)})"
    )


def _grouped(names: Iterable[str]) -> str:
    """``INT_8/16/32, BOOL_8``: QNN names by family, for messages."""
    families: dict[str, list[str]] = {}
    for name in names:
        family, _, bits = name.rpartition("_")
        families.setdefault(family, []).append(bits)
    return ", ".join(f"{family}_{'/'.join(bits)}" for family, bits in families.items())


def short_name(datatype: Datatype) -> str:
    """``UINT_32`` for QNN_DATATYPE_UINT_32."""
    return datatype.value.removeprefix("QNN_DATATYPE_")


def datatype_from_name(text: str) -> Datatype:
    """A datatype from ``QNN_DATATYPE_UINT_32``, ``UINT_32`` or a numpy name like ``uint32``."""
    upper = text.strip().upper()
    for datatype in Datatype:
        if upper in (datatype.value, datatype.name) and datatype is not Datatype.BACKEND_SPECIFIC:
            return datatype
    return natural_datatype(parse_dtype(text.strip()))
