"""The bundled QNN headers and the ctypes ABI mirror agree with each other and with the fact sheet.

A C program generated from the tables below is compiled against
``templates/common/include/QNN`` and prints ``sizeof``/``offsetof`` of every struct and field of
reference/VENDOR_FACTS.md §4 plus the value of every constant the mirror defines. The tests check:

* the compiler's numbers against the fact sheet's (``LAYOUT`` is that table, written out);
* the ctypes mirror's numbers against the compiler's;
* the mirror's enum values and constants against the headers, and a few against the sheet;
* that every header compiles on its own as C99, C11, C++11, C++14 and C++17 under -pedantic.

The CPU and GPU op-package headers both complete the same opaque struct tags, so they go into
separate translation units of the one program.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

import pytest

from opgen.runtime import abi

REPO = Path(__file__).resolve().parents[2]
INCLUDE = REPO / "templates" / "common" / "include" / "QNN"

WARNINGS = ("-Wall", "-Wextra", "-Werror", "-pedantic")

HEADERS = (
    "QnnCommon.h",
    "QnnLog.h",
    "QnnTypes.h",
    "QnnOpPackage.h",
    "QnnSdkBuildId.h",
    "CPU/QnnCpuCommon.h",
    "CPU/QnnCpuOpPackage.h",
    "GPU/QnnGpuCommon.h",
    "GPU/QnnGpuGraph.h",
    "GPU/QnnGpuOpPackage.h",
)

# Translation units of the dump program: name -> headers it includes.
UNITS: dict[str, tuple[str, ...]] = {
    "common": (
        "QnnCommon.h",
        "QnnLog.h",
        "QnnTypes.h",
        "QnnOpPackage.h",
        "QnnSdkBuildId.h",
        "CPU/QnnCpuCommon.h",
        "GPU/QnnGpuCommon.h",
    ),
    "cpu": ("CPU/QnnCpuOpPackage.h",),
    "gpu": ("GPU/QnnGpuOpPackage.h",),
}


# --------------------------------------------------------------------------------------------------
# Expected layout, from VENDOR_FACTS §4 (LP64). Entries marked "derived" are not spelled out in the
# sheet (it gives member order and the struct size only); they follow from natural alignment.
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StructFacts:
    """Translation unit, sizeof, and ``"field@offset ..."`` in declaration order (anonymous-union
    members listed in place of their union; ``a.b`` names a member of a nested struct)."""

    unit: str
    size: int
    spec: str

    @property
    def fields(self) -> tuple[tuple[str, int], ...]:
        return tuple(
            (field, int(offset))
            for field, offset in (item.split("@") for item in self.spec.split())
        )


LAYOUT: dict[str, StructFacts] = {
    # §4.3 QnnTypes.h
    "Qnn_Version_t": StructFacts("common", 12, "major@0 minor@4 patch@8"),
    "Qnn_ApiVersion_t": StructFacts("common", 24, "coreApiVersion@0 backendApiVersion@12"),
    "Qnn_Scalar_t": StructFacts(
        "common",
        8,
        "dataType@0 floatValue@4 uint32Value@4 int32Value@4 uint16Value@4 int16Value@4 "
        "uint8Value@4 int8Value@4 bool8Value@4",
    ),
    "Qnn_ScaleOffset_t": StructFacts("common", 8, "scale@0 offset@4"),
    "Qnn_BwScaleOffset_t": StructFacts("common", 12, "bitwidth@0 scale@4 offset@8"),  # derived
    "Qnn_AxisScaleOffset_t": StructFacts("common", 16, "axis@0 numScaleOffsets@4 scaleOffset@8"),
    "Qnn_BwAxisScaleOffset_t": StructFacts(
        "common", 32, "bitwidth@0 axis@4 numElements@8 scales@16 offsets@24"
    ),
    "Qnn_QuantizeParams_t": StructFacts(
        "common",
        40,
        "encodingDefinition@0 quantizationEncoding@4 scaleOffsetEncoding@8 "
        "axisScaleOffsetEncoding@8 bwScaleOffsetEncoding@8 bwAxisScaleOffsetEncoding@8",
    ),
    "Qnn_ClientBuffer_t": StructFacts("common", 16, "data@0 dataSize@8"),
    "Qnn_TensorV1_t": StructFacts(
        "common",
        112,
        "id@0 name@8 type@16 dataFormat@20 dataType@24 quantizeParams@32 rank@72 "
        "dimensions@80 memType@88 clientBuf@96 memHandle@96",
    ),
    "Qnn_Tensor_t": StructFacts("common", 120, "version@0 v1@8"),
    "Qnn_Param_t": StructFacts("common", 136, "paramType@0 name@8 scalarParam@16 tensorParam@16"),
    "Qnn_OpConfigV1_t": StructFacts(
        "common",
        72,
        "name@0 packageName@8 typeName@16 numOfParams@24 params@32 numOfInputs@40 "
        "inputTensors@48 numOfOutputs@56 outputTensors@64",
    ),
    "Qnn_OpConfig_t": StructFacts("common", 80, "version@0 v1@8"),
    # §4.4 QnnOpPackage.h
    "QnnOpPackage_Info_t": StructFacts(
        "common",
        176,
        "packageName@0 operationNames@8 operationInfo@16 numOperations@24 "
        "optimizations@32 numOptimizations@40 sdkBuildId@48 sdkApiVersion@56 "
        "packageInfo@64 opsetVersion@72 reserved@80",
    ),
    "QnnOpPackage_ImplementationV1_4_t": StructFacts(
        "common",
        72,
        "init@0 terminate@8 getInfo@16 validateOpConfig@24 createOpImpl@32 freeOpImpl@40 "
        "logInitialize@48 logSetLevel@56 logTerminate@64",
    ),
    "QnnOpPackage_ImplementationV2_0_t": StructFacts(
        "common",
        56,
        "create@0 getInfo@8 validateOpConfig@16 createOpImpl@24 freeOpImpl@32 "
        "logSetLevel@40 free@48",
    ),
    "QnnOpPackage_Interface_t": StructFacts("common", 88, "interfaceVersion@0 v1_4@16 v2_0@16"),
    # §4.5 CPU/QnnCpuOpPackage.h
    "QnnCpuOpPackage_GlobalInfra_t": StructFacts("cpu", 16, "reportMessage@0 profile@8"),
    "QnnCpuOpPackage_OpImpl_t": StructFacts("cpu", 16, "opImplFn@0 userData@8"),
    "QnnCpuOpPackage_Tensor_t": StructFacts(
        "cpu", 40, "dataFormat@0 dataType@4 rank@8 maxDimensions@16 currentDimensions@24 data@32"
    ),
    "QnnCpuOpPackage_Param_t": StructFacts(
        "cpu", 24, "type@0 name@8 scalarParam@16 tensorParam@16"
    ),
    "QnnCpuOpPackage_Node_t": StructFacts(
        "cpu",
        72,
        "name@0 packageName@8 typeName@16 numOfParams@24 params@32 numOfInputs@40 "
        "inputs@48 numOfOutputs@56 outputs@64",
    ),
    # §4.6 GPU/QnnGpuOpPackage.h
    "QnnGpu_DeviceProperties_t": StructFacts(
        "gpu",
        224,
        "deviceVersion@0 interfaceVersion@128 tierName@136 compilerVersion@144 "
        "maxWorkGroupSize@160 image2dMaxWidth@168 image2dMaxHeight@176 "
        "maxBufferAllocSize@184 baseAddrAlignment@192 image2dArrayMaxWidth@200 "
        "image2dArrayMaxHeight@208 image2dArrayMaxDepth@216",
    ),
    "QnnGpuOpPackage_GlobalInfrastructure_t": StructFacts(
        "gpu", 24, "sdkApiVersion@0 deviceProperties@8 driverPath@16"
    ),
    "QnnGpuOpPackage_PackageInfo_t": StructFacts("gpu", 8, "kernelRepoHash@0"),
    # derived
    "QnnGpuOpPackage_SuperNodeConnectionConstraint_t": StructFacts(
        "gpu", 16, "producer@0 producerOutputIndex@4 consumer@8 consumerInputIndex@12"
    ),
    "QnnGpuOpPackage_TensorConstraint_t": StructFacts(
        "gpu",
        32,
        "operationIndex@0 source@4 index@8 name@8 type@16 dataType@20 tensorType@20 "
        "rank@20 dimension@20 dimension.index@20 dimension.size@24",  # dimension.* derived
    ),
    "QnnGpuOpPackage_SuperNodeOptimization_t": StructFacts(
        "gpu", 24, "operations@0 connectionConstraints@8 tensorConstraints@16"
    ),
    "QnnGpuOpPackage_Optimization_t": StructFacts("gpu", 24, "type@0 name@8 superNode@16"),
    "QnnGpuOpPackage_GraphInfrastructure_t": StructFacts("gpu", 4, "precisionMode@0"),
    "QnnGpu_MemoryObject_t": StructFacts(
        "gpu", 32, "type@0 dataType@4 dimensions@8 offsets@16 numDimensions@24 layout@28"
    ),
    "QnnGpu_TensorStorageType_t": StructFacts("gpu", 16, "id@0 memoryObject@8"),
    "QnnGpuOpPackage_Node_t": StructFacts("gpu", 24, "optimization@0 configs@8 storageTypes@16"),
    "QnnGpu_OutputClaim_t": StructFacts("gpu", 16, "opConfigIndex@0 outputIndex@4 memoryObject@8"),
    "QnnGpu_TensorKernelArg_t": StructFacts(
        "gpu",
        12,
        "opConfigIndex@0 tensorIndex@4 element@8",  # derived
    ),
    "QnnGpu_DataKernelArg_t": StructFacts(
        "gpu",
        16,
        "type@0 qnnChar@8 qnnUChar@8 qnnShort@8 qnnUShort@8 qnnInt@8 qnnUInt@8 qnnLong@8 "
        "qnnULong@8 qnnFloat@8 qnnDouble@8",
    ),
    "QnnGpu_LocalKernelArg_t": StructFacts("gpu", 4, "size@0"),
    "QnnGpu_KernelArg_t": StructFacts("gpu", 24, "type@0 tensor@8 data@8 local@8"),
    "QnnGpu_Kernel_t": StructFacts(
        "gpu",
        128,
        "kernelSource@0 sourceLength@8 sourceType@16 buildOptions@24 globalWorkDim@32 "
        "globalWorkSizes@40 localWorkDim@64 localWorkSizes@72 args@96 name@104 "
        "isDynamic@112 reserved@120",
    ),
    "QnnGpu_Operation_t": StructFacts("gpu", 24, "outputClaims@0 memoryObjects@8 kernels@16"),
}

# Sizes of non-struct typedefs (§4: every enum is a 32-bit int; Qnn_ErrorHandle_t is uint64_t).
SCALAR_SIZES: dict[str, tuple[str, int]] = {
    "Qnn_ErrorHandle_t": ("common", 8),
    "Qnn_Handle_t": ("common", 8),
    "Qnn_TensorDataFormat_t": ("common", 4),
    "QnnLog_Callback_t": ("common", 8),
    "QnnOpPackage_InterfaceProvider_t": ("common", 8),
    "QnnCpuOpPackage_TensorDataFormat_t": ("cpu", 4),
    "QnnCpuOpPackage_ProfileData_t": ("cpu", 8),
}

# Mirror classes that have no C typedef of their own (checked through their parent's fields).
NESTED_MIRRORS = {"QnnGpuOpPackage_TensorConstraintDimension_t"}

# Constants checked against the fact sheet directly (the mirror is checked against C separately).
FACT_CONSTANTS: dict[str, int] = {
    "QNN_API_VERSION_MAJOR": 2,
    "QNN_API_VERSION_MINOR": 7,
    "QNN_API_VERSION_PATCH": 2,
    "QNN_SUCCESS": 0,
    "QNN_COMMON_ERROR_NOT_SUPPORTED": 1000,
    "QNN_COMMON_ERROR_MEM_ALLOC": 1002,
    "QNN_COMMON_ERROR_INVALID_ARGUMENT": 1004,
    "QNN_COMMON_ERROR_GENERAL": 1100,
    "QNN_COMMON_ERROR_UNDEFINED": 0x7FFFFFFF,
    "QNN_OP_PACKAGE_MIN_ERROR": 3000,
    "QNN_OP_PACKAGE_NO_ERROR": 0,
    "QNN_OP_PACKAGE_ERROR_UNSUPPORTED_FEATURE": 1000,
    "QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED": 3000,
    "QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED": 3001,
    "QNN_OP_PACKAGE_ERROR_INVALID_HANDLE": 3002,
    "QNN_OP_PACKAGE_ERROR_INVALID_INFRASTRUCTURE": 3100,
    "QNN_OP_PACKAGE_ERROR_INVALID_INFO": 3101,
    "QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE": 3110,
    "QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT": 3200,
    "QNN_OP_PACKAGE_ERROR_GENERAL": 1100,
    "QNN_OP_PACKAGE_MAX_ERROR": 3999,
    "QNN_OP_PACKAGE_ERROR_UNDEFINED": 0x7FFFFFFF,
    "QNN_LOG_ERROR_INITIALIZATION": 11002,
    "QNN_LOG_LEVEL_ERROR": 1,
    "QNN_LOG_LEVEL_DEBUG": 5,
    "QNN_DATATYPE_INT_8": 0x0008,
    "QNN_DATATYPE_UINT_16": 0x0116,
    "QNN_DATATYPE_FLOAT_16": 0x0216,
    "QNN_DATATYPE_FLOAT_32": 0x0232,
    "QNN_DATATYPE_UFIXED_POINT_8": 0x0408,
    "QNN_DATATYPE_BOOL_8": 0x0508,
    "QNN_DATATYPE_UNDEFINED": 0x7FFFFFFF,
    "QNN_PARAMTYPE_UNDEFINED": 0xFFFFFFFF,
    "QNN_TENSOR_DATA_FORMAT_FLAT_BUFFER": 0,
    "QNN_TENSOR_VERSION_1": 1,
    "QNN_OPCONFIG_VERSION_1": 1,
    "QNN_OP_PACKAGE_RESERVED_INFO_SIZE": 12,
    "QNN_BACKEND_ID_CPU": 3,
    "QNN_CPU_API_VERSION_MAJOR": 1,
    "QNN_CPU_API_VERSION_MINOR": 1,
    "QNN_CPU_API_VERSION_PATCH": 0,
    "QNN_BACKEND_ID_GPU": 4,
    "QNN_GPU_API_VERSION_MAJOR": 3,
    "QNN_GPU_API_VERSION_MINOR": 2,
    "QNN_GPU_API_VERSION_PATCH": 0,
    "QNN_CPU_PARAMTYPE_UNDEFINED": 0xFFFFFFFF,
    "QNN_CPU_DATATYPE_FLOAT_32": 0x0232,
    "QNN_CPU_DATATYPE_BOOL_8": 0x0508,
    "QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READ": 0,
    "QNN_GPU_KERNEL_ARG_TYPE_NULL_PTR": 8,
    "QNN_GPU_KERNEL_ARG_CL_TYPE_DOUBLE": 9,
    "QNN_GPU_MEM_OBJ_TYPE_UNCLAIMED": 6,
    "QNN_GPU_PRECISION_USER_PROVIDED": 3,
    "QNN_GPU_OPTIMIZATION_TYPE_SUPER_NODE": 2,
    "GET_ERROR_CODE(0x123450C26)": 3110,
}
SDK_BUILD_ID = "v2.13.0.230725130242_60412"


@dataclass(frozen=True)
class InitCheck:
    """``static const <ctype> v = <macro>;`` then each ``<C expression over v>=<value>`` holds."""

    unit: str
    ctype: str
    macro: str
    spec: str

    @property
    def checks(self) -> tuple[tuple[str, int], ...]:
        return tuple(
            (expression, int(value, 0))
            for expression, value in (item.split("=") for item in self.spec.split())
        )


INIT_CHECKS: tuple[InitCheck, ...] = (
    InitCheck("common", "Qnn_Version_t", "QNN_VERSION_INIT", "v.major=0 v.patch=0"),
    InitCheck(
        "common",
        "Qnn_ApiVersion_t",
        "QNN_API_VERSION_INIT",
        "v.coreApiVersion.major=2 v.coreApiVersion.minor=7 v.coreApiVersion.patch=2 "
        "v.backendApiVersion.major=0",
    ),
    InitCheck(
        "common",
        "Qnn_ApiVersion_t",
        "QNN_CPU_API_VERSION_INIT",
        "v.coreApiVersion.minor=7 v.backendApiVersion.major=1 v.backendApiVersion.minor=1 "
        "v.backendApiVersion.patch=0",
    ),
    InitCheck(
        "common",
        "Qnn_ApiVersion_t",
        "QNN_GPU_API_VERSION_INIT",
        "v.coreApiVersion.patch=2 v.backendApiVersion.major=3 v.backendApiVersion.minor=2 "
        "v.backendApiVersion.patch=0",
    ),
    InitCheck("common", "Qnn_Scalar_t", "QNN_SCALAR_INIT", "v.dataType=0x7FFFFFFF"),
    InitCheck("common", "Qnn_ScaleOffset_t", "QNN_SCALE_OFFSET_INIT", "v.offset=0"),
    InitCheck("common", "Qnn_BwScaleOffset_t", "QNN_BW_SCALE_OFFSET_INIT", "v.bitwidth=0"),
    InitCheck("common", "Qnn_AxisScaleOffset_t", "QNN_AXIS_SCALE_OFFSET_INIT", "!v.scaleOffset=1"),
    InitCheck("common", "Qnn_BwAxisScaleOffset_t", "QNN_BW_AXIS_SCALE_OFFSET_INIT", "!v.offsets=1"),
    InitCheck(
        "common",
        "Qnn_QuantizeParams_t",
        "QNN_QUANTIZE_PARAMS_INIT",
        "v.encodingDefinition=0x7FFFFFFF v.quantizationEncoding=0x7FFFFFFF",
    ),
    InitCheck("common", "Qnn_ClientBuffer_t", "QNN_CLIENT_BUFFER_INIT", "v.dataSize=0"),
    InitCheck(
        "common",
        "Qnn_TensorV1_t",
        "QNN_TENSOR_V1_INIT",
        "v.type=0x7FFFFFFF v.dataType=0x7FFFFFFF v.memType=0x7FFFFFFF",
    ),
    InitCheck(
        "common",
        "Qnn_Tensor_t",
        "QNN_TENSOR_INIT",
        "v.version=1 v.v1.dataFormat=0 v.v1.rank=0",
    ),
    InitCheck("common", "Qnn_Param_t", "QNN_PARAM_INIT", "v.paramType=0xFFFFFFFF"),
    InitCheck("common", "Qnn_OpConfigV1_t", "QNN_OPCONFIG_V1_INIT", "v.numOfParams=0"),
    InitCheck("common", "Qnn_OpConfig_t", "QNN_OPCONFIG_INIT", "v.version=1"),
    InitCheck(
        "common",
        "Qnn_ErrorReportingConfig_t",
        "QNN_ERROR_REPORTING_CONFIG_INIT",
        "v.storageLimit=0",
    ),
    InitCheck(
        "common",
        "QnnOpPackage_Info_t",
        "QNN_OP_PACKAGE_INFO_INIT",
        "!v.packageName=1 v.numOperations=0 v.reserved[11]=0",
    ),
    InitCheck(
        "common",
        "QnnOpPackage_ImplementationV1_4_t",
        "QNN_OP_PACKAGE_IMPLEMENTATION_V1_4_INIT",
        "!v.logTerminate=1",
    ),
    InitCheck(
        "common",
        "QnnOpPackage_ImplementationV2_0_t",
        "QNN_OP_PACKAGE_IMPLEMENTATION_V2_0_INIT",
        "!v.free=1",
    ),
    InitCheck(
        "common",
        "QnnOpPackage_Interface_t",
        "QNN_OP_PACKAGE_INTERFACE_INIT",
        "v.interfaceVersion.major=1 v.interfaceVersion.minor=4 v.interfaceVersion.patch=0 "
        "!v.v1_4.init=1",
    ),
    InitCheck("common", "Qnn_Version_t", "QNN_OP_PACKAGE_API_VERSION_2_0_0", "v.major=2"),
    InitCheck(
        "cpu",
        "QnnCpuOpPackage_GlobalInfra_t",
        "QNN_CPU_OP_PACKAGE_GLOBAL_INFRA_INIT",
        "!v.reportMessage=1",
    ),
    InitCheck("cpu", "QnnCpuOpPackage_OpImpl_t", "QNN_CPU_OP_PACKAGE_OPIMPL_INIT", "!v.opImplFn=1"),
    InitCheck(
        "cpu",
        "QnnCpuOpPackage_Tensor_t",
        "QNN_CPU_OP_PACKAGE_TENSOR_INIT",
        "v.dataFormat=0 v.dataType=0x7FFFFFFF v.rank=0",
    ),
    InitCheck(
        "cpu",
        "QnnCpuOpPackage_Param_t",
        "QNN_CPU_OP_PACKAGE_PARAM_INIT",
        "v.type=0xFFFFFFFF !v.name=1",
    ),
    InitCheck("cpu", "QnnCpuOpPackage_Node_t", "QNN_CPU_OP_PACKAGE_NODE_INIT", "v.numOfOutputs=0"),
    InitCheck(
        "gpu",
        "QnnGpu_DeviceProperties_t",
        "QNN_GPU_DEVICE_PROPERTIES_INIT",
        "v.image2dArrayMaxDepth=0",
    ),
    InitCheck(
        "gpu",
        "QnnGpuOpPackage_GlobalInfrastructure_t",
        "QNN_GPU_OP_PACKAGE_GLOBAL_INFRASTRUCTURE_INIT",
        "!v.driverPath=1",
    ),
    InitCheck(
        "gpu",
        "QnnGpuOpPackage_PackageInfo_t",
        "QNN_GPU_OP_PACKAGE_PACKAGE_INFO_INIT",
        "!v.kernelRepoHash=1",
    ),
    InitCheck(
        "gpu",
        "QnnGpuOpPackage_SuperNodeConnectionConstraint_t",
        "QNN_GPU_OP_PACKAGE_SUPER_NODE_CONNECTION_CONSTRAINT_INIT",
        "v.consumer=0",
    ),
    InitCheck(
        "gpu",
        "QnnGpuOpPackage_TensorConstraint_t",
        "QNN_GPU_OP_PACKAGE_TENSOR_CONSTRAINT_INIT",
        "v.operationIndex=0",
    ),
    InitCheck(
        "gpu",
        "QnnGpuOpPackage_SuperNodeOptimization_t",
        "QNN_GPU_OP_PACKAGE_SUPER_NODE_OPTIMIZATION_INIT",
        "!v.operations=1",
    ),
    InitCheck(
        "gpu",
        "QnnGpuOpPackage_Optimization_t",
        "QNN_GPU_OP_PACKAGE_OPTIMIZATION_INIT",
        "v.type=0 !v.superNode=1",
    ),
    InitCheck(
        "gpu",
        "QnnGpuOpPackage_GraphInfrastructure_t",
        "QNN_GPU_OP_PACKAGE_GRAPH_INFRASTRUCTURE_INIT",
        "v.precisionMode=0",
    ),
    InitCheck(
        "gpu",
        "QnnGpu_MemoryObject_t",
        "QNN_GPU_MEMORY_OBJECT_INIT",
        "v.type=6 v.dataType=0x7FFFFFFF v.numDimensions=0",
    ),
    InitCheck("gpu", "QnnGpu_TensorStorageType_t", "QNN_GPU_TENSOR_STORAGE_TYPE_INIT", "v.id=0"),
    InitCheck("gpu", "QnnGpuOpPackage_Node_t", "QNN_GPU_OP_PACKAGE_NODE_INIT", "!v.configs=1"),
    InitCheck("gpu", "QnnGpu_OutputClaim_t", "QNN_GPU_OUTPUT_CLAIM_INIT", "v.outputIndex=0"),
    InitCheck("gpu", "QnnGpu_TensorKernelArg_t", "QNN_GPU_TENSOR_KERNEL_ARG_INIT", "v.element=0"),
    InitCheck("gpu", "QnnGpu_DataKernelArg_t", "QNN_GPU_DATA_KERNEL_ARG_INIT", "v.qnnULong=0"),
    InitCheck("gpu", "QnnGpu_LocalKernelArg_t", "QNN_GPU_LOCAL_KERNEL_ARG_INIT", "v.size=0"),
    InitCheck("gpu", "QnnGpu_KernelArg_t", "QNN_GPU_KERNEL_ARG_INIT", "v.type=8"),
    InitCheck(
        "gpu",
        "QnnGpu_Kernel_t",
        "QNN_GPU_KERNEL_INIT",
        "v.sourceType=0 v.localWorkSizes[2]=0 !v.args=1 v.isDynamic=0",
    ),
    InitCheck("gpu", "QnnGpu_Operation_t", "QNN_GPU_OPERATION_INIT", "!v.kernels=1"),
)


# --------------------------------------------------------------------------------------------------
# Mirror introspection
# --------------------------------------------------------------------------------------------------

_UNIT_OF_MODULE = {"common": "common", "cpu": "cpu", "gpu": "gpu"}


def mirror_enums() -> dict[str, type[IntEnum]]:
    """Every IntEnum the mirror exports, by (C typedef) name."""
    return {
        name: obj
        for name in abi.__all__
        if isinstance(obj := getattr(abi, name), type) and issubclass(obj, IntEnum)
    }


def mirror_structs() -> dict[str, type[ctypes.Structure]]:
    return {
        name: obj
        for name in abi.__all__
        if isinstance(obj := getattr(abi, name), type) and issubclass(obj, ctypes.Structure)
    }


def unit_of(obj: type) -> str:
    return _UNIT_OF_MODULE[obj.__module__.rsplit(".", 1)[-1]]


def _field_type(cls: Any, name: str) -> Any:
    """ctypes type of field `name` of `cls`, looking through anonymous members."""
    anonymous = set(getattr(cls, "_anonymous_", ()))
    for entry in cls._fields_:
        if entry[0] == name:
            return entry[1]
    for entry in cls._fields_:
        if entry[0] in anonymous:
            try:
                return _field_type(entry[1], name)
            except KeyError:
                continue
    raise KeyError(f"{cls.__name__} has no field {name!r}")


def ctypes_field(cls: Any, path: str) -> tuple[int, int]:
    """(offset, size) of a possibly dotted field path in a ctypes structure."""
    offset = 0
    size = 0
    for part in path.split("."):
        _field_type(cls, part)  # raises KeyError with a readable message if missing
        descriptor = getattr(cls, part)
        offset += descriptor.offset
        size = descriptor.size
        cls = _field_type(cls, part)
    return offset, size


def flattened_field_names(cls: Any) -> list[str]:
    """Field names as C code sees them: anonymous union members replace the union."""
    anonymous = set(getattr(cls, "_anonymous_", ()))
    names: list[str] = []
    for entry in cls._fields_:
        if entry[0] in anonymous:
            names.extend(flattened_field_names(entry[1]))
        else:
            names.append(entry[0])
    return names


# --------------------------------------------------------------------------------------------------
# C program
# --------------------------------------------------------------------------------------------------


def _c_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def c_unit_source(unit: str) -> str:
    lines = [
        f"/* generated by {Path(__file__).name}: layout and constants, unit {unit} */",
        "#include <stddef.h>",
        "#include <stdint.h>",
        "#include <stdio.h>",
        "",
        *(f'#include "{header}"' for header in UNITS[unit]),
        "",
        "#define P(kind, name, value) \\",
        '  printf("%s %s %llu\\n", kind, name, (unsigned long long)(value))',
        "#define FSIZE(T, f) sizeof(((T*)0)->f)",
        "",
        f"void dump_{unit}(void);",
        f"void dump_{unit}(void) {{",
    ]
    for name, facts in LAYOUT.items():
        if facts.unit != unit:
            continue
        lines.append(f'  P("size", {_c_string(name)}, sizeof({name}));')
        for field, _ in facts.fields:
            key = _c_string(f"{name}.{field}")
            lines.append(f'  P("offset", {key}, offsetof({name}, {field}));')
            lines.append(f'  P("fsize", {key}, FSIZE({name}, {field}));')
    for name, (scalar_unit, _) in SCALAR_SIZES.items():
        if scalar_unit == unit:
            lines.append(f'  P("size", {_c_string(name)}, sizeof({name}));')
    for enum_name, enum in mirror_enums().items():
        if unit_of(enum) != unit:
            continue
        lines.append(f'  P("size", {_c_string(enum_name)}, sizeof({enum_name}));')
        for member in enum.__members__:
            lines.append(f'  P("const", {_c_string(member)}, {member});')
    if unit == "common":
        for name in macro_constants():
            lines.append(f'  P("const", {_c_string(name)}, {name});')
        lines.append(
            '  P("const", "GET_ERROR_CODE(0x123450C26)", '
            "QNN_GET_ERROR_CODE((Qnn_ErrorHandle_t)0x123450C26ULL));"
        )
        for range_name, _, _ in abi.ERROR_RANGES:
            for bound in ("MIN", "MAX"):
                macro = f"QNN_{bound}_ERROR_{range_name}"
                lines.append(f'  P("const", {_c_string(macro)}, {macro});')
        lines.append('  printf("string QNN_SDK_BUILD_ID %s\\n", QNN_SDK_BUILD_ID);')
    for init in INIT_CHECKS:
        if init.unit != unit:
            continue
        lines.append(f"  {{ static const {init.ctype} v = {init.macro};")
        for expression, _ in init.checks:
            key = _c_string(f"{init.macro}:{expression}")
            lines.append(f'    P("init", {key}, {expression});')
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def mirror_int_constants() -> list[str]:
    """The mirror's module-level integer constants (``QNN_*``), which mirror C macros."""
    return [
        name
        for name in abi.__all__
        if name.startswith("QNN_") and isinstance(getattr(abi, name), int)
    ]


def macro_constants() -> list[str]:
    """C macros to print: the mirror's constants plus the sheet's non-enum constants."""
    members = {member for enum in mirror_enums().values() for member in enum.__members__}
    names = set(mirror_int_constants())
    names.update(name for name in FACT_CONSTANTS if name.isidentifier() and name not in members)
    return sorted(names)


MAIN_SOURCE = "".join(
    [
        "#include <stdio.h>\n",
        *(f"void dump_{unit}(void);\n" for unit in UNITS),
        "int main(void) {\n",
        *(f"  dump_{unit}();\n" for unit in UNITS),
        "  return fflush(stdout) == 0 ? 0 : 1;\n",
        "}\n",
    ]
)


def _compiler(*candidates: str) -> str:
    for candidate in candidates:
        found = shutil.which(candidate)
        if found:
            return found
    pytest.skip(f"no C/C++ compiler found (tried {', '.join(candidates)})")


def _run(cmd: list[str], cwd: Path) -> str:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(cmd)} failed:\n{result.stdout}{result.stderr}"
    return result.stdout


def write_sources(directory: Path, suffix: str) -> list[Path]:
    paths = []
    for unit in UNITS:
        path = directory / f"{unit}{suffix}"
        path.write_text(c_unit_source(unit))
        paths.append(path)
    main = directory / f"main{suffix}"
    main.write_text(MAIN_SOURCE)
    paths.append(main)
    return paths


@dataclass
class DumpResult:
    size: dict[str, int]
    offset: dict[str, int]
    fsize: dict[str, int]
    const: dict[str, int]
    init: dict[str, int]
    string: dict[str, str]


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> DumpResult:
    """Compile the dump program once (C11, warnings as errors) and parse what it prints."""
    cc = _compiler("cc", "gcc")
    work = tmp_path_factory.mktemp("abi_layout")
    sources = write_sources(work, ".c")
    exe = work / "abi_dump"
    _run([cc, *WARNINGS, "-std=c11", f"-I{INCLUDE}", *map(str, sources), "-o", str(exe)], work)
    result = DumpResult({}, {}, {}, {}, {}, {})
    for line in _run([str(exe)], work).splitlines():
        kind, name, value = line.split(" ", 2)
        table = getattr(result, kind)
        assert name not in table, f"duplicate line for {kind} {name}"
        table[name] = value if kind == "string" else int(value)
    return result


# --------------------------------------------------------------------------------------------------
# Tests: compiler vs fact sheet
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("struct", sorted(LAYOUT))
def test_c_layout_matches_fact_sheet(dump: DumpResult, struct: str) -> None:
    facts = LAYOUT[struct]
    assert dump.size[struct] == facts.size, f"sizeof({struct})"
    actual = {field: dump.offset[f"{struct}.{field}"] for field, _ in facts.fields}
    assert actual == dict(facts.fields)


def test_c_fields_are_in_declaration_order(dump: DumpResult) -> None:
    """Offsets never decrease along the table, and each field fits inside its struct."""
    for struct, facts in LAYOUT.items():
        previous = 0
        for field, offset in facts.fields:
            end = offset + dump.fsize[f"{struct}.{field}"]
            assert end <= facts.size, f"{struct}.{field} overruns the struct"
            assert offset >= previous, f"{struct}.{field} out of order"
            previous = offset


def test_scalar_and_enum_sizes(dump: DumpResult) -> None:
    for name, (_, size) in SCALAR_SIZES.items():
        assert dump.size[name] == size, f"sizeof({name})"
    for name in mirror_enums():
        assert dump.size[name] == 4, f"enum {name} is not 32 bits"


def test_constants_match_fact_sheet(dump: DumpResult) -> None:
    actual = {name: dump.const[name] for name in FACT_CONSTANTS}
    assert actual == FACT_CONSTANTS
    assert dump.string["QNN_SDK_BUILD_ID"] == SDK_BUILD_ID


def test_error_range_macros(dump: DumpResult) -> None:
    for name, low, high in abi.ERROR_RANGES:
        assert dump.const[f"QNN_MIN_ERROR_{name}"] == low
        assert dump.const[f"QNN_MAX_ERROR_{name}"] == high


def test_init_macros(dump: DumpResult) -> None:
    expected = {
        f"{init.macro}:{expression}": value
        for init in INIT_CHECKS
        for expression, value in init.checks
    }
    assert dump.init == expected


# --------------------------------------------------------------------------------------------------
# Tests: ctypes mirror vs compiler
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("struct", sorted(LAYOUT))
def test_ctypes_mirror_matches_compiler(dump: DumpResult, struct: str) -> None:
    cls = getattr(abi, struct)
    assert ctypes.sizeof(cls) == dump.size[struct], f"sizeof({struct})"
    assert ctypes.alignment(cls) <= 8
    for field, _ in LAYOUT[struct].fields:
        key = f"{struct}.{field}"
        assert ctypes_field(cls, field) == (dump.offset[key], dump.fsize[key]), key


@pytest.mark.parametrize("struct", sorted(LAYOUT))
def test_ctypes_mirror_has_exactly_the_c_fields(struct: str) -> None:
    cls = getattr(abi, struct)
    expected = [field for field, _ in LAYOUT[struct].fields if "." not in field]
    assert flattened_field_names(cls) == expected


def test_every_mirrored_struct_is_checked() -> None:
    assert set(mirror_structs()) - NESTED_MIRRORS == set(LAYOUT)
    for name, cls in mirror_structs().items():
        if name in LAYOUT:
            assert unit_of(cls) == LAYOUT[name].unit, f"{name} lives in the wrong module"


def test_mirror_enums_match_headers(dump: DumpResult) -> None:
    mismatches = {
        member: (int(value), dump.const.get(member))
        for enum in mirror_enums().values()
        for member, value in enum.__members__.items()
        if dump.const.get(member) != int(value)
    }
    assert mismatches == {}


def test_mirror_constants_match_headers(dump: DumpResult) -> None:
    names = mirror_int_constants()
    assert names, "the mirror exports no integer constants"
    for name in names:
        assert getattr(abi, name) == dump.const[name], name
    assert dump.string["QNN_SDK_BUILD_ID"] == abi.QNN_SDK_BUILD_ID
    interface_version = tuple(
        dump.init[f"QNN_OP_PACKAGE_INTERFACE_INIT:v.interfaceVersion.{part}"]
        for part in ("major", "minor", "patch")
    )
    assert interface_version == abi.QNN_OP_PACKAGE_API_VERSION_1_4_0


def test_ctypes_anonymous_unions_alias_like_c() -> None:
    scalar = abi.Qnn_Scalar_t()
    scalar.uint32Value = 0x3F800000
    assert scalar.floatValue == 1.0
    iface = abi.QnnOpPackage_Interface_t()
    assert not iface.v1_4.init and not iface.v2_0.create
    constraint = abi.QnnGpuOpPackage_TensorConstraint_t()
    constraint.dimension.size = 7
    assert (constraint.index, constraint.dimension.size) == (0, 7)


def test_error_name() -> None:
    assert abi.error_name(0) == "QNN_SUCCESS"
    assert abi.error_name(3200) == "QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT"
    assert abi.error_name(3000) == "QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED"
    assert abi.error_name(3110) == "QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE"
    assert abi.error_name(1000) == "QNN_OP_PACKAGE_ERROR_UNSUPPORTED_FEATURE"
    assert abi.error_name(1002) == "QNN_COMMON_ERROR_MEM_ALLOC"
    assert abi.error_name(11004) == "QNN_LOG_ERROR_INVALID_HANDLE"
    assert abi.error_name(0x7FFFFFFF) == "QNN_OP_PACKAGE_ERROR_UNDEFINED"
    assert abi.error_name((7 << 16) | 3200) == "QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT"
    assert abi.error_name(3500) == "UNKNOWN_ERROR(3500, OP_PACKAGE range)"
    assert abi.error_name(17) == "UNKNOWN_ERROR(17)"
    assert abi.get_error_code(0x123450C26) == 3110


# --------------------------------------------------------------------------------------------------
# Tests: the headers compile everywhere
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("std", ["c++11", "c++14", "c++17"])
def test_dump_program_compiles_as_cxx(tmp_path: Path, std: str) -> None:
    """The same units (every struct, field, constant and init macro) are valid C++."""
    cxx = _compiler("g++", "c++")
    for source in write_sources(tmp_path, ".cpp"):
        _run(
            [cxx, *WARNINGS, f"-std={std}", f"-I{INCLUDE}", "-fsyntax-only", str(source)], tmp_path
        )


@pytest.mark.parametrize("std", ["c99", "c11", "c17", "c++11", "c++14", "c++17"])
@pytest.mark.parametrize("header", HEADERS)
def test_header_is_self_contained(tmp_path: Path, header: str, std: str) -> None:
    cplusplus = std.startswith("c++")
    compiler = _compiler("g++", "c++") if cplusplus else _compiler("cc", "gcc")
    source = tmp_path / ("unit.cpp" if cplusplus else "unit.c")
    # Included twice to exercise the include guard; the typedef keeps the unit non-empty.
    source.write_text(f'#include "{header}"\n#include "{header}"\ntypedef int opgen_unit_t;\n')
    _run(
        [compiler, *WARNINGS, f"-std={std}", f"-I{INCLUDE}", "-fsyntax-only", str(source)], tmp_path
    )


def test_predefined_qnn_api_is_kept(tmp_path: Path) -> None:
    cc = _compiler("cc", "gcc")
    source = tmp_path / "api.c"
    source.write_text(
        '#include "QnnOpPackage.h"\n'
        "QNN_API Qnn_ErrorHandle_t Example_InterfaceProvider(QnnOpPackage_Interface_t* i);\n"
        "QNN_API Qnn_ErrorHandle_t Example_InterfaceProvider(QnnOpPackage_Interface_t* i) {\n"
        "  static const QnnOpPackage_Interface_t init = QNN_OP_PACKAGE_INTERFACE_INIT;\n"
        "  *i = init;\n"
        "  return QNN_SUCCESS;\n"
        "}\n"
    )
    _run(
        [
            cc,
            *WARNINGS,
            "-std=c11",
            '-DQNN_API=__attribute__((visibility("default")))',
            "-fvisibility=hidden",
            f"-I{INCLUDE}",
            "-c",
            str(source),
            "-o",
            str(tmp_path / "api.o"),
        ],
        tmp_path,
    )
    if shutil.which("readelf") is None:
        pytest.skip("readelf is not installed")
    symbols = _run(["readelf", "-sW", str(tmp_path / "api.o")], tmp_path)
    (line,) = [s for s in symbols.splitlines() if s.endswith(" Example_InterfaceProvider")]
    assert " DEFAULT " in line  # the predefined QNN_API won over -fvisibility=hidden


# --------------------------------------------------------------------------------------------------
# Tests: the mirror's function-pointer types drive a real package through dlopen
# --------------------------------------------------------------------------------------------------

# A minimal CPU op package (a leaky ReLU with an `alpha` scalar param), written against the bundled
# headers. It exercises every v1.4 slot, the CPU infrastructure callbacks (including the variadic
# reportMessage), validateOpConfig's by-value struct, and the va_list log callback.
PACKAGE_SOURCE = r"""
#include <stdarg.h>
#include <string.h>

#include "CPU/QnnCpuOpPackage.h"
#include "QnnSdkBuildId.h"

static int g_initialized;
static QnnCpuOpPackage_GlobalInfra_t* g_infra;
static QnnLog_Callback_t g_log;
static const char* g_names[] = {"LeakyRelu"};
static const Qnn_ApiVersion_t g_api = QNN_CPU_API_VERSION_INIT;
static QnnOpPackage_Info_t g_info = QNN_OP_PACKAGE_INFO_INIT;
static QnnCpuOpPackage_OpImpl_t g_impl = QNN_CPU_OP_PACKAGE_OPIMPL_INIT;

static Qnn_ErrorHandle_t pkg_init(QnnOpPackage_GlobalInfrastructure_t infrastructure) {
  if (g_initialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED;
  if (!infrastructure) return QNN_OP_PACKAGE_ERROR_INVALID_INFRASTRUCTURE;
  g_infra = infrastructure;
  g_initialized = 1;
  g_infra->reportMessage(QNN_CPU_MSG_DEBUG, "init %d", 1);
  return QNN_SUCCESS;
}

static Qnn_ErrorHandle_t pkg_terminate(void) {
  g_initialized = 0;
  return QNN_SUCCESS;
}

static Qnn_ErrorHandle_t pkg_get_info(const QnnOpPackage_Info_t** info) {
  if (!info) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  g_info.packageName = "TestPkg";
  g_info.operationNames = g_names;
  g_info.numOperations = 1;
  g_info.sdkBuildId = QNN_SDK_BUILD_ID;
  g_info.sdkApiVersion = &g_api;
  *info = &g_info;
  return QNN_SUCCESS;
}

static Qnn_ErrorHandle_t pkg_validate(Qnn_OpConfig_t config) {
  if (config.version != QNN_OPCONFIG_VERSION_1) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  if (strcmp(config.v1.typeName, "LeakyRelu") != 0) return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  if (config.v1.numOfInputs != 1 || config.v1.numOfOutputs != 1 || config.v1.numOfParams != 1)
    return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  if (config.v1.inputTensors[0].v1.dataType != QNN_DATATYPE_FLOAT_32)
    return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  if (config.v1.params[0].paramType != QNN_PARAMTYPE_SCALAR ||
      config.v1.params[0].scalarParam.dataType != QNN_DATATYPE_FLOAT_32)
    return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  return QNN_SUCCESS;
}

static Qnn_ErrorHandle_t leaky_relu(void* data) {
  const QnnCpuOpPackage_Node_t* node = (const QnnCpuOpPackage_Node_t*)data;
  const QnnCpuOpPackage_Tensor_t* in = node->inputs[0];
  QnnCpuOpPackage_Tensor_t* out = node->outputs[0];
  double alpha = node->params[0]->scalarParam;
  uint32_t count = 1, i;
  for (i = 0; i < in->rank; ++i) count *= in->currentDimensions[i];
  for (i = 0; i < count; ++i) {
    float x = ((const float*)in->data)[i];
    ((float*)out->data)[i] = x > 0.0f ? x : (float)(alpha * x);
  }
  g_infra->profile(QNN_CPU_PROFILE_BASIC, 0.25);
  return QNN_SUCCESS;
}

static Qnn_ErrorHandle_t pkg_create(QnnOpPackage_GraphInfrastructure_t graph,
                                    QnnOpPackage_Node_t node, QnnOpPackage_OpImpl_t* impl) {
  (void)graph;
  if (!node || !impl) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  g_impl.opImplFn = leaky_relu;
  g_impl.userData = node;
  *impl = &g_impl;
  return QNN_SUCCESS;
}

static Qnn_ErrorHandle_t pkg_free(QnnOpPackage_OpImpl_t impl) {
  return impl == &g_impl ? QNN_SUCCESS : QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
}

static void log_message(QnnLog_Level_t level, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  g_log(fmt, level, 42u, args);
  va_end(args);
}

static Qnn_ErrorHandle_t pkg_log_init(QnnLog_Callback_t callback, QnnLog_Level_t level) {
  g_log = callback;
  log_message(level, "log level %d", (int)level);
  return QNN_SUCCESS;
}

static Qnn_ErrorHandle_t pkg_log_level(QnnLog_Level_t level) {
  if (g_log) log_message(level, "log level %d", (int)level);
  return QNN_SUCCESS;
}

static Qnn_ErrorHandle_t pkg_log_terminate(void) {
  g_log = NULL;
  return QNN_SUCCESS;
}

QNN_API Qnn_ErrorHandle_t TestPkgInterfaceProvider(QnnOpPackage_Interface_t* iface);
QNN_API Qnn_ErrorHandle_t TestPkgInterfaceProvider(QnnOpPackage_Interface_t* iface) {
  static const QnnOpPackage_Interface_t empty = QNN_OP_PACKAGE_INTERFACE_INIT;
  if (!iface) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  *iface = empty;
  iface->v1_4.init = pkg_init;
  iface->v1_4.terminate = pkg_terminate;
  iface->v1_4.getInfo = pkg_get_info;
  iface->v1_4.validateOpConfig = pkg_validate;
  iface->v1_4.createOpImpl = pkg_create;
  iface->v1_4.freeOpImpl = pkg_free;
  iface->v1_4.logInitialize = pkg_log_init;
  iface->v1_4.logSetLevel = pkg_log_level;
  iface->v1_4.logTerminate = pkg_log_terminate;
  return QNN_SUCCESS;
}
"""


@pytest.fixture(scope="module")
def package_library(tmp_path_factory: pytest.TempPathFactory) -> ctypes.CDLL:
    cc = _compiler("cc", "gcc")
    work = tmp_path_factory.mktemp("abi_package")
    source = work / "package.c"
    source.write_text(PACKAGE_SOURCE)
    library = work / "libTestPkg.so"
    _run(
        [
            cc,
            *WARNINGS,
            "-std=c11",
            "-shared",
            "-fPIC",
            "-fvisibility=hidden",
            '-DQNN_API=__attribute__((visibility("default")))',
            f"-I{INCLUDE}",
            str(source),
            "-o",
            str(library),
        ],
        work,
    )
    return ctypes.CDLL(str(library))


def _f32_tensor(values: list[float]) -> tuple[abi.QnnCpuOpPackage_Tensor_t, list[Any]]:
    """A CPU tensor over a fresh float buffer, and the ctypes objects that must stay alive."""
    data = (ctypes.c_float * len(values))(*values)
    dims = (ctypes.c_uint32 * 1)(len(values))
    tensor = abi.QnnCpuOpPackage_Tensor_t(
        dataFormat=abi.QNN_TENSOR_DATA_FORMAT_FLAT_BUFFER,
        dataType=abi.QnnCpuOpPackage_DataType_t.QNN_CPU_DATATYPE_FLOAT_32,
        rank=1,
        maxDimensions=dims,
        currentDimensions=dims,
        data=ctypes.cast(data, ctypes.c_void_p),
    )
    return tensor, [data, dims]


def test_function_table_round_trip(package_library: ctypes.CDLL) -> None:
    ok = abi.QNN_SUCCESS
    errors = abi.QnnOpPackage_Error_t
    provider = abi.QnnOpPackage_InterfaceProvider_t(("TestPkgInterfaceProvider", package_library))
    iface = abi.QnnOpPackage_Interface_t()
    assert provider(ctypes.byref(iface)) == ok
    version = iface.interfaceVersion
    assert (version.major, version.minor, version.patch) == abi.QNN_OP_PACKAGE_API_VERSION_1_4_0
    table = iface.v1_4

    # init, with Python callbacks as the CPU global infrastructure.
    messages: list[tuple[int, bytes]] = []
    timings: list[tuple[int, float]] = []

    def report(kind: int, fmt: bytes) -> None:
        messages.append((kind, fmt))

    def profile(kind: int, ms: float) -> None:
        timings.append((kind, ms))

    infra = abi.QnnCpuOpPackage_GlobalInfra_t(
        reportMessage=abi.QnnCpuOpPackage_ReportMessageFn_t(report),
        profile=abi.QnnCpuOpPackage_ProfileFn_t(profile),
    )
    assert table.init(ctypes.byref(infra)) == ok
    assert messages == [(abi.QnnCpuOpPackage_MsgType_t.QNN_CPU_MSG_DEBUG, b"init %d")]
    assert (
        table.init(ctypes.byref(infra)) == errors.QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED
    )

    # getInfo fills a pointer to package-owned info.
    info_ptr = ctypes.POINTER(abi.QnnOpPackage_Info_t)()
    assert table.getInfo(ctypes.byref(info_ptr)) == ok
    info = info_ptr.contents
    assert info.packageName == b"TestPkg"
    assert [info.operationNames[i] for i in range(info.numOperations)] == [b"LeakyRelu"]
    assert info.sdkBuildId == abi.QNN_SDK_BUILD_ID.encode()
    backend = info.sdkApiVersion.contents.backendApiVersion
    assert (backend.major, backend.minor, backend.patch) == (1, 1, 0)

    # validateOpConfig takes the whole Qnn_OpConfig_t by value.
    in_tensor = abi.Qnn_Tensor_t(version=abi.Qnn_TensorVersion_t.QNN_TENSOR_VERSION_1)
    in_tensor.v1.dataType = abi.Qnn_DataType_t.QNN_DATATYPE_FLOAT_32
    out_tensor = abi.Qnn_Tensor_t(version=abi.Qnn_TensorVersion_t.QNN_TENSOR_VERSION_1)
    param = abi.Qnn_Param_t(paramType=abi.Qnn_ParamType_t.QNN_PARAMTYPE_SCALAR, name=b"alpha")
    param.scalarParam.dataType = abi.Qnn_DataType_t.QNN_DATATYPE_FLOAT_32
    param.scalarParam.floatValue = 0.5
    config = abi.Qnn_OpConfig_t(version=abi.Qnn_OpConfigVersion_t.QNN_OPCONFIG_VERSION_1)
    config.v1 = abi.Qnn_OpConfigV1_t(
        name=b"node0",
        packageName=b"TestPkg",
        typeName=b"LeakyRelu",
        numOfParams=1,
        params=ctypes.pointer(param),
        numOfInputs=1,
        inputTensors=ctypes.pointer(in_tensor),
        numOfOutputs=1,
        outputTensors=ctypes.pointer(out_tensor),
    )
    assert table.validateOpConfig(config) == ok
    config.v1.typeName = b"Other"
    assert table.validateOpConfig(config) == errors.QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE

    # createOpImpl over a CPU node, then run the kernel through opImplFn(userData).
    x, keep_x = _f32_tensor([-2.0, -0.5, 0.0, 3.0])
    y, keep_y = _f32_tensor([0.0] * 4)
    alpha = abi.QnnCpuOpPackage_Param_t(
        type=abi.QnnCpuOpPackage_ParamType_t.QNN_CPU_PARAMTYPE_SCALAR, name=b"alpha"
    )
    alpha.scalarParam = 0.5
    params = (ctypes.POINTER(abi.QnnCpuOpPackage_Param_t) * 1)(ctypes.pointer(alpha))
    inputs = (ctypes.POINTER(abi.QnnCpuOpPackage_Tensor_t) * 1)(ctypes.pointer(x))
    outputs = (ctypes.POINTER(abi.QnnCpuOpPackage_Tensor_t) * 1)(ctypes.pointer(y))
    node = abi.QnnCpuOpPackage_Node_t(
        name=b"node0",
        packageName=b"TestPkg",
        typeName=b"LeakyRelu",
        numOfParams=1,
        params=params,
        numOfInputs=1,
        inputs=inputs,
        numOfOutputs=1,
        outputs=outputs,
    )
    impl = ctypes.c_void_p()
    assert table.createOpImpl(None, ctypes.byref(node), ctypes.byref(impl)) == ok
    op = ctypes.cast(impl, ctypes.POINTER(abi.QnnCpuOpPackage_OpImpl_t)).contents
    assert op.opImplFn(op.userData) == ok
    assert list(keep_y[0]) == [-1.0, -0.25, 0.0, 3.0]
    assert keep_x[0][0] == -2.0
    assert timings == [(abi.QnnCpuOpPackage_ProfileType_t.QNN_CPU_PROFILE_BASIC, 0.25)]
    assert table.freeOpImpl(impl) == ok
    assert table.freeOpImpl(None) == errors.QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT

    # Logging: the callback receives format, level and timestamp; va_list arrives opaque.
    logged: list[tuple[bytes, int, int]] = []

    def log(fmt: bytes, level: int, timestamp: int, _args: int | None) -> None:
        logged.append((fmt, level, timestamp))

    log_callback = abi.QnnLog_Callback_t(log)
    assert table.logInitialize(log_callback, abi.QnnLog_Level_t.QNN_LOG_LEVEL_WARN) == ok
    assert table.logSetLevel(abi.QnnLog_Level_t.QNN_LOG_LEVEL_DEBUG) == ok
    assert logged == [(b"log level %d", 2, 42), (b"log level %d", 5, 42)]
    assert table.logTerminate() == ok
    assert table.terminate() == ok
    assert table.init(ctypes.byref(infra)) == ok
    assert table.terminate() == ok
