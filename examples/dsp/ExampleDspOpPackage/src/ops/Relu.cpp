// Op Relu of DSP op package ExampleDspOpPackage.
// This file is yours: opgen created it once and never overwrites it (only -f/--force-generation
// does, after backing it up). It keeps the vendor's function names (new_relu,
// relu_executeOp, ...), so an op file written for the vendor's generator can replace it.
// The interface (src/ExampleDspOpPackageInterface.cpp) registers the table new_relu()
// returns and releases it with free_relu() at terminate.
#include <string.h>

#include "DSP/QnnDspOpPackage.h"
#include "DspOps.hpp"

// Operation info, as relu_queryOperation reports it.
static char g_reluOpType[] = "Relu";
static uint32_t g_reluStaticParamsNum = 0u;  // declared parameters
static uint32_t g_reluInputsNum = 1u;
static uint32_t g_reluOutputsNum = 1u;
// Per tensor: TF (8-bit data with a min/max range) or NONE (float data).
static Udo_QuantizationType_t g_reluInputQuantizationTypes[] = {UDO_QUANTIZATION_TF};
static Udo_QuantizationType_t g_reluOutputQuantizationTypes[] = {UDO_QUANTIZATION_TF};
static Udo_HexNNTensorLayout_t* g_reluLayout = NULL;  // NULL: every tensor is plain

Udo_ErrorType_t relu_createOpFactory(QnnOpPackage_GlobalInfrastructure_t globalInfra,
                                     Udo_CoreType_t udoCoreType, void* perFactoryInfrastructure,
                                     Udo_String_t operationType, uint32_t numOfStaticParams,
                                     Udo_Param_t* staticParams, Udo_OpFactory_t* opFactory) {
  (void)perFactoryInfrastructure;
  if (operationType == NULL || opFactory == NULL) return UDO_INVALID_ARGUMENT;
  if (udoCoreType != UDO_CORETYPE_DSP) return UDO_WRONG_CORE;
  if (strcmp(operationType, g_reluOpType) != 0) return UDO_WRONG_OPERATION;
  reluParams_t params;
  const Udo_ErrorType_t status = relu_readParams(numOfStaticParams, staticParams, &params);
  if (status != UDO_NO_ERROR) return status;
  const Udo_HexNNv2GlobalInfra_t& infra = globalInfra->dspGlobalInfra->hexNNv2Infra;
  reluOpFactory_t* factory = (reluOpFactory_t*)infra.udoMalloc(sizeof(reluOpFactory_t));
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

Udo_ErrorType_t relu_releaseOpFactory(QnnOpPackage_GlobalInfrastructure_t globalInfra,
                                      Udo_OpFactory_t opFactory) {
  if (opFactory == NULL) return UDO_INVALID_ARGUMENT;
  const Udo_HexNNv2GlobalInfra_t& infra = globalInfra->dspGlobalInfra->hexNNv2Infra;
  reluOpFactory_t* factory = (reluOpFactory_t*)opFactory;
  infra.udoFree(factory->opType);
  infra.udoFree(factory);
  return UDO_NO_ERROR;
}

Udo_ErrorType_t relu_validateOperation(Udo_String_t operationType, uint32_t numOfStaticParams,
                                       const Udo_Param_t* staticParams) {
  if (operationType == NULL || strcmp(operationType, g_reluOpType) != 0) return UDO_WRONG_OPERATION;
  // The declaration's checks; add code here for more.
  return relu_readParams(numOfStaticParams, staticParams, NULL);
}

// The kernel's arguments, handed to the worker through udoRunWorkerThreads.
struct ReluArgs {
  const uint8_t* in;
  uint8_t* out;
  uint32_t count;
  opgen::dsp::TfQuant inQuant;
  opgen::dsp::TfQuant outQuant;
};

static void reluWorker(void* perOpInfrastructure, void* userData) {
  (void)perOpInfrastructure;
  const ReluArgs* args = (const ReluArgs*)userData;
  for (uint32_t i = 0; i < args->count; ++i) {
    const float x = opgen::dsp::dequantize(args->in[i], args->inQuant);
    args->out[i] = opgen::dsp::quantize(x > 0.0f ? x : 0.0f, args->outQuant);
  }
}

Udo_ErrorType_t relu_executeOp(QnnOpPackage_GlobalInfrastructure_t globalInfra,
                               Udo_Operation_t operation, bool blocking, const uint32_t ID,
                               Udo_ExternalNotify_t notifyFunc) {
  (void)blocking;
  (void)ID;
  (void)notifyFunc;
  if (operation == NULL) return UDO_INVALID_ARGUMENT;
  OpParams_t* op = (OpParams_t*)operation;
  if (op->numInputParams < 1 || op->numOutputParams < 1) return UDO_WRONG_NUM_OF_INPUTS;
  const Udo_TensorParam_t* in = &op->InputParams[0];
  Udo_TensorParam_t* out = &op->outputParams[0];
  if (in->layout == UDO_LAYOUT_NULL || out->layout == UDO_LAYOUT_NULL) return UDO_UNSUPPORTED_FEATURE;
  if (in->dataType != UDO_DATATYPE_FIXED_8) return UDO_UNSUPPORTED_FEATURE;
  // The output has the input's shape, 8-bit TF-quantized to its own range.
  for (uint32_t k = 0; k < in->tensorRank; ++k) out->currDimensions[k] = in->currDimensions[k];
  out->dataType = UDO_DATATYPE_FIXED_8;
  const uint32_t count = opgen::dsp::numElements(*in);
  const Udo_HexNNv2GlobalInfra_t& infra = globalInfra->dspGlobalInfra->hexNNv2Infra;
  if (infra.udoSetOutputTensorSize(op->opInfra, 0, count * (uint32_t)sizeof(uint8_t)) != 0) {
    return UDO_UNSUPPORTED_FEATURE;
  }
  ReluArgs args = {(const uint8_t*)in->tensorData, (uint8_t*)out->tensorData, count,
                   opgen::dsp::tfQuant(*in), opgen::dsp::tfQuant(*out)};
  infra.udoRunWorkerThreads(op->opInfra, 1, reluWorker, &args);
  return UDO_NO_ERROR;
}

Udo_ErrorType_t relu_queryOperation(Udo_String_t operationType, uint32_t numOfStaticParams,
                                    const Udo_Param_t* staticParams, uint32_t* numOfInputs,
                                    Udo_QuantizationType_t** inputsQuantTypes,
                                    Udo_HexNNTensorLayout_t** inputsLayouts,
                                    uint32_t* numOfOutputs,
                                    Udo_QuantizationType_t** outputsQuantTypes,
                                    Udo_HexNNTensorLayout_t** outputsLayouts) {
  (void)numOfStaticParams;
  (void)staticParams;
  if (operationType == NULL || strcmp(operationType, g_reluOpType) != 0) return UDO_WRONG_OPERATION;
  *numOfInputs = g_reluInputsNum;
  *inputsQuantTypes = g_reluInputQuantizationTypes;
  *inputsLayouts = g_reluLayout;
  *numOfOutputs = g_reluOutputsNum;
  *outputsQuantTypes = g_reluOutputQuantizationTypes;
  *outputsLayouts = g_reluLayout;
  return UDO_NO_ERROR;
}

UdoDspShared* new_relu(QnnOpPackage_GlobalInfrastructure_t globalInfra) {
  UdoDspShared* table = (UdoDspShared*)globalInfra->dspGlobalInfra->hexNNv2Infra.udoMalloc(sizeof(UdoDspShared));
  if (table == NULL) return NULL;
  table->opType = g_reluOpType;
  table->numOfStaticParams = g_reluStaticParamsNum;
  table->numOfInputs = g_reluInputsNum;
  table->numOfOutputs = g_reluOutputsNum;
  table->createOpFactory = relu_createOpFactory;
  table->releaseOpFactory = relu_releaseOpFactory;
  table->validateOp = relu_validateOperation;
  table->executeOp = relu_executeOp;
  table->queryOp = relu_queryOperation;
  return table;
}

Udo_ErrorType_t free_relu(QnnOpPackage_GlobalInfrastructure_t globalInfra, UdoDspShared* opInfo) {
  if (opInfo == NULL) return UDO_NO_ERROR;
  globalInfra->dspGlobalInfra->hexNNv2Infra.udoFree(opInfo);
  return UDO_NO_ERROR;
}
