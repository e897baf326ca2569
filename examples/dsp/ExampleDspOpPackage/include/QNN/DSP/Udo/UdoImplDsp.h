/* opgen-owned file: bundled into op packages by opgen and refreshed on regeneration.
 * Part of opgen's bundled, independently written declaration of the legacy
 * UDO interface used by QNN DSP (Hexagon v65/v66) op packages (UDO API 1.6.0,
 * SDK 2.13 surface). Written by the opgen authors from documented names,
 * values and layouts only.
 *
 * The DSP (Hexagon NN v2) side of UDO: validate and query function types,
 * the plain/D32 layout enum, and the global, per-factory and per-operation
 * infrastructure the DSP runtime hands to a package.
 */
#ifndef SNPE_UDO_IMPL_DSP_H
#define SNPE_UDO_IMPL_DSP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "DSP/Udo/UdoImpl.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Checks that an operation type accepts these static params. */
SnpeUdo_ErrorType_t SnpeUdo_validateOperation(SnpeUdo_String_t operationType,
                                              uint32_t numOfStaticParams,
                                              const SnpeUdo_Param_t* staticParams);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_ValidateOperationFunction_t)(SnpeUdo_String_t, uint32_t,
                                                                   const SnpeUdo_Param_t*);
typedef SnpeUdo_ValidateOperationFunction_t Udo_ValidateOperationFunction_t;

/* Data arrangement of a DSP tensor: flat, or Hexagon NN's padded D32. */
typedef enum {
  SNPE_UDO_DSP_TENSOR_LAYOUT_PLAIN = 0x00,
  UDO_DSP_TENSOR_LAYOUT_PLAIN = 0x00,
  SNPE_UDO_DSP_TENSOR_LAYOUT_D32 = 0x01,
  UDO_DSP_TENSOR_LAYOUT_D32 = 0x01
} SnpeUdo_HexNNTensorLayout_t;
typedef SnpeUdo_HexNNTensorLayout_t Udo_HexNNTensorLayout_t;

/* Reports an operation's input and output counts, the quantization of each
 * and (optionally) the layout of each; a NULL layout array means all plain. */
SnpeUdo_ErrorType_t SnpeUdo_queryOperation(SnpeUdo_String_t operationType,
                                           uint32_t numOfStaticParams,
                                           const SnpeUdo_Param_t* staticParams,
                                           uint32_t* numOfInputs,
                                           SnpeUdo_QuantizationType_t** inputsQuantTypes,
                                           SnpeUdo_HexNNTensorLayout_t** inputsLayouts,
                                           uint32_t* numOfOutputs,
                                           SnpeUdo_QuantizationType_t** outputsQuantTypes,
                                           SnpeUdo_HexNNTensorLayout_t** outputsLayouts);
typedef SnpeUdo_ErrorType_t (*SnpeUdo_QueryOperationFunction_t)(
    SnpeUdo_String_t, uint32_t, const SnpeUdo_Param_t*, uint32_t*, SnpeUdo_QuantizationType_t**,
    SnpeUdo_HexNNTensorLayout_t**, uint32_t*, SnpeUdo_QuantizationType_t**,
    SnpeUdo_HexNNTensorLayout_t**);
typedef SnpeUdo_QueryOperationFunction_t Udo_QueryOperationFunction_t;

/* ---- Hexagon NN v2 global infrastructure (services of the runtime) ------ */

/* A worker run by udoRunWorkerThreads; gets the per-op infra and userData. */
typedef void (*workerThread_t)(void* perOpInfrastructure, void* userData);
/* Records an output's size in bytes; non-zero means it does not fit. */
typedef int (*udoSetOutputTensorSize_t)(void* perOpInfrastructure, uint32_t outIdx,
                                        uint32_t size);
typedef int (*udoGetInputD32Paddings_t)(void* perOpInfrastructure, uint32_t inIdx,
                                        uint32_t* heightPadBefore, uint32_t* heightPadAfter,
                                        uint32_t* widthPadBefore, uint32_t* widthPadAfter,
                                        uint32_t* depthPadBefore, uint32_t* depthPadAfter);
typedef int (*udoSetOutputD32ShapeSizePaddings_t)(
    void* perOpInfrastructure, uint32_t outIdx, uint32_t batch, uint32_t height,
    uint32_t heightPadBefore, uint32_t heightPadAfter, uint32_t width, uint32_t widthPadBefore,
    uint32_t widthPadAfter, uint32_t depth, uint32_t depthPadBefore, uint32_t depthPadAfter,
    SnpeUdo_DataType_t dataType);
typedef void* (*udoMemalign_t)(size_t n, size_t size);
typedef void* (*udoMalloc_t)(size_t size);
typedef void* (*udoCalloc_t)(size_t n, size_t size);
typedef void (*udoFree_t)(void* ptr);
typedef uint32_t (*udoGetVtcmSize_t)(void* perOpInfrastructure);
typedef void* (*udoGetVtcmPtr_t)(void* perOpInfrastructure);
typedef uint32_t (*udoVtcmIsReal_t)(void* perOpInfrastructure);
typedef void (*udoRunWorkerThreads_t)(void* perOpInfrastructure, uint32_t nThreads,
                                      workerThread_t w, void* userData);

typedef struct hexNNv2GlobalInfra {
  udoSetOutputTensorSize_t udoSetOutputTensorSize;
  udoGetInputD32Paddings_t udoGetInputD32Paddings;
  udoSetOutputD32ShapeSizePaddings_t udoSetOutputD32ShapeSizePaddings;
  udoMemalign_t udoMemalign;
  udoMalloc_t udoMalloc;
  udoCalloc_t udoCalloc;
  udoFree_t udoFree;
  udoGetVtcmSize_t udoGetVtcmSize;
  udoGetVtcmPtr_t udoGetVtcmPtr;
  udoVtcmIsReal_t udoVtcmIsReal;
  udoRunWorkerThreads_t udoRunWorkerThreads;
} SnpeUdo_HexNNv2GlobalInfra_t;
typedef SnpeUdo_HexNNv2GlobalInfra_t Udo_HexNNv2GlobalInfra_t;

typedef enum hexnnInfraType {
  UDO_INFRA_HEXNN_V2 = 0,
  UDO_INFRA_HEXNN_V3 = 1 /* reserved */
} SnpeUdo_HexNNInfraType_t;
typedef SnpeUdo_HexNNInfraType_t Udo_HexNNInfraType_t;

/* The package-level entry points of a UDO DSP library, as one table. */
typedef struct {
  Udo_CreateOpFactoryFunction_t create_op_factory;
  Udo_CreateOperationFunction_t create_operation;
  Udo_ExecuteOpFunction_t execute_op;
  Udo_ReleaseOpFunction_t release_op;
  Udo_ReleaseOpFactoryFunction_t release_op_factory;
  Udo_ValidateOperationFunction_t validate_op;
  Udo_QueryOperationFunction_t query_op;
} udo_func_package_t;

/* What the DSP runtime passes to a package at init (through
 * QnnDspOpPackage_GlobalInfrastructure_t). */
typedef struct dspGlobalInfrastructure {
  SnpeUdo_Version_t dspInfraVersion;
  SnpeUdo_HexNNInfraType_t infraType;
  SnpeUdo_HexNNv2GlobalInfra_t hexNNv2Infra;
} SnpeUdo_DspGlobalInfrastructure_t;
typedef SnpeUdo_DspGlobalInfrastructure_t Udo_DspGlobalInfrastructure_t;

/* Passed (as void*) to createOpFactory. */
typedef struct hexnnv2OpFactoryInfra {
  unsigned long graphId;
} SnpeUdo_HexNNv2OpFactoryInfra_t;
typedef SnpeUdo_HexNNv2OpFactoryInfra_t Udo_HexNNv2OpFactoryInfra_t;

/* Passed to createOperation; an operation keeps it and hands it back to the
 * per-op services (udoSetOutputTensorSize, udoRunWorkerThreads, ...). */
typedef void* SnpeUdo_HexNNv2OpInfra_t;
typedef SnpeUdo_HexNNv2OpInfra_t Udo_HexNNv2OpInfra_t;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SNPE_UDO_IMPL_DSP_H */
