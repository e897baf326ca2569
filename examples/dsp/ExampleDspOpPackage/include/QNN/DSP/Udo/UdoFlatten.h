/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the legacy
 * UDO interface used by QNN DSP (Hexagon v65/v66) op packages (UDO API 1.6.0,
 * SDK 2.13 surface). Written by the opgen authors from documented names,
 * values and layouts only.
 *
 * Static params flattened into one buffer to cross the RPC boundary to the
 * DSP. Declared so sources that include it compile; opgen's host runtime
 * passes params directly and never flattens them.
 */
#ifndef SNPE_UDO_FLATTEN_H
#define SNPE_UDO_FLATTEN_H

#include <stdint.h>

#include "DSP/Udo/UdoBase.h"

#ifdef __cplusplus
extern "C" {
#endif

#define HVX_ALIGNMENT 128
#define DSP_STRUCT_ALIGNMENT 8
#define DSP_ALIGN(X, ALIGNMENT) (((X) + (ALIGNMENT)-1) & (~((ALIGNMENT)-1)))

typedef struct dspStaticParamsMeta {
  uint32_t size;
  uint32_t numParams;
} dspStaticParamsMeta_t;

typedef struct tensorParamInfo {
  SnpeUdo_TensorLayout_t layout;
  SnpeUdo_QuantizeParams_t quantizeInfo;
  SnpeUdo_DataType_t dataType;
  uint32_t paddingFor8byteAlignment;
} tensorParamInfo_t;

/* Header of a flattened string; the characters follow it. */
typedef struct udoString {
  uint32_t sizeStruct;
  uint32_t lengthString; /* without the terminator */
} udoString_t;

/* Header of flattened dimensions: rank maximum then rank current sizes
 * follow from ds. */
typedef struct dims {
  uint32_t size;
  uint32_t rank;
  uint32_t ds;
} dims_t;

/* Header of flattened tensor data; the bytes follow it. */
typedef struct tensorData {
  uint32_t structSize;
  uint32_t dataSize;
} tensorData_t;

/* One flattened param; its name follows, then dims and data (tensors) or
 * the string (strings). size covers all of it. */
typedef struct dspStaticParamDescriptor {
  uint32_t size;
  SnpeUdo_ParamType_t paramType;
  UDO_OPGEN_ANONYMOUS union {
    SnpeUdo_ScalarParam_t scalarInfo;
    tensorParamInfo_t tensorInfo;
  };
  udoString_t name;
} dspStaticParamDescriptor_t;

typedef struct paramSizes {
  uint32_t descriptorSize;
  uint32_t nameStructSize;
  uint32_t dimsSize;
  uint32_t dataStructSize;
  uint32_t dataSize;
  uint32_t stringDataStructSize;
} paramSizes_t;

typedef struct dspStaticParams {
  dspStaticParamsMeta_t meta;
  dspStaticParamDescriptor_t paramDesc;
} dspStaticParams_t;

int SnpeUdo_flattenStaticParams(SnpeUdo_Param_t** paramList, uint32_t numParams,
                                uint32_t* flattenedSize, void** flattened);

void SnpeUdo_freeFlattenedStaticParams(void** flattened);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SNPE_UDO_FLATTEN_H */
