"""ctypes mirror of the HTP side: HTP/QnnHtpCommon.h and opgen's HTP host ABI
(``templates/htp/static/include/HTP/core/opgen_host_abi.h``, version 1).

The HTP backend finds a package's ops through its C++ registry, not through createOpImpl (which
is NULL). A package built against opgen's host emulation exports ``opgen_htp_registry``,
``opgen_htp_cost`` and ``opgen_htp_execute``; the structures they exchange are mirrored here.
tests/runtime/test_htp_abi_layout.py checks every size and offset against the C compiler.
"""

from __future__ import annotations

from ctypes import (
    CFUNCTYPE,
    POINTER,
    Array,
    Structure,
    _Pointer,
    c_char_p,
    c_double,
    c_float,
    c_int32,
    c_uint32,
    c_uint64,
    c_void_p,
)
from enum import IntEnum

from .common import Qnn_Param_t

QNN_BACKEND_ID_HTP = 6
QNN_HTP_API_VERSION_MAJOR = 5
QNN_HTP_API_VERSION_MINOR = 13
QNN_HTP_API_VERSION_PATCH = 0

OPGEN_HTP_HOST_ABI_VERSION = 1
OPGEN_HTP_MAX_RANK = 6
#: The exported symbols of the host ABI.
REGISTRY_SYMBOL = "opgen_htp_registry"
COST_SYMBOL = "opgen_htp_cost"
EXECUTE_SYMBOL = "opgen_htp_execute"


class OpgenHtpArgKind(IntEnum):
    OPGEN_HTP_ARG_GENERIC = 0
    OPGEN_HTP_ARG_FLAT = 1
    OPGEN_HTP_ARG_CHUNKED = 2
    OPGEN_HTP_ARG_SHAPE = 3
    OPGEN_HTP_ARG_SCALAR = 4


class DType(IntEnum):
    """HTP core tensor element types (``enum class DType``)."""

    UNKNOWN = 0
    QUInt8 = 1
    QUInt16 = 2
    QInt16 = 3
    Float32 = 4
    Int32 = 5
    QInt32 = 6
    QInt8 = 7
    Float16 = 8


class GraphStatus(IntEnum):
    """What an op function returns (``GraphStatus::GraphErrorCode``)."""

    Success = 0
    ErrorRank = 1
    ErrorDimensions = 2
    ErrorPrecision = 3
    ErrorNAN = 4
    ErrorNoTCM = 5
    ErrorNoSpace = 6
    ErrorUnsupported = 7
    ErrorSequence = 8
    ErrorBadID = 9
    ErrorBadInput = 10
    ErrorInvalidTCM = 11
    ErrorFatalSchdule = 12
    ErrorFatalTCMRequest = 13
    ErrorFatalAllocate = 14
    ErrorFatalCheck = 15
    ErrorBadOpName = 16
    ErrorFatalOptimize = 17
    ErrorFatalCSE = 18
    ErrorFatalInsert = 19
    ErrorFatalReschedule = 20
    ErrorEmptyList = 21
    ErrorFatalExecute = 22
    ErrorFatalExecuteLastRun = 23
    ErrorTCMAcquire = 24
    ErrorHMXAcquire = 25
    ErrorHMXPower = 26
    ErrorBadPMU = 27
    ErrorThreadCounts = 28
    ErrorClobberedPMU = 29
    ErrorFatalApiRecVersion = 94
    ErrorFatalDeserialize = 95
    ErrorFatalBlobVersion = 96
    ErrorFatalBlobVtcmSize = 97
    ErrorFatalUnusableGraph = 98
    ErrorFatalException = 99
    NotApplicable = 100
    Yielding = 101
    AbortSuccess = 102
    ErrorFatal = -1


def status_name(code: int) -> str:
    """``ErrorDimensions`` for 2; ``GraphStatus(17)`` style for codes outside the enum."""
    try:
        return GraphStatus(code).name
    except ValueError:
        return f"GraphStatus({code})"


class OpgenHtpArgInfo(Structure):
    _fields_ = (
        ("type_name", c_char_p),
        ("tag", c_char_p),
        ("is_output", c_uint32),
        ("kind", c_uint32),
        ("dtype", c_uint32),
        ("rank", c_uint32),
        ("memory_class", c_uint32),
        ("reserved", c_uint32),
    )
    type_name: bytes | None
    tag: bytes | None
    is_output: int
    kind: int
    dtype: int
    rank: int
    memory_class: int
    reserved: int


class OpgenHtpRegistration(Structure):
    _fields_ = (
        ("op_name", c_char_p),
        ("function", c_char_p),
        ("type_suffix", c_char_p),
        ("file", c_char_p),
        ("line", c_uint32),
        ("num_outputs", c_uint32),
        ("num_inputs", c_uint32),
        ("has_cost_function", c_uint32),
        ("cost", c_double),
        ("flags", c_uint64),
        ("args", POINTER(OpgenHtpArgInfo)),
    )
    op_name: bytes | None
    function: bytes | None
    type_suffix: bytes | None
    file: bytes | None
    line: int
    num_outputs: int
    num_inputs: int
    has_cost_function: int
    cost: float
    flags: int
    args: _Pointer[OpgenHtpArgInfo]


class OpgenHtpParamOrderEntry(Structure):
    _fields_ = (
        ("name", c_char_p),
        ("mandatory", c_uint32),
        ("reserved", c_uint32),
        ("default_value", POINTER(Qnn_Param_t)),
    )
    name: bytes | None
    mandatory: int
    reserved: int
    default_value: _Pointer[Qnn_Param_t]


class OpgenHtpParamOrder(Structure):
    _fields_ = (
        ("op_name", c_char_p),
        ("num_entries", c_uint32),
        ("reserved", c_uint32),
        ("entries", POINTER(OpgenHtpParamOrderEntry)),
    )
    op_name: bytes | None
    num_entries: int
    reserved: int
    entries: _Pointer[OpgenHtpParamOrderEntry]


class OpgenHtpRegistry(Structure):
    _fields_ = (
        ("abi_version", c_uint32),
        ("struct_size", c_uint32),
        ("package_name", c_char_p),
        ("num_registrations", c_uint32),
        ("num_param_orders", c_uint32),
        ("registrations", POINTER(OpgenHtpRegistration)),
        ("param_orders", POINTER(OpgenHtpParamOrder)),
        ("num_axis_params", c_uint32),
        ("num_per_channel_ops", c_uint32),
        ("axis_params", POINTER(c_char_p)),
        ("per_channel_ops", POINTER(c_char_p)),
        ("num_ignored_rules", c_uint32),
        ("num_empty_declarations", c_uint32),
        ("empty_declarations", POINTER(c_char_p)),
    )
    abi_version: int
    struct_size: int
    package_name: bytes | None
    num_registrations: int
    num_param_orders: int
    registrations: _Pointer[OpgenHtpRegistration]
    param_orders: _Pointer[OpgenHtpParamOrder]
    num_axis_params: int
    num_per_channel_ops: int
    axis_params: _Pointer[c_char_p]
    per_channel_ops: _Pointer[c_char_p]
    num_ignored_rules: int
    num_empty_declarations: int
    empty_declarations: _Pointer[c_char_p]


class OpgenHtpTensor(Structure):
    _fields_ = (
        ("dtype", c_uint32),
        ("rank", c_uint32),
        ("dims", c_uint32 * OPGEN_HTP_MAX_RANK),
        ("data", c_void_p),
        ("data_size", c_uint64),
        ("scale", c_float),
        ("zero_offset", c_int32),
    )
    dtype: int
    rank: int
    dims: Array[c_uint32]
    data: int | None
    data_size: int
    scale: float
    zero_offset: int


OpgenHtpRegistryFn_t = CFUNCTYPE(POINTER(OpgenHtpRegistry))
OpgenHtpCostFn_t = CFUNCTYPE(
    c_int32,
    c_uint32,
    c_uint32,
    POINTER(OpgenHtpTensor),
    c_uint32,
    POINTER(OpgenHtpTensor),
    POINTER(c_double),
    c_void_p,
    c_uint32,
)
OpgenHtpExecuteFn_t = CFUNCTYPE(
    c_int32,
    c_uint32,
    c_uint32,
    POINTER(OpgenHtpTensor),
    c_uint32,
    POINTER(OpgenHtpTensor),
    c_void_p,
    c_uint32,
)

#: Every mirrored structure, for the layout test.
STRUCTURES: tuple[type[Structure], ...] = (
    OpgenHtpArgInfo,
    OpgenHtpRegistration,
    OpgenHtpParamOrderEntry,
    OpgenHtpParamOrder,
    OpgenHtpRegistry,
    OpgenHtpTensor,
)
