// opgen-owned file, generated for op package ExampleDspOpPackage (DSP) from ExampleDspOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// The op-package interface of ExampleDspOpPackage for the DSP backend: init (each op file's
// new_<op>() registered), getInfo (with the SDK build id and DSP API version), validateOpConfig
// generated from the op declarations, the log hooks, terminate (each op's free_<op>() called),
// the package-level UDO dispatchers the backend calls through each op's OperationInfo, the
// static-param readers of DspOps.hpp, and the exported ExampleDspOpPackageInterfaceProvider.
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "DSP/QnnDspCommon.h"
#include "DSP/QnnDspOpPackage.h"
#include "QnnOpPackage.h"
#include "QnnSdkBuildId.h"
// opgen's support functions stay private to this library even where the build exports
// everything (device builds use default visibility, as the vendor's do).
#pragma GCC visibility push(hidden)
#include "DspOps.hpp"
#include "opgen/OpConfigSupport.hpp"
#pragma GCC visibility pop

#ifndef QNN_API
#define QNN_API
#endif

static const char sg_packageName[] = "ExampleDspOpPackage";
static const char* sg_opNames[] = {
    "Relu",
    "Scale",
};
static const uint32_t sg_numOpNames = 2u;
static const Qnn_ApiVersion_t sg_sdkApiVersion = QNN_DSP_API_VERSION_INIT;

static QnnOpPackage_GlobalInfrastructure_t sg_globalInfra = nullptr;
static bool sg_packageInitialized = false;
// Per op, in config order: the dispatch table its new_<op>() made, and its OperationInfo.
static UdoDspShared* sg_ops[2] = {};
static QnnDspOpPackage_OperationInfo_t sg_opInfoStorage[2];
static QnnOpPackage_OperationInfo_t sg_opInfos[2] = {};
static QnnLog_Callback_t sg_logCallback = nullptr;
static QnnLog_Level_t sg_maxLogLevel = QNN_LOG_LEVEL_WARN;
static bool sg_logInitialized = false;

// The support code and op files log through the package's log callback. Library names are
// qualified here and in the op files: each global name generated code spells unqualified is one
// no config may use (tests/naming/reserved_data.py).
void ::opgen::log(QnnLog_Level_t level, const char* fmt, ...) {
  if (!sg_logCallback || level > sg_maxLogLevel) return;
  ::va_list args;
  va_start(args, fmt);
  sg_logCallback(fmt, level, 0, args);
  va_end(args);
}

namespace {

// ---- Relu: its declaration, as validateOpConfig and relu_readParams check it ----
namespace op_Relu {

const uint32_t input_in_0_types[] = {0x0408u};
const uint32_t output_out_0_types[] = {0x0408u};
const ::opgen::TensorSpec inputs[] = {
    {"in[0]", true, false, input_in_0_types, sizeof(input_in_0_types) / sizeof(uint32_t), -1},
};
const ::opgen::TensorSpec outputs[] = {
    {"out[0]", true, false, output_out_0_types, sizeof(output_out_0_types) / sizeof(uint32_t), -1},
};
const ::opgen::ParamSpec* const params = nullptr;
const char* const* const paramNames = nullptr;

}  // namespace op_Relu

// ---- Scale: its declaration, as validateOpConfig and scale_readParams check it ----
namespace op_Scale {

const uint32_t input_in_0_types[] = {0x0232u};
const uint32_t output_out_0_types[] = {0x0232u};
const uint32_t param_scale_types[] = {0x0232u};
const uint32_t param_bias_types[] = {0x0232u};
const ::opgen::TensorSpec inputs[] = {
    {"in[0]", true, false, input_in_0_types, sizeof(input_in_0_types) / sizeof(uint32_t), -1},
};
const ::opgen::TensorSpec outputs[] = {
    {"out[0]", true, false, output_out_0_types, sizeof(output_out_0_types) / sizeof(uint32_t), -1},
};
const ::opgen::ParamSpec params[] = {
    {"scale", true, false, param_scale_types, sizeof(param_scale_types) / sizeof(uint32_t), 0, 0u},
    {"bias", false, false, param_bias_types, sizeof(param_bias_types) / sizeof(uint32_t), 0, 0u},
};
const char* const paramNames[] = {
    "scale",
    "bias",
};

}  // namespace op_Scale

// The op registered for `opType`, or nullptr.
UdoDspShared* findOp(const char* opType) {
  if (!sg_packageInitialized || !opType) return nullptr;
  for (uint32_t i = 0; i < sg_numOpNames; ++i) {
    if (sg_ops[i] && ::strcmp(sg_opNames[i], opType) == 0) return sg_ops[i];
  }
  return nullptr;
}

// The op of a factory made by one of this package's ops (its first member is the op type).
UdoDspShared* opOfFactory(Udo_OpFactory_t factory) {
  return factory ? findOp(reinterpret_cast<OpFactory_t*>(factory)->opType) : nullptr;
}

// ---- the package-level UDO dispatchers (each op's OperationInfo points here) -----------------

Udo_ErrorType_t ExampleDspOpPackageCreateOpFactory(Udo_CoreType_t udoCoreType, void* perFactoryInfrastructure,
                                Udo_String_t operationType, uint32_t numOfStaticParams,
                                Udo_Param_t* staticParams, Udo_OpFactory_t* opFactory) {
  if (!sg_packageInitialized) return UDO_UNSUPPORTED_FEATURE;
  if (!operationType || !opFactory) return UDO_INVALID_ARGUMENT;
  UdoDspShared* op = findOp(operationType);
  if (!op) return UDO_WRONG_OPERATION;
  return op->createOpFactory(sg_globalInfra, udoCoreType, perFactoryInfrastructure, operationType,
                             numOfStaticParams, staticParams, opFactory);
}

Udo_ErrorType_t ExampleDspOpPackageCreateOperation(Udo_OpFactory_t opFactory, void* perOpInfrastructure,
                                uint32_t numOfInputs, Udo_TensorParam_t* inputs,
                                uint32_t numOfOutputs, Udo_TensorParam_t* outputs,
                                Udo_Operation_t* operation) {
  if (!sg_packageInitialized) return UDO_UNSUPPORTED_FEATURE;
  if (!operation || !opFactory) return UDO_INVALID_ARGUMENT;
  if ((numOfInputs > 0 && !inputs) || (numOfOutputs > 0 && !outputs)) return UDO_INVALID_ARGUMENT;
  if (!opOfFactory(opFactory)) return UDO_WRONG_OPERATION;
  OpParams_t* record = static_cast<OpParams_t*>(
      sg_globalInfra->dspGlobalInfra->hexNNv2Infra.udoMalloc(sizeof(OpParams_t)));
  if (!record) return UDO_MEM_ALLOC_ERROR;
  record->opFactory = opFactory;
  record->numInputParams = inputs ? numOfInputs : 0u;
  record->InputParams = numOfInputs > 0 ? inputs : nullptr;
  record->numOutputParams = outputs ? numOfOutputs : 0u;
  record->outputParams = numOfOutputs > 0 ? outputs : nullptr;
  record->opInfra = static_cast<Udo_HexNNv2OpInfra_t>(perOpInfrastructure);
  *operation = reinterpret_cast<Udo_Operation_t>(record);
  return UDO_NO_ERROR;
}

Udo_ErrorType_t ExampleDspOpPackageExecuteOp(Udo_Operation_t operation, bool blocking, const uint32_t ID,
                          Udo_ExternalNotify_t notifyFunc) {
  if (!sg_packageInitialized) return UDO_UNSUPPORTED_FEATURE;
  if (!operation) return UDO_INVALID_ARGUMENT;
  OpParams_t* record = reinterpret_cast<OpParams_t*>(operation);
  UdoDspShared* op = opOfFactory(record->opFactory);
  if (!op) return UDO_WRONG_OPERATION;
  return op->executeOp(sg_globalInfra, operation, blocking, ID, notifyFunc);
}

Udo_ErrorType_t ExampleDspOpPackageReleaseOp(Udo_Operation_t operation) {
  if (!operation) return UDO_NO_ERROR;
  if (!sg_packageInitialized) return UDO_UNSUPPORTED_FEATURE;
  sg_globalInfra->dspGlobalInfra->hexNNv2Infra.udoFree(operation);
  return UDO_NO_ERROR;
}

Udo_ErrorType_t ExampleDspOpPackageReleaseOpFactory(Udo_OpFactory_t opFactory) {
  if (!opFactory) return UDO_NO_ERROR;
  if (!sg_packageInitialized) return UDO_UNSUPPORTED_FEATURE;
  UdoDspShared* op = opOfFactory(opFactory);
  if (!op) return UDO_WRONG_OPERATION;
  return op->releaseOpFactory(sg_globalInfra, opFactory);
}

Udo_ErrorType_t ExampleDspOpPackageValidateOperation(Udo_String_t operationType, uint32_t numOfStaticParams,
                                  const Udo_Param_t* staticParams) {
  UdoDspShared* op = findOp(operationType);
  if (!op) return UDO_WRONG_OPERATION;
  return op->validateOp(operationType, numOfStaticParams, staticParams);
}

Udo_ErrorType_t ExampleDspOpPackageQueryOperation(Udo_String_t operationType, uint32_t numOfStaticParams,
                               const Udo_Param_t* staticParams, uint32_t* numOfInputs,
                               Udo_QuantizationType_t** inputsQuantTypes,
                               Udo_HexNNTensorLayout_t** inputsLayouts, uint32_t* numOfOutputs,
                               Udo_QuantizationType_t** outputsQuantTypes,
                               Udo_HexNNTensorLayout_t** outputsLayouts) {
  UdoDspShared* op = findOp(operationType);
  if (!op) return UDO_WRONG_OPERATION;
  if (!numOfInputs || !inputsQuantTypes || !inputsLayouts || !numOfOutputs ||
      !outputsQuantTypes || !outputsLayouts) {
    return UDO_INVALID_ARGUMENT;
  }
  return op->queryOp(operationType, numOfStaticParams, staticParams, numOfInputs,
                     inputsQuantTypes, inputsLayouts, numOfOutputs, outputsQuantTypes,
                     outputsLayouts);
}

}  // namespace

// Static params of Relu: known names, each at most once, of its declared kind;
// mandatory ones present; defaults for omitted optional ones.
Udo_ErrorType_t relu_readParams(uint32_t numOfStaticParams, const Udo_Param_t* staticParams, reluParams_t* params) {
  const char* const name = "Relu";
  if (!::opgen::dsp::checkParamNames(name, numOfStaticParams, staticParams, op_Relu::paramNames, 0u)) {
    return UDO_INVALID_ARGUMENT;
  }
  reluParams_t parsed = {};
  if (params) *params = parsed;
  return UDO_NO_ERROR;
}

// Static params of Scale: known names, each at most once, of its declared kind;
// mandatory ones present; defaults for omitted optional ones.
Udo_ErrorType_t scale_readParams(uint32_t numOfStaticParams, const Udo_Param_t* staticParams, scaleParams_t* params) {
  const char* const name = "Scale";
  if (!::opgen::dsp::checkParamNames(name, numOfStaticParams, staticParams, op_Scale::paramNames, 2u)) {
    return UDO_INVALID_ARGUMENT;
  }
  scaleParams_t parsed = {};
  if (const Udo_Param_t* param = ::opgen::dsp::findParam(numOfStaticParams, staticParams, "scale")) {
    double value = 0.0;
    if (!::opgen::dsp::readScalar(name, *param, &value)) return UDO_INVALID_ARGUMENT;
    parsed.scale = static_cast<float>(value);
  } else {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: mandatory parameter '%s' is missing", name, "scale");
    return UDO_WRONG_NUM_OF_PARAMS;
  }
  if (const Udo_Param_t* param = ::opgen::dsp::findParam(numOfStaticParams, staticParams, "bias")) {
    double value = 0.0;
    if (!::opgen::dsp::readScalar(name, *param, &value)) return UDO_INVALID_ARGUMENT;
    parsed.bias = static_cast<float>(value);
  } else {
    parsed.bias = 0.0f;
  }
  if (params) *params = parsed;
  return UDO_NO_ERROR;
}

// ---- the op-package interface ----------------------------------------------------------------

Qnn_ErrorHandle_t ExampleDspOpPackageTerminate();

Qnn_ErrorHandle_t ExampleDspOpPackageInit(QnnOpPackage_GlobalInfrastructure_t infrastructure) {
  if (sg_packageInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED;
  // The DSP backend passes its UDO infrastructure; every op allocates through it.
  if (!infrastructure || !infrastructure->dspGlobalInfra) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  const Udo_HexNNv2GlobalInfra_t& services = infrastructure->dspGlobalInfra->hexNNv2Infra;
  if (!services.udoMalloc || !services.udoFree) return QNN_OP_PACKAGE_ERROR_INVALID_INFRASTRUCTURE;
  sg_globalInfra = infrastructure;
  sg_packageInitialized = true;  // so that a failed op can be unwound through terminate
  sg_ops[0] = new_relu(sg_globalInfra);
  sg_ops[1] = new_scale(sg_globalInfra);
  for (uint32_t i = 0; i < sg_numOpNames; ++i) {
    UdoDspShared* op = sg_ops[i];
    if (!op) {
      ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: op %s could not be registered", sg_packageName, sg_opNames[i]);
      ExampleDspOpPackageTerminate();
      return QNN_OP_PACKAGE_ERROR_GENERAL;
    }
    QnnDspOpPackage_OperationInfo_t& info = sg_opInfoStorage[i];
    info.opType = op->opType;
    info.numOfStaticParams = op->numOfStaticParams;
    info.numOfInputs = op->numOfInputs;
    info.numOfOutputs = op->numOfOutputs;
    info.createOpFactory = ExampleDspOpPackageCreateOpFactory;
    info.createOperation = ExampleDspOpPackageCreateOperation;
    info.executeOp = ExampleDspOpPackageExecuteOp;
    info.releaseOp = ExampleDspOpPackageReleaseOp;
    info.releaseOpFactory = ExampleDspOpPackageReleaseOpFactory;
    info.validateOp = ExampleDspOpPackageValidateOperation;
    info.queryOp = ExampleDspOpPackageQueryOperation;
    sg_opInfos[i] = &info;
  }
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t ExampleDspOpPackageGetInfo(const QnnOpPackage_Info_t** info) {
  if (!sg_packageInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  if (!info) return QNN_OP_PACKAGE_ERROR_INVALID_INFO;
  // Filled from constants and init's tables: every call returns the same, stable pointers.
  static QnnOpPackage_Info_t sg_packageInfo = QNN_OP_PACKAGE_INFO_INIT;
  sg_packageInfo.packageName = sg_packageName;
  sg_packageInfo.operationNames = sg_opNames;
  sg_packageInfo.operationInfo = sg_opInfos;
  sg_packageInfo.numOperations = sg_numOpNames;
  sg_packageInfo.sdkBuildId = QNN_SDK_BUILD_ID;
  sg_packageInfo.sdkApiVersion = &sg_sdkApiVersion;
  *info = &sg_packageInfo;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t ExampleDspOpPackageLogInitialize(QnnLog_Callback_t callback, QnnLog_Level_t maxLogLevel) {
  if (sg_logInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED;
  if (!callback || maxLogLevel < QNN_LOG_LEVEL_ERROR) return QNN_LOG_ERROR_INVALID_ARGUMENT;
  sg_logCallback = callback;
  sg_maxLogLevel = maxLogLevel;
  sg_logInitialized = true;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t ExampleDspOpPackageLogSetLevel(QnnLog_Level_t maxLogLevel) {
  if (maxLogLevel < QNN_LOG_LEVEL_ERROR) return QNN_LOG_ERROR_INVALID_ARGUMENT;
  sg_maxLogLevel = maxLogLevel;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t ExampleDspOpPackageLogTerminate() {
  if (!sg_logInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  sg_logCallback = nullptr;
  sg_maxLogLevel = QNN_LOG_LEVEL_WARN;
  sg_logInitialized = false;
  return QNN_SUCCESS;
}

// Checks a node against its op's declaration: package and type name, input and output counts
// (optional inputs may be omitted), datatypes and ranks, parameters by name, kind, datatype and
// rank, mandatory parameters present, enumerations in range.
Qnn_ErrorHandle_t ExampleDspOpPackageValidateOpConfig(Qnn_OpConfig_t opConfig) {
  if (!sg_packageInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  if (opConfig.version != QNN_OPCONFIG_VERSION_1 || !opConfig.v1.typeName) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: op config without a version 1 type name", sg_packageName);
    return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  }
  const char* const type = opConfig.v1.typeName;
  if (::strcmp(type, "Relu") == 0) {
    return ::opgen::validateOpConfig(opConfig, sg_packageName, "Relu", op_Relu::inputs,
                                     1u, op_Relu::outputs, 1u,
                                     op_Relu::params, 0u);
  }
  if (::strcmp(type, "Scale") == 0) {
    return ::opgen::validateOpConfig(opConfig, sg_packageName, "Scale", op_Scale::inputs,
                                     1u, op_Scale::outputs, 1u,
                                     op_Scale::params, 2u);
  }
  ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: unknown op type '%s'", sg_packageName, type);
  return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
}

// Releases every op's dispatch table (free_<op>), so nothing registered at init outlives the
// package; init may run again afterwards.
Qnn_ErrorHandle_t ExampleDspOpPackageTerminate() {
  if (!sg_packageInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  if (sg_ops[0]) free_relu(sg_globalInfra, sg_ops[0]);
  if (sg_ops[1]) free_scale(sg_globalInfra, sg_ops[1]);
  for (uint32_t i = 0; i < sg_numOpNames; ++i) {
    sg_ops[i] = nullptr;
    sg_opInfos[i] = nullptr;
  }
  sg_globalInfra = nullptr;
  sg_packageInitialized = false;
  return QNN_SUCCESS;
}

extern "C" QNN_API Qnn_ErrorHandle_t ExampleDspOpPackageInterfaceProvider(QnnOpPackage_Interface_t* interface) {
  if (!interface) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  interface->interfaceVersion.major = 1;
  interface->interfaceVersion.minor = 4;
  interface->interfaceVersion.patch = 0;
  interface->v1_4.init = ExampleDspOpPackageInit;
  interface->v1_4.terminate = ExampleDspOpPackageTerminate;
  interface->v1_4.getInfo = ExampleDspOpPackageGetInfo;
  interface->v1_4.validateOpConfig = ExampleDspOpPackageValidateOpConfig;
  interface->v1_4.createOpImpl = nullptr;  // DSP ops run through their OperationInfo
  interface->v1_4.freeOpImpl = nullptr;
  interface->v1_4.logInitialize = ExampleDspOpPackageLogInitialize;
  interface->v1_4.logSetLevel = ExampleDspOpPackageLogSetLevel;
  interface->v1_4.logTerminate = ExampleDspOpPackageLogTerminate;
  return QNN_SUCCESS;
}
