"""How a request's tensors and params reach a DSP (UDO) op.

* Datatypes: FLOAT_32 -> UDO FLOAT_32, FLOAT_16 -> FLOAT_16, UFIXED_POINT_8/16 -> FIXED_8/16
  (TF quantized), the integer types -> the UDO integer types, BOOL_8 -> UINT_8. Signed
  fixed-point, 32-bit fixed-point and 64-bit types have no UDO equivalent and are refused.
* Quantization is given in QNN's convention, real = scale * (q + offset), and travels as TF's
  range: min = offset * scale, max = (levels + offset) * scale (levels 255 for 8 bits).
* Tensors keep their rank and shape (``tensorRank``, u32 max/current dimensions), layout NHWC;
  an optional tensor the request leaves out is absent: layout UDO_LAYOUT_NULL, no data.
  Inputs are copied into 128-byte aligned buffers (HVX code expects them); outputs are guarded
  buffers (:mod:`.guard`), 128-aligned, whose padding to whole vectors the op may write.
* Params: each ``Qnn_Param_t`` of the validated op config becomes a ``Udo_Param_t`` whose
  ``paramName`` points at the QNN name; scalars keep their datatype (BOOL_8: ``uint8Value``),
  tensors become a ``Udo_TensorParam_t`` over the same dimensions and data.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.model import Datatype
from opgen.runtime import abi, dtypes
from opgen.runtime.abi import dsp as dsp_abi
from opgen.runtime.errors import OpRequestError
from opgen.runtime.guard import GuardedOutput
from opgen.runtime.htp_tensors import VECTOR_BYTES, Quant, aligned_buffer
from opgen.runtime.request import Tensor

UdoType = dsp_abi.Udo_DataType_t
QuantType = dsp_abi.Udo_QuantizationType_t

#: QNN datatype -> UDO datatype (and, for TF-quantized types, the number of levels).
UDO_DATATYPES: dict[Datatype, tuple[UdoType, int | None]] = {
    Datatype.FLOAT_32: (UdoType.UDO_DATATYPE_FLOAT_32, None),
    Datatype.FLOAT_16: (UdoType.UDO_DATATYPE_FLOAT_16, None),
    Datatype.UFIXED_POINT_8: (UdoType.UDO_DATATYPE_FIXED_8, 255),
    Datatype.UFIXED_POINT_16: (UdoType.UDO_DATATYPE_FIXED_16, 65535),
    Datatype.UINT_8: (UdoType.UDO_DATATYPE_UINT_8, None),
    Datatype.UINT_16: (UdoType.UDO_DATATYPE_UINT_16, None),
    Datatype.UINT_32: (UdoType.UDO_DATATYPE_UINT_32, None),
    Datatype.INT_8: (UdoType.UDO_DATATYPE_INT_8, None),
    Datatype.INT_16: (UdoType.UDO_DATATYPE_INT_16, None),
    Datatype.INT_32: (UdoType.UDO_DATATYPE_INT_32, None),
    Datatype.BOOL_8: (UdoType.UDO_DATATYPE_UINT_8, None),
}
#: Scalar param: QNN datatype -> (UDO datatype, the member of both value unions).
_SCALARS: dict[Datatype, tuple[UdoType, str, str]] = {
    Datatype.FLOAT_32: (UdoType.UDO_DATATYPE_FLOAT_32, "floatValue", "floatValue"),
    Datatype.UINT_32: (UdoType.UDO_DATATYPE_UINT_32, "uint32Value", "uint32Value"),
    Datatype.INT_32: (UdoType.UDO_DATATYPE_INT_32, "int32Value", "int32Value"),
    Datatype.UINT_16: (UdoType.UDO_DATATYPE_UINT_16, "uint16Value", "uint16Value"),
    Datatype.INT_16: (UdoType.UDO_DATATYPE_INT_16, "int16Value", "int16Value"),
    Datatype.UINT_8: (UdoType.UDO_DATATYPE_UINT_8, "uint8Value", "uint8Value"),
    Datatype.INT_8: (UdoType.UDO_DATATYPE_INT_8, "int8Value", "int8Value"),
    Datatype.BOOL_8: (UdoType.UDO_DATATYPE_UINT_8, "bool8Value", "uint8Value"),
}
_BY_CODE = {d.qnn_code: d for d in Datatype if d.qnn_code is not None}
_NHWC = dsp_abi.Udo_TensorLayout_t.UDO_LAYOUT_NHWC
_U32_POINTER = ctypes.POINTER(ctypes.c_uint32)
# Where the name pointers sit (the field descriptors, not the annotated values).
_QNN_NAME_OFFSET: int = abi.Qnn_Param_t.__dict__["name"].offset
_UDO_NAME_OFFSET: int = dsp_abi.Udo_Param_t.__dict__["paramName"].offset


def udo_datatype(datatype: Datatype, what: str, op: str) -> tuple[UdoType, int | None]:
    found = UDO_DATATYPES.get(datatype)
    if found is None:
        raise OpRequestError(
            f"{what} is {dtypes.short_name(datatype)}, which DSP (UDO) tensors cannot hold "
            "(UDO has unsigned TF quantization, 8 and 16 bits, no 64-bit types)",
            op=op,
        )
    return found


def tf_range(quant: Quant, levels: int) -> tuple[float, float]:
    """QNN's scale/offset as TF's (min, max): q = 0 is min and q = levels is max."""
    return quant.offset * quant.scale, (levels + quant.offset) * quant.scale


def quant_of(quantized: Any) -> Quant | None:
    """A ``Qnn_Tensor_t``'s scale/offset (None unless defined as SCALE_OFFSET)."""
    params = quantized.v1.quantizeParams
    scale_offset = abi.Qnn_QuantizationEncoding_t.QNN_QUANTIZATION_ENCODING_SCALE_OFFSET
    if (
        params.encodingDefinition != abi.Qnn_Definition_t.QNN_DEFINITION_DEFINED
        or params.quantizationEncoding != scale_offset
    ):
        return None
    return Quant(params.scaleOffsetEncoding.scale, params.scaleOffsetEncoding.offset)


def fill_tensor(
    slot: dsp_abi.Udo_TensorParam_t,
    *,
    datatype: Datatype,
    shape: Sequence[int],
    data: int,
    quant: Quant | None,
    what: str,
    op: str,
    keep: list[Any],
    max_dims: Any = None,
) -> None:
    """Describe one tensor in ``slot``; ``max_dims`` reuses a u32 array (else one is made)."""
    udo_type, levels = udo_datatype(datatype, what, op)
    if max_dims is None:
        max_dims = (ctypes.c_uint32 * max(len(shape), 1))(*shape)
        keep.append(max_dims)
    current = (ctypes.c_uint32 * max(len(shape), 1))(*shape)  # an op may write an output's
    keep.append(current)
    slot.maxDimensions = ctypes.cast(max_dims, _U32_POINTER)
    slot.currDimensions = ctypes.cast(current, _U32_POINTER)
    slot.tensorRank = len(shape)
    slot.dataType = udo_type
    slot.layout = _NHWC
    slot.tensorData = data
    if levels is not None and quant is not None:
        slot.quantizeParams.quantizeType = QuantType.UDO_QUANTIZATION_TF
        slot.quantizeParams.TFParams.minValue, slot.quantizeParams.TFParams.maxValue = tf_range(
            quant, levels
        )
    else:
        slot.quantizeParams.quantizeType = QuantType.UDO_QUANTIZATION_NONE


def absent(slot: dsp_abi.Udo_TensorParam_t, keep: list[Any]) -> None:
    """An optional tensor the request leaves out: layout UDO_LAYOUT_NULL, rank 0, no data."""
    dims = (ctypes.c_uint32 * 1)()
    keep.append(dims)
    slot.maxDimensions = slot.currDimensions = ctypes.cast(dims, _U32_POINTER)
    slot.tensorRank = 0
    slot.dataType = UdoType.UDO_DATATYPE_LAST
    slot.layout = dsp_abi.Udo_TensorLayout_t.UDO_LAYOUT_NULL
    slot.tensorData = None
    slot.quantizeParams.quantizeType = QuantType.UDO_QUANTIZATION_NONE


def convert_params(config: abi.Qnn_OpConfig_t, op: str, keep: list[Any]) -> tuple[Any, int]:
    """The op config's params as a ``Udo_Param_t`` array (and its length)."""
    v1 = config.v1
    count = v1.numOfParams
    array = (dsp_abi.Udo_Param_t * max(count, 1))()
    keep.append(array)
    for i in range(count):
        qnn, udo = v1.params[i], array[i]
        # paramName points at the QNN name itself (kept alive with the op config).
        name_address = ctypes.c_void_p.from_buffer(qnn, _QNN_NAME_OFFSET).value
        ctypes.c_void_p.from_buffer(udo, _UDO_NAME_OFFSET).value = name_address
        label = (qnn.name or b"").decode("utf-8", "replace")
        if qnn.paramType == abi.Qnn_ParamType_t.QNN_PARAMTYPE_SCALAR:
            _scalar(udo, qnn.scalarParam, label, op)
        else:
            tensor = qnn.tensorParam.v1
            datatype = _BY_CODE.get(tensor.dataType)
            if datatype is None:
                raise OpRequestError(f"param '{label}' has an unknown datatype", op=op)
            udo.paramType = dsp_abi.Udo_ParamType_t.UDO_PARAMTYPE_TENSOR
            shape = [tensor.dimensions[k] for k in range(tensor.rank)]
            fill_tensor(
                udo.tensorParam,
                datatype=datatype,
                shape=shape,
                data=tensor.clientBuf.data or 0,
                quant=quant_of(qnn.tensorParam),
                what=f"param '{label}'",
                op=op,
                keep=keep,
                max_dims=tensor.dimensions,
            )
    return array, count


def _scalar(udo: dsp_abi.Udo_Param_t, scalar: abi.Qnn_Scalar_t, label: str, op: str) -> None:
    datatype = _BY_CODE.get(scalar.dataType)
    found = _SCALARS.get(datatype) if datatype is not None else None
    if found is None:
        raise OpRequestError(
            f"param '{label}': a UDO scalar cannot hold datatype {scalar.dataType:#x}", op=op
        )
    udo_type, qnn_member, udo_member = found
    udo.paramType = dsp_abi.Udo_ParamType_t.UDO_PARAMTYPE_SCALAR
    udo.scalarParam.dataType = udo_type
    setattr(udo.scalarParam.dataValue, udo_member, getattr(scalar, qnn_member))


@dataclass
class BoundInput:
    """An input's values in an aligned buffer (what ``tensorData`` points at)."""

    buffer: npt.NDArray[np.uint8]


def bind_input(tensor: Tensor) -> BoundInput:
    array = tensor.array.astype(np.uint8) if tensor.datatype is Datatype.BOOL_8 else tensor.array
    buffer = aligned_buffer(array.nbytes)
    buffer[: array.nbytes] = np.ascontiguousarray(array).reshape(-1).view(np.uint8)
    return BoundInput(buffer)


def bind_output(tensor: Tensor) -> GuardedOutput:
    """An output: a guarded buffer, 128-aligned (arm it before the op runs, check it after)."""
    array = tensor.array
    dtype = np.dtype(np.uint8) if tensor.datatype is Datatype.BOOL_8 else array.dtype
    return GuardedOutput(array.shape, dtype, align=VECTOR_BYTES)


def output_problem(
    label: str,
    shape: tuple[int, ...],
    slot: dsp_abi.Udo_TensorParam_t,
    size: int | None,
    nbytes: int,
    datatype: int,
) -> str | None:
    """What is wrong with an output after executeOp (None: nothing): the size the op set
    (``size``), its current dimensions and dataType against the allocation."""
    dims = tuple(slot.currDimensions[j] for j in range(min(slot.tensorRank, 64)))
    if size is None:
        return f"it never called udoSetOutputTensorSize for {label}"
    if slot.tensorRank != len(shape) or dims != shape:
        return (
            f"it set the dimensions of {label} to {list(dims)}, which is not the allocated "
            f"shape {list(shape)} (the runtime returns the requested shape)"
        )
    if slot.dataType != datatype:
        return f"it changed the dataType of {label} from {datatype:#x} to {slot.dataType:#x}"
    if size != nbytes:
        return (
            f"udoSetOutputTensorSize gave {label} {size} bytes, but its dimensions "
            f"{list(dims)} hold {nbytes}"
        )
    return None
