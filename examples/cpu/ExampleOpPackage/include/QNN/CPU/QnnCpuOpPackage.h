/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * CPU backend side of the op-package interface: the concrete global
 * infrastructure, node, tensor, parameter and op-implementation structs.
 * Include at most one backend's op-package header per translation unit:
 * each completes the same opaque struct tags from QnnOpPackage.h.
 */
#ifndef QNN_CPU_OP_PACKAGE_H
#define QNN_CPU_OP_PACKAGE_H

#include <stdint.h>

#include "CPU/QnnCpuCommon.h"
#include "QnnOpPackage.h"
#include "QnnTypes.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t QnnCpuOpPackage_TensorDataFormat_t;

/* Duration in milliseconds. */
typedef double QnnCpuOpPackage_ProfileData_t;

QNN_OPGEN_WIDE_ENUM_BEGIN
typedef enum {
  QNN_CPU_PARAMTYPE_SCALAR = 0,
  QNN_CPU_PARAMTYPE_TENSOR = 1,
  QNN_CPU_PARAMTYPE_UNDEFINED = 0xFFFFFFFF
} QnnCpuOpPackage_ParamType_t;
QNN_OPGEN_WIDE_ENUM_END

/* Element types the CPU backend hands to kernels (same codes as
 * Qnn_DataType_t). */
typedef enum {
  QNN_CPU_DATATYPE_BOOL_8 = 0x0508,
  QNN_CPU_DATATYPE_INT_8 = 0x0008,
  QNN_CPU_DATATYPE_INT_32 = 0x0032,
  QNN_CPU_DATATYPE_UINT_8 = 0x0108,
  QNN_CPU_DATATYPE_UINT_32 = 0x0132,
  QNN_CPU_DATATYPE_FLOAT_32 = 0x0232,
  QNN_CPU_DATATYPE_UNDEFINED = 0x7FFFFFFF
} QnnCpuOpPackage_DataType_t;

typedef enum {
  QNN_CPU_MSG_ERROR = 1,
  QNN_CPU_MSG_DEBUG = 2,
  QNN_CPU_MSG_LOW = 3,
  QNN_CPU_MSG_MED = 4,
  QNN_CPU_MSG_HIGH = 5,
  QNN_CPU_MSG_UNDEFINED = 0x7FFFFFFF
} QnnCpuOpPackage_MsgType_t;

typedef enum {
  QNN_CPU_PROFILE_BASIC = 1,
  QNN_CPU_PROFILE_DETAILED = 2,
  QNN_CPU_PROFILE_UNDEFINED = 0x7FFFFFFF
} QnnCpuOpPackage_ProfileType_t;

/* Services the backend offers to packages (passed to init). */
typedef struct _QnnOpPackage_GlobalInfrastructure_t {
  void (*reportMessage)(QnnCpuOpPackage_MsgType_t msgType, const char* fmt, ...);
  void (*profile)(QnnCpuOpPackage_ProfileType_t profileType,
                  QnnCpuOpPackage_ProfileData_t timeInMsec);
} QnnCpuOpPackage_GlobalInfra_t;

#define QNN_CPU_OP_PACKAGE_GLOBAL_INFRA_INIT { NULL, NULL }

/* Kernel entry point; receives OpImpl.userData. */
typedef Qnn_ErrorHandle_t (*QnnCpuOpPackage_OpImplFn_t)(void* opPkgNodeData);

/* What createOpImpl hands back: the backend later calls opImplFn(userData). */
typedef struct _QnnOpPackage_OpImpl_t {
  QnnCpuOpPackage_OpImplFn_t opImplFn;
  void* userData;
} QnnCpuOpPackage_OpImpl_t;

#define QNN_CPU_OP_PACKAGE_OPIMPL_INIT { NULL, NULL }

typedef struct {
  QnnCpuOpPackage_TensorDataFormat_t dataFormat;
  QnnCpuOpPackage_DataType_t dataType;
  uint32_t rank;
  uint32_t* maxDimensions;
  uint32_t* currentDimensions;
  void* data;
} QnnCpuOpPackage_Tensor_t;

#define QNN_CPU_OP_PACKAGE_TENSOR_INIT                                         \
  { QNN_TENSOR_DATA_FORMAT_FLAT_BUFFER, QNN_CPU_DATATYPE_UNDEFINED, 0u, NULL,  \
    NULL, NULL }

/* type selects the active union member; scalars always arrive as double. */
typedef struct {
  QnnCpuOpPackage_ParamType_t type;
  const char* name;
  QNN_OPGEN_ANONYMOUS union {
    double scalarParam;
    QnnCpuOpPackage_Tensor_t* tensorParam;
  };
} QnnCpuOpPackage_Param_t;

#define QNN_CPU_OP_PACKAGE_PARAM_INIT { QNN_CPU_PARAMTYPE_UNDEFINED, NULL, { 0.0 } }

/* One op instance in a graph, as the CPU backend describes it. */
typedef struct _QnnOpPackage_Node_t {
  const char* name;
  const char* packageName;
  const char* typeName;
  uint32_t numOfParams;
  QnnCpuOpPackage_Param_t** params;
  uint32_t numOfInputs;
  QnnCpuOpPackage_Tensor_t** inputs;
  uint32_t numOfOutputs;
  QnnCpuOpPackage_Tensor_t** outputs;
} QnnCpuOpPackage_Node_t;

#define QNN_CPU_OP_PACKAGE_NODE_INIT { NULL, NULL, NULL, 0u, NULL, 0u, NULL, 0u, NULL }

/* The CPU backend does not define graph infrastructure; packages only pass
 * the (opaque) pointer through. */
typedef struct _QnnOpPackage_GraphInfrastructure_t QnnCpuOpPackage_GraphInfrastructure_t;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_CPU_OP_PACKAGE_H */
