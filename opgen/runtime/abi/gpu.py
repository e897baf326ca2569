"""ctypes mirror of the GPU backend's op-package structures (GPU/QnnGpuCommon.h, GPU/QnnGpuGraph.h,
GPU/QnnGpuOpPackage.h).

A host runtime playing the GPU backend passes a :class:`QnnGpuOpPackage_GlobalInfrastructure_t` to
``init``, a :class:`QnnGpuOpPackage_GraphInfrastructure_t` and a :class:`QnnGpuOpPackage_Node_t` to
``createOpImpl``, and walks the :class:`QnnGpu_Operation_t` the package returns.
"""

from __future__ import annotations

from ctypes import (
    POINTER,
    Array,
    Structure,
    Union,
    _Pointer,
    c_char,
    c_char_p,
    c_double,
    c_float,
    c_int8,
    c_int16,
    c_int32,
    c_int64,
    c_size_t,
    c_uint8,
    c_uint16,
    c_uint32,
    c_uint64,
    c_void_p,
)
from enum import IntEnum

from .common import Qnn_ApiVersion_t, Qnn_OpConfig_t, c_enum

QNN_BACKEND_ID_GPU = 4
QNN_GPU_API_VERSION_MAJOR = 3
QNN_GPU_API_VERSION_MINOR = 2
QNN_GPU_API_VERSION_PATCH = 0


class QnnGpu_Precision_t(IntEnum):
    QNN_GPU_PRECISION_FP32 = 0
    QNN_GPU_PRECISION_FP16 = 1
    QNN_GPU_PRECISION_HYBRID = 2
    QNN_GPU_PRECISION_USER_PROVIDED = 3


class QnnGpuOpPackage_OptimizationType_t(IntEnum):
    QNN_GPU_OPTIMIZATION_TYPE_UNDEFINED = 0
    QNN_GPU_OPTIMIZATION_TYPE_SUPER_NODE = 2


class QnnGpuOpPackage_TensorConstraintSource_t(IntEnum):
    QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_SOURCE_OUTPUT = 1
    QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_SOURCE_INPUT = 2


class QnnGpuOpPackage_TensorConstraintType_t(IntEnum):
    QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_CONSTRAINT_DATA_TYPE = 1
    QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_CONSTRAINT_RANK = 2
    QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_CONSTRAINT_DIMENSION = 3
    QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_CONSTRAINT_TENSOR_TYPE = 4


class QnnGpu_MemoryObjectType_t(IntEnum):
    QNN_GPU_MEM_OBJ_TYPE_HOST = 0
    QNN_GPU_MEM_OBJ_TYPE_BUFFER = 1
    QNN_GPU_MEM_OBJ_TYPE_IMAGE2D = 2
    QNN_GPU_MEM_OBJ_TYPE_IMAGE2D_ARRAY = 3
    QNN_GPU_MEM_OBJ_TYPE_AGGREGATED_IMAGE2D = 4
    QNN_GPU_MEM_OBJ_TYPE_AGGREGATED_IMAGE2D_ARRAY = 5
    QNN_GPU_MEM_OBJ_TYPE_UNCLAIMED = 6


class QnnGpu_KernelArgType_t(IntEnum):
    QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READ = 0
    QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READWRITE = 1
    QNN_GPU_KERNEL_ARG_TYPE_OP_OUTPUT_WRITE = 2
    QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_READ = 3
    QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_READWRITE = 4
    QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_WRITE = 5
    QNN_GPU_KERNEL_ARG_TYPE_DATA = 6
    QNN_GPU_KERNEL_ARG_TYPE_LOCAL = 7
    QNN_GPU_KERNEL_ARG_TYPE_NULL_PTR = 8


class QnnGpu_DataKernelArgType_t(IntEnum):
    QNN_GPU_KERNEL_ARG_CL_TYPE_CHAR = 0
    QNN_GPU_KERNEL_ARG_CL_TYPE_UCHAR = 1
    QNN_GPU_KERNEL_ARG_CL_TYPE_SHORT = 2
    QNN_GPU_KERNEL_ARG_CL_TYPE_USHORT = 3
    QNN_GPU_KERNEL_ARG_CL_TYPE_INT = 4
    QNN_GPU_KERNEL_ARG_CL_TYPE_UINT = 5
    QNN_GPU_KERNEL_ARG_CL_TYPE_LONG = 6
    QNN_GPU_KERNEL_ARG_CL_TYPE_ULONG = 7
    QNN_GPU_KERNEL_ARG_CL_TYPE_FLOAT = 8
    QNN_GPU_KERNEL_ARG_CL_TYPE_DOUBLE = 9


class QnnGpu_KernelSourceType_t(IntEnum):
    QNN_GPU_KERNEL_SOURCE_TYPE_TEXT = 0
    QNN_GPU_KERNEL_SOURCE_TYPE_BINARY = 1


# --------------------------------------------------------------------------------------------------
# Infrastructure
# --------------------------------------------------------------------------------------------------


class QnnGpu_DeviceProperties_t(Structure):
    _fields_ = (
        ("deviceVersion", c_char * 128),
        ("interfaceVersion", c_uint32 * 2),
        ("tierName", c_char * 8),
        ("compilerVersion", c_uint32 * 4),
        ("maxWorkGroupSize", c_size_t),
        ("image2dMaxWidth", c_size_t),
        ("image2dMaxHeight", c_size_t),
        ("maxBufferAllocSize", c_size_t),
        ("baseAddrAlignment", c_uint32),
        ("image2dArrayMaxWidth", c_size_t),
        ("image2dArrayMaxHeight", c_size_t),
        ("image2dArrayMaxDepth", c_size_t),
    )
    deviceVersion: bytes
    interfaceVersion: Array[c_uint32]
    tierName: bytes
    compilerVersion: Array[c_uint32]
    maxWorkGroupSize: int
    image2dMaxWidth: int
    image2dMaxHeight: int
    maxBufferAllocSize: int
    baseAddrAlignment: int
    image2dArrayMaxWidth: int
    image2dArrayMaxHeight: int
    image2dArrayMaxDepth: int


class QnnGpuOpPackage_GlobalInfrastructure_t(Structure):
    """C tag ``_QnnOpPackage_GlobalInfrastructure_t``; passed (by pointer) to ``init``."""

    _fields_ = (
        ("sdkApiVersion", POINTER(Qnn_ApiVersion_t)),
        ("deviceProperties", POINTER(QnnGpu_DeviceProperties_t)),
        ("driverPath", c_char_p),
    )
    sdkApiVersion: _Pointer[Qnn_ApiVersion_t]
    deviceProperties: _Pointer[QnnGpu_DeviceProperties_t]
    driverPath: bytes | None


class QnnGpuOpPackage_PackageInfo_t(Structure):
    """C tag ``_QnnOpPackage_PackageInfo_t``; ``QnnOpPackage_Info_t.packageInfo`` points at it."""

    _fields_ = (("kernelRepoHash", c_char_p),)
    kernelRepoHash: bytes | None


class QnnGpuOpPackage_GraphInfrastructure_t(Structure):
    """C tag ``_QnnOpPackage_GraphInfrastructure_t``; passed (by pointer) to ``createOpImpl``."""

    _fields_ = (("precisionMode", c_enum),)
    precisionMode: int


# --------------------------------------------------------------------------------------------------
# Super-node optimizations
# --------------------------------------------------------------------------------------------------


class QnnGpuOpPackage_SuperNodeConnectionConstraint_t(Structure):
    _fields_ = (
        ("producer", c_uint32),
        ("producerOutputIndex", c_uint32),
        ("consumer", c_uint32),
        ("consumerInputIndex", c_uint32),
    )
    producer: int
    producerOutputIndex: int
    consumer: int
    consumerInputIndex: int


class QnnGpuOpPackage_TensorConstraintDimension_t(Structure):
    """The unnamed struct type of ``QnnGpuOpPackage_TensorConstraint_t.dimension``."""

    _fields_ = (("index", c_uint32), ("size", c_uint32))
    index: int
    size: int


class _QnnGpuOpPackage_TensorConstraint_which_u(Union):
    _fields_ = (("index", c_uint32), ("name", c_char_p))


class _QnnGpuOpPackage_TensorConstraint_what_u(Union):
    _fields_ = (
        ("dataType", c_enum),
        ("tensorType", c_enum),
        ("rank", c_uint32),
        ("dimension", QnnGpuOpPackage_TensorConstraintDimension_t),
    )


class QnnGpuOpPackage_TensorConstraint_t(Structure):
    _anonymous_ = ("_which", "_what")
    _fields_ = (
        ("operationIndex", c_uint32),
        ("source", c_enum),
        ("_which", _QnnGpuOpPackage_TensorConstraint_which_u),
        ("type", c_enum),
        ("_what", _QnnGpuOpPackage_TensorConstraint_what_u),
    )
    operationIndex: int
    source: int
    index: int
    name: bytes | None
    type: int
    dataType: int
    tensorType: int
    rank: int
    dimension: QnnGpuOpPackage_TensorConstraintDimension_t


class QnnGpuOpPackage_SuperNodeOptimization_t(Structure):
    _fields_ = (
        ("operations", POINTER(c_char_p)),
        (
            "connectionConstraints",
            POINTER(POINTER(QnnGpuOpPackage_SuperNodeConnectionConstraint_t)),
        ),
        ("tensorConstraints", POINTER(POINTER(QnnGpuOpPackage_TensorConstraint_t))),
    )
    operations: _Pointer[c_char_p]
    connectionConstraints: _Pointer[_Pointer[QnnGpuOpPackage_SuperNodeConnectionConstraint_t]]
    tensorConstraints: _Pointer[_Pointer[QnnGpuOpPackage_TensorConstraint_t]]


class _QnnGpuOpPackage_Optimization_u(Union):
    _fields_ = (("superNode", POINTER(QnnGpuOpPackage_SuperNodeOptimization_t)),)


class QnnGpuOpPackage_Optimization_t(Structure):
    """C tag ``_QnnOpPackage_Optimization_t``."""

    _anonymous_ = ("_u",)
    _fields_ = (("type", c_enum), ("name", c_char_p), ("_u", _QnnGpuOpPackage_Optimization_u))
    type: int
    name: bytes | None
    superNode: _Pointer[QnnGpuOpPackage_SuperNodeOptimization_t]


# --------------------------------------------------------------------------------------------------
# Memory objects, nodes
# --------------------------------------------------------------------------------------------------


class QnnGpu_MemoryObject_t(Structure):
    _fields_ = (
        ("type", c_enum),
        ("dataType", c_enum),
        ("dimensions", POINTER(c_uint32)),
        ("offsets", POINTER(c_uint32)),
        ("numDimensions", c_uint32),
        ("layout", c_uint32),
    )
    type: int
    dataType: int
    dimensions: _Pointer[c_uint32]
    offsets: _Pointer[c_uint32]
    numDimensions: int
    layout: int


class QnnGpu_TensorStorageType_t(Structure):
    _fields_ = (("id", c_uint32), ("memoryObject", POINTER(QnnGpu_MemoryObject_t)))
    id: int
    memoryObject: _Pointer[QnnGpu_MemoryObject_t]


class QnnGpuOpPackage_Node_t(Structure):
    """C tag ``_QnnOpPackage_Node_t``; ``configs`` and ``storageTypes`` are NULL-terminated."""

    _fields_ = (
        ("optimization", c_uint32),
        ("configs", POINTER(POINTER(Qnn_OpConfig_t))),
        ("storageTypes", POINTER(POINTER(QnnGpu_TensorStorageType_t))),
    )
    optimization: int
    configs: _Pointer[_Pointer[Qnn_OpConfig_t]]
    storageTypes: _Pointer[_Pointer[QnnGpu_TensorStorageType_t]]


class QnnGpu_OutputClaim_t(Structure):
    _fields_ = (
        ("opConfigIndex", c_uint32),
        ("outputIndex", c_uint32),
        ("memoryObject", POINTER(QnnGpu_MemoryObject_t)),
    )
    opConfigIndex: int
    outputIndex: int
    memoryObject: _Pointer[QnnGpu_MemoryObject_t]


# --------------------------------------------------------------------------------------------------
# Kernel arguments, kernels, operations
# --------------------------------------------------------------------------------------------------


class QnnGpu_TensorKernelArg_t(Structure):
    _fields_ = (("opConfigIndex", c_uint32), ("tensorIndex", c_uint32), ("element", c_uint32))
    opConfigIndex: int
    tensorIndex: int
    element: int


class _QnnGpu_DataKernelArg_u(Union):
    _fields_ = (
        ("qnnChar", c_int8),
        ("qnnUChar", c_uint8),
        ("qnnShort", c_int16),
        ("qnnUShort", c_uint16),
        ("qnnInt", c_int32),
        ("qnnUInt", c_uint32),
        ("qnnLong", c_int64),
        ("qnnULong", c_uint64),
        ("qnnFloat", c_float),
        ("qnnDouble", c_double),
    )


class QnnGpu_DataKernelArg_t(Structure):
    _anonymous_ = ("_u",)
    _fields_ = (("type", c_enum), ("_u", _QnnGpu_DataKernelArg_u))
    type: int
    qnnChar: int
    qnnUChar: int
    qnnShort: int
    qnnUShort: int
    qnnInt: int
    qnnUInt: int
    qnnLong: int
    qnnULong: int
    qnnFloat: float
    qnnDouble: float


class QnnGpu_LocalKernelArg_t(Structure):
    _fields_ = (("size", c_uint32),)
    size: int


class _QnnGpu_KernelArg_u(Union):
    _fields_ = (
        ("tensor", QnnGpu_TensorKernelArg_t),
        ("data", QnnGpu_DataKernelArg_t),
        ("local", QnnGpu_LocalKernelArg_t),
    )


class QnnGpu_KernelArg_t(Structure):
    _anonymous_ = ("_u",)
    _fields_ = (("type", c_enum), ("_u", _QnnGpu_KernelArg_u))
    type: int
    tensor: QnnGpu_TensorKernelArg_t
    data: QnnGpu_DataKernelArg_t
    local: QnnGpu_LocalKernelArg_t


class QnnGpu_Kernel_t(Structure):
    """One OpenCL kernel launch; ``args`` is NULL-terminated."""

    _fields_ = (
        ("kernelSource", c_void_p),
        ("sourceLength", c_size_t),
        ("sourceType", c_enum),
        ("buildOptions", c_char_p),
        ("globalWorkDim", c_size_t),
        ("globalWorkSizes", c_size_t * 3),
        ("localWorkDim", c_size_t),
        ("localWorkSizes", c_size_t * 3),
        ("args", POINTER(POINTER(QnnGpu_KernelArg_t))),
        ("name", c_char_p),
        ("isDynamic", c_uint32),
        ("reserved", c_void_p),
    )
    kernelSource: int | None
    sourceLength: int
    sourceType: int
    buildOptions: bytes | None
    globalWorkDim: int
    globalWorkSizes: Array[c_size_t]
    localWorkDim: int
    localWorkSizes: Array[c_size_t]
    args: _Pointer[_Pointer[QnnGpu_KernelArg_t]]
    name: bytes | None
    isDynamic: int
    reserved: int | None


class QnnGpu_Operation_t(Structure):
    """C tag ``_QnnOpPackage_OpImpl_t``; every array is NULL-terminated."""

    _fields_ = (
        ("outputClaims", POINTER(POINTER(QnnGpu_OutputClaim_t))),
        ("memoryObjects", POINTER(POINTER(QnnGpu_MemoryObject_t))),
        ("kernels", POINTER(POINTER(QnnGpu_Kernel_t))),
    )
    outputClaims: _Pointer[_Pointer[QnnGpu_OutputClaim_t]]
    memoryObjects: _Pointer[_Pointer[QnnGpu_MemoryObject_t]]
    kernels: _Pointer[_Pointer[QnnGpu_Kernel_t]]
