// opgen-owned file, generated for op package ExampleOpPackage (CPU) from ExampleOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// The op-package interface of ExampleOpPackage for the CPU backend: init/terminate, getInfo,
// validateOpConfig and createOpImpl generated from the op declarations, and the exported
// ExampleOpPackageInterfaceProvider.
#include <cstdint>
#include <cstring>
#include <new>
#include <vector>

#include "CPU/QnnCpuCommon.h"
#include "CPU/QnnCpuOpPackage.h"
#include "QnnOpPackage.h"
#include "QnnSdkBuildId.h"
#include "opgen/CpuOpSupport.hpp"
#include "opgen/ShapeRules.hpp"
#include "ops/Relu.hpp"
#include "ops/Softmax.hpp"
#include "ops/TopK.hpp"

#ifndef QNN_API
#define QNN_API
#endif

namespace {

using ::opgen::cpu::ParamSpec;
using ::opgen::cpu::TensorSpec;

const char* const kPackageName = "ExampleOpPackage";
const char* const kOperationNames[] = {
    "Relu",
    "Softmax",
    "TopK",
};
const uint32_t kNumOperations = 3u;
const Qnn_ApiVersion_t kApiVersion = QNN_CPU_API_VERSION_INIT;

bool g_initialized = false;

// ---- Relu ----------------------------------------------------------------------------

const uint32_t kRelu_in_0_types[] = {0x0232u, 0x0008u, 0x0016u, 0x0032u, 0x0108u};
const uint32_t kRelu_out_0_types[] = {0x0232u, 0x0008u, 0x0016u, 0x0032u, 0x0108u};
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
  const Qnn_ErrorHandle_t declared = ::opgen::cpu::validateOpConfig(config, kPackageName, "Relu", kReluInputs,
                                        1u, kReluOutputs, 1u,
                                        kReluParams, kReluNumParams);
  if (declared != QNN_SUCCESS) return declared;
  return opgenValidateRelu(config);
}

struct ReluImpl : ::opgen::cpu::OpImplBase {
  ::ExampleOpPackage::Relu::Op op;
  Qnn_ErrorHandle_t run() override { return ::ExampleOpPackage::Relu::execute(op); }
};

Qnn_ErrorHandle_t createRelu(const QnnCpuOpPackage_Node_t* node, QnnOpPackage_OpImpl_t* out) {
  const char* const name = "Relu";
  std::vector<uint32_t> specOf;
  if (!::opgen::cpu::mapTensors(name, "input", kReluInputs, 1u, node->numOfInputs, &specOf)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  std::vector<uint32_t> outputSpecOf;
  if (!::opgen::cpu::mapTensors(name, "output", kReluOutputs, 1u, node->numOfOutputs, &outputSpecOf)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  if (!::opgen::cpu::checkParamNames(node, name, kReluParams, kReluNumParams)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  ReluImpl* impl = new (std::nothrow) ReluImpl();
  if (!impl) return QNN_COMMON_ERROR_MEM_ALLOC;
  // The guard owns the impl until it is registered: every early return and a throw while
  // binding (vectors of tensors allocate) free it.
  struct ImplGuard {
    ReluImpl* owned;
    ~ImplGuard() { delete owned; }
  } guard{impl};
  ::ExampleOpPackage::Relu::Op& op = impl->op;
  for (uint32_t i = 0; i < node->numOfInputs; ++i) {
    ::opgen::cpu::Tensor tensor(node->inputs[i]);
    switch (specOf[i]) {
      case 0u:
        op.in_0 = tensor;
        break;
      default:
        break;
    }
  }
  for (uint32_t i = 0; i < node->numOfOutputs; ++i) {
    ::opgen::cpu::Tensor tensor(node->outputs[i]);
    switch (outputSpecOf[i]) {
      case 0u:
        op.out_0 = tensor;
        break;
      default:
        break;
    }
  }
  guard.owned = nullptr;
  return ::opgen::cpu::registerOpImpl(impl, out);
}

// ---- Softmax ----------------------------------------------------------------------------

const uint32_t kSoftmax_in_0_types[] = {0x0232u};
const uint32_t kSoftmax_out_0_types[] = {0x0232u};
const uint32_t kSoftmax_param_axis_types[] = {0x0032u};
const uint32_t kSoftmax_param_beta_types[] = {0x0232u};
const TensorSpec kSoftmaxInputs[] = {
    {"in[0]", true, false, kSoftmax_in_0_types, sizeof(kSoftmax_in_0_types) / sizeof(uint32_t), -1},
};
const TensorSpec kSoftmaxOutputs[] = {
    {"out[0]", true, false, kSoftmax_out_0_types, sizeof(kSoftmax_out_0_types) / sizeof(uint32_t), -1},
};
const ParamSpec kSoftmaxParams[] = {
    {"axis", false, false, kSoftmax_param_axis_types, sizeof(kSoftmax_param_axis_types) / sizeof(uint32_t), 0, 0u},
    {"beta", false, false, kSoftmax_param_beta_types, sizeof(kSoftmax_param_beta_types) / sizeof(uint32_t), 0, 0u},
};
const uint32_t kSoftmaxNumParams = 2u;

// The shape and dtype rules of Softmax (validate mode).
Qnn_ErrorHandle_t opgenValidateSoftmax(const Qnn_OpConfig_t& config) {
  ::opgen::rules::Context ctx(config, "Softmax", ::opgen::rules::Mode::Validate);
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
Qnn_ErrorHandle_t validateSoftmax(const Qnn_OpConfig_t& config) {
  const Qnn_ErrorHandle_t declared = ::opgen::cpu::validateOpConfig(config, kPackageName, "Softmax", kSoftmaxInputs,
                                        1u, kSoftmaxOutputs, 1u,
                                        kSoftmaxParams, kSoftmaxNumParams);
  if (declared != QNN_SUCCESS) return declared;
  return opgenValidateSoftmax(config);
}

struct SoftmaxImpl : ::opgen::cpu::OpImplBase {
  ::ExampleOpPackage::Softmax::Op op;
  Qnn_ErrorHandle_t run() override { return ::ExampleOpPackage::Softmax::execute(op); }
};

Qnn_ErrorHandle_t createSoftmax(const QnnCpuOpPackage_Node_t* node, QnnOpPackage_OpImpl_t* out) {
  const char* const name = "Softmax";
  std::vector<uint32_t> specOf;
  if (!::opgen::cpu::mapTensors(name, "input", kSoftmaxInputs, 1u, node->numOfInputs, &specOf)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  std::vector<uint32_t> outputSpecOf;
  if (!::opgen::cpu::mapTensors(name, "output", kSoftmaxOutputs, 1u, node->numOfOutputs, &outputSpecOf)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  if (!::opgen::cpu::checkParamNames(node, name, kSoftmaxParams, kSoftmaxNumParams)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  SoftmaxImpl* impl = new (std::nothrow) SoftmaxImpl();
  if (!impl) return QNN_COMMON_ERROR_MEM_ALLOC;
  // The guard owns the impl until it is registered: every early return and a throw while
  // binding (vectors of tensors allocate) free it.
  struct ImplGuard {
    SoftmaxImpl* owned;
    ~ImplGuard() { delete owned; }
  } guard{impl};
  ::ExampleOpPackage::Softmax::Op& op = impl->op;
  for (uint32_t i = 0; i < node->numOfInputs; ++i) {
    ::opgen::cpu::Tensor tensor(node->inputs[i]);
    switch (specOf[i]) {
      case 0u:
        op.in_0 = tensor;
        break;
      default:
        break;
    }
  }
  for (uint32_t i = 0; i < node->numOfOutputs; ++i) {
    ::opgen::cpu::Tensor tensor(node->outputs[i]);
    switch (outputSpecOf[i]) {
      case 0u:
        op.out_0 = tensor;
        break;
      default:
        break;
    }
  }
  if (const QnnCpuOpPackage_Param_t* param = ::opgen::cpu::findParam(node, "axis")) {
    double value = 0.0;
    if (!::opgen::cpu::readScalar(param, name, &value)) {
      return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
    }
    op.axis = static_cast<int32_t>(value);
  } else {
    op.axis = static_cast<int32_t>(-1);
  }
  if (const QnnCpuOpPackage_Param_t* param = ::opgen::cpu::findParam(node, "beta")) {
    double value = 0.0;
    if (!::opgen::cpu::readScalar(param, name, &value)) {
      return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
    }
    op.beta = static_cast<float>(value);
  } else {
    op.beta = 1.0f;
  }
  guard.owned = nullptr;
  return ::opgen::cpu::registerOpImpl(impl, out);
}

// ---- TopK ----------------------------------------------------------------------------

const uint32_t kTopK_in_0_types[] = {0x0232u};
const uint32_t kTopK_values_types[] = {0x0232u};
const uint32_t kTopK_indices_types[] = {0x0032u};
const uint32_t kTopK_param_k_types[] = {0x0132u};
const TensorSpec kTopKInputs[] = {
    {"in[0]", true, false, kTopK_in_0_types, sizeof(kTopK_in_0_types) / sizeof(uint32_t), -1},
};
const TensorSpec kTopKOutputs[] = {
    {"values", true, false, kTopK_values_types, sizeof(kTopK_values_types) / sizeof(uint32_t), -1},
    {"indices", true, false, kTopK_indices_types, sizeof(kTopK_indices_types) / sizeof(uint32_t), -1},
};
const ParamSpec kTopKParams[] = {
    {"k", true, false, kTopK_param_k_types, sizeof(kTopK_param_k_types) / sizeof(uint32_t), 0, 0u},
};
const uint32_t kTopKNumParams = 1u;

// The shape and dtype rules of TopK (validate mode).
Qnn_ErrorHandle_t opgenValidateTopK(const Qnn_OpConfig_t& config) {
  ::opgen::rules::Context ctx(config, "TopK", ::opgen::rules::Mode::Validate);
  if (!ctx.start()) return ctx.result();
  const ::opgen::rules::Shape t_in_0 = ctx.input(0u, false, "in[0]");
  int64_t p0 = 0;
  if (!ctx.scalarInt("k", &p0)) ctx.missingParam("k");
  if (ctx.failed()) return ctx.result();
  for (uint32_t p = 0u; p < 1u && p < ctx.numOutputs(); ++p) {
    ctx.rule("output 'values'", "= with(in[0], -1, k)");
    ::opgen::rules::Shape o = ctx.with(t_in_0, int64_t{-1}, p0, "values");
    ctx.outputShape(p, o);
  }
  if (ctx.failed()) return ctx.result();
  for (uint32_t p = 1u; p < 2u && p < ctx.numOutputs(); ++p) {
    ctx.rule("output 'indices'", "= with(in[0], -1, k)");
    ::opgen::rules::Shape o = ctx.with(t_in_0, int64_t{-1}, p0, "indices");
    ctx.outputShape(p, o);
    ctx.rule("output 'indices'", "= QNN_DATATYPE_INT_32");
    ctx.outputDtype(p, 0x0032u);
  }
  if (ctx.failed()) return ctx.result();
  return ctx.result();
}

// The declaration's checks, then the op's shape and dtype rules.
Qnn_ErrorHandle_t validateTopK(const Qnn_OpConfig_t& config) {
  const Qnn_ErrorHandle_t declared = ::opgen::cpu::validateOpConfig(config, kPackageName, "TopK", kTopKInputs,
                                        1u, kTopKOutputs, 2u,
                                        kTopKParams, kTopKNumParams);
  if (declared != QNN_SUCCESS) return declared;
  return opgenValidateTopK(config);
}

struct TopKImpl : ::opgen::cpu::OpImplBase {
  ::ExampleOpPackage::TopK::Op op;
  Qnn_ErrorHandle_t run() override { return ::ExampleOpPackage::TopK::execute(op); }
};

Qnn_ErrorHandle_t createTopK(const QnnCpuOpPackage_Node_t* node, QnnOpPackage_OpImpl_t* out) {
  const char* const name = "TopK";
  std::vector<uint32_t> specOf;
  if (!::opgen::cpu::mapTensors(name, "input", kTopKInputs, 1u, node->numOfInputs, &specOf)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  std::vector<uint32_t> outputSpecOf;
  if (!::opgen::cpu::mapTensors(name, "output", kTopKOutputs, 2u, node->numOfOutputs, &outputSpecOf)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  if (!::opgen::cpu::checkParamNames(node, name, kTopKParams, kTopKNumParams)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  TopKImpl* impl = new (std::nothrow) TopKImpl();
  if (!impl) return QNN_COMMON_ERROR_MEM_ALLOC;
  // The guard owns the impl until it is registered: every early return and a throw while
  // binding (vectors of tensors allocate) free it.
  struct ImplGuard {
    TopKImpl* owned;
    ~ImplGuard() { delete owned; }
  } guard{impl};
  ::ExampleOpPackage::TopK::Op& op = impl->op;
  for (uint32_t i = 0; i < node->numOfInputs; ++i) {
    ::opgen::cpu::Tensor tensor(node->inputs[i]);
    switch (specOf[i]) {
      case 0u:
        op.in_0 = tensor;
        break;
      default:
        break;
    }
  }
  for (uint32_t i = 0; i < node->numOfOutputs; ++i) {
    ::opgen::cpu::Tensor tensor(node->outputs[i]);
    switch (outputSpecOf[i]) {
      case 0u:
        op.values = tensor;
        break;
      case 1u:
        op.indices = tensor;
        break;
      default:
        break;
    }
  }
  if (const QnnCpuOpPackage_Param_t* param = ::opgen::cpu::findParam(node, "k")) {
    double value = 0.0;
    if (!::opgen::cpu::readScalar(param, name, &value)) {
      return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
    }
    op.k = static_cast<uint32_t>(value);
  } else {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "%s: mandatory parameter '%s' is missing", name, "k");
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  guard.owned = nullptr;
  return ::opgen::cpu::registerOpImpl(impl, out);
}

// ---- the interface ---------------------------------------------------------------------------

Qnn_ErrorHandle_t packageInit(QnnOpPackage_GlobalInfrastructure_t infrastructure) {
  if (g_initialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED;
  ::opgen::cpu::setGlobalInfrastructure(infrastructure);
  g_initialized = true;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t packageTerminate() {
  if (!g_initialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  ::opgen::cpu::freeAllOpImpls();
  ::opgen::cpu::setGlobalInfrastructure(nullptr);
  g_initialized = false;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t packageGetInfo(const QnnOpPackage_Info_t** info) {
  if (!g_initialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  if (!info) return QNN_OP_PACKAGE_ERROR_INVALID_INFO;
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
  if (!g_initialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  const char* type = config.version == QNN_OPCONFIG_VERSION_1 ? config.v1.typeName : nullptr;
  if (type && std::strcmp(type, "Relu") == 0) return validateRelu(config);
  if (type && std::strcmp(type, "Softmax") == 0) return validateSoftmax(config);
  if (type && std::strcmp(type, "TopK") == 0) return validateTopK(config);
  ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "%s: unknown op type '%s'", kPackageName, type ? type : "(null)");
  return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
}

Qnn_ErrorHandle_t packageCreateOpImpl(QnnOpPackage_GraphInfrastructure_t graphInfrastructure,
                                      QnnOpPackage_Node_t node, QnnOpPackage_OpImpl_t* opImpl) {
  (void)graphInfrastructure;  // the CPU backend passes nothing the ops need
  if (!g_initialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  if (!node || !opImpl || !node->typeName) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  if ((node->numOfInputs && !node->inputs) || (node->numOfOutputs && !node->outputs) ||
      (node->numOfParams && !node->params)) {
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  // No exception may cross the C interface (binding a node allocates).
  try {
    if (std::strcmp(node->typeName, "Relu") == 0) return createRelu(node, opImpl);
    if (std::strcmp(node->typeName, "Softmax") == 0) return createSoftmax(node, opImpl);
    if (std::strcmp(node->typeName, "TopK") == 0) return createTopK(node, opImpl);
  } catch (const std::bad_alloc&) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "%s: out of memory creating op '%s'", kPackageName, node->typeName);
    return QNN_COMMON_ERROR_MEM_ALLOC;
  } catch (...) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "%s: creating op '%s' threw an exception", kPackageName, node->typeName);
    return QNN_OP_PACKAGE_ERROR_GENERAL;
  }
  ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "%s: unknown op type '%s'", kPackageName, node->typeName);
  return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
}

Qnn_ErrorHandle_t packageFreeOpImpl(QnnOpPackage_OpImpl_t opImpl) {
  if (!g_initialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  return ::opgen::cpu::freeOpImpl(opImpl);
}

Qnn_ErrorHandle_t packageLogInitialize(QnnLog_Callback_t callback, QnnLog_Level_t maxLogLevel) {
  if (!callback) return QNN_LOG_ERROR_INVALID_ARGUMENT;
  ::opgen::cpu::setLogCallback(callback, maxLogLevel);
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t packageLogSetLevel(QnnLog_Level_t maxLogLevel) {
  ::opgen::cpu::setLogLevel(maxLogLevel);
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t packageLogTerminate() {
  ::opgen::cpu::setLogCallback(nullptr, QNN_LOG_LEVEL_WARN);
  return QNN_SUCCESS;
}

}  // namespace

extern "C" QNN_API Qnn_ErrorHandle_t ExampleOpPackageInterfaceProvider(QnnOpPackage_Interface_t* interface) {
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
