/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the QNN
 * op-package interface (core API 2.7.2, SDK 2.13 surface). Written by the
 * opgen authors from documented names, values and layouts only.
 *
 * Data types shared by the API: versions, scalars, quantization parameters,
 * tensors, parameters and op configurations.
 */
#ifndef QNN_TYPES_H
#define QNN_TYPES_H

#include <stddef.h>
#include <stdint.h>

#include "QnnCommon.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- enumerations ------------------------------------------------------ */

/* Element types. The high byte is the family, the low byte the bit width
 * written in hexadecimal digits that read like decimal (0x32 = 32 bits). */
typedef enum {
  QNN_DATATYPE_INT_8 = 0x0008,
  QNN_DATATYPE_INT_16 = 0x0016,
  QNN_DATATYPE_INT_32 = 0x0032,
  QNN_DATATYPE_INT_64 = 0x0064,
  QNN_DATATYPE_UINT_8 = 0x0108,
  QNN_DATATYPE_UINT_16 = 0x0116,
  QNN_DATATYPE_UINT_32 = 0x0132,
  QNN_DATATYPE_UINT_64 = 0x0164,
  QNN_DATATYPE_FLOAT_16 = 0x0216,
  QNN_DATATYPE_FLOAT_32 = 0x0232,
  QNN_DATATYPE_SFIXED_POINT_8 = 0x0308,
  QNN_DATATYPE_SFIXED_POINT_16 = 0x0316,
  QNN_DATATYPE_SFIXED_POINT_32 = 0x0332,
  QNN_DATATYPE_UFIXED_POINT_8 = 0x0408,
  QNN_DATATYPE_UFIXED_POINT_16 = 0x0416,
  QNN_DATATYPE_UFIXED_POINT_32 = 0x0432,
  QNN_DATATYPE_BOOL_8 = 0x0508,
  QNN_DATATYPE_UNDEFINED = 0x7FFFFFFF
} Qnn_DataType_t;

typedef enum {
  QNN_PRECISION_FLOAT32 = 0,
  QNN_PRECISION_FLOAT16 = 1,
  QNN_PRECISION_UNDEFINED = 0x7FFFFFFF
} Qnn_Precision_t;

typedef enum {
  QNN_TENSOR_TYPE_APP_WRITE = 0,
  QNN_TENSOR_TYPE_APP_READ = 1,
  QNN_TENSOR_TYPE_APP_READWRITE = 2,
  QNN_TENSOR_TYPE_NATIVE = 3,
  QNN_TENSOR_TYPE_STATIC = 4,
  QNN_TENSOR_TYPE_NULL = 5,
  QNN_TENSOR_TYPE_UNDEFINED = 0x7FFFFFFF
} Qnn_TensorType_t;

QNN_OPGEN_WIDE_ENUM_BEGIN
typedef enum {
  QNN_PARAMTYPE_SCALAR = 0,
  QNN_PARAMTYPE_TENSOR = 1,
  QNN_PARAMTYPE_UNDEFINED = 0xFFFFFFFF
} Qnn_ParamType_t;
QNN_OPGEN_WIDE_ENUM_END

typedef enum {
  QNN_DEFINITION_IMPL_GENERATED = 0,
  QNN_DEFINITION_DEFINED = 1,
  QNN_DEFINITION_UNDEFINED = 0x7FFFFFFF
} Qnn_Definition_t;

typedef enum {
  QNN_QUANTIZATION_ENCODING_SCALE_OFFSET = 0,
  QNN_QUANTIZATION_ENCODING_AXIS_SCALE_OFFSET = 1,
  QNN_QUANTIZATION_ENCODING_BW_SCALE_OFFSET = 2,
  QNN_QUANTIZATION_ENCODING_BW_AXIS_SCALE_OFFSET = 3,
  QNN_QUANTIZATION_ENCODING_UNDEFINED = 0x7FFFFFFF
} Qnn_QuantizationEncoding_t;

/* Tensor memory layout; only the dense flat buffer is defined. */
typedef uint32_t Qnn_TensorDataFormat_t;
#define QNN_TENSOR_DATA_FORMAT_FLAT_BUFFER 0

typedef enum {
  QNN_TENSORMEMTYPE_RAW = 0,
  QNN_TENSORMEMTYPE_MEMHANDLE = 1,
  QNN_TENSORMEMTYPE_UNDEFINED = 0x7FFFFFFF
} Qnn_TensorMemType_t;

typedef enum {
  QNN_TENSOR_VERSION_1 = 1,
  QNN_TENSOR_VERSION_UNDEFINED = 0x7FFFFFFF
} Qnn_TensorVersion_t;

typedef enum {
  QNN_OPCONFIG_VERSION_1 = 1,
  QNN_OPCONFIG_VERSION_UNDEFINED = 0x7FFFFFFF
} Qnn_OpConfigVersion_t;

typedef enum {
  QNN_PRIORITY_LOW = 0,
  QNN_PRIORITY_NORMAL = 100,
  QNN_PRIORITY_DEFAULT = QNN_PRIORITY_NORMAL,
  QNN_PRIORITY_NORMAL_HIGH = 150,
  QNN_PRIORITY_HIGH = 200,
  QNN_PRIORITY_UNDEFINED = 0x7FFFFFFF
} Qnn_Priority_t;

typedef enum {
  QNN_ERROR_REPORTING_LEVEL_BRIEF = 0,
  QNN_ERROR_REPORTING_LEVEL_DETAILED = 1,
  QNN_ERROR_REPORTING_LEVEL_UNDEFINED = 0x7FFFFFFF
} Qnn_ErrorReportingLevel_t;

typedef struct {
  Qnn_ErrorReportingLevel_t reportingLevel;
  uint32_t storageLimit;
} Qnn_ErrorReportingConfig_t;

#define QNN_ERROR_REPORTING_CONFIG_INIT { QNN_ERROR_REPORTING_LEVEL_UNDEFINED, 0u }

typedef uint64_t Qnn_ContextBinarySize_t;

/* ---- versions ---------------------------------------------------------- */

typedef struct {
  uint32_t major;
  uint32_t minor;
  uint32_t patch;
} Qnn_Version_t;

#define QNN_VERSION_INIT { 0u, 0u, 0u }

/* Core API version plus the version of one backend's API. */
typedef struct {
  Qnn_Version_t coreApiVersion;
  Qnn_Version_t backendApiVersion;
} Qnn_ApiVersion_t;

#define QNN_API_VERSION_INIT                                                   \
  {                                                                            \
    { QNN_API_VERSION_MAJOR, QNN_API_VERSION_MINOR, QNN_API_VERSION_PATCH },   \
    QNN_VERSION_INIT                                                           \
  }

/* ---- scalars ----------------------------------------------------------- */

/* A single value; dataType selects the active union member. */
typedef struct {
  Qnn_DataType_t dataType;
  QNN_OPGEN_ANONYMOUS union {
    float floatValue;
    uint32_t uint32Value;
    int32_t int32Value;
    uint16_t uint16Value;
    int16_t int16Value;
    uint8_t uint8Value;
    int8_t int8Value;
    uint8_t bool8Value;
  };
} Qnn_Scalar_t;

#define QNN_SCALAR_INIT { QNN_DATATYPE_UNDEFINED, { 0.0f } }

/* ---- quantization ------------------------------------------------------ */

/* real = scale * (quantized + offset) */
typedef struct {
  float scale;
  int32_t offset;
} Qnn_ScaleOffset_t;

#define QNN_SCALE_OFFSET_INIT { 0.0f, 0 }

typedef struct {
  uint32_t bitwidth;
  float scale;
  int32_t offset;
} Qnn_BwScaleOffset_t;

#define QNN_BW_SCALE_OFFSET_INIT { 0u, 0.0f, 0 }

/* One scale/offset pair per slice along `axis`. */
typedef struct {
  int32_t axis;
  uint32_t numScaleOffsets;
  Qnn_ScaleOffset_t* scaleOffset;
} Qnn_AxisScaleOffset_t;

#define QNN_AXIS_SCALE_OFFSET_INIT { 0, 0u, NULL }

typedef struct {
  uint32_t bitwidth;
  int32_t axis;
  uint32_t numElements;
  float* scales;
  int32_t* offsets;
} Qnn_BwAxisScaleOffset_t;

#define QNN_BW_AXIS_SCALE_OFFSET_INIT { 0u, 0, 0u, NULL, NULL }

/* quantizationEncoding selects the active union member. */
typedef struct {
  Qnn_Definition_t encodingDefinition;
  Qnn_QuantizationEncoding_t quantizationEncoding;
  QNN_OPGEN_ANONYMOUS union {
    Qnn_ScaleOffset_t scaleOffsetEncoding;
    Qnn_AxisScaleOffset_t axisScaleOffsetEncoding;
    Qnn_BwScaleOffset_t bwScaleOffsetEncoding;
    Qnn_BwAxisScaleOffset_t bwAxisScaleOffsetEncoding;
  };
} Qnn_QuantizeParams_t;

#define QNN_QUANTIZE_PARAMS_INIT                                               \
  {                                                                            \
    QNN_DEFINITION_UNDEFINED, QNN_QUANTIZATION_ENCODING_UNDEFINED,             \
    { QNN_SCALE_OFFSET_INIT }                                                  \
  }

/* ---- tensors ----------------------------------------------------------- */

/* Caller-owned memory. */
typedef struct {
  void* data;
  uint32_t dataSize;
} Qnn_ClientBuffer_t;

#define QNN_CLIENT_BUFFER_INIT { NULL, 0u }

/* memType selects the active union member. */
typedef struct {
  uint32_t id;
  const char* name;
  Qnn_TensorType_t type;
  Qnn_TensorDataFormat_t dataFormat;
  Qnn_DataType_t dataType;
  Qnn_QuantizeParams_t quantizeParams;
  uint32_t rank;
  uint32_t* dimensions;
  Qnn_TensorMemType_t memType;
  QNN_OPGEN_ANONYMOUS union {
    Qnn_ClientBuffer_t clientBuf;
    Qnn_MemHandle_t memHandle;
  };
} Qnn_TensorV1_t;

#define QNN_TENSOR_V1_INIT                                                     \
  {                                                                            \
    0u, NULL, QNN_TENSOR_TYPE_UNDEFINED, QNN_TENSOR_DATA_FORMAT_FLAT_BUFFER,   \
    QNN_DATATYPE_UNDEFINED, QNN_QUANTIZE_PARAMS_INIT, 0u, NULL,                \
    QNN_TENSORMEMTYPE_UNDEFINED, { QNN_CLIENT_BUFFER_INIT }                    \
  }

/* Versioned tensor; this API revision only has version 1. */
typedef struct {
  Qnn_TensorVersion_t version;
  QNN_OPGEN_ANONYMOUS union {
    Qnn_TensorV1_t v1;
  };
} Qnn_Tensor_t;

#define QNN_TENSOR_INIT { QNN_TENSOR_VERSION_1, { QNN_TENSOR_V1_INIT } }

/* ---- op parameters and configurations ---------------------------------- */

/* paramType selects the active union member. */
typedef struct {
  Qnn_ParamType_t paramType;
  const char* name;
  QNN_OPGEN_ANONYMOUS union {
    Qnn_Scalar_t scalarParam;
    Qnn_Tensor_t tensorParam;
  };
} Qnn_Param_t;

#define QNN_PARAM_INIT { QNN_PARAMTYPE_UNDEFINED, NULL, { QNN_SCALAR_INIT } }

typedef struct {
  const char* name;
  const char* packageName;
  const char* typeName;
  uint32_t numOfParams;
  Qnn_Param_t* params;
  uint32_t numOfInputs;
  Qnn_Tensor_t* inputTensors;
  uint32_t numOfOutputs;
  Qnn_Tensor_t* outputTensors;
} Qnn_OpConfigV1_t;

#define QNN_OPCONFIG_V1_INIT { NULL, NULL, NULL, 0u, NULL, 0u, NULL, 0u, NULL }

/* Versioned op configuration; this API revision only has version 1. */
typedef struct {
  Qnn_OpConfigVersion_t version;
  QNN_OPGEN_ANONYMOUS union {
    Qnn_OpConfigV1_t v1;
  };
} Qnn_OpConfig_t;

#define QNN_OPCONFIG_INIT { QNN_OPCONFIG_VERSION_1, { QNN_OPCONFIG_V1_INIT } }

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* QNN_TYPES_H */
