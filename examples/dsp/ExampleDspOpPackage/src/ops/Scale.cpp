// Op Scale of DSP op package ExampleDspOpPackage.
// This file is yours: opgen created it once and never overwrites it (only -f/--force-generation
// does, after backing it up). It keeps the vendor's function names (new_scale,
// scale_executeOp, ...), so an op file written for the vendor's generator can replace it.
// The interface (src/ExampleDspOpPackageInterface.cpp) registers the table new_scale()
// returns and releases it with free_scale() at terminate.
#include <string.h>

#include "DSP/QnnDspOpPackage.h"
#include "DspOps.hpp"

// Operation info, as scale_queryOperation reports it.
static char g_scaleOpType[] = "Scale";
static uint32_t g_scaleStaticParamsNum = 2u;  // declared parameters
static uint32_t g_scaleInputsNum = 1u;
static uint32_t g_scaleOutputsNum = 1u;
// Per tensor: TF (8-bit data with a min/max range) or NONE (float data).
static Udo_QuantizationType_t g_scaleInputQuantizationTypes[] = {UDO_QUANTIZATION_NONE};
static Udo_QuantizationType_t g_scaleOutputQuantizationTypes[] = {UDO_QUANTIZATION_NONE};
static Udo_HexNNTensorLayout_t* g_scaleLayout = NULL;  // NULL: every tensor is plain

Udo_ErrorType_t scale_createOpFactory(QnnOpPackage_GlobalInfrastructure_t globalInfra,
                                     Udo_CoreType_t udoCoreType, void* perFactoryInfrastructure,
                                     Udo_String_t operationType, uint32_t numOfStaticParams,
                                     Udo_Param_t* staticParams, Udo_OpFactory_t* opFactory) {
  (void)perFactoryInfrastructure;
  if (operationType == NULL || opFactory == NULL) return UDO_INVALID_ARGUMENT;
  if (udoCoreType != UDO_CORETYPE_DSP) return UDO_WRONG_CORE;
  if (strcmp(operationType, g_scaleOpType) != 0) return UDO_WRONG_OPERATION;
  scaleParams_t params;
  const Udo_ErrorType_t status = scale_readParams(numOfStaticParams, staticParams, &params);
  if (status != UDO_NO_ERROR) return status;
  const Udo_HexNNv2GlobalInfra_t& infra = globalInfra->dspGlobalInfra->hexNNv2Infra;
  scaleOpFactory_t* factory = (scaleOpFactory_t*)infra.udoMalloc(sizeof(scaleOpFactory_t));
  if (factory == NULL) return UDO_MEM_ALLOC_ERROR;
  const size_t size = strlen(operationType) + 1;
  factory->opType = (Udo_String_t)infra.udoMalloc(size);
  if (factory->opType == NULL) {
    infra.udoFree(factory);
    return UDO_MEM_ALLOC_ERROR;
  }
  strlcpy(factory->opType, operationType, size);
  factory->numOfStaticParams = numOfStaticParams;
  factory->staticParams = staticParams;
  factory->params = params;
  // Add code here if the op precomputes anything from its parameters.
  *opFactory = (Udo_OpFactory_t)factory;
  return UDO_NO_ERROR;
}

Udo_ErrorType_t scale_releaseOpFactory(QnnOpPackage_GlobalInfrastructure_t globalInfra,
                                      Udo_OpFactory_t opFactory) {
  if (opFactory == NULL) return UDO_INVALID_ARGUMENT;
  const Udo_HexNNv2GlobalInfra_t& infra = globalInfra->dspGlobalInfra->hexNNv2Infra;
  scaleOpFactory_t* factory = (scaleOpFactory_t*)opFactory;
  infra.udoFree(factory->opType);
  infra.udoFree(factory);
  return UDO_NO_ERROR;
}

Udo_ErrorType_t scale_validateOperation(Udo_String_t operationType, uint32_t numOfStaticParams,
                                       const Udo_Param_t* staticParams) {
  if (operationType == NULL || strcmp(operationType, g_scaleOpType) != 0) return UDO_WRONG_OPERATION;
  // The declaration's checks; add code here for more.
  return scale_readParams(numOfStaticParams, staticParams, NULL);
}

struct ScaleArgs {
  const float* in;
  float* out;
  uint32_t count;
  float scale;
  float bias;
};

static void scaleWorker(void* perOpInfrastructure, void* userData) {
  (void)perOpInfrastructure;
  const ScaleArgs* args = (const ScaleArgs*)userData;
  for (uint32_t i = 0; i < args->count; ++i) args->out[i] = args->in[i] * args->scale + args->bias;
}

Udo_ErrorType_t scale_executeOp(QnnOpPackage_GlobalInfrastructure_t globalInfra,
                               Udo_Operation_t operation, bool blocking, const uint32_t ID,
                               Udo_ExternalNotify_t notifyFunc) {
  (void)blocking;
  (void)ID;
  (void)notifyFunc;
  if (operation == NULL) return UDO_INVALID_ARGUMENT;
  OpParams_t* op = (OpParams_t*)operation;
  const scaleOpFactory_t* factory = (const scaleOpFactory_t*)op->opFactory;
  const scaleParams_t& params = factory->params;
  if (op->numInputParams < 1 || op->numOutputParams < 1) return UDO_WRONG_NUM_OF_INPUTS;
  const Udo_TensorParam_t* in = &op->InputParams[0];
  Udo_TensorParam_t* out = &op->outputParams[0];
  if (in->layout == UDO_LAYOUT_NULL || out->layout == UDO_LAYOUT_NULL) return UDO_UNSUPPORTED_FEATURE;
  if (in->dataType != UDO_DATATYPE_FLOAT_32) return UDO_UNSUPPORTED_FEATURE;
  for (uint32_t k = 0; k < in->tensorRank; ++k) out->currDimensions[k] = in->currDimensions[k];
  out->dataType = UDO_DATATYPE_FLOAT_32;
  const uint32_t count = opgen::dsp::numElements(*in);
  const Udo_HexNNv2GlobalInfra_t& infra = globalInfra->dspGlobalInfra->hexNNv2Infra;
  if (infra.udoSetOutputTensorSize(op->opInfra, 0, count * (uint32_t)sizeof(float)) != 0) {
    return UDO_UNSUPPORTED_FEATURE;
  }
  ScaleArgs args = {(const float*)in->tensorData, (float*)out->tensorData, count, params.scale,
                    params.bias};
  infra.udoRunWorkerThreads(op->opInfra, 1, scaleWorker, &args);
  return UDO_NO_ERROR;
}

Udo_ErrorType_t scale_queryOperation(Udo_String_t operationType, uint32_t numOfStaticParams,
                                    const Udo_Param_t* staticParams, uint32_t* numOfInputs,
                                    Udo_QuantizationType_t** inputsQuantTypes,
                                    Udo_HexNNTensorLayout_t** inputsLayouts,
                                    uint32_t* numOfOutputs,
                                    Udo_QuantizationType_t** outputsQuantTypes,
                                    Udo_HexNNTensorLayout_t** outputsLayouts) {
  (void)numOfStaticParams;
  (void)staticParams;
  if (operationType == NULL || strcmp(operationType, g_scaleOpType) != 0) return UDO_WRONG_OPERATION;
  *numOfInputs = g_scaleInputsNum;
  *inputsQuantTypes = g_scaleInputQuantizationTypes;
  *inputsLayouts = g_scaleLayout;
  *numOfOutputs = g_scaleOutputsNum;
  *outputsQuantTypes = g_scaleOutputQuantizationTypes;
  *outputsLayouts = g_scaleLayout;
  return UDO_NO_ERROR;
}

UdoDspShared* new_scale(QnnOpPackage_GlobalInfrastructure_t globalInfra) {
  UdoDspShared* table = (UdoDspShared*)globalInfra->dspGlobalInfra->hexNNv2Infra.udoMalloc(sizeof(UdoDspShared));
  if (table == NULL) return NULL;
  table->opType = g_scaleOpType;
  table->numOfStaticParams = g_scaleStaticParamsNum;
  table->numOfInputs = g_scaleInputsNum;
  table->numOfOutputs = g_scaleOutputsNum;
  table->createOpFactory = scale_createOpFactory;
  table->releaseOpFactory = scale_releaseOpFactory;
  table->validateOp = scale_validateOperation;
  table->executeOp = scale_executeOp;
  table->queryOp = scale_queryOperation;
  return table;
}

Udo_ErrorType_t free_scale(QnnOpPackage_GlobalInfrastructure_t globalInfra, UdoDspShared* opInfo) {
  if (opInfo == NULL) return UDO_NO_ERROR;
  globalInfra->dspGlobalInfra->hexNNv2Infra.udoFree(opInfo);
  return UDO_NO_ERROR;
}
