"""How a request's tensors and params reach an HTP op: HTP core tensors, flat and rank 4.

* Datatypes map to HTP ``DType`` s (FLOAT_32 -> Float32, UFIXED_POINT_8 -> QUInt8, UINT_8 and
  BOOL_8 -> QUInt8 with scale 1 ...); 64-bit types have no HTP equivalent and are refused.
* Quantization is given in QNN's convention, real = scale * (q + offset); HTP's zero offset is
  its negation, real = (q - zero_offset) * scale.
* Ranks below 4 are backfilled with leading 1s ([C] -> [1,1,1,C]); ranks 5 and 6 stay.
* Params follow the package's DEF_PACKAGE_PARAM_ORDER: reordered, unlisted ones dropped,
  defaults applied, optional ones without a default skipped; scalars become 1x1x1x1 tensors;
  listed axis params are shifted by the backfill (axis += 4 - rank).
* Buffers are 128-byte aligned and padded to whole 128-byte vectors, as HVX code expects;
  outputs are guarded (:mod:`.guard`): writes into that padding are allowed, beyond it are not.
"""

from __future__ import annotations

import ctypes
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.model import Datatype
from opgen.runtime import abi, dtypes
from opgen.runtime.abi import htp as htp_abi
from opgen.runtime.errors import OpRequestError
from opgen.runtime.guard import GuardedOutput
from opgen.runtime.request import Param, ScalarParam, Tensor, TensorParam

DType = htp_abi.DType
VECTOR_BYTES = 128

_DTYPES: dict[Datatype, DType] = {
    Datatype.FLOAT_32: DType.Float32,
    Datatype.FLOAT_16: DType.Float16,
    Datatype.INT_32: DType.Int32,
    Datatype.UINT_32: DType.Int32,
    Datatype.UFIXED_POINT_8: DType.QUInt8,
    Datatype.SFIXED_POINT_8: DType.QInt8,
    Datatype.UFIXED_POINT_16: DType.QUInt16,
    Datatype.SFIXED_POINT_16: DType.QInt16,
    Datatype.SFIXED_POINT_32: DType.QInt32,
    Datatype.UFIXED_POINT_32: DType.QInt32,
    Datatype.UINT_8: DType.QUInt8,
    Datatype.BOOL_8: DType.QUInt8,
    Datatype.INT_8: DType.QInt8,
    Datatype.UINT_16: DType.QUInt16,
    Datatype.INT_16: DType.QInt16,
}
#: The fixed-point datatype an integer tensor travels as once it has a scale and offset.
_QUANTIZED = {
    Datatype.UINT_8: Datatype.UFIXED_POINT_8,
    Datatype.INT_8: Datatype.SFIXED_POINT_8,
    Datatype.UINT_16: Datatype.UFIXED_POINT_16,
    Datatype.INT_16: Datatype.SFIXED_POINT_16,
    Datatype.INT_32: Datatype.SFIXED_POINT_32,
    Datatype.UINT_32: Datatype.UFIXED_POINT_32,
}
_SCALAR_STORAGE = {
    Datatype.FLOAT_32: np.float32,
    Datatype.INT_32: np.int32,
    Datatype.UINT_32: np.int32,
    Datatype.INT_16: np.int16,
    Datatype.UINT_16: np.uint16,
    Datatype.INT_8: np.int8,
    Datatype.UINT_8: np.uint8,
    Datatype.BOOL_8: np.uint8,
}
_SCALAR_FIELDS = {
    Datatype.FLOAT_32: "floatValue",
    Datatype.INT_32: "int32Value",
    Datatype.UINT_32: "uint32Value",
    Datatype.INT_16: "int16Value",
    Datatype.UINT_16: "uint16Value",
    Datatype.INT_8: "int8Value",
    Datatype.UINT_8: "uint8Value",
    Datatype.BOOL_8: "bool8Value",
}
_BY_CODE = {d.qnn_code: d for d in Datatype if d.qnn_code is not None}


@dataclass(frozen=True)
class Quant:
    """A tensor's encoding in QNN's convention: real = scale * (q + offset)."""

    scale: float
    offset: int


@dataclass(frozen=True)
class Signature:
    """What registration matching looks at: the HTP dtype and the (backfilled) rank."""

    dtype: DType
    rank: int

    def __str__(self) -> str:
        return f"{self.dtype.name} rank {self.rank}"


@dataclass
class HtpTensor:
    """One bound tensor: the C descriptor and the aligned buffer it points at."""

    name: str
    signature: Signature
    shape: tuple[int, ...]
    buffer: npt.NDArray[Any]
    storage: np.dtype[Any]
    descriptor: htp_abi.OpgenHtpTensor
    #: Outputs only: the guard around ``buffer``.
    guard: GuardedOutput | None = None

    def view(self, shape: tuple[int, ...]) -> npt.NDArray[Any]:
        """The elements, as the numpy dtype they are stored in, in ``shape``."""
        count = int(np.prod(shape, dtype=np.int64))
        return self.buffer[: count * self.storage.itemsize].view(self.storage).reshape(shape)


def htp_dtype(datatype: Datatype, what: str, op: str) -> DType:
    found = _DTYPES.get(datatype)
    if found is None:
        raise OpRequestError(
            f"{what} is {dtypes.short_name(datatype)}, which HTP tensors cannot hold "
            "(no 64-bit or 4-bit types)",
            op=op,
        )
    return found


def quantized(tensor: Tensor, quant: Quant | None, name: str, op: str) -> Tensor:
    """The tensor as it travels once its quantization is known (checked)."""
    datatype = tensor.datatype
    what = f"tensor '{name}'"
    if quant is not None:
        if datatype.is_float or datatype.is_bool:
            raise OpRequestError(
                f"{what} is {dtypes.short_name(datatype)}: a scale and offset apply to "
                "integer (fixed-point) tensors only",
                op=op,
            )
        if not quant.scale > 0 or not np.isfinite(quant.scale):
            raise OpRequestError(f"{what}: the scale must be positive, got {quant.scale}", op=op)
        return Tensor(tensor.array, _QUANTIZED.get(datatype, datatype))
    if datatype.is_fixed_point:
        raise OpRequestError(
            f"{what} is {dtypes.short_name(datatype)}: give its scale and offset "
            f"(--quant {name}=SCALE,OFFSET, or quant= in Python)",
            op=op,
        )
    return tensor


def backfilled(shape: Sequence[int], what: str, op: str) -> tuple[int, ...]:
    if len(shape) > htp_abi.OPGEN_HTP_MAX_RANK:
        raise OpRequestError(
            f"{what} has rank {len(shape)}; HTP tensors have rank 6 at most", op=op
        )
    if len(shape) < 4:
        return (1,) * (4 - len(shape)) + tuple(shape)
    return tuple(shape)


def aligned_buffer(nbytes: int) -> npt.NDArray[np.uint8]:
    """Zeroed bytes, 128-aligned, padded to whole vectors (at least one)."""
    size = max(VECTOR_BYTES, -(-nbytes // VECTOR_BYTES) * VECTOR_BYTES)
    raw = np.zeros(size + VECTOR_BYTES, np.uint8)
    start = (-raw.ctypes.data) % VECTOR_BYTES
    return raw[start : start + size]


def bind_tensor(name: str, tensor: Tensor, quant: Quant | None, op: str) -> HtpTensor:
    """An input or param: its values copied into an aligned, zero-padded buffer."""
    signature, shape, array = _checked(name, tensor, op)
    buffer = aligned_buffer(array.nbytes)
    buffer[: array.nbytes] = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
    return HtpTensor(
        name, signature, shape, buffer, array.dtype, _descriptor(signature, shape, buffer, quant)
    )


def bind_output(name: str, tensor: Tensor, quant: Quant | None, op: str) -> HtpTensor:
    """An output: a guarded buffer (see :mod:`.guard`), 128-aligned, whose padding to whole
    vectors the op may write; arm it before the op runs and check it after."""
    signature, shape, array = _checked(name, tensor, op)
    guard = GuardedOutput(array.shape, array.dtype, align=VECTOR_BYTES)
    buffer = guard.writable
    descriptor = _descriptor(signature, shape, buffer, quant)
    return HtpTensor(name, signature, shape, buffer, array.dtype, descriptor, guard)


def _checked(
    name: str, tensor: Tensor, op: str
) -> tuple[Signature, tuple[int, ...], npt.NDArray[Any]]:
    """The tensor's signature, backfilled shape and values as stored (bool as uint8)."""
    dtype = htp_dtype(tensor.datatype, f"tensor '{name}'", op)
    shape = backfilled(tensor.array.shape, f"tensor '{name}'", op)
    array = tensor.array
    if tensor.datatype is Datatype.BOOL_8:
        array = array.astype(np.uint8)
    return Signature(dtype, len(shape)), shape, array


def _descriptor(
    signature: Signature,
    shape: tuple[int, ...],
    buffer: npt.NDArray[np.uint8],
    quant: Quant | None,
) -> htp_abi.OpgenHtpTensor:
    descriptor = htp_abi.OpgenHtpTensor()
    descriptor.dtype = int(signature.dtype)
    descriptor.rank = len(shape)
    for i, d in enumerate(shape):
        descriptor.dims[i] = d
    descriptor.data = buffer.ctypes.data
    descriptor.data_size = buffer.nbytes
    descriptor.scale = quant.scale if quant else 1.0
    descriptor.zero_offset = -quant.offset if quant else 0
    return descriptor


def relaxed(tensor: Tensor, *, values: bool) -> Tensor:
    """HTP_FP16's relaxed precision: a FLOAT_32 tensor travels as FLOAT_16 (its values cast
    when ``values``; beyond +-65504 they become +-inf, as a float16 cast does)."""
    if tensor.datatype is not Datatype.FLOAT_32:
        return tensor
    if not values:
        return Tensor(np.empty(tensor.array.shape, np.float16), Datatype.FLOAT_16)
    with np.errstate(over="ignore"):
        return Tensor(tensor.array.astype(np.float16), Datatype.FLOAT_16)


def param_tensor(param: Param, quant: Quant | None, op: str) -> HtpTensor:
    """A param as the op receives it: a scalar is a 1x1x1x1 tensor of its DType."""
    if isinstance(param, TensorParam):
        tensor = quantized(param.tensor, quant, param.name, op)
        return bind_tensor(param.name, tensor, quant, op)
    storage = _SCALAR_STORAGE.get(param.datatype)
    if storage is None:
        raise OpRequestError(f"param '{param.name}' has unsupported datatype", op=op)
    value = param.value
    if param.datatype is Datatype.UINT_32 and int(value) > 0x7FFFFFFF:
        raise OpRequestError(
            f"param '{param.name}': {value} does not fit HTP's Int32 (UINT_32 params hold "
            "0..2147483647 on HTP)",
            op=op,
        )
    array = np.full((1, 1, 1, 1), value, dtype=storage)
    return bind_tensor(param.name, Tensor(array, param.datatype), None, op)


def order_params(
    params: Sequence[Param], order: Sequence[Any] | None, op: str
) -> tuple[list[Param], list[str]]:
    """Params in the package's order (``order`` holds ParamOrderEntry); and the dropped names."""
    if order is None:
        return list(params), []
    by_name = {p.name: p for p in params}
    listed = [entry.name for entry in order]
    ordered: list[Param] = []
    for entry in order:
        if entry.name in by_name:
            ordered.append(by_name[entry.name])
        elif entry.mandatory:
            raise OpRequestError(
                f"mandatory parameter '{entry.name}' is missing (DEF_PACKAGE_PARAM_ORDER lists "
                f"{', '.join(listed)})",
                op=op,
            )
        elif entry.default is not None:
            ordered.append(entry.default)
    dropped = [p.name for p in params if p.name not in listed]
    return ordered, dropped


def adjust_axis(param: Param, rank: int) -> Param:
    """An axis param of a rank-``rank`` input, for the input backfilled to rank 4."""
    if not isinstance(param, ScalarParam) or param.datatype.is_float or param.datatype.is_bool:
        return param
    value = int(param.value)
    if value < 0:
        value += rank
    if rank < 4:
        value += 4 - rank
    return ScalarParam(param.name, param.datatype, value)


def param_from_c(name: str, raw: abi.Qnn_Param_t) -> Param | None:
    """A default value the package registered (None when it cannot be read)."""
    if raw.paramType == abi.Qnn_ParamType_t.QNN_PARAMTYPE_SCALAR:
        datatype = _BY_CODE.get(raw.scalarParam.dataType)
        if datatype is None or datatype not in _SCALAR_FIELDS:
            return None
        value = getattr(raw.scalarParam, _SCALAR_FIELDS[datatype])
        if datatype is Datatype.BOOL_8:
            value = bool(value)
        return ScalarParam(name, datatype, value)
    v1 = raw.tensorParam.v1
    datatype = _BY_CODE.get(v1.dataType)
    storage = dtypes.storage(datatype) if datatype else None
    if datatype is None or storage is None or not v1.clientBuf.data:
        return None
    shape = tuple(v1.dimensions[i] for i in range(v1.rank))
    count = int(np.prod(shape, dtype=np.int64))
    if count * storage.itemsize > v1.clientBuf.dataSize:
        return None
    data = ctypes.string_at(v1.clientBuf.data, count * storage.itemsize)
    return TensorParam(name, Tensor(np.frombuffer(data, storage).reshape(shape).copy(), datatype))


def quant_names(names: Sequence[str], prefix: str) -> list[list[str]]:
    """Each tensor's accepted --quant names: its declared name and ``prefix[i]``."""
    return [[n, f"{prefix}[{i}]"] if n != f"{prefix}[{i}]" else [n] for i, n in enumerate(names)]


def pick_quant(keys: Sequence[str], quant: Mapping[str, Quant], used: set[str]) -> Quant | None:
    for key in keys:
        if key in quant:
            used.add(key)
            return quant[key]
    return None
