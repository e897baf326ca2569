/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the legacy
 * UDO interface used by QNN DSP (Hexagon v65/v66) op packages (UDO API 1.6.0,
 * SDK 2.13 surface). Written by the opgen authors from documented names,
 * values and layouts only.
 *
 * UDO base types: errors, element types, layouts, core types, parameter and
 * tensor descriptions. Every type has an SnpeUdo_ name and a Udo_ alias
 * (SnpeUdo_LibVersion_t alone has no alias); every enumerator has an
 * SNPE_UDO_ and a UDO_ spelling with the same value.
 */
#ifndef SNPE_UDO_BASE_H
#define SNPE_UDO_BASE_H

#include <stdint.h>

/* opgen portability helpers (not part of the vendor interface): anonymous
 * unions before C11, and enums holding 0xFFFFFFFF under C -pedantic. */
#if defined(__cplusplus) || (defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L)
#define UDO_OPGEN_ANONYMOUS
#elif defined(__GNUC__)
#define UDO_OPGEN_ANONYMOUS __extension__
#else
#define UDO_OPGEN_ANONYMOUS
#endif

#if defined(__GNUC__) && !defined(__cplusplus)
#define UDO_OPGEN_WIDE_ENUM_BEGIN \
  _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wpedantic\"")
#define UDO_OPGEN_WIDE_ENUM_END _Pragma("GCC diagnostic pop")
#else
#define UDO_OPGEN_WIDE_ENUM_BEGIN
#define UDO_OPGEN_WIDE_ENUM_END
#endif

/* UDO API version these declarations describe. */
#define API_VERSION_MAJOR 1
#define API_VERSION_MINOR 6
#define API_VERSION_TEENY 0

/* A set of enum values or'ed together. */
typedef uint32_t SnpeUdo_Bitmask_t;
typedef SnpeUdo_Bitmask_t Udo_Bitmask_t;

/* NUL-terminated UTF-8 text. */
typedef char* SnpeUdo_String_t;
typedef SnpeUdo_String_t Udo_String_t;

/* Longest string the runtime passes, terminator included. */
#define SNPE_UDO_MAX_STRING_SIZE 1024

UDO_OPGEN_WIDE_ENUM_BEGIN
/* Status codes: 0-99 generic, 100 and up configuration problems. */
typedef enum {
  SNPE_UDO_NO_ERROR = 0,
  UDO_NO_ERROR = 0,
  SNPE_UDO_WRONG_CORE = 1,
  UDO_WRONG_CORE = 1,
  SNPE_UDO_INVALID_ARGUMENT = 2,
  UDO_INVALID_ARGUMENT = 2,
  SNPE_UDO_UNSUPPORTED_FEATURE = 3,
  UDO_UNSUPPORTED_FEATURE = 3,
  SNPE_UDO_MEM_ALLOC_ERROR = 4,
  UDO_MEM_ALLOC_ERROR = 4,
  SNPE_UDO_WRONG_OPERATION = 100,
  UDO_WRONG_OPERATION = 100,
  SNPE_UDO_WRONG_CORE_TYPE = 101,
  UDO_WRONG_CORE_TYPE = 101,
  SNPE_UDO_WRONG_NUM_OF_PARAMS = 102,
  UDO_WRONG_NUM_OF_PARAMS = 102,
  SNPE_UDO_WRONG_NUM_OF_DIMENSIONS = 103,
  UDO_WRONG_NUM_OF_DIMENSIONS = 103,
  SNPE_UDO_WRONG_NUM_OF_INPUTS = 104,
  UDO_WRONG_NUM_OF_INPUTS = 104,
  SNPE_UDO_WRONG_NUM_OF_OUTPUTS = 105,
  UDO_WRONG_NUM_OF_OUTPUTS = 105,
  SNPE_UDO_PROGRAM_CACHE_NOT_FOUND = 106,
  UDO_PROGRAM_CACHE_NOT_FOUND = 106,
  SNPE_UDO_UNKNOWN_ERROR = 0xFFFFFFFF,
  UDO_UNKNOWN_ERROR = 0xFFFFFFFF
} SnpeUdo_ErrorType_t;
typedef SnpeUdo_ErrorType_t Udo_ErrorType_t;

/* Element types, one bit each so sets fit a bitmask. FIXED_* are quantized
 * tensor data; the integer types are for scalar params. */
typedef enum {
  SNPE_UDO_DATATYPE_FLOAT_16 = 0x01,
  UDO_DATATYPE_FLOAT_16 = 0x01,
  SNPE_UDO_DATATYPE_FLOAT_32 = 0x02,
  UDO_DATATYPE_FLOAT_32 = 0x02,
  SNPE_UDO_DATATYPE_FIXED_4 = 0x04,
  UDO_DATATYPE_FIXED_4 = 0x04,
  SNPE_UDO_DATATYPE_FIXED_8 = 0x08,
  UDO_DATATYPE_FIXED_8 = 0x08,
  SNPE_UDO_DATATYPE_FIXED_16 = 0x10,
  UDO_DATATYPE_FIXED_16 = 0x10,
  SNPE_UDO_DATATYPE_FIXED_32 = 0x20,
  UDO_DATATYPE_FIXED_32 = 0x20,
  SNPE_UDO_DATATYPE_UINT_8 = 0x100,
  UDO_DATATYPE_UINT_8 = 0x100,
  SNPE_UDO_DATATYPE_UINT_16 = 0x200,
  UDO_DATATYPE_UINT_16 = 0x200,
  SNPE_UDO_DATATYPE_UINT_32 = 0x400,
  UDO_DATATYPE_UINT_32 = 0x400,
  SNPE_UDO_DATATYPE_INT_8 = 0x1000,
  UDO_DATATYPE_INT_8 = 0x1000,
  SNPE_UDO_DATATYPE_INT_16 = 0x2000,
  UDO_DATATYPE_INT_16 = 0x2000,
  SNPE_UDO_DATATYPE_INT_32 = 0x4000,
  UDO_DATATYPE_INT_32 = 0x4000,
  SNPE_UDO_DATATYPE_LAST = 0xFFFFFFFF,
  UDO_DATATYPE_LAST = 0xFFFFFFFF
} SnpeUdo_DataType_t;
typedef SnpeUdo_DataType_t Udo_DataType_t;

/* Tensor memory layouts. NULL marks an absent optional input or output. */
typedef enum {
  SNPE_UDO_LAYOUT_NHWC = 0x01,
  UDO_LAYOUT_NHWC = 0x01,
  SNPE_UDO_LAYOUT_NCHW = 0x02,
  UDO_LAYOUT_NCHW = 0x02,
  SNPE_UDO_LAYOUT_NDHWC = 0x04,
  UDO_LAYOUT_NDHWC = 0x04,
  SNPE_UDO_LAYOUT_GPU_OPTIMAL1 = 0x08,
  UDO_LAYOUT_GPU_OPTIMAL1 = 0x08,
  SNPE_UDO_LAYOUT_GPU_OPTIMAL2 = 0x10,
  UDO_LAYOUT_GPU_OPTIMAL2 = 0x10,
  SNPE_UDO_LAYOUT_DSP_OPTIMAL1 = 0x11,
  UDO_LAYOUT_DSP_OPTIMAL1 = 0x11,
  SNPE_UDO_LAYOUT_DSP_OPTIMAL2 = 0x12,
  UDO_LAYOUT_DSP_OPTIMAL2 = 0x12,
  SNPE_UDO_LAYOUT_NULL = 0x13,
  UDO_LAYOUT_NULL = 0x13,
  SNPE_UDO_LAYOUT_LAST = 0xFFFFFFFF,
  UDO_LAYOUT_LAST = 0xFFFFFFFF
} SnpeUdo_TensorLayout_t;
typedef SnpeUdo_TensorLayout_t Udo_TensorLayout_t;

/* Processor a library or operation targets (bitmask values). */
typedef enum {
  SNPE_UDO_CORETYPE_UNDEFINED = 0x00,
  UDO_CORETYPE_UNDEFINED = 0x00,
  SNPE_UDO_CORETYPE_CPU = 0x01,
  UDO_CORETYPE_CPU = 0x01,
  SNPE_UDO_CORETYPE_GPU = 0x02,
  UDO_CORETYPE_GPU = 0x02,
  SNPE_UDO_CORETYPE_DSP = 0x04,
  UDO_CORETYPE_DSP = 0x04,
  SNPE_UDO_CORETYPE_LAST = 0xFFFFFFFF,
  UDO_CORETYPE_LAST = 0xFFFFFFFF
} SnpeUdo_CoreType_t;
typedef SnpeUdo_CoreType_t Udo_CoreType_t;

/* Kind of a static parameter (which union member of SnpeUdo_Param_t). */
typedef enum {
  SNPE_UDO_PARAMTYPE_SCALAR = 0x00,
  UDO_PARAMTYPE_SCALAR = 0x00,
  SNPE_UDO_PARAMTYPE_STRING = 0x01,
  UDO_PARAMTYPE_STRING = 0x01,
  SNPE_UDO_PARAMTYPE_TENSOR = 0x02,
  UDO_PARAMTYPE_TENSOR = 0x02,
  SNPE_UDO_PARAMTYPE_LAST = 0xFFFFFFFF,
  UDO_PARAMTYPE_LAST = 0xFFFFFFFF
} SnpeUdo_ParamType_t;
typedef SnpeUdo_ParamType_t Udo_ParamType_t;

/* How tensor data is quantized; TF means a min/max range over 0..255. */
typedef enum {
  SNPE_UDO_QUANTIZATION_NONE = 0x00,
  UDO_QUANTIZATION_NONE = 0x00,
  SNPE_UDO_QUANTIZATION_TF = 0x01,
  UDO_QUANTIZATION_TF = 0x01,
  SNPE_UDO_QUANTIZATION_QMN = 0x02,
  UDO_QUANTIZATION_QMN = 0x02,
  SNPE_UDO_QUANTIZATION_LAST = 0xFFFFFFFF,
  UDO_QUANTIZATION_LAST = 0xFFFFFFFF
} SnpeUdo_QuantizationType_t;
typedef SnpeUdo_QuantizationType_t Udo_QuantizationType_t;
UDO_OPGEN_WIDE_ENUM_END

/* major: incompatible changes; minor: compatible additions; teeny: fixes. */
typedef struct {
  uint32_t major;
  uint32_t minor;
  uint32_t teeny;
} SnpeUdo_Version_t;
typedef SnpeUdo_Version_t Udo_Version_t;

/* Library version (the author's) and the UDO API version it was built for. */
typedef struct {
  SnpeUdo_Version_t libVersion;
  SnpeUdo_Version_t apiVersion;
} SnpeUdo_LibVersion_t;

typedef struct {
  Udo_Version_t apiVersion;
} Udo_PkgVersion_t;

/* A scalar's value; which member is live follows the scalar's dataType.
 * There is no bool member: booleans travel as uint8Value. */
typedef union {
  float floatValue;
  uint32_t uint32Value;
  int32_t int32Value;
  uint16_t uint16Value;
  int16_t int16Value;
  uint8_t uint8Value;
  int8_t int8Value;
} SnpeUdo_Value_t;
typedef SnpeUdo_Value_t Udo_Value_t;

typedef struct {
  SnpeUdo_DataType_t dataType;
  SnpeUdo_Value_t dataValue;
} SnpeUdo_ScalarParam_t;
typedef SnpeUdo_ScalarParam_t Udo_ScalarParam_t;

/* Real range of TF-quantized data: 0 maps to minValue, 255 to maxValue. */
typedef struct {
  float minValue;
  float maxValue;
} SnpeUdo_TFQuantize_t;
typedef SnpeUdo_TFQuantize_t Udo_TFQuantize_t;

typedef struct {
  SnpeUdo_QuantizationType_t quantizeType;
  UDO_OPGEN_ANONYMOUS union {
    SnpeUdo_TFQuantize_t TFParams;
  };
} SnpeUdo_QuantizeParams_t;
typedef SnpeUdo_QuantizeParams_t Udo_QuantizeParams_t;

/* The element type a tensor has when it runs on a given core. */
typedef struct {
  SnpeUdo_CoreType_t coreType;
  SnpeUdo_DataType_t dataType;
} SnpeUdo_PerCoreDatatype_t;
typedef SnpeUdo_PerCoreDatatype_t Udo_PerCoreDatatype_t;

/* A tensor: an input, an output or a static tensor param. tensorData holds
 * at least maxDimensions' worth of elements; an operation may shrink an
 * output by writing its currDimensions (equal to the max for static params). */
typedef struct {
  uint32_t* maxDimensions;
  uint32_t* currDimensions;
  SnpeUdo_QuantizeParams_t quantizeParams;
  uint32_t tensorRank;
  SnpeUdo_DataType_t dataType;
  SnpeUdo_TensorLayout_t layout;
  void* tensorData;
} SnpeUdo_TensorParam_t;
typedef SnpeUdo_TensorParam_t Udo_TensorParam_t;

/* A static parameter: paramType says which union member is live. */
typedef struct {
  SnpeUdo_ParamType_t paramType;
  SnpeUdo_String_t paramName;
  UDO_OPGEN_ANONYMOUS union {
    SnpeUdo_ScalarParam_t scalarParam;
    SnpeUdo_TensorParam_t tensorParam;
    SnpeUdo_String_t stringParam;
  };
} SnpeUdo_Param_t;
typedef SnpeUdo_Param_t Udo_Param_t;

/* Per-core facts about an operation: the calculation types it supports. */
typedef struct {
  SnpeUdo_CoreType_t udoCoreType;
  SnpeUdo_Bitmask_t operationCalculationTypes;
} SnpeUdo_OpCoreInfo_t;
typedef SnpeUdo_OpCoreInfo_t Udo_OpCoreInfo_t;

/* One operation as a registration library describes it. */
typedef struct {
  SnpeUdo_String_t operationType;
  SnpeUdo_Bitmask_t supportedByCores;
  uint32_t numOfStaticParams;
  SnpeUdo_Param_t* staticParams;
  uint32_t numOfInputs;
  SnpeUdo_String_t* inputNames;
  uint32_t numOfOutputs;
  SnpeUdo_String_t* outputNames;
  uint32_t numOfCoreInfo;
  SnpeUdo_OpCoreInfo_t* opPerCoreInfo;
} SnpeUdo_OperationInfo_t;
typedef SnpeUdo_OperationInfo_t Udo_OperationInfo_t;

/* An implementation library of a package: its core and file name. */
typedef struct {
  SnpeUdo_CoreType_t udoCoreType;
  SnpeUdo_String_t libraryName;
} SnpeUdo_LibraryInfo_t;
typedef SnpeUdo_LibraryInfo_t Udo_LibraryInfo_t;

/* What a registration library reports about its package. operationsString
 * lists the operation types separated by spaces. */
typedef struct {
  SnpeUdo_String_t packageName;
  SnpeUdo_Bitmask_t supportedCoreTypes;
  uint32_t numOfImplementationLib;
  SnpeUdo_LibraryInfo_t* implementationLib;
  SnpeUdo_String_t operationsString;
  uint32_t numOfOperations;
  SnpeUdo_OperationInfo_t* operationsInfo;
} SnpeUdo_RegInfo_t;
typedef SnpeUdo_RegInfo_t Udo_RegInfo_t;

/* What an implementation library reports about itself. */
typedef struct {
  SnpeUdo_CoreType_t udoCoreType;
  SnpeUdo_String_t packageName;
  SnpeUdo_String_t operationsString;
  uint32_t numOfOperations;
} SnpeUdo_ImpInfo_t;
typedef SnpeUdo_ImpInfo_t Udo_ImpInfo_t;

/* An operation to validate or create; when creating, tensors point at
 * their data. */
typedef struct {
  SnpeUdo_CoreType_t udoCoreType;
  SnpeUdo_String_t operationType;
  uint32_t numOfStaticParams;
  SnpeUdo_Param_t* staticParams;
  uint32_t numOfInputs;
  SnpeUdo_TensorParam_t* inputs;
  uint32_t numOfOutputs;
  SnpeUdo_TensorParam_t* outputs;
} SnpeUdo_OpDefinition_t;
typedef SnpeUdo_OpDefinition_t Udo_OpDefinition_t;

#endif /* SNPE_UDO_BASE_H */
