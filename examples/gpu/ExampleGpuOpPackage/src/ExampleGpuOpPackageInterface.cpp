// opgen-owned file, generated for op package ExampleGpuOpPackage (GPU) from ExampleGpuOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// The op-package interface of ExampleGpuOpPackage for the GPU (OpenCL) backend: init/terminate,
// getInfo, validateOpConfig and createOpImpl generated from the op declarations, the embedded
// kernel sources, and the exported symbols:
//   ExampleGpuOpPackageInterfaceProvider: the op-package interface (v1.4)
//   QnnGpuOpPackage_getKernelBinary: no precompiled kernels, always UNSUPPORTED_FEATURE
//   ExampleGpuOpPackage_opgenLastError: why the most recent failing call failed ("" if none)
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <vector>

#include "GPU/QnnGpuCommon.h"
#include "GPU/QnnGpuOpPackage.h"
#include "QnnOpPackage.h"
#include "QnnSdkBuildId.h"
#include "opgen/GpuOpSupport.hpp"
#include "opgen/OpConfigSupport.hpp"
#include "opgen/ShapeRules.hpp"
#include "ops/Relu.hpp"
#include "ops/Swish.hpp"
#include "ops/Axpy.hpp"

#ifndef QNN_API
#define QNN_API
#endif

namespace {

using ::opgen::ParamSpec;
using ::opgen::TensorSpec;

const char* const kPackageName = "ExampleGpuOpPackage";
const char* const kOperationNames[] = {
    "Relu",
    "Swish",
    "Axpy",
};
const uint32_t kNumOperations = 3u;
const Qnn_ApiVersion_t kApiVersion = QNN_GPU_API_VERSION_INIT;

bool g_initialized = false;

Qnn_ErrorHandle_t notInitialized(const char* call) {
  ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: %s called before init", kPackageName, call);
  return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
}

// ---- Relu ----------------------------------------------------------------------------

// src/ops/Relu.cl, embedded by the build (makefiles/Kernels.mk) as a raw string literal.
const char kReluSource[] =
#include "kernels/Relu.cl.inc"
    ;

const uint32_t kRelu_in_0_types[] = {0x0232u};
const uint32_t kRelu_out_0_types[] = {0x0232u};
const TensorSpec kReluInputs[] = {
    {"in[0]", true, false, kRelu_in_0_types, sizeof(kRelu_in_0_types) / sizeof(uint32_t), -1},
};
const TensorSpec kReluOutputs[] = {
    {"out[0]", true, false, kRelu_out_0_types, sizeof(kRelu_out_0_types) / sizeof(uint32_t), -1},
};
const ParamSpec* const kReluParams = nullptr;
const uint32_t kReluNumParams = 0u;

// The shape and dtype rules of Relu (validate mode).
Qnn_ErrorHandle_t opgenValidateRelu(const Qnn_OpConfig_t& config) {
  ::opgen::rules::Context ctx(config, "Relu", ::opgen::rules::Mode::Validate);
  if (!ctx.start()) return ctx.result();
  const ::opgen::rules::Shape t_in_0 = ctx.input(0u, false, "in[0]");
  if (ctx.failed()) return ctx.result();
  for (uint32_t p = 0u; p < 1u && p < ctx.numOutputs(); ++p) {
    ctx.rule("output 'out[0]'", "= like(in[0])");
    ::opgen::rules::Shape o = ctx.like(t_in_0, "out[0]");
    ctx.outputShape(p, o);
  }
  if (ctx.failed()) return ctx.result();
  return ctx.result();
}

// The declaration's checks, then the op's shape and dtype rules.
Qnn_ErrorHandle_t validateRelu(const Qnn_OpConfig_t& config) {
  const Qnn_ErrorHandle_t declared = ::opgen::validateOpConfig(config, kPackageName, "Relu", kReluInputs,
                                   1u, kReluOutputs, 1u,
                                   kReluParams, kReluNumParams);
  if (declared != QNN_SUCCESS) return declared;
  return opgenValidateRelu(config);
}

Qnn_ErrorHandle_t createRelu(const Qnn_OpConfig_t& config, QnnGpu_Precision_t precision,
    QnnOpPackage_OpImpl_t* opImpl) {
  const char* const name = "Relu";
  if (validateRelu(config) != QNN_SUCCESS) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  const Qnn_OpConfigV1_t& v1 = config.v1;
  std::vector<uint32_t> specOf;
  std::vector<uint32_t> outputSpecOf;
  if (!::opgen::mapTensors(name, "input", kReluInputs, 1u, v1.numOfInputs, &specOf) ||
      !::opgen::mapTensors(name, "output", kReluOutputs, 1u, v1.numOfOutputs, &outputSpecOf)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  ::ExampleGpuOpPackage::Relu::Op op;
  for (uint32_t i = 0; i < v1.numOfInputs; ++i) {
    const ::opgen::gpu::Tensor tensor = ::opgen::gpu::Tensor::input(&v1.inputTensors[i], i);
    switch (specOf[i]) {
      case 0u:
        op.in_0 = tensor;
        break;
      default:
        break;
    }
  }
  for (uint32_t i = 0; i < v1.numOfOutputs; ++i) {
    const ::opgen::gpu::Tensor tensor = ::opgen::gpu::Tensor::output(&v1.outputTensors[i], i);
    switch (outputSpecOf[i]) {
      case 0u:
        op.out_0 = tensor;
        break;
      default:
        break;
    }
  }
  // Parameters: validateRelu checked kinds, datatypes, ranks and enumeration ranges.

  // The default launch: every declared input and output buffer, then every scalar, boolean and
  // enumeration parameter, in declaration order; one work item per element of out[0].
  ::opgen::gpu::Launch launch;
  launch.kernelName = ::ExampleGpuOpPackage::Relu::kKernelName;
  launch.precision = precision;
  launch.args.push_back(::opgen::gpu::tensorArg(op.in_0));  // in_0
  launch.args.push_back(::opgen::gpu::tensorArg(op.out_0));  // out_0
  launch.globalWorkSize = {op.out_0.numElements()};
  const Qnn_ErrorHandle_t status = ::ExampleGpuOpPackage::Relu::configureLaunch(op, &launch);
  if (status != QNN_SUCCESS) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: configureLaunch (src/ops/%s.cpp) refused the node with error %llu",
                 name, name, static_cast<unsigned long long>(status));
    return status;
  }
  return ::opgen::gpu::createOperation(name, kReluSource, sizeof(kReluSource) - 1, launch, opImpl);
}

// ---- Swish ----------------------------------------------------------------------------

// src/ops/Swish.cl, embedded by the build (makefiles/Kernels.mk) as a raw string literal.
const char kSwishSource[] =
#include "kernels/Swish.cl.inc"
    ;

const uint32_t kSwish_in_0_types[] = {0x0232u};
const uint32_t kSwish_out_0_types[] = {0x0232u};
const uint32_t kSwish_param_beta_types[] = {0x0232u};
const TensorSpec kSwishInputs[] = {
    {"in[0]", true, false, kSwish_in_0_types, sizeof(kSwish_in_0_types) / sizeof(uint32_t), -1},
};
const TensorSpec kSwishOutputs[] = {
    {"out[0]", true, false, kSwish_out_0_types, sizeof(kSwish_out_0_types) / sizeof(uint32_t), -1},
};
const ParamSpec kSwishParams[] = {
    {"beta", false, false, kSwish_param_beta_types, sizeof(kSwish_param_beta_types) / sizeof(uint32_t), 0, 0u},
};
const uint32_t kSwishNumParams = 1u;

// The shape and dtype rules of Swish (validate mode).
Qnn_ErrorHandle_t opgenValidateSwish(const Qnn_OpConfig_t& config) {
  ::opgen::rules::Context ctx(config, "Swish", ::opgen::rules::Mode::Validate);
  if (!ctx.start()) return ctx.result();
  const ::opgen::rules::Shape t_in_0 = ctx.input(0u, false, "in[0]");
  if (ctx.failed()) return ctx.result();
  for (uint32_t p = 0u; p < 1u && p < ctx.numOutputs(); ++p) {
    ctx.rule("output 'out[0]'", "= like(in[0])");
    ::opgen::rules::Shape o = ctx.like(t_in_0, "out[0]");
    ctx.outputShape(p, o);
  }
  if (ctx.failed()) return ctx.result();
  return ctx.result();
}

// The declaration's checks, then the op's shape and dtype rules.
Qnn_ErrorHandle_t validateSwish(const Qnn_OpConfig_t& config) {
  const Qnn_ErrorHandle_t declared = ::opgen::validateOpConfig(config, kPackageName, "Swish", kSwishInputs,
                                   1u, kSwishOutputs, 1u,
                                   kSwishParams, kSwishNumParams);
  if (declared != QNN_SUCCESS) return declared;
  return opgenValidateSwish(config);
}

Qnn_ErrorHandle_t createSwish(const Qnn_OpConfig_t& config, QnnGpu_Precision_t precision,
    QnnOpPackage_OpImpl_t* opImpl) {
  const char* const name = "Swish";
  if (validateSwish(config) != QNN_SUCCESS) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  const Qnn_OpConfigV1_t& v1 = config.v1;
  std::vector<uint32_t> specOf;
  std::vector<uint32_t> outputSpecOf;
  if (!::opgen::mapTensors(name, "input", kSwishInputs, 1u, v1.numOfInputs, &specOf) ||
      !::opgen::mapTensors(name, "output", kSwishOutputs, 1u, v1.numOfOutputs, &outputSpecOf)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  ::ExampleGpuOpPackage::Swish::Op op;
  for (uint32_t i = 0; i < v1.numOfInputs; ++i) {
    const ::opgen::gpu::Tensor tensor = ::opgen::gpu::Tensor::input(&v1.inputTensors[i], i);
    switch (specOf[i]) {
      case 0u:
        op.in_0 = tensor;
        break;
      default:
        break;
    }
  }
  for (uint32_t i = 0; i < v1.numOfOutputs; ++i) {
    const ::opgen::gpu::Tensor tensor = ::opgen::gpu::Tensor::output(&v1.outputTensors[i], i);
    switch (outputSpecOf[i]) {
      case 0u:
        op.out_0 = tensor;
        break;
      default:
        break;
    }
  }
  // Parameters: validateSwish checked kinds, datatypes, ranks and enumeration ranges.
  if (const Qnn_Param_t* param = ::opgen::findParam(v1, "beta")) {
    const double value = ::opgen::scalarValue(param->scalarParam);
    op.beta = static_cast<float>(value);
  } else {
    op.beta = 1.0f;
  }

  // The default launch: every declared input and output buffer, then every scalar, boolean and
  // enumeration parameter, in declaration order; one work item per element of out[0].
  ::opgen::gpu::Launch launch;
  launch.kernelName = ::ExampleGpuOpPackage::Swish::kKernelName;
  launch.precision = precision;
  launch.args.push_back(::opgen::gpu::tensorArg(op.in_0));  // in_0
  launch.args.push_back(::opgen::gpu::tensorArg(op.out_0));  // out_0
  launch.args.push_back(::opgen::gpu::dataFloat(static_cast<float>(op.beta)));  // beta
  launch.globalWorkSize = {op.out_0.numElements()};
  const Qnn_ErrorHandle_t status = ::ExampleGpuOpPackage::Swish::configureLaunch(op, &launch);
  if (status != QNN_SUCCESS) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: configureLaunch (src/ops/%s.cpp) refused the node with error %llu",
                 name, name, static_cast<unsigned long long>(status));
    return status;
  }
  return ::opgen::gpu::createOperation(name, kSwishSource, sizeof(kSwishSource) - 1, launch, opImpl);
}

// ---- Axpy ----------------------------------------------------------------------------

// src/ops/Axpy.cl, embedded by the build (makefiles/Kernels.mk) as a raw string literal.
const char kAxpySource[] =
#include "kernels/Axpy.cl.inc"
    ;

const uint32_t kAxpy_in_0_types[] = {0x0232u};
const uint32_t kAxpy_in_1_types[] = {0x0232u};
const uint32_t kAxpy_out_0_types[] = {0x0232u};
const uint32_t kAxpy_param_alpha_types[] = {0x0232u};
const TensorSpec kAxpyInputs[] = {
    {"in[0]", true, false, kAxpy_in_0_types, sizeof(kAxpy_in_0_types) / sizeof(uint32_t), -1},
    {"in[1]", true, false, kAxpy_in_1_types, sizeof(kAxpy_in_1_types) / sizeof(uint32_t), -1},
};
const TensorSpec kAxpyOutputs[] = {
    {"out[0]", true, false, kAxpy_out_0_types, sizeof(kAxpy_out_0_types) / sizeof(uint32_t), -1},
};
const ParamSpec kAxpyParams[] = {
    {"alpha", true, false, kAxpy_param_alpha_types, sizeof(kAxpy_param_alpha_types) / sizeof(uint32_t), 0, 0u},
};
const uint32_t kAxpyNumParams = 1u;

// The shape and dtype rules of Axpy (validate mode).
Qnn_ErrorHandle_t opgenValidateAxpy(const Qnn_OpConfig_t& config) {
  ::opgen::rules::Context ctx(config, "Axpy", ::opgen::rules::Mode::Validate);
  if (!ctx.start()) return ctx.result();
  const ::opgen::rules::Shape t_in_0 = ctx.input(0u, false, "in[0]");
  if (ctx.failed()) return ctx.result();
  for (uint32_t p = 0u; p < 1u && p < ctx.numOutputs(); ++p) {
    ctx.rule("output 'out[0]'", "= like(in[0])");
    ::opgen::rules::Shape o = ctx.like(t_in_0, "out[0]");
    ctx.outputShape(p, o);
  }
  if (ctx.failed()) return ctx.result();
  return ctx.result();
}

// The declaration's checks, then the op's shape and dtype rules.
Qnn_ErrorHandle_t validateAxpy(const Qnn_OpConfig_t& config) {
  const Qnn_ErrorHandle_t declared = ::opgen::validateOpConfig(config, kPackageName, "Axpy", kAxpyInputs,
                                   2u, kAxpyOutputs, 1u,
                                   kAxpyParams, kAxpyNumParams);
  if (declared != QNN_SUCCESS) return declared;
  return opgenValidateAxpy(config);
}

Qnn_ErrorHandle_t createAxpy(const Qnn_OpConfig_t& config, QnnGpu_Precision_t precision,
    QnnOpPackage_OpImpl_t* opImpl) {
  const char* const name = "Axpy";
  if (validateAxpy(config) != QNN_SUCCESS) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  const Qnn_OpConfigV1_t& v1 = config.v1;
  std::vector<uint32_t> specOf;
  std::vector<uint32_t> outputSpecOf;
  if (!::opgen::mapTensors(name, "input", kAxpyInputs, 2u, v1.numOfInputs, &specOf) ||
      !::opgen::mapTensors(name, "output", kAxpyOutputs, 1u, v1.numOfOutputs, &outputSpecOf)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  ::ExampleGpuOpPackage::Axpy::Op op;
  for (uint32_t i = 0; i < v1.numOfInputs; ++i) {
    const ::opgen::gpu::Tensor tensor = ::opgen::gpu::Tensor::input(&v1.inputTensors[i], i);
    switch (specOf[i]) {
      case 0u:
        op.in_0 = tensor;
        break;
      case 1u:
        op.in_1 = tensor;
        break;
      default:
        break;
    }
  }
  for (uint32_t i = 0; i < v1.numOfOutputs; ++i) {
    const ::opgen::gpu::Tensor tensor = ::opgen::gpu::Tensor::output(&v1.outputTensors[i], i);
    switch (outputSpecOf[i]) {
      case 0u:
        op.out_0 = tensor;
        break;
      default:
        break;
    }
  }
  // Parameters: validateAxpy checked kinds, datatypes, ranks and enumeration ranges.
  if (const Qnn_Param_t* param = ::opgen::findParam(v1, "alpha")) {
    const double value = ::opgen::scalarValue(param->scalarParam);
    op.alpha = static_cast<float>(value);
  }  // mandatory: always present after validation

  // The default launch: every declared input and output buffer, then every scalar, boolean and
  // enumeration parameter, in declaration order; one work item per element of out[0].
  ::opgen::gpu::Launch launch;
  launch.kernelName = ::ExampleGpuOpPackage::Axpy::kKernelName;
  launch.precision = precision;
  launch.args.push_back(::opgen::gpu::tensorArg(op.in_0));  // in_0
  launch.args.push_back(::opgen::gpu::tensorArg(op.in_1));  // in_1
  launch.args.push_back(::opgen::gpu::tensorArg(op.out_0));  // out_0
  launch.args.push_back(::opgen::gpu::dataFloat(static_cast<float>(op.alpha)));  // alpha
  launch.globalWorkSize = {op.out_0.numElements()};
  const Qnn_ErrorHandle_t status = ::ExampleGpuOpPackage::Axpy::configureLaunch(op, &launch);
  if (status != QNN_SUCCESS) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: configureLaunch (src/ops/%s.cpp) refused the node with error %llu",
                 name, name, static_cast<unsigned long long>(status));
    return status;
  }
  return ::opgen::gpu::createOperation(name, kAxpySource, sizeof(kAxpySource) - 1, launch, opImpl);
}

// ---- the interface ---------------------------------------------------------------------------

Qnn_ErrorHandle_t packageInit(QnnOpPackage_GlobalInfrastructure_t infrastructure) {
  ::opgen::gpu::clearLastError();
  if (g_initialized) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: already initialized", kPackageName);
    return QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED;
  }
  ::opgen::gpu::setGlobalInfrastructure(infrastructure);
  g_initialized = true;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t packageTerminate() {
  ::opgen::gpu::clearLastError();
  if (!g_initialized) return notInitialized("terminate");
  ::opgen::gpu::freeAllOperations();
  ::opgen::gpu::setGlobalInfrastructure(nullptr);
  g_initialized = false;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t packageGetInfo(const QnnOpPackage_Info_t** info) {
  ::opgen::gpu::clearLastError();
  if (!g_initialized) return notInitialized("getInfo");
  if (!info) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: getInfo needs somewhere to store the info", kPackageName);
    return QNN_OP_PACKAGE_ERROR_INVALID_INFO;
  }
  // Built once from constants: every call returns the same, stable pointers.
  static const QnnOpPackage_Info_t packageInfo = [] {
    QnnOpPackage_Info_t value = QNN_OP_PACKAGE_INFO_INIT;
    value.packageName = kPackageName;
    value.operationNames = const_cast<const char**>(kOperationNames);
    value.numOperations = kNumOperations;
    value.sdkBuildId = QNN_SDK_BUILD_ID;
    value.sdkApiVersion = &kApiVersion;
    return value;
  }();
  *info = &packageInfo;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t packageValidateOpConfig(Qnn_OpConfig_t config) {
  ::opgen::gpu::clearLastError();
  if (!g_initialized) return notInitialized("validateOpConfig");
  const char* type = config.version == QNN_OPCONFIG_VERSION_1 ? config.v1.typeName : nullptr;
  if (type && std::strcmp(type, "Relu") == 0) return validateRelu(config);
  if (type && std::strcmp(type, "Swish") == 0) return validateSwish(config);
  if (type && std::strcmp(type, "Axpy") == 0) return validateAxpy(config);
  ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: unknown op type '%s'", kPackageName, type ? type : "(null)");
  return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
}

Qnn_ErrorHandle_t dispatchCreateOpImpl(const QnnGpuOpPackage_GraphInfrastructure_t* graphInfrastructure,
                                       const QnnGpuOpPackage_Node_t* node, QnnOpPackage_OpImpl_t* opImpl) {
  const Qnn_OpConfig_t* config = node->configs[0];
  if (config->version != QNN_OPCONFIG_VERSION_1 || !config->v1.typeName) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: createOpImpl needs a version 1 op config with a type", kPackageName);
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  // A host runtime may pass no graph infrastructure: the graph then runs in FP32.
  const QnnGpu_Precision_t precision =
      graphInfrastructure ? graphInfrastructure->precisionMode : QNN_GPU_PRECISION_FP32;
  const char* type = config->v1.typeName;
  if (std::strcmp(type, "Relu") == 0) return createRelu(*config, precision, opImpl);
  if (std::strcmp(type, "Swish") == 0) return createSwish(*config, precision, opImpl);
  if (std::strcmp(type, "Axpy") == 0) return createAxpy(*config, precision, opImpl);
  ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: unknown op type '%s'", kPackageName, type);
  return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
}

Qnn_ErrorHandle_t packageCreateOpImpl(QnnOpPackage_GraphInfrastructure_t graphInfrastructure,
                                      QnnOpPackage_Node_t node, QnnOpPackage_OpImpl_t* opImpl) {
  ::opgen::gpu::clearLastError();
  if (!g_initialized) return notInitialized("createOpImpl");
  if (!node || !opImpl || !node->configs || !node->configs[0]) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: createOpImpl needs a node with an op config and somewhere to store the operation", kPackageName);
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  // Kernel code and configureLaunch are C++: no exception may cross the C interface.
  try {
    return dispatchCreateOpImpl(graphInfrastructure, node, opImpl);
  } catch (const std::bad_alloc&) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: out of memory", kPackageName);
    return QNN_COMMON_ERROR_MEM_ALLOC;
  } catch (const std::exception& error) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: createOpImpl failed: %s", kPackageName, error.what());
    return QNN_OP_PACKAGE_ERROR_GENERAL;
  } catch (...) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: createOpImpl failed: an exception that is not a std::exception", kPackageName);
    return QNN_OP_PACKAGE_ERROR_GENERAL;
  }
}

Qnn_ErrorHandle_t packageFreeOpImpl(QnnOpPackage_OpImpl_t opImpl) {
  ::opgen::gpu::clearLastError();
  if (!g_initialized) return notInitialized("freeOpImpl");
  return ::opgen::gpu::freeOperation(opImpl);
}

Qnn_ErrorHandle_t packageLogInitialize(QnnLog_Callback_t callback, QnnLog_Level_t maxLogLevel) {
  if (!callback) return QNN_LOG_ERROR_INVALID_ARGUMENT;
  ::opgen::gpu::setLogCallback(callback, maxLogLevel);
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t packageLogSetLevel(QnnLog_Level_t maxLogLevel) {
  ::opgen::gpu::setLogLevel(maxLogLevel);
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t packageLogTerminate() {
  ::opgen::gpu::setLogCallback(nullptr, QNN_LOG_LEVEL_WARN);
  return QNN_SUCCESS;
}

}  // namespace

extern "C" {

QNN_API Qnn_ErrorHandle_t ExampleGpuOpPackageInterfaceProvider(QnnOpPackage_Interface_t* interface) {
  if (!interface) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  interface->interfaceVersion.major = 1;
  interface->interfaceVersion.minor = 4;
  interface->interfaceVersion.patch = 0;
  interface->v1_4.init = packageInit;
  interface->v1_4.terminate = packageTerminate;
  interface->v1_4.getInfo = packageGetInfo;
  interface->v1_4.validateOpConfig = packageValidateOpConfig;
  interface->v1_4.createOpImpl = packageCreateOpImpl;
  interface->v1_4.freeOpImpl = packageFreeOpImpl;
  interface->v1_4.logInitialize = packageLogInitialize;
  interface->v1_4.logSetLevel = packageLogSetLevel;
  interface->v1_4.logTerminate = packageLogTerminate;
  return QNN_SUCCESS;
}

// Kernels ship as OpenCL C source, never as precompiled binaries.
QNN_API Qnn_ErrorHandle_t QnnGpuOpPackage_getKernelBinary(const char* name, const uint8_t** binary,
                                                          uint32_t* numBytes) {
  (void)name;
  if (binary) *binary = nullptr;
  if (numBytes) *numBytes = 0;
  return QNN_OP_PACKAGE_ERROR_UNSUPPORTED_FEATURE;
}

// The first error logged during the most recent interface call that failed, or "" after one
// that succeeded. For hosts that cannot read the log callback's va_list. The text stays valid on
// the calling thread until its next call of this function.
QNN_API const char* ExampleGpuOpPackage_opgenLastError(void) { return ::opgen::gpu::lastError(); }

}  // extern "C"
