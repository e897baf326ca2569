"""An :class:`~opgen.runtime.request.OpRequest` as the ``Qnn_OpConfig_t`` every backend
validates with ``validateOpConfig``.

The structure points into numpy arrays and ctypes buffers; :class:`BuiltOpConfig` keeps all of
them alive for as long as the structure is (the C side must never see freed memory).
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from typing import Any

from opgen.model import Datatype
from opgen.runtime import abi
from opgen.runtime.errors import OpRequestError
from opgen.runtime.request import OpRequest, ScalarParam, Tensor

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

_MAX_CLIENT_BUFFER = 0xFFFFFFFF  # Qnn_ClientBuffer_t.dataSize is a uint32


def datatype_code(datatype: Datatype) -> int:
    code = datatype.qnn_code
    assert code is not None, datatype  # requests only hold concrete datatypes
    return code


def dimensions(tensor: Tensor, keep: list[Any]) -> Any:
    """A ``uint32_t[rank]`` (one element at least, so rank 0 still has a valid pointer)."""
    shape = tensor.array.shape
    dims = (ctypes.c_uint32 * max(len(shape), 1))(*shape)
    keep.append(dims)
    return dims


def scalar_value(param: ScalarParam) -> bool | int | float:
    return float(param.value) if param.datatype is Datatype.FLOAT_32 else int(param.value)


@dataclass
class BuiltOpConfig:
    config: abi.Qnn_OpConfig_t
    keep: list[Any] = field(default_factory=list)


def build_op_config(request: OpRequest, package: str, node_name: str) -> BuiltOpConfig:
    built = BuiltOpConfig(abi.Qnn_OpConfig_t())
    keep = built.keep
    names = [node_name.encode(), package.encode(), request.op_type.encode()]
    keep.extend(names)
    v1 = built.config.v1
    built.config.version = abi.Qnn_OpConfigVersion_t.QNN_OPCONFIG_VERSION_1
    v1.name, v1.packageName, v1.typeName = names
    groups = (
        (request.inputs, abi.Qnn_TensorType_t.QNN_TENSOR_TYPE_APP_WRITE, "in"),
        (request.outputs, abi.Qnn_TensorType_t.QNN_TENSOR_TYPE_APP_READ, "out"),
    )
    arrays = []
    for tensors, tensor_type, prefix in groups:
        array = (abi.Qnn_Tensor_t * max(len(tensors), 1))()
        for i, tensor in enumerate(tensors):
            _fill_tensor(array[i], tensor, f"{node_name}:{prefix}{i}", tensor_type, keep, request)
        keep.append(array)
        arrays.append(array)
    tensor_pointer = ctypes.POINTER(abi.Qnn_Tensor_t)
    v1.numOfInputs = len(request.inputs)
    v1.inputTensors = ctypes.cast(arrays[0], tensor_pointer)
    v1.numOfOutputs = len(request.outputs)
    v1.outputTensors = ctypes.cast(arrays[1], tensor_pointer)
    params = (abi.Qnn_Param_t * max(len(request.params), 1))()
    for i, param in enumerate(request.params):
        slot = params[i]
        slot.name = param.name.encode()
        if isinstance(param, ScalarParam):
            slot.paramType = abi.Qnn_ParamType_t.QNN_PARAMTYPE_SCALAR
            slot.scalarParam.dataType = datatype_code(param.datatype)
            setattr(slot.scalarParam, _SCALAR_FIELDS[param.datatype], scalar_value(param))
        else:
            slot.paramType = abi.Qnn_ParamType_t.QNN_PARAMTYPE_TENSOR
            static = abi.Qnn_TensorType_t.QNN_TENSOR_TYPE_STATIC
            name = f"{node_name}:{param.name}"
            _fill_tensor(slot.tensorParam, param.tensor, name, static, keep, request)
    keep.append(params)
    v1.numOfParams = len(request.params)
    v1.params = ctypes.cast(params, ctypes.POINTER(abi.Qnn_Param_t))
    return built


def _fill_tensor(
    slot: abi.Qnn_Tensor_t,
    tensor: Tensor,
    name: str,
    tensor_type: int,
    keep: list[Any],
    request: OpRequest,
) -> None:
    if tensor.array.nbytes > _MAX_CLIENT_BUFFER:
        raise OpRequestError(
            f"tensor '{name}' has {tensor.array.nbytes} bytes; a client buffer holds at most "
            f"{_MAX_CLIENT_BUFFER}",
            op=request.op_type,
        )
    encoded = name.encode()
    keep.append(encoded)
    slot.version = abi.Qnn_TensorVersion_t.QNN_TENSOR_VERSION_1
    v1 = slot.v1
    v1.name = encoded
    v1.type = tensor_type
    v1.dataFormat = abi.QNN_TENSOR_DATA_FORMAT_FLAT_BUFFER
    v1.dataType = datatype_code(tensor.datatype)
    v1.quantizeParams.encodingDefinition = abi.Qnn_Definition_t.QNN_DEFINITION_UNDEFINED
    v1.quantizeParams.quantizationEncoding = (
        abi.Qnn_QuantizationEncoding_t.QNN_QUANTIZATION_ENCODING_UNDEFINED
    )
    v1.rank = tensor.array.ndim
    v1.dimensions = ctypes.cast(dimensions(tensor, keep), ctypes.POINTER(ctypes.c_uint32))
    v1.memType = abi.Qnn_TensorMemType_t.QNN_TENSORMEMTYPE_RAW
    v1.clientBuf.data = tensor.array.ctypes.data
    v1.clientBuf.dataSize = tensor.array.nbytes
    keep.append(tensor.array)
