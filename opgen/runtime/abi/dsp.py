"""ctypes mirror of the DSP backend's op-package structures: DSP/QnnDspOpPackage.h and the UDO
headers under DSP/Udo/ (``templates/dsp/static/include``), UDO API 1.6.0, LP64.

A host runtime playing the DSP backend fills a :class:`Udo_DspGlobalInfrastructure_t` with its
callbacks and passes it wrapped in a :class:`QnnDspOpPackage_GlobalInfrastructure_t` to ``init``;
getInfo's ``operationInfo`` is then an array of pointers to
:class:`QnnDspOpPackage_OperationInfo_t`, whose function pointers (the UDO function table) create,
run and release each op on :class:`Udo_Param_t` params and :class:`Udo_TensorParam_t` tensors.
tests/dsp/test_run_abi.py checks every size and offset against the C compiler.
"""

from __future__ import annotations

from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    Union,
    _Pointer,
    c_bool,
    c_char_p,
    c_float,
    c_int,
    c_int8,
    c_int16,
    c_int32,
    c_size_t,
    c_uint8,
    c_uint16,
    c_uint32,
    c_ulong,
    c_void_p,
)
from enum import IntEnum

from .common import CFunctionPointer, c_enum

QNN_BACKEND_ID_DSP = 5
QNN_DSP_API_VERSION_MAJOR = 5
QNN_DSP_API_VERSION_MINOR = 0
QNN_DSP_API_VERSION_PATCH = 1
#: ``API_VERSION_MAJOR/MINOR/TEENY`` of udo/UdoBase.h: the dspInfraVersion the runtime reports.
UDO_API_VERSION = (1, 6, 0)
SNPE_UDO_MAX_STRING_SIZE = 1024


class Udo_ErrorType_t(IntEnum):
    UDO_NO_ERROR = 0
    UDO_WRONG_CORE = 1
    UDO_INVALID_ARGUMENT = 2
    UDO_UNSUPPORTED_FEATURE = 3
    UDO_MEM_ALLOC_ERROR = 4
    UDO_WRONG_OPERATION = 100
    UDO_WRONG_CORE_TYPE = 101
    UDO_WRONG_NUM_OF_PARAMS = 102
    UDO_WRONG_NUM_OF_DIMENSIONS = 103
    UDO_WRONG_NUM_OF_INPUTS = 104
    UDO_WRONG_NUM_OF_OUTPUTS = 105
    UDO_PROGRAM_CACHE_NOT_FOUND = 106
    UDO_UNKNOWN_ERROR = 0xFFFFFFFF


def udo_error_name(code: int) -> str:
    """``UDO_WRONG_NUM_OF_INPUTS`` for 104; ``UDO_ERROR(7)`` for codes outside the enum."""
    try:
        return Udo_ErrorType_t(code).name
    except ValueError:
        return f"UDO_ERROR({code})"


class Udo_DataType_t(IntEnum):
    UDO_DATATYPE_FLOAT_16 = 0x01
    UDO_DATATYPE_FLOAT_32 = 0x02
    UDO_DATATYPE_FIXED_4 = 0x04
    UDO_DATATYPE_FIXED_8 = 0x08
    UDO_DATATYPE_FIXED_16 = 0x10
    UDO_DATATYPE_FIXED_32 = 0x20
    UDO_DATATYPE_UINT_8 = 0x100
    UDO_DATATYPE_UINT_16 = 0x200
    UDO_DATATYPE_UINT_32 = 0x400
    UDO_DATATYPE_INT_8 = 0x1000
    UDO_DATATYPE_INT_16 = 0x2000
    UDO_DATATYPE_INT_32 = 0x4000
    UDO_DATATYPE_LAST = 0xFFFFFFFF


class Udo_TensorLayout_t(IntEnum):
    UDO_LAYOUT_NHWC = 0x01
    UDO_LAYOUT_NCHW = 0x02
    UDO_LAYOUT_NDHWC = 0x04
    UDO_LAYOUT_GPU_OPTIMAL1 = 0x08
    UDO_LAYOUT_GPU_OPTIMAL2 = 0x10
    UDO_LAYOUT_DSP_OPTIMAL1 = 0x11
    UDO_LAYOUT_DSP_OPTIMAL2 = 0x12
    UDO_LAYOUT_NULL = 0x13
    UDO_LAYOUT_LAST = 0xFFFFFFFF


class Udo_CoreType_t(IntEnum):
    UDO_CORETYPE_UNDEFINED = 0x00
    UDO_CORETYPE_CPU = 0x01
    UDO_CORETYPE_GPU = 0x02
    UDO_CORETYPE_DSP = 0x04
    UDO_CORETYPE_LAST = 0xFFFFFFFF


class Udo_ParamType_t(IntEnum):
    UDO_PARAMTYPE_SCALAR = 0x00
    UDO_PARAMTYPE_STRING = 0x01
    UDO_PARAMTYPE_TENSOR = 0x02
    UDO_PARAMTYPE_LAST = 0xFFFFFFFF


class Udo_QuantizationType_t(IntEnum):
    UDO_QUANTIZATION_NONE = 0x00
    UDO_QUANTIZATION_TF = 0x01
    UDO_QUANTIZATION_QMN = 0x02
    UDO_QUANTIZATION_LAST = 0xFFFFFFFF


class Udo_HexNNTensorLayout_t(IntEnum):
    UDO_DSP_TENSOR_LAYOUT_PLAIN = 0x00
    UDO_DSP_TENSOR_LAYOUT_D32 = 0x01


class Udo_HexNNInfraType_t(IntEnum):
    UDO_INFRA_HEXNN_V2 = 0
    UDO_INFRA_HEXNN_V3 = 1


# --------------------------------------------------------------------------------------------------
# Params and tensors
# --------------------------------------------------------------------------------------------------


class Udo_Version_t(Structure):
    _fields_ = (("major", c_uint32), ("minor", c_uint32), ("teeny", c_uint32))
    major: int
    minor: int
    teeny: int


class _Udo_DataValue_u(Union):
    """``Udo_ScalarParam_t.dataValue``: no bool member (BOOL_8 travels as ``uint8Value``)."""

    _fields_ = (
        ("floatValue", c_float),
        ("uint32Value", c_uint32),
        ("int32Value", c_int32),
        ("uint16Value", c_uint16),
        ("int16Value", c_int16),
        ("uint8Value", c_uint8),
        ("int8Value", c_int8),
    )
    floatValue: float
    uint32Value: int
    int32Value: int
    uint16Value: int
    int16Value: int
    uint8Value: int
    int8Value: int


class Udo_ScalarParam_t(Structure):
    _fields_ = (("dataType", c_enum), ("dataValue", _Udo_DataValue_u))
    dataType: int
    dataValue: _Udo_DataValue_u


class Udo_TFQuantize_t(Structure):
    _fields_ = (("minValue", c_float), ("maxValue", c_float))
    minValue: float
    maxValue: float


class _Udo_QuantizeParams_u(Union):
    _fields_ = (("TFParams", Udo_TFQuantize_t),)


class Udo_QuantizeParams_t(Structure):
    _anonymous_ = ("_u",)
    _fields_ = (("quantizeType", c_enum), ("_u", _Udo_QuantizeParams_u))
    quantizeType: int
    TFParams: Udo_TFQuantize_t


class Udo_TensorParam_t(Structure):
    _fields_ = (
        ("maxDimensions", POINTER(c_uint32)),
        ("currDimensions", POINTER(c_uint32)),
        ("quantizeParams", Udo_QuantizeParams_t),
        ("tensorRank", c_uint32),
        ("dataType", c_enum),
        ("layout", c_enum),
        ("tensorData", c_void_p),
    )
    maxDimensions: _Pointer[c_uint32]
    currDimensions: _Pointer[c_uint32]
    quantizeParams: Udo_QuantizeParams_t
    tensorRank: int
    dataType: int
    layout: int
    tensorData: int | None


class _Udo_Param_u(Union):
    _fields_ = (
        ("scalarParam", Udo_ScalarParam_t),
        ("tensorParam", Udo_TensorParam_t),
        ("stringParam", c_char_p),
    )


class Udo_Param_t(Structure):
    _anonymous_ = ("_u",)
    _fields_ = (("paramType", c_enum), ("paramName", c_char_p), ("_u", _Udo_Param_u))
    paramType: int
    paramName: bytes | None
    scalarParam: Udo_ScalarParam_t
    tensorParam: Udo_TensorParam_t
    stringParam: bytes | None


# --------------------------------------------------------------------------------------------------
# The global infrastructure (udo/UdoImplDsp.h)
# --------------------------------------------------------------------------------------------------

#: ``void (*)(void* perOpInfrastructure, void* userData)``: a worker thread's body.
workerThread_t = CFUNCTYPE(None, c_void_p, c_void_p)
udoSetOutputTensorSize_t = CFUNCTYPE(c_int, c_void_p, c_uint32, c_uint32)
udoGetInputD32Paddings_t = CFUNCTYPE(
    c_int,
    c_void_p,
    c_uint32,
    POINTER(c_uint32),
    POINTER(c_uint32),
    POINTER(c_uint32),
    POINTER(c_uint32),
    POINTER(c_uint32),
    POINTER(c_uint32),
)
udoSetOutputD32ShapeSizePaddings_t = CFUNCTYPE(
    c_int, c_void_p, c_uint32, *([c_uint32] * 10), c_enum
)
udoMemalign_t = CFUNCTYPE(c_void_p, c_size_t, c_size_t)
udoMalloc_t = CFUNCTYPE(c_void_p, c_size_t)
udoCalloc_t = CFUNCTYPE(c_void_p, c_size_t, c_size_t)
udoFree_t = CFUNCTYPE(None, c_void_p)
udoGetVtcmSize_t = CFUNCTYPE(c_uint32, c_void_p)
udoGetVtcmPtr_t = CFUNCTYPE(c_void_p, c_void_p)
udoVtcmIsReal_t = CFUNCTYPE(c_uint32, c_void_p)
#: The worker function travels as an address (the runtime casts it to :data:`workerThread_t`).
udoRunWorkerThreads_t = CFUNCTYPE(None, c_void_p, c_uint32, c_void_p, c_void_p)


class Udo_HexNNv2GlobalInfra_t(Structure):
    _fields_ = (
        ("udoSetOutputTensorSize", udoSetOutputTensorSize_t),
        ("udoGetInputD32Paddings", udoGetInputD32Paddings_t),
        ("udoSetOutputD32ShapeSizePaddings", udoSetOutputD32ShapeSizePaddings_t),
        ("udoMemalign", udoMemalign_t),
        ("udoMalloc", udoMalloc_t),
        ("udoCalloc", udoCalloc_t),
        ("udoFree", udoFree_t),
        ("udoGetVtcmSize", udoGetVtcmSize_t),
        ("udoGetVtcmPtr", udoGetVtcmPtr_t),
        ("udoVtcmIsReal", udoVtcmIsReal_t),
        ("udoRunWorkerThreads", udoRunWorkerThreads_t),
    )


class Udo_DspGlobalInfrastructure_t(Structure):
    _fields_ = (
        ("dspInfraVersion", Udo_Version_t),
        ("infraType", c_enum),
        ("hexNNv2Infra", Udo_HexNNv2GlobalInfra_t),
    )
    dspInfraVersion: Udo_Version_t
    infraType: int
    hexNNv2Infra: Udo_HexNNv2GlobalInfra_t


class Udo_HexNNv2OpFactoryInfra_t(Structure):
    _fields_ = (("graphId", c_ulong),)
    graphId: int


# --------------------------------------------------------------------------------------------------
# DSP/QnnDspOpPackage.h
# --------------------------------------------------------------------------------------------------


class QnnDspOpPackage_GlobalInfrastructure_t(Structure):
    """C tag ``_QnnOpPackage_GlobalInfrastructure_t``; passed (by pointer) to ``init``."""

    _fields_ = (("dspGlobalInfra", POINTER(Udo_DspGlobalInfrastructure_t)),)
    dspGlobalInfra: _Pointer[Udo_DspGlobalInfrastructure_t]


_Errors = c_enum  # every UDO function returns a Udo_ErrorType_t
Udo_CreateOpFactoryFunction_t = CFUNCTYPE(
    _Errors, c_enum, c_void_p, c_char_p, c_uint32, POINTER(Udo_Param_t), POINTER(c_void_p)
)
Udo_CreateOperationFunction_t = CFUNCTYPE(
    _Errors,
    c_void_p,
    c_void_p,
    c_uint32,
    POINTER(Udo_TensorParam_t),
    c_uint32,
    POINTER(Udo_TensorParam_t),
    POINTER(c_void_p),
)
#: ``Udo_ErrorType_t (*)(const uint32_t ID)``: completion callback of a non-blocking executeOp.
Udo_ExternalNotify_t = CFUNCTYPE(_Errors, c_uint32)
Udo_ExecuteOpFunction_t = CFUNCTYPE(_Errors, c_void_p, c_bool, c_uint32, Udo_ExternalNotify_t)
Udo_ReleaseOpFunction_t = CFUNCTYPE(_Errors, c_void_p)
Udo_ReleaseOpFactoryFunction_t = CFUNCTYPE(_Errors, c_void_p)
Udo_ValidateOperationFunction_t = CFUNCTYPE(_Errors, c_char_p, c_uint32, POINTER(Udo_Param_t))
Udo_QueryOperationFunction_t = CFUNCTYPE(
    _Errors,
    c_char_p,
    c_uint32,
    POINTER(Udo_Param_t),
    POINTER(c_uint32),
    POINTER(POINTER(c_enum)),
    POINTER(POINTER(c_enum)),
    POINTER(c_uint32),
    POINTER(POINTER(c_enum)),
    POINTER(POINTER(c_enum)),
)


class QnnDspOpPackage_OperationInfo_t(Structure):
    """C tag ``_QnnOpPackage_OperationInfo_t``: one op's counts and UDO function table."""

    _fields_ = (
        ("opType", c_char_p),
        ("numOfStaticParams", c_uint32),
        ("numOfInputs", c_uint32),
        ("numOfOutputs", c_uint32),
        ("createOpFactory", Udo_CreateOpFactoryFunction_t),
        ("createOperation", Udo_CreateOperationFunction_t),
        ("executeOp", Udo_ExecuteOpFunction_t),
        ("releaseOp", Udo_ReleaseOpFunction_t),
        ("releaseOpFactory", Udo_ReleaseOpFactoryFunction_t),
        ("validateOp", Udo_ValidateOperationFunction_t),
        ("queryOp", Udo_QueryOperationFunction_t),
    )
    opType: bytes | None
    numOfStaticParams: int
    numOfInputs: int
    numOfOutputs: int
    createOpFactory: CFunctionPointer[int]
    createOperation: CFunctionPointer[int]
    executeOp: CFunctionPointer[int]
    releaseOp: CFunctionPointer[int]
    releaseOpFactory: CFunctionPointer[int]
    validateOp: CFunctionPointer[int]
    queryOp: CFunctionPointer[int]


#: The UDO function table entries, in struct order (an op must fill them all).
UDO_FUNCTIONS = (
    "createOpFactory",
    "createOperation",
    "executeOp",
    "releaseOp",
    "releaseOpFactory",
    "validateOp",
    "queryOp",
)

#: Every mirrored structure (C typedef name = class name), for the layout test.
STRUCTURES: tuple[type[Structure], ...] = (
    Udo_Version_t,
    Udo_ScalarParam_t,
    Udo_TFQuantize_t,
    Udo_QuantizeParams_t,
    Udo_TensorParam_t,
    Udo_Param_t,
    Udo_HexNNv2GlobalInfra_t,
    Udo_DspGlobalInfrastructure_t,
    Udo_HexNNv2OpFactoryInfra_t,
    QnnDspOpPackage_GlobalInfrastructure_t,
    QnnDspOpPackage_OperationInfo_t,
)
#: Every mirrored enum (C typedef name = class name; members spelled as in C).
ENUMS: tuple[type[IntEnum], ...] = (
    Udo_ErrorType_t,
    Udo_DataType_t,
    Udo_TensorLayout_t,
    Udo_CoreType_t,
    Udo_ParamType_t,
    Udo_QuantizationType_t,
    Udo_HexNNTensorLayout_t,
    Udo_HexNNInfraType_t,
)
