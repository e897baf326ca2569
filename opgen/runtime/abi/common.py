"""ctypes mirror of the backend-independent op-package ABI (QnnCommon/QnnLog/QnnTypes/QnnOpPackage).

Layouts follow the LP64 C ABI (x86_64, aarch64). Every C enum is a 32-bit integer; fields of enum
type use :data:`c_enum` (unsigned, so ``0xFFFFFFFF`` reads back as itself) and the values are the
:class:`enum.IntEnum` classes below, named after the C typedefs with C-spelled members.

Anonymous C unions are mirrored with ``_anonymous_`` so ``tensor.v1.clientBuf`` and
``scalar.floatValue`` read as they do in C. Class-level annotations give the Python type a field
reads back as (ctypes converts ``char*`` to ``bytes | None``, integers to ``int``, and so on); they
are for type checkers only and do not affect the layout, which ``_fields_`` alone defines.
"""

from __future__ import annotations

from ctypes import (
    CFUNCTYPE,
    POINTER,
    Array,
    Structure,
    Union,
    _Pointer,
    c_char_p,
    c_float,
    c_int8,
    c_int16,
    c_int32,
    c_size_t,
    c_uint8,
    c_uint16,
    c_uint32,
    c_uint64,
    c_void_p,
)
from enum import IntEnum
from typing import Any, Protocol, TypeVar

#: ctypes type of every C enum field and argument (32 bits).
c_enum = c_uint32
#: ctypes type of ``Qnn_ErrorHandle_t``.
c_error_handle = c_uint64

_R_co = TypeVar("_R_co", covariant=True)


class CFunctionPointer(Protocol[_R_co]):
    """Static view of a function-pointer field: callable, returning ``_R_co``.

    At run time the field holds an instance of the matching ``CFUNCTYPE`` class; a NULL pointer is
    falsy and raises ``ValueError`` when called.
    """

    def __call__(self, *args: Any) -> _R_co: ...


# --------------------------------------------------------------------------------------------------
# QnnCommon.h
# --------------------------------------------------------------------------------------------------

QNN_API_VERSION_MAJOR = 2
QNN_API_VERSION_MINOR = 7
QNN_API_VERSION_PATCH = 2
QNN_SUCCESS = 0
QNN_SDK_BUILD_ID = "v2.13.0.230725130242_60412"

#: (name, first code, last code) of each component's error range, as in QnnCommon.h.
ERROR_RANGES: tuple[tuple[str, int, int], ...] = (
    ("COMMON", 1000, 1999),
    ("PROPERTY", 2000, 2999),
    ("OP_PACKAGE", 3000, 3999),
    ("BACKEND_SAVER", 4950, 4998),
    ("BACKEND", 4000, 4999),
    ("CONTEXT", 5000, 5999),
    ("GRAPH", 6000, 6999),
    ("TENSOR", 7000, 7999),
    ("MEM", 8000, 8999),
    ("SIGNAL", 9000, 9999),
    ("ERROR", 10000, 10999),
    ("LOG", 11000, 11999),
    ("PROFILE", 12000, 12999),
    ("PERF_INFRASTRUCTURE", 13000, 13999),
    ("DEVICE", 14000, 14999),
    ("SYSTEM", 30000, 49999),
    ("INTERFACE", 60000, 60999),
)


def get_error_code(handle: int) -> int:
    """``QNN_GET_ERROR_CODE``: the error code held in the low 16 bits of a ``Qnn_ErrorHandle_t``."""
    return handle & 0xFFFF


class QnnCommon_Error_t(IntEnum):
    QNN_COMMON_ERROR_NOT_SUPPORTED = 1000
    QNN_COMMON_ERROR_MEM_ALLOC = 1002
    QNN_COMMON_ERROR_SYSTEM = 1003
    QNN_COMMON_ERROR_INVALID_ARGUMENT = 1004
    QNN_COMMON_ERROR_OPERATION_NOT_PERMITTED = 1005
    QNN_COMMON_ERROR_PLATFORM_NOT_SUPPORTED = 1006
    QNN_COMMON_ERROR_SYSTEM_COMMUNICATION = 1007
    QNN_COMMON_ERROR_INCOMPATIBLE_BINARIES = 1008
    QNN_COMMON_ERROR_LOADING_BINARIES = 1009
    QNN_COMMON_ERROR_RESOURCE_UNAVAILABLE = 1010
    QNN_COMMON_ERROR_GENERAL = 1100
    QNN_COMMON_ERROR_UNDEFINED = 0x7FFFFFFF
    # Range markers last, so that a code shared with a real error keeps the error's name.
    QNN_COMMON_MIN_ERROR = 1000
    QNN_COMMON_MAX_ERROR = 1999


# --------------------------------------------------------------------------------------------------
# QnnLog.h
# --------------------------------------------------------------------------------------------------


class QnnLog_Level_t(IntEnum):
    QNN_LOG_LEVEL_ERROR = 1
    QNN_LOG_LEVEL_WARN = 2
    QNN_LOG_LEVEL_INFO = 3
    QNN_LOG_LEVEL_VERBOSE = 4
    QNN_LOG_LEVEL_DEBUG = 5
    QNN_LOG_LEVEL_MAX = 0x7FFFFFFF


class QnnLog_Error_t(IntEnum):
    QNN_LOG_NO_ERROR = 0
    QNN_LOG_ERROR_MEM_ALLOC = 1002
    QNN_LOG_ERROR_INITIALIZATION = 11002
    QNN_LOG_ERROR_INVALID_ARGUMENT = 11003
    QNN_LOG_ERROR_INVALID_HANDLE = 11004
    QNN_LOG_ERROR_UNDEFINED = 0x7FFFFFFF
    QNN_LOG_MIN_ERROR = 11000
    QNN_LOG_MAX_ERROR = 11999


#: ``void (*)(const char* fmt, QnnLog_Level_t level, uint64_t timestamp, va_list args)``.
#: ``va_list`` is received as an opaque pointer: on x86_64 it is an array (decays to a pointer) and
#: on aarch64 Linux a 32-byte struct, passed by reference. Python cannot expand it.
QnnLog_Callback_t = CFUNCTYPE(None, c_char_p, c_enum, c_uint64, c_void_p)


# --------------------------------------------------------------------------------------------------
# QnnTypes.h: enumerations
# --------------------------------------------------------------------------------------------------


class Qnn_DataType_t(IntEnum):
    QNN_DATATYPE_INT_8 = 0x0008
    QNN_DATATYPE_INT_16 = 0x0016
    QNN_DATATYPE_INT_32 = 0x0032
    QNN_DATATYPE_INT_64 = 0x0064
    QNN_DATATYPE_UINT_8 = 0x0108
    QNN_DATATYPE_UINT_16 = 0x0116
    QNN_DATATYPE_UINT_32 = 0x0132
    QNN_DATATYPE_UINT_64 = 0x0164
    QNN_DATATYPE_FLOAT_16 = 0x0216
    QNN_DATATYPE_FLOAT_32 = 0x0232
    QNN_DATATYPE_SFIXED_POINT_8 = 0x0308
    QNN_DATATYPE_SFIXED_POINT_16 = 0x0316
    QNN_DATATYPE_SFIXED_POINT_32 = 0x0332
    QNN_DATATYPE_UFIXED_POINT_8 = 0x0408
    QNN_DATATYPE_UFIXED_POINT_16 = 0x0416
    QNN_DATATYPE_UFIXED_POINT_32 = 0x0432
    QNN_DATATYPE_BOOL_8 = 0x0508
    QNN_DATATYPE_UNDEFINED = 0x7FFFFFFF


class Qnn_Precision_t(IntEnum):
    QNN_PRECISION_FLOAT32 = 0
    QNN_PRECISION_FLOAT16 = 1
    QNN_PRECISION_UNDEFINED = 0x7FFFFFFF


class Qnn_TensorType_t(IntEnum):
    QNN_TENSOR_TYPE_APP_WRITE = 0
    QNN_TENSOR_TYPE_APP_READ = 1
    QNN_TENSOR_TYPE_APP_READWRITE = 2
    QNN_TENSOR_TYPE_NATIVE = 3
    QNN_TENSOR_TYPE_STATIC = 4
    QNN_TENSOR_TYPE_NULL = 5
    QNN_TENSOR_TYPE_UNDEFINED = 0x7FFFFFFF


class Qnn_ParamType_t(IntEnum):
    QNN_PARAMTYPE_SCALAR = 0
    QNN_PARAMTYPE_TENSOR = 1
    QNN_PARAMTYPE_UNDEFINED = 0xFFFFFFFF


class Qnn_Definition_t(IntEnum):
    QNN_DEFINITION_IMPL_GENERATED = 0
    QNN_DEFINITION_DEFINED = 1
    QNN_DEFINITION_UNDEFINED = 0x7FFFFFFF


class Qnn_QuantizationEncoding_t(IntEnum):
    QNN_QUANTIZATION_ENCODING_SCALE_OFFSET = 0
    QNN_QUANTIZATION_ENCODING_AXIS_SCALE_OFFSET = 1
    QNN_QUANTIZATION_ENCODING_BW_SCALE_OFFSET = 2
    QNN_QUANTIZATION_ENCODING_BW_AXIS_SCALE_OFFSET = 3
    QNN_QUANTIZATION_ENCODING_UNDEFINED = 0x7FFFFFFF


QNN_TENSOR_DATA_FORMAT_FLAT_BUFFER = 0


class Qnn_TensorMemType_t(IntEnum):
    QNN_TENSORMEMTYPE_RAW = 0
    QNN_TENSORMEMTYPE_MEMHANDLE = 1
    QNN_TENSORMEMTYPE_UNDEFINED = 0x7FFFFFFF


class Qnn_TensorVersion_t(IntEnum):
    QNN_TENSOR_VERSION_1 = 1
    QNN_TENSOR_VERSION_UNDEFINED = 0x7FFFFFFF


class Qnn_OpConfigVersion_t(IntEnum):
    QNN_OPCONFIG_VERSION_1 = 1
    QNN_OPCONFIG_VERSION_UNDEFINED = 0x7FFFFFFF


# --------------------------------------------------------------------------------------------------
# QnnTypes.h: structures
# --------------------------------------------------------------------------------------------------


class Qnn_Version_t(Structure):
    _fields_ = (("major", c_uint32), ("minor", c_uint32), ("patch", c_uint32))
    major: int
    minor: int
    patch: int


class Qnn_ApiVersion_t(Structure):
    _fields_ = (("coreApiVersion", Qnn_Version_t), ("backendApiVersion", Qnn_Version_t))
    coreApiVersion: Qnn_Version_t
    backendApiVersion: Qnn_Version_t


class _Qnn_Scalar_u(Union):
    _fields_ = (
        ("floatValue", c_float),
        ("uint32Value", c_uint32),
        ("int32Value", c_int32),
        ("uint16Value", c_uint16),
        ("int16Value", c_int16),
        ("uint8Value", c_uint8),
        ("int8Value", c_int8),
        ("bool8Value", c_uint8),
    )


class Qnn_Scalar_t(Structure):
    _anonymous_ = ("_u",)
    _fields_ = (("dataType", c_enum), ("_u", _Qnn_Scalar_u))
    dataType: int
    floatValue: float
    uint32Value: int
    int32Value: int
    uint16Value: int
    int16Value: int
    uint8Value: int
    int8Value: int
    bool8Value: int


class Qnn_ScaleOffset_t(Structure):
    _fields_ = (("scale", c_float), ("offset", c_int32))
    scale: float
    offset: int


class Qnn_BwScaleOffset_t(Structure):
    _fields_ = (("bitwidth", c_uint32), ("scale", c_float), ("offset", c_int32))
    bitwidth: int
    scale: float
    offset: int


class Qnn_AxisScaleOffset_t(Structure):
    _fields_ = (
        ("axis", c_int32),
        ("numScaleOffsets", c_uint32),
        ("scaleOffset", POINTER(Qnn_ScaleOffset_t)),
    )
    axis: int
    numScaleOffsets: int
    scaleOffset: _Pointer[Qnn_ScaleOffset_t]


class Qnn_BwAxisScaleOffset_t(Structure):
    _fields_ = (
        ("bitwidth", c_uint32),
        ("axis", c_int32),
        ("numElements", c_uint32),
        ("scales", POINTER(c_float)),
        ("offsets", POINTER(c_int32)),
    )
    bitwidth: int
    axis: int
    numElements: int
    scales: _Pointer[c_float]
    offsets: _Pointer[c_int32]


class _Qnn_QuantizeParams_u(Union):
    _fields_ = (
        ("scaleOffsetEncoding", Qnn_ScaleOffset_t),
        ("axisScaleOffsetEncoding", Qnn_AxisScaleOffset_t),
        ("bwScaleOffsetEncoding", Qnn_BwScaleOffset_t),
        ("bwAxisScaleOffsetEncoding", Qnn_BwAxisScaleOffset_t),
    )


class Qnn_QuantizeParams_t(Structure):
    _anonymous_ = ("_u",)
    _fields_ = (
        ("encodingDefinition", c_enum),
        ("quantizationEncoding", c_enum),
        ("_u", _Qnn_QuantizeParams_u),
    )
    encodingDefinition: int
    quantizationEncoding: int
    scaleOffsetEncoding: Qnn_ScaleOffset_t
    axisScaleOffsetEncoding: Qnn_AxisScaleOffset_t
    bwScaleOffsetEncoding: Qnn_BwScaleOffset_t
    bwAxisScaleOffsetEncoding: Qnn_BwAxisScaleOffset_t


class Qnn_ClientBuffer_t(Structure):
    _fields_ = (("data", c_void_p), ("dataSize", c_uint32))
    data: int | None
    dataSize: int


class _Qnn_TensorV1_u(Union):
    _fields_ = (("clientBuf", Qnn_ClientBuffer_t), ("memHandle", c_void_p))


class Qnn_TensorV1_t(Structure):
    _anonymous_ = ("_u",)
    _fields_ = (
        ("id", c_uint32),
        ("name", c_char_p),
        ("type", c_enum),
        ("dataFormat", c_uint32),
        ("dataType", c_enum),
        ("quantizeParams", Qnn_QuantizeParams_t),
        ("rank", c_uint32),
        ("dimensions", POINTER(c_uint32)),
        ("memType", c_enum),
        ("_u", _Qnn_TensorV1_u),
    )
    id: int
    name: bytes | None
    type: int
    dataFormat: int
    dataType: int
    quantizeParams: Qnn_QuantizeParams_t
    rank: int
    dimensions: _Pointer[c_uint32]
    memType: int
    clientBuf: Qnn_ClientBuffer_t
    memHandle: int | None


class _Qnn_Tensor_u(Union):
    _fields_ = (("v1", Qnn_TensorV1_t),)


class Qnn_Tensor_t(Structure):
    _anonymous_ = ("_u",)
    _fields_ = (("version", c_enum), ("_u", _Qnn_Tensor_u))
    version: int
    v1: Qnn_TensorV1_t


class _Qnn_Param_u(Union):
    _fields_ = (("scalarParam", Qnn_Scalar_t), ("tensorParam", Qnn_Tensor_t))


class Qnn_Param_t(Structure):
    _anonymous_ = ("_u",)
    _fields_ = (("paramType", c_enum), ("name", c_char_p), ("_u", _Qnn_Param_u))
    paramType: int
    name: bytes | None
    scalarParam: Qnn_Scalar_t
    tensorParam: Qnn_Tensor_t


class Qnn_OpConfigV1_t(Structure):
    _fields_ = (
        ("name", c_char_p),
        ("packageName", c_char_p),
        ("typeName", c_char_p),
        ("numOfParams", c_uint32),
        ("params", POINTER(Qnn_Param_t)),
        ("numOfInputs", c_uint32),
        ("inputTensors", POINTER(Qnn_Tensor_t)),
        ("numOfOutputs", c_uint32),
        ("outputTensors", POINTER(Qnn_Tensor_t)),
    )
    name: bytes | None
    packageName: bytes | None
    typeName: bytes | None
    numOfParams: int
    params: _Pointer[Qnn_Param_t]
    numOfInputs: int
    inputTensors: _Pointer[Qnn_Tensor_t]
    numOfOutputs: int
    outputTensors: _Pointer[Qnn_Tensor_t]


class _Qnn_OpConfig_u(Union):
    _fields_ = (("v1", Qnn_OpConfigV1_t),)


class Qnn_OpConfig_t(Structure):
    """Passed **by value** to ``validateOpConfig``."""

    _anonymous_ = ("_u",)
    _fields_ = (("version", c_enum), ("_u", _Qnn_OpConfig_u))
    version: int
    v1: Qnn_OpConfigV1_t


# --------------------------------------------------------------------------------------------------
# QnnOpPackage.h
# --------------------------------------------------------------------------------------------------


class QnnOpPackage_Error_t(IntEnum):
    QNN_OP_PACKAGE_NO_ERROR = 0
    QNN_OP_PACKAGE_ERROR_UNSUPPORTED_FEATURE = 1000
    QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED = 3000
    QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED = 3001
    QNN_OP_PACKAGE_ERROR_INVALID_HANDLE = 3002
    QNN_OP_PACKAGE_ERROR_INVALID_INFRASTRUCTURE = 3100
    QNN_OP_PACKAGE_ERROR_INVALID_INFO = 3101
    QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE = 3110
    QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT = 3200
    QNN_OP_PACKAGE_ERROR_GENERAL = 1100
    QNN_OP_PACKAGE_ERROR_UNDEFINED = 0x7FFFFFFF
    QNN_OP_PACKAGE_MIN_ERROR = 3000
    QNN_OP_PACKAGE_MAX_ERROR = 3999


def error_name(code: int) -> str:
    """Symbolic name of an error code or ``Qnn_ErrorHandle_t``, e.g. 3200 ->
    ``"QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT"``.

    Codes are looked up in the op-package, common and log enums, in that order (so 1000 reads as
    ``QNN_OP_PACKAGE_ERROR_UNSUPPORTED_FEATURE``). A handle with bits above the low 16 that matches
    nothing is retried as ``QNN_GET_ERROR_CODE(handle)``. Unknown codes give
    ``"UNKNOWN_ERROR(<code>)"``, with the component range appended when the code falls in one.
    """
    if code == QNN_SUCCESS:
        return "QNN_SUCCESS"
    for enum in _ERROR_ENUMS:
        try:
            return enum(code).name
        except ValueError:
            continue
    if code > 0xFFFF:
        return error_name(get_error_code(code))
    for name, low, high in ERROR_RANGES:
        if low <= code <= high:
            return f"UNKNOWN_ERROR({code}, {name} range)"
    return f"UNKNOWN_ERROR({code})"


_ERROR_ENUMS: tuple[type[IntEnum], ...] = (QnnOpPackage_Error_t, QnnCommon_Error_t, QnnLog_Error_t)


QNN_OP_PACKAGE_RESERVED_INFO_SIZE = 12
QNN_OP_PACKAGE_API_VERSION_1_4_0 = (1, 4, 0)
QNN_OP_PACKAGE_API_VERSION_2_0_0 = (2, 0, 0)

# The generic interface passes backend structures through opaque pointers
# (QnnOpPackage_GlobalInfrastructure_t, _GraphInfrastructure_t, _Node_t, _OpImpl_t,
# _Optimization_t, _OperationInfo_t); they are void pointers here. The backend modules (cpu, gpu)
# define what they point at.


class QnnOpPackage_Info_t(Structure):
    _fields_ = (
        ("packageName", c_char_p),
        ("operationNames", POINTER(c_char_p)),
        ("operationInfo", POINTER(c_void_p)),
        ("numOperations", c_uint32),
        ("optimizations", POINTER(c_void_p)),
        ("numOptimizations", c_uint32),
        ("sdkBuildId", c_char_p),
        ("sdkApiVersion", POINTER(Qnn_ApiVersion_t)),
        ("packageInfo", c_void_p),
        ("opsetVersion", POINTER(Qnn_Version_t)),
        ("reserved", c_size_t * QNN_OP_PACKAGE_RESERVED_INFO_SIZE),
    )
    packageName: bytes | None
    operationNames: _Pointer[c_char_p]
    operationInfo: _Pointer[c_void_p]
    numOperations: int
    optimizations: _Pointer[c_void_p]
    numOptimizations: int
    sdkBuildId: bytes | None
    sdkApiVersion: _Pointer[Qnn_ApiVersion_t]
    packageInfo: int | None
    opsetVersion: _Pointer[Qnn_Version_t]
    reserved: Array[c_size_t]


# Interface version 1.4 entry points.
QnnOpPackage_InitFn_t = CFUNCTYPE(c_error_handle, c_void_p)
QnnOpPackage_TerminateFn_t = CFUNCTYPE(c_error_handle)
QnnOpPackage_GetInfoFn_t = CFUNCTYPE(c_error_handle, POINTER(POINTER(QnnOpPackage_Info_t)))
QnnOpPackage_ValidateOpConfigFn_t = CFUNCTYPE(c_error_handle, Qnn_OpConfig_t)
QnnOpPackage_CreateOpImplFn_t = CFUNCTYPE(c_error_handle, c_void_p, c_void_p, POINTER(c_void_p))
QnnOpPackage_FreeOpImplFn_t = CFUNCTYPE(c_error_handle, c_void_p)
QnnOpPackage_LogInitializeFn_t = CFUNCTYPE(c_error_handle, QnnLog_Callback_t, c_enum)
QnnOpPackage_LogSetLevelFn_t = CFUNCTYPE(c_error_handle, c_enum)
QnnOpPackage_LogTerminateFn_t = CFUNCTYPE(c_error_handle)

# Interface version 2.0 (handle based) entry points.
QnnOpPackage_CreateFn_t = CFUNCTYPE(
    c_error_handle, c_void_p, QnnLog_Callback_t, c_enum, POINTER(c_void_p)
)
QnnOpPackage_ValidateOpConfigHandleFn_t = CFUNCTYPE(c_error_handle, c_void_p, Qnn_OpConfig_t)
QnnOpPackage_CreateOpImplHandleFn_t = CFUNCTYPE(
    c_error_handle, c_void_p, c_void_p, c_void_p, POINTER(c_void_p)
)
QnnOpPackage_FreeOpImplHandleFn_t = CFUNCTYPE(c_error_handle, c_void_p, c_void_p)
QnnOpPackage_LogSetLevelHandleFn_t = CFUNCTYPE(c_error_handle, c_void_p, c_enum)
QnnOpPackage_FreeFn_t = CFUNCTYPE(c_error_handle, c_void_p)


class QnnOpPackage_ImplementationV1_4_t(Structure):
    _fields_ = (
        ("init", QnnOpPackage_InitFn_t),
        ("terminate", QnnOpPackage_TerminateFn_t),
        ("getInfo", QnnOpPackage_GetInfoFn_t),
        ("validateOpConfig", QnnOpPackage_ValidateOpConfigFn_t),
        ("createOpImpl", QnnOpPackage_CreateOpImplFn_t),
        ("freeOpImpl", QnnOpPackage_FreeOpImplFn_t),
        ("logInitialize", QnnOpPackage_LogInitializeFn_t),
        ("logSetLevel", QnnOpPackage_LogSetLevelFn_t),
        ("logTerminate", QnnOpPackage_LogTerminateFn_t),
    )
    init: CFunctionPointer[int]
    terminate: CFunctionPointer[int]
    getInfo: CFunctionPointer[int]
    validateOpConfig: CFunctionPointer[int]
    createOpImpl: CFunctionPointer[int]
    freeOpImpl: CFunctionPointer[int]
    logInitialize: CFunctionPointer[int]
    logSetLevel: CFunctionPointer[int]
    logTerminate: CFunctionPointer[int]


class QnnOpPackage_ImplementationV2_0_t(Structure):
    _fields_ = (
        ("create", QnnOpPackage_CreateFn_t),
        ("getInfo", QnnOpPackage_GetInfoFn_t),
        ("validateOpConfig", QnnOpPackage_ValidateOpConfigHandleFn_t),
        ("createOpImpl", QnnOpPackage_CreateOpImplHandleFn_t),
        ("freeOpImpl", QnnOpPackage_FreeOpImplHandleFn_t),
        ("logSetLevel", QnnOpPackage_LogSetLevelHandleFn_t),
        ("free", QnnOpPackage_FreeFn_t),
    )
    create: CFunctionPointer[int]
    getInfo: CFunctionPointer[int]
    validateOpConfig: CFunctionPointer[int]
    createOpImpl: CFunctionPointer[int]
    freeOpImpl: CFunctionPointer[int]
    logSetLevel: CFunctionPointer[int]
    free: CFunctionPointer[int]


class _QnnOpPackage_Interface_u(Union):
    _fields_ = (
        ("v1_4", QnnOpPackage_ImplementationV1_4_t),
        ("v2_0", QnnOpPackage_ImplementationV2_0_t),
    )


class QnnOpPackage_Interface_t(Structure):
    """Filled by a package's exported ``<Package>InterfaceProvider``."""

    _anonymous_ = ("_u",)
    _fields_ = (("interfaceVersion", Qnn_Version_t), ("_u", _QnnOpPackage_Interface_u))
    interfaceVersion: Qnn_Version_t
    v1_4: QnnOpPackage_ImplementationV1_4_t
    v2_0: QnnOpPackage_ImplementationV2_0_t


#: Signature of the ``<Package>InterfaceProvider`` symbol.
QnnOpPackage_InterfaceProvider_t = CFUNCTYPE(c_error_handle, POINTER(QnnOpPackage_Interface_t))
