"""ctypes mirror of the CPU backend's op-package structures (CPU/QnnCpuOpPackage.h and
CPU/QnnCpuCommon.h).

A host runtime playing the CPU backend builds a :class:`QnnCpuOpPackage_GlobalInfra_t` for ``init``,
a :class:`QnnCpuOpPackage_Node_t` for ``createOpImpl``, and reads back the
:class:`QnnCpuOpPackage_OpImpl_t` the package wrote into ``*opImpl``.
"""

from __future__ import annotations

from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    Union,
    _Pointer,
    c_char_p,
    c_double,
    c_uint32,
    c_void_p,
)
from enum import IntEnum

from .common import CFunctionPointer, c_enum, c_error_handle

QNN_BACKEND_ID_CPU = 3
QNN_CPU_API_VERSION_MAJOR = 1
QNN_CPU_API_VERSION_MINOR = 1
QNN_CPU_API_VERSION_PATCH = 0


class QnnCpuOpPackage_ParamType_t(IntEnum):
    QNN_CPU_PARAMTYPE_SCALAR = 0
    QNN_CPU_PARAMTYPE_TENSOR = 1
    QNN_CPU_PARAMTYPE_UNDEFINED = 0xFFFFFFFF


class QnnCpuOpPackage_DataType_t(IntEnum):
    QNN_CPU_DATATYPE_BOOL_8 = 0x0508
    QNN_CPU_DATATYPE_INT_8 = 0x0008
    QNN_CPU_DATATYPE_INT_32 = 0x0032
    QNN_CPU_DATATYPE_UINT_8 = 0x0108
    QNN_CPU_DATATYPE_UINT_32 = 0x0132
    QNN_CPU_DATATYPE_FLOAT_32 = 0x0232
    QNN_CPU_DATATYPE_UNDEFINED = 0x7FFFFFFF


class QnnCpuOpPackage_MsgType_t(IntEnum):
    QNN_CPU_MSG_ERROR = 1
    QNN_CPU_MSG_DEBUG = 2
    QNN_CPU_MSG_LOW = 3
    QNN_CPU_MSG_MED = 4
    QNN_CPU_MSG_HIGH = 5
    QNN_CPU_MSG_UNDEFINED = 0x7FFFFFFF


class QnnCpuOpPackage_ProfileType_t(IntEnum):
    QNN_CPU_PROFILE_BASIC = 1
    QNN_CPU_PROFILE_DETAILED = 2
    QNN_CPU_PROFILE_UNDEFINED = 0x7FFFFFFF


#: ``void (*)(QnnCpuOpPackage_MsgType_t, const char* fmt, ...)``. ctypes cannot declare a variadic
#: callback: this one receives the message type and the format string only. (On x86_64 and aarch64
#: Linux a variadic caller passes these two exactly as a fixed-argument caller would.)
QnnCpuOpPackage_ReportMessageFn_t = CFUNCTYPE(None, c_enum, c_char_p)
#: The same variadic ``reportMessage`` as seen by a callee expecting one pointer-sized variadic
#: argument after the format, i.e. calls of the form ``reportMessage(type, "%s", message)``.
#: On x86_64 SysV and aarch64 Linux, integer and pointer variadic arguments travel in the same
#: registers as named ones, so such a callee reads ``message`` correctly. The third argument is
#: an address (``c_void_p``), not ``c_char_p``: for any other format it holds garbage and must
#: not be dereferenced. Cast an instance to :data:`QnnCpuOpPackage_ReportMessageFn_t` to store it
#: in :class:`QnnCpuOpPackage_GlobalInfra_t`.
QnnCpuOpPackage_ReportMessageStrFn_t = CFUNCTYPE(None, c_enum, c_char_p, c_void_p)
#: ``void (*)(QnnCpuOpPackage_ProfileType_t, double timeInMsec)``.
QnnCpuOpPackage_ProfileFn_t = CFUNCTYPE(None, c_enum, c_double)
#: ``Qnn_ErrorHandle_t (*)(void* opPkgNodeData)``: the kernel entry point in an OpImpl.
QnnCpuOpPackage_OpImplFn_t = CFUNCTYPE(c_error_handle, c_void_p)


class QnnCpuOpPackage_GlobalInfra_t(Structure):
    """C tag ``_QnnOpPackage_GlobalInfrastructure_t``; passed (by pointer) to ``init``."""

    _fields_ = (
        ("reportMessage", QnnCpuOpPackage_ReportMessageFn_t),
        ("profile", QnnCpuOpPackage_ProfileFn_t),
    )
    reportMessage: CFunctionPointer[None]
    profile: CFunctionPointer[None]


class QnnCpuOpPackage_OpImpl_t(Structure):
    """C tag ``_QnnOpPackage_OpImpl_t``; ``createOpImpl`` returns a pointer to one."""

    _fields_ = (("opImplFn", QnnCpuOpPackage_OpImplFn_t), ("userData", c_void_p))
    opImplFn: CFunctionPointer[int]
    userData: int | None


class QnnCpuOpPackage_Tensor_t(Structure):
    _fields_ = (
        ("dataFormat", c_uint32),
        ("dataType", c_enum),
        ("rank", c_uint32),
        ("maxDimensions", POINTER(c_uint32)),
        ("currentDimensions", POINTER(c_uint32)),
        ("data", c_void_p),
    )
    dataFormat: int
    dataType: int
    rank: int
    maxDimensions: _Pointer[c_uint32]
    currentDimensions: _Pointer[c_uint32]
    data: int | None


class _QnnCpuOpPackage_Param_u(Union):
    _fields_ = (("scalarParam", c_double), ("tensorParam", POINTER(QnnCpuOpPackage_Tensor_t)))


class QnnCpuOpPackage_Param_t(Structure):
    """Scalars always travel as ``double``, whatever the declared datatype."""

    _anonymous_ = ("_u",)
    _fields_ = (("type", c_enum), ("name", c_char_p), ("_u", _QnnCpuOpPackage_Param_u))
    type: int
    name: bytes | None
    scalarParam: float
    tensorParam: _Pointer[QnnCpuOpPackage_Tensor_t]


class QnnCpuOpPackage_Node_t(Structure):
    """C tag ``_QnnOpPackage_Node_t``; passed (by pointer) to ``createOpImpl``."""

    _fields_ = (
        ("name", c_char_p),
        ("packageName", c_char_p),
        ("typeName", c_char_p),
        ("numOfParams", c_uint32),
        ("params", POINTER(POINTER(QnnCpuOpPackage_Param_t))),
        ("numOfInputs", c_uint32),
        ("inputs", POINTER(POINTER(QnnCpuOpPackage_Tensor_t))),
        ("numOfOutputs", c_uint32),
        ("outputs", POINTER(POINTER(QnnCpuOpPackage_Tensor_t))),
    )
    name: bytes | None
    packageName: bytes | None
    typeName: bytes | None
    numOfParams: int
    params: _Pointer[_Pointer[QnnCpuOpPackage_Param_t]]
    numOfInputs: int
    inputs: _Pointer[_Pointer[QnnCpuOpPackage_Tensor_t]]
    numOfOutputs: int
    outputs: _Pointer[_Pointer[QnnCpuOpPackage_Tensor_t]]
