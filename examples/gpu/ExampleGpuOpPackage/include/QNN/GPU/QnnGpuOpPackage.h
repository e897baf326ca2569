/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * GPU (OpenCL) backend side of the op-package interface: device properties,
 * infrastructure, super-node optimizations, memory objects, kernels and the
 * operation a package builds for each node.
 * Include at most one backend's op-package header per translation unit:
 * each completes the same opaque struct tags from QnnOpPackage.h.
 */
#ifndef QNN_GPU_OP_PACKAGE_H
#define QNN_GPU_OP_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

#include "GPU/QnnGpuCommon.h"
#include "GPU/QnnGpuGraph.h"
#include "QnnOpPackage.h"
#include "QnnTypes.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- infrastructure ---------------------------------------------------- */

/* Capabilities of the OpenCL device the backend runs on. */
typedef struct {
  char deviceVersion[128];
  uint32_t interfaceVersion[2];
  char tierName[8];
  uint32_t compilerVersion[4];
  size_t maxWorkGroupSize;
  size_t image2dMaxWidth;
  size_t image2dMaxHeight;
  size_t maxBufferAllocSize;
  uint32_t baseAddrAlignment;
  size_t image2dArrayMaxWidth;
  size_t image2dArrayMaxHeight;
  size_t image2dArrayMaxDepth;
} QnnGpu_DeviceProperties_t;

#define QNN_GPU_DEVICE_PROPERTIES_INIT                                         \
  { { 0 }, { 0u, 0u }, { 0 }, { 0u, 0u, 0u, 0u }, 0u, 0u, 0u, 0u, 0u, 0u, 0u,  \
    0u }

/* Passed to init. */
typedef struct _QnnOpPackage_GlobalInfrastructure_t {
  const Qnn_ApiVersion_t* sdkApiVersion;
  const QnnGpu_DeviceProperties_t* deviceProperties;
  const char* driverPath;
} QnnGpuOpPackage_GlobalInfrastructure_t;

#define QNN_GPU_OP_PACKAGE_GLOBAL_INFRASTRUCTURE_INIT { NULL, NULL, NULL }

/* Backend-specific part of QnnOpPackage_Info_t. */
typedef struct _QnnOpPackage_PackageInfo_t {
  const char* kernelRepoHash;
} QnnGpuOpPackage_PackageInfo_t;

#define QNN_GPU_OP_PACKAGE_PACKAGE_INFO_INIT { NULL }

/* ---- super-node optimizations ------------------------------------------ */

typedef enum {
  QNN_GPU_OPTIMIZATION_TYPE_UNDEFINED = 0,
  QNN_GPU_OPTIMIZATION_TYPE_SUPER_NODE = 2
} QnnGpuOpPackage_OptimizationType_t;

/* Output `producerOutputIndex` of operation `producer` feeds input
 * `consumerInputIndex` of operation `consumer` (indices into the pattern). */
typedef struct {
  uint32_t producer;
  uint32_t producerOutputIndex;
  uint32_t consumer;
  uint32_t consumerInputIndex;
} QnnGpuOpPackage_SuperNodeConnectionConstraint_t;

#define QNN_GPU_OP_PACKAGE_SUPER_NODE_CONNECTION_CONSTRAINT_INIT { 0u, 0u, 0u, 0u }

typedef enum {
  QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_SOURCE_OUTPUT = 1,
  QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_SOURCE_INPUT = 2
} QnnGpuOpPackage_TensorConstraintSource_t;

typedef enum {
  QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_CONSTRAINT_DATA_TYPE = 1,
  QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_CONSTRAINT_RANK = 2,
  QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_CONSTRAINT_DIMENSION = 3,
  QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_CONSTRAINT_TENSOR_TYPE = 4
} QnnGpuOpPackage_TensorConstraintType_t;

/* A requirement on one tensor of one operation of the pattern. The first
 * union names the tensor (by index or name), `type` selects the member of
 * the second union that states the requirement. */
typedef struct {
  uint32_t operationIndex;
  QnnGpuOpPackage_TensorConstraintSource_t source;
  QNN_OPGEN_ANONYMOUS union {
    uint32_t index;
    const char* name;
  };
  QnnGpuOpPackage_TensorConstraintType_t type;
  QNN_OPGEN_ANONYMOUS union {
    Qnn_DataType_t dataType;
    Qnn_TensorType_t tensorType;
    uint32_t rank;
    struct {
      uint32_t index;
      uint32_t size;
    } dimension;
  };
} QnnGpuOpPackage_TensorConstraint_t;

#define QNN_GPU_OP_PACKAGE_TENSOR_CONSTRAINT_INIT                              \
  { 0u, QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_SOURCE_OUTPUT, { 0u },          \
    QNN_GPU_OPTIMIZATION_SUPER_NODE_TENSOR_CONSTRAINT_DATA_TYPE,               \
    { QNN_DATATYPE_UNDEFINED } }

/* Pattern of operations, NULL-terminated arrays throughout. */
typedef struct {
  const char** operations;
  QnnGpuOpPackage_SuperNodeConnectionConstraint_t** connectionConstraints;
  QnnGpuOpPackage_TensorConstraint_t** tensorConstraints;
} QnnGpuOpPackage_SuperNodeOptimization_t;

#define QNN_GPU_OP_PACKAGE_SUPER_NODE_OPTIMIZATION_INIT { NULL, NULL, NULL }

/* type selects the active union member. */
typedef struct _QnnOpPackage_Optimization_t {
  QnnGpuOpPackage_OptimizationType_t type;
  const char* name;
  QNN_OPGEN_ANONYMOUS union {
    const QnnGpuOpPackage_SuperNodeOptimization_t* superNode;
  };
} QnnGpuOpPackage_Optimization_t;

#define QNN_GPU_OP_PACKAGE_OPTIMIZATION_INIT                                   \
  { QNN_GPU_OPTIMIZATION_TYPE_UNDEFINED, NULL, { NULL } }

/* Passed to createOpImpl. */
typedef struct _QnnOpPackage_GraphInfrastructure_t {
  QnnGpu_Precision_t precisionMode;
} QnnGpuOpPackage_GraphInfrastructure_t;

#define QNN_GPU_OP_PACKAGE_GRAPH_INFRASTRUCTURE_INIT { QNN_GPU_PRECISION_FP32 }

/* ---- memory objects ---------------------------------------------------- */

typedef enum {
  QNN_GPU_MEM_OBJ_TYPE_HOST = 0,
  QNN_GPU_MEM_OBJ_TYPE_BUFFER = 1,
  QNN_GPU_MEM_OBJ_TYPE_IMAGE2D = 2,
  QNN_GPU_MEM_OBJ_TYPE_IMAGE2D_ARRAY = 3,
  QNN_GPU_MEM_OBJ_TYPE_AGGREGATED_IMAGE2D = 4,
  QNN_GPU_MEM_OBJ_TYPE_AGGREGATED_IMAGE2D_ARRAY = 5,
  QNN_GPU_MEM_OBJ_TYPE_UNCLAIMED = 6
} QnnGpu_MemoryObjectType_t;

typedef struct {
  QnnGpu_MemoryObjectType_t type;
  Qnn_DataType_t dataType;
  uint32_t* dimensions;
  uint32_t* offsets;
  uint32_t numDimensions;
  uint32_t layout;
} QnnGpu_MemoryObject_t;

#define QNN_GPU_MEMORY_OBJECT_INIT                                             \
  { QNN_GPU_MEM_OBJ_TYPE_UNCLAIMED, QNN_DATATYPE_UNDEFINED, NULL, NULL, 0u, 0u }

/* Where the tensor with this id lives. */
typedef struct {
  uint32_t id;
  const QnnGpu_MemoryObject_t* memoryObject;
} QnnGpu_TensorStorageType_t;

#define QNN_GPU_TENSOR_STORAGE_TYPE_INIT { 0u, NULL }

/* One node (or fused super node) handed to createOpImpl. configs and
 * storageTypes are NULL-terminated arrays. */
typedef struct _QnnOpPackage_Node_t {
  uint32_t optimization;
  const Qnn_OpConfig_t** configs;
  const QnnGpu_TensorStorageType_t** storageTypes;
} QnnGpuOpPackage_Node_t;

#define QNN_GPU_OP_PACKAGE_NODE_INIT { 0u, NULL, NULL }

/* Storage an operation requests for one of its outputs. */
typedef struct {
  uint32_t opConfigIndex;
  uint32_t outputIndex;
  const QnnGpu_MemoryObject_t* memoryObject;
} QnnGpu_OutputClaim_t;

#define QNN_GPU_OUTPUT_CLAIM_INIT { 0u, 0u, NULL }

/* ---- kernel arguments -------------------------------------------------- */

typedef enum {
  QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READ = 0,
  QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READWRITE = 1,
  QNN_GPU_KERNEL_ARG_TYPE_OP_OUTPUT_WRITE = 2,
  QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_READ = 3,
  QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_READWRITE = 4,
  QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_WRITE = 5,
  QNN_GPU_KERNEL_ARG_TYPE_DATA = 6,
  QNN_GPU_KERNEL_ARG_TYPE_LOCAL = 7,
  QNN_GPU_KERNEL_ARG_TYPE_NULL_PTR = 8
} QnnGpu_KernelArgType_t;

/* Names a tensor: op config, tensor within it, and element of it. */
typedef struct {
  uint32_t opConfigIndex;
  uint32_t tensorIndex;
  uint32_t element;
} QnnGpu_TensorKernelArg_t;

#define QNN_GPU_TENSOR_KERNEL_ARG_INIT { 0u, 0u, 0u }

/* OpenCL scalar types for by-value kernel arguments. */
typedef enum {
  QNN_GPU_KERNEL_ARG_CL_TYPE_CHAR = 0,
  QNN_GPU_KERNEL_ARG_CL_TYPE_UCHAR = 1,
  QNN_GPU_KERNEL_ARG_CL_TYPE_SHORT = 2,
  QNN_GPU_KERNEL_ARG_CL_TYPE_USHORT = 3,
  QNN_GPU_KERNEL_ARG_CL_TYPE_INT = 4,
  QNN_GPU_KERNEL_ARG_CL_TYPE_UINT = 5,
  QNN_GPU_KERNEL_ARG_CL_TYPE_LONG = 6,
  QNN_GPU_KERNEL_ARG_CL_TYPE_ULONG = 7,
  QNN_GPU_KERNEL_ARG_CL_TYPE_FLOAT = 8,
  QNN_GPU_KERNEL_ARG_CL_TYPE_DOUBLE = 9
} QnnGpu_DataKernelArgType_t;

/* type selects the active union member. */
typedef struct {
  QnnGpu_DataKernelArgType_t type;
  QNN_OPGEN_ANONYMOUS union {
    int8_t qnnChar;
    uint8_t qnnUChar;
    int16_t qnnShort;
    uint16_t qnnUShort;
    int32_t qnnInt;
    uint32_t qnnUInt;
    int64_t qnnLong;
    uint64_t qnnULong;
    float qnnFloat;
    double qnnDouble;
  };
} QnnGpu_DataKernelArg_t;

#define QNN_GPU_DATA_KERNEL_ARG_INIT { QNN_GPU_KERNEL_ARG_CL_TYPE_CHAR, { 0 } }

/* __local buffer of `size` bytes. */
typedef struct {
  uint32_t size;
} QnnGpu_LocalKernelArg_t;

#define QNN_GPU_LOCAL_KERNEL_ARG_INIT { 0u }

/* type selects the active union member. */
typedef struct {
  QnnGpu_KernelArgType_t type;
  QNN_OPGEN_ANONYMOUS union {
    QnnGpu_TensorKernelArg_t tensor;
    QnnGpu_DataKernelArg_t data;
    QnnGpu_LocalKernelArg_t local;
  };
} QnnGpu_KernelArg_t;

#define QNN_GPU_KERNEL_ARG_INIT                                                \
  { QNN_GPU_KERNEL_ARG_TYPE_NULL_PTR, { QNN_GPU_TENSOR_KERNEL_ARG_INIT } }

/* ---- kernels and operations -------------------------------------------- */

typedef enum {
  QNN_GPU_KERNEL_SOURCE_TYPE_TEXT = 0,
  QNN_GPU_KERNEL_SOURCE_TYPE_BINARY = 1
} QnnGpu_KernelSourceType_t;

/* One OpenCL kernel launch. args is a NULL-terminated array. */
typedef struct {
  const void* kernelSource;
  size_t sourceLength;
  QnnGpu_KernelSourceType_t sourceType;
  const char* buildOptions;
  size_t globalWorkDim;
  size_t globalWorkSizes[3];
  size_t localWorkDim;
  size_t localWorkSizes[3];
  QnnGpu_KernelArg_t** args;
  const char* name;
  uint32_t isDynamic;
  void* reserved;
} QnnGpu_Kernel_t;

#define QNN_GPU_KERNEL_INIT                                                    \
  { NULL, 0u, QNN_GPU_KERNEL_SOURCE_TYPE_TEXT, NULL, 0u, { 0u, 0u, 0u }, 0u,   \
    { 0u, 0u, 0u }, NULL, NULL, 0u, NULL }

/* What createOpImpl hands back for a node. Every array is NULL-terminated. */
typedef struct _QnnOpPackage_OpImpl_t {
  QnnGpu_OutputClaim_t** outputClaims;
  QnnGpu_MemoryObject_t** memoryObjects;
  QnnGpu_Kernel_t** kernels;
} QnnGpu_Operation_t;

#define QNN_GPU_OPERATION_INIT { NULL, NULL, NULL }

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_GPU_OP_PACKAGE_H */
