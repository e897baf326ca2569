// HandDsp: a DSP op package written by hand against opgen's bundled QNN and UDO headers, not
// generated. It plays the package side of the protocol the DSP backend drives (init with the UDO
// global infrastructure, getInfo with operationInfo, then per node validateOp, createOpFactory,
// queryOp, createOperation, executeOp, releaseOp, releaseOpFactory), so the runtime's DSP
// executor is tested independently of opgen's DSP generator.
//
// Ops (in[0] -> out[0] unless said otherwise):
//   Relu8      UFIXED_POINT_8 (TF min/max) relu, requantized to the output's range
//   ScaleBias  FLOAT_32: out = sign * factor * in + bias[i % len(bias)]; params factor (FLOAT_32,
//              mandatory), negate (BOOL_8, optional), bias (FLOAT_32 tensor, optional)
//   Threaded   FLOAT_32: out = 2 * in, split over 4 udoRunWorkerThreads workers
//   FailExec   executeOp returns UDO_UNSUPPORTED_FEATURE
//   NoSize     writes the output but never calls udoSetOutputTensorSize
//   BigSize    claims one byte more than allocated (and ignores the refusal)
//   Crash      dereferences NULL in executeOp
//   Shrink     claims an output shape other than the allocated one
// HandDspLiveObjects() counts the factories and operations not yet released.

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "DSP/QnnDspCommon.h"
#include "DSP/QnnDspOpPackage.h"
#include "QnnOpPackage.h"
#include "QnnSdkBuildId.h"

struct _SnpeUdo_OpFactory_t {
  int op;
  float factor;
  bool negate;
  const float* bias;
  uint32_t biasLength;
};

struct _SnpeUdo_Operation_t {
  _SnpeUdo_OpFactory_t* factory;
  void* opInfra;
  Udo_TensorParam_t* inputs;  // the caller's arrays, kept by pointer as generated code does
  Udo_TensorParam_t* outputs;
};

namespace {

enum Op { RELU8, SCALE_BIAS, THREADED, FAIL_EXEC, NO_SIZE, BIG_SIZE, CRASH, SHRINK, NUM_OPS };

const char* kPackageName = "HandDsp";
const char* kNames[NUM_OPS] = {"Relu8",  "ScaleBias", "Threaded", "FailExec",
                               "NoSize", "BigSize",   "Crash",    "Shrink"};

Udo_DspGlobalInfrastructure_t* g_infra = nullptr;
bool g_initialized = false;
std::atomic<int> g_live{0};  // factories and operations not yet released (HandDspLiveObjects)

int opIndex(const char* type) {
  if (type == nullptr) return -1;
  for (int i = 0; i < NUM_OPS; ++i) {
    if (std::strcmp(type, kNames[i]) == 0) return i;
  }
  return -1;
}

uint32_t elements(const Udo_TensorParam_t& t) {
  uint32_t n = 1;
  for (uint32_t k = 0; k < t.tensorRank; ++k) n *= t.maxDimensions[k];
  return n;
}

const Udo_Param_t* findParam(const char* name, uint32_t n, const Udo_Param_t* params) {
  for (uint32_t i = 0; i < n; ++i) {
    if (params[i].paramName != nullptr && std::strcmp(params[i].paramName, name) == 0) {
      return &params[i];
    }
  }
  return nullptr;
}

// ---- the UDO function table -------------------------------------------------------------------

Udo_ErrorType_t validateOp(Udo_String_t type, uint32_t n, const Udo_Param_t* params) {
  const int op = opIndex(type);
  if (op < 0) return UDO_WRONG_OPERATION;
  if (op != SCALE_BIAS) return n == 0 ? UDO_NO_ERROR : UDO_WRONG_NUM_OF_PARAMS;
  const Udo_Param_t* factor = findParam("factor", n, params);
  if (factor == nullptr || factor->paramType != UDO_PARAMTYPE_SCALAR ||
      factor->scalarParam.dataType != UDO_DATATYPE_FLOAT_32) {
    return UDO_INVALID_ARGUMENT;
  }
  const Udo_Param_t* negate = findParam("negate", n, params);
  if (negate != nullptr && (negate->paramType != UDO_PARAMTYPE_SCALAR ||
                            negate->scalarParam.dataType != UDO_DATATYPE_UINT_8)) {
    return UDO_INVALID_ARGUMENT;
  }
  const Udo_Param_t* bias = findParam("bias", n, params);
  if (bias != nullptr && (bias->paramType != UDO_PARAMTYPE_TENSOR ||
                          bias->tensorParam.dataType != UDO_DATATYPE_FLOAT_32 ||
                          bias->tensorParam.tensorRank != 1)) {
    return UDO_INVALID_ARGUMENT;
  }
  return UDO_NO_ERROR;
}

Udo_ErrorType_t createOpFactory(Udo_CoreType_t core, void* perFactoryInfra, Udo_String_t type,
                                uint32_t n, Udo_Param_t* params, Udo_OpFactory_t* factory) {
  if (core != UDO_CORETYPE_DSP) return UDO_WRONG_CORE;
  if (perFactoryInfra == nullptr || factory == nullptr) return UDO_INVALID_ARGUMENT;
  const Udo_ErrorType_t valid = validateOp(type, n, params);
  if (valid != UDO_NO_ERROR) return valid;
  auto* made = static_cast<_SnpeUdo_OpFactory_t*>(
      g_infra->hexNNv2Infra.udoCalloc(1, sizeof(_SnpeUdo_OpFactory_t)));
  if (made == nullptr) return UDO_MEM_ALLOC_ERROR;
  made->op = opIndex(type);
  made->factor = 1.0f;
  if (const Udo_Param_t* p = findParam("factor", n, params)) {
    made->factor = p->scalarParam.dataValue.floatValue;
  }
  if (const Udo_Param_t* p = findParam("negate", n, params)) {
    made->negate = p->scalarParam.dataValue.uint8Value != 0;
  }
  if (const Udo_Param_t* p = findParam("bias", n, params)) {
    made->bias = static_cast<const float*>(p->tensorParam.tensorData);  // lives as long as the node
    made->biasLength = p->tensorParam.maxDimensions[0];
  }
  *factory = made;
  ++g_live;
  return UDO_NO_ERROR;
}

Udo_QuantizationType_t kTf[1] = {UDO_QUANTIZATION_TF};
Udo_QuantizationType_t kNone[1] = {UDO_QUANTIZATION_NONE};

Udo_ErrorType_t queryOp(Udo_String_t type, uint32_t, const Udo_Param_t*, uint32_t* nIn,
                        Udo_QuantizationType_t** inQuant, Udo_HexNNTensorLayout_t** inLayout,
                        uint32_t* nOut, Udo_QuantizationType_t** outQuant,
                        Udo_HexNNTensorLayout_t** outLayout) {
  const int op = opIndex(type);
  if (op < 0) return UDO_WRONG_OPERATION;
  *nIn = 1;
  *nOut = 1;
  *inQuant = *outQuant = op == RELU8 ? kTf : kNone;
  *inLayout = *outLayout = nullptr;  // all plain
  return UDO_NO_ERROR;
}

Udo_ErrorType_t createOperation(Udo_OpFactory_t factory, void* opInfra, uint32_t nIn,
                                Udo_TensorParam_t* inputs, uint32_t nOut,
                                Udo_TensorParam_t* outputs, Udo_Operation_t* operation) {
  if (factory == nullptr || operation == nullptr) return UDO_INVALID_ARGUMENT;
  if (nIn != 1) return UDO_WRONG_NUM_OF_INPUTS;
  if (nOut != 1) return UDO_WRONG_NUM_OF_OUTPUTS;
  const Udo_DataType_t want = factory->op == RELU8 ? UDO_DATATYPE_FIXED_8 : UDO_DATATYPE_FLOAT_32;
  if (inputs[0].dataType != want || outputs[0].dataType != want) return UDO_INVALID_ARGUMENT;
  if (inputs[0].layout == UDO_LAYOUT_NULL || outputs[0].layout == UDO_LAYOUT_NULL) {
    return UDO_INVALID_ARGUMENT;
  }
  if (inputs[0].tensorRank != outputs[0].tensorRank) return UDO_WRONG_NUM_OF_DIMENSIONS;
  auto* made = static_cast<_SnpeUdo_Operation_t*>(
      g_infra->hexNNv2Infra.udoMalloc(sizeof(_SnpeUdo_Operation_t)));
  if (made == nullptr) return UDO_MEM_ALLOC_ERROR;
  made->factory = factory;
  made->opInfra = opInfra;
  made->inputs = inputs;
  made->outputs = outputs;
  *operation = made;
  ++g_live;
  return UDO_NO_ERROR;
}

struct ThreadWork {
  const float* in;
  float* out;
  uint32_t n;
  uint32_t workers;
  std::atomic<uint32_t> next;
};

void threadWorker(void*, void* userData) {
  auto* work = static_cast<ThreadWork*>(userData);
  const uint32_t part = work->next.fetch_add(1);
  const uint32_t chunk = (work->n + work->workers - 1) / work->workers;
  for (uint32_t i = part * chunk; i < work->n && i < (part + 1) * chunk; ++i) {
    work->out[i] = 2.0f * work->in[i];
  }
}

void relu8(const Udo_TensorParam_t& in, Udo_TensorParam_t& out) {
  const float inMin = in.quantizeParams.TFParams.minValue;
  const float inMax = in.quantizeParams.TFParams.maxValue;
  const float outMin = out.quantizeParams.TFParams.minValue;
  const float outMax = out.quantizeParams.TFParams.maxValue;
  const float inStep = (inMax - inMin) / 255.0f;
  const float outStep = (outMax - outMin) / 255.0f;
  const float inOffset = -std::round(-inMin * 255.0f / (inMax - inMin));
  const float outOffset = -std::round(-outMin * 255.0f / (outMax - outMin));
  const auto* src = static_cast<const uint8_t*>(in.tensorData);
  auto* dst = static_cast<uint8_t*>(out.tensorData);
  for (uint32_t i = 0, n = elements(in); i < n; ++i) {
    float real = (static_cast<float>(src[i]) + inOffset) * inStep;
    if (real < 0.0f) real = 0.0f;
    float q = std::round(real / outStep) - outOffset;
    q = q < 0.0f ? 0.0f : (q > 255.0f ? 255.0f : q);
    dst[i] = static_cast<uint8_t>(q);
  }
}

Udo_ErrorType_t executeOp(Udo_Operation_t operation, bool blocking, const uint32_t,
                          Udo_ExternalNotify_t) {
  if (operation == nullptr || !blocking) return UDO_INVALID_ARGUMENT;
  Udo_TensorParam_t& in = operation->inputs[0];
  Udo_TensorParam_t& out = operation->outputs[0];
  const _SnpeUdo_OpFactory_t& f = *operation->factory;
  const uint32_t n = elements(in);
  const uint32_t itemSize = f.op == RELU8 ? 1u : 4u;
  const auto* src = static_cast<const float*>(in.tensorData);
  auto* dst = static_cast<float*>(out.tensorData);
  switch (f.op) {
    case RELU8:
      relu8(in, out);
      break;
    case SCALE_BIAS:
      for (uint32_t i = 0; i < n; ++i) {
        const float sign = f.negate ? -1.0f : 1.0f;
        dst[i] = sign * f.factor * src[i] + (f.bias != nullptr ? f.bias[i % f.biasLength] : 0.0f);
      }
      break;
    case THREADED: {
      ThreadWork work{src, dst, n, 4, {0}};
      g_infra->hexNNv2Infra.udoRunWorkerThreads(operation->opInfra, 4, threadWorker, &work);
      if (work.next.load() != 4) return UDO_UNKNOWN_ERROR;
      break;
    }
    case FAIL_EXEC:
      return UDO_UNSUPPORTED_FEATURE;
    case CRASH: {
      volatile int* nowhere = nullptr;
      *nowhere = 1;
      break;
    }
    default:
      std::memcpy(dst, src, static_cast<size_t>(n) * itemSize);
      break;
  }
  for (uint32_t k = 0; k < out.tensorRank; ++k) out.currDimensions[k] = in.currDimensions[k];
  if (f.op == SHRINK) out.currDimensions[0] = in.currDimensions[0] > 1 ? 1 : 2;
  out.dataType = in.dataType;
  if (f.op == NO_SIZE) return UDO_NO_ERROR;
  const uint32_t bytes = n * itemSize + (f.op == BIG_SIZE ? 1u : 0u);
  const int refused = g_infra->hexNNv2Infra.udoSetOutputTensorSize(operation->opInfra, 0, bytes);
  if (refused != 0 && f.op != BIG_SIZE) return UDO_INVALID_ARGUMENT;
  return UDO_NO_ERROR;
}

Udo_ErrorType_t releaseOp(Udo_Operation_t operation) {
  --g_live;
  g_infra->hexNNv2Infra.udoFree(operation);
  return UDO_NO_ERROR;
}

Udo_ErrorType_t releaseOpFactory(Udo_OpFactory_t factory) {
  --g_live;
  g_infra->hexNNv2Infra.udoFree(factory);
  return UDO_NO_ERROR;
}

// ---- the QNN op-package interface -------------------------------------------------------------

QnnDspOpPackage_OperationInfo_t g_infos[NUM_OPS];
QnnOpPackage_OperationInfo_t g_infoPointers[NUM_OPS];
const char* g_names[NUM_OPS];
const Qnn_ApiVersion_t kApiVersion = QNN_DSP_API_VERSION_INIT;
QnnOpPackage_Info_t g_info = QNN_OP_PACKAGE_INFO_INIT;

Qnn_ErrorHandle_t init(QnnOpPackage_GlobalInfrastructure_t infrastructure) {
  if (g_initialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED;
  if (infrastructure == nullptr || infrastructure->dspGlobalInfra == nullptr) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  g_infra = infrastructure->dspGlobalInfra;
  if (g_infra->infraType != UDO_INFRA_HEXNN_V2) return QNN_OP_PACKAGE_ERROR_INVALID_INFRASTRUCTURE;
  for (int i = 0; i < NUM_OPS; ++i) {
    g_infos[i] = QnnDspOpPackage_OperationInfo_t{const_cast<char*>(kNames[i]),
                                                 i == SCALE_BIAS ? 3u : 0u,
                                                 1,
                                                 1,
                                                 createOpFactory,
                                                 createOperation,
                                                 executeOp,
                                                 releaseOp,
                                                 releaseOpFactory,
                                                 validateOp,
                                                 queryOp};
    g_infoPointers[i] = &g_infos[i];
    g_names[i] = kNames[i];
  }
  g_info.packageName = kPackageName;
  g_info.operationNames = g_names;
  g_info.operationInfo = g_infoPointers;
  g_info.numOperations = NUM_OPS;
  g_info.sdkBuildId = QNN_SDK_BUILD_ID;
  g_info.sdkApiVersion = &kApiVersion;
  g_initialized = true;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t terminate() {
  g_initialized = false;
  g_infra = nullptr;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t getInfo(const QnnOpPackage_Info_t** info) {
  if (!g_initialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  if (info == nullptr) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  *info = &g_info;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t validateOpConfig(Qnn_OpConfig_t config) {
  if (config.version != QNN_OPCONFIG_VERSION_1) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  const Qnn_OpConfigV1_t& v1 = config.v1;
  if (v1.packageName == nullptr || std::strcmp(v1.packageName, kPackageName) != 0) {
    return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  }
  if (opIndex(v1.typeName) < 0 || v1.numOfInputs != 1 || v1.numOfOutputs != 1) {
    return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  }
  return QNN_SUCCESS;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) Qnn_ErrorHandle_t HandDspInterfaceProvider(
    QnnOpPackage_Interface_t* interface) {
  if (interface == nullptr) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  interface->interfaceVersion = QNN_OP_PACKAGE_API_VERSION_1_4_0;
  interface->v1_4 = QNN_OP_PACKAGE_IMPLEMENTATION_V1_4_INIT;
  interface->v1_4.init = init;
  interface->v1_4.terminate = terminate;
  interface->v1_4.getInfo = getInfo;
  interface->v1_4.validateOpConfig = validateOpConfig;
  return QNN_SUCCESS;
}

// For the tests: how many factories and operations were created and not released.
extern "C" __attribute__((visibility("default"))) int HandDspLiveObjects() { return g_live.load(); }
