// opgen-owned file, generated for op package ExampleHtpOpPackage (HTP) from ExampleHtpOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// The op-package interface of ExampleHtpOpPackage for the HTP backend, in the vendor's
// macro sequence (so op files written by hand in the vendor's style register unchanged): the op
// registration lists, init/terminate, getInfo, the log hooks, validateOpConfig generated from
// the op declarations, and the exported ExampleHtpOpPackageInterfaceProvider.
#include <cstdarg>
#include <cstdint>
#include <cstring>

#include "HTP/QnnHtpCommon.h"
#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"
#include "HTP/core/unique_types.h"
#include "QnnOpPackage.h"
#include "QnnSdkBuildId.h"
// opgen's support functions stay private to this library even where the build exports
// everything (device builds use default visibility, as the vendor's do).
#pragma GCC visibility push(hidden)
#include "opgen/OpConfigSupport.hpp"
#include "opgen/ShapeRules.hpp"
#pragma GCC visibility pop

#ifndef QNN_API
#define QNN_API
#endif

DEFINE_UNIQ_TY()

// One entry per op file, in registration order: each names the file's
// BEGIN_PKG_OP_DEFINITION(PKG_<Op>).
BEGIN_PKG_OPS_OPTS_LIST()
DECLARE_PKG_OPS_OPTS_LIST(PKG_Relu)
DECLARE_PKG_OPS_OPTS_LIST(PKG_Softmax)
DECLARE_PKG_OPS_OPTS_LIST(PKG_Sigmoid)
END_PKG_OPS_OPTS_LIST()

// The package name is the config's: the Makefile passes it as -DTHIS_PKG_NAME.
static const char* const sg_packageName = THIS_PKG_NAME_STR;
static const char* sg_opNames[] = {
    "Relu",
    "Softmax",
    "Sigmoid",
};
static const uint32_t sg_numOpNames = 3u;
static const Qnn_ApiVersion_t sg_sdkApiVersion = QNN_HTP_API_VERSION_INIT;

static QnnOpPackage_GlobalInfrastructure_t sg_globalInfra = nullptr;  // stored, never used
static bool sg_packageInitialized = false;
static QnnLog_Callback_t sg_logCallback = nullptr;
static QnnLog_Level_t sg_maxLogLevel = QNN_LOG_LEVEL_WARN;
static bool sg_logInitialized = false;

INIT_PACKAGE_OP_DEF()
INIT_PACKAGE_OPTIMIZATION_DEF()
INIT_PACKAGE_PARAM_ORDER_DEF()

// Names of parameters the backend adjusts when it backfills tensors to 4-D, e.g. "axis".
LIST_PACKAGE_AXIS_PARAMS()

// Names of ops that take per-channel quantized tensors.
LIST_PACKAGE_PER_CHANNEL_QUANTIZED_OPS()

// In emulation builds (make htp_x86 without QNN_SDK_ROOT), END_PKG_OPS_OPTS_LIST() above also
// defines the entry points through which opgen's runtime finds and runs the registered ops.

namespace opgen {

// The shared op-config checks log through the package's log callback.
void log(QnnLog_Level_t level, const char* fmt, ...) {
  if (!sg_logCallback || level > sg_maxLogLevel) return;
  va_list args;
  va_start(args, fmt);
  sg_logCallback(fmt, level, 0, args);
  va_end(args);
}

}  // namespace opgen

namespace {

using ::opgen::ParamSpec;
using ::opgen::TensorSpec;

// ---- Relu: its declaration, as validateOpConfig checks it ----------------------------
namespace op_Relu {

const uint32_t input_in_0_types[] = {0x0232u, 0x0408u};
const uint32_t output_out_0_types[] = {0x0232u, 0x0408u};
const TensorSpec inputs[] = {
    {"in[0]", true, false, input_in_0_types, sizeof(input_in_0_types) / sizeof(uint32_t), 4},
};
const TensorSpec outputs[] = {
    {"out[0]", true, false, output_out_0_types, sizeof(output_out_0_types) / sizeof(uint32_t), 4},
};
const ParamSpec* const params = nullptr;

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


}  // namespace op_Relu

// ---- Softmax: its declaration, as validateOpConfig checks it ----------------------------
namespace op_Softmax {

const uint32_t input_in_0_types[] = {0x0232u};
const uint32_t output_out_0_types[] = {0x0232u};
const uint32_t param_beta_types[] = {0x0232u};
const TensorSpec inputs[] = {
    {"in[0]", true, false, input_in_0_types, sizeof(input_in_0_types) / sizeof(uint32_t), 4},
};
const TensorSpec outputs[] = {
    {"out[0]", true, false, output_out_0_types, sizeof(output_out_0_types) / sizeof(uint32_t), 4},
};
const ParamSpec params[] = {
    {"beta", false, false, param_beta_types, sizeof(param_beta_types) / sizeof(uint32_t), 0, 0u},
};

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


}  // namespace op_Softmax

// ---- Sigmoid: its declaration, as validateOpConfig checks it ----------------------------
namespace op_Sigmoid {

const uint32_t input_in_0_types[] = {0x0232u, 0x0408u};
const uint32_t output_out_0_types[] = {0x0408u};
const TensorSpec inputs[] = {
    {"in[0]", true, false, input_in_0_types, sizeof(input_in_0_types) / sizeof(uint32_t), 4},
};
const TensorSpec outputs[] = {
    {"out[0]", true, false, output_out_0_types, sizeof(output_out_0_types) / sizeof(uint32_t), 4},
};
const ParamSpec* const params = nullptr;

// The shape and dtype rules of Sigmoid (validate mode).
Qnn_ErrorHandle_t opgenValidateSigmoid(const Qnn_OpConfig_t& config) {
  ::opgen::rules::Context ctx(config, "Sigmoid", ::opgen::rules::Mode::Validate);
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


}  // namespace op_Sigmoid

}  // namespace

Qnn_ErrorHandle_t ExampleHtpOpPackageInit(QnnOpPackage_GlobalInfrastructure_t infrastructure) {
  if (sg_packageInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED;
  REGISTER_PACKAGE_OPS()
  REGISTER_PACKAGE_OPTIMIZATIONS()
  REGISTER_PACKAGE_PARAM_ORDERS()
  REGISTER_PACKAGE_AXIS_PARAMS()
  REGISTER_PACKAGE_PER_CHANNEL_QUANTIZED_OPS()
  sg_globalInfra = infrastructure;
  sg_packageInitialized = true;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t ExampleHtpOpPackageGetInfo(const QnnOpPackage_Info_t** info) {
  if (!sg_packageInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  if (!info) return QNN_OP_PACKAGE_ERROR_INVALID_INFO;
  // Built once from constants: every call returns the same, stable pointers.
  static const QnnOpPackage_Info_t sg_packageInfo = [] {
    QnnOpPackage_Info_t value = QNN_OP_PACKAGE_INFO_INIT;
    value.packageName = sg_packageName;
    value.operationNames = sg_opNames;
    value.numOperations = sg_numOpNames;
    value.sdkBuildId = QNN_SDK_BUILD_ID;
    value.sdkApiVersion = &sg_sdkApiVersion;
    return value;
  }();
  *info = &sg_packageInfo;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t ExampleHtpOpPackageLogInitialize(QnnLog_Callback_t callback, QnnLog_Level_t maxLogLevel) {
  if (sg_logInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_ALREADY_INITIALIZED;
  if (!callback || maxLogLevel < QNN_LOG_LEVEL_ERROR) return QNN_LOG_ERROR_INVALID_ARGUMENT;
  sg_logCallback = callback;
  sg_maxLogLevel = maxLogLevel;
  sg_logInitialized = true;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t ExampleHtpOpPackageLogSetLevel(QnnLog_Level_t maxLogLevel) {
  if (maxLogLevel < QNN_LOG_LEVEL_ERROR) return QNN_LOG_ERROR_INVALID_ARGUMENT;
  sg_maxLogLevel = maxLogLevel;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t ExampleHtpOpPackageLogTerminate() {
  if (!sg_logInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  sg_logCallback = nullptr;
  sg_maxLogLevel = QNN_LOG_LEVEL_WARN;
  sg_logInitialized = false;
  return QNN_SUCCESS;
}

// Checks a node against its op's declaration: package and type name, input and output counts
// (optional inputs may be omitted), datatypes and ranks, parameters by name, kind, datatype and
// rank, mandatory parameters present, enumerations in range.
// Then, for ops with shape and dtype rules, the rules (opgen/ShapeRules.hpp).
Qnn_ErrorHandle_t ExampleHtpOpPackageValidateOpConfig(Qnn_OpConfig_t opConfig) {
  if (opConfig.version != QNN_OPCONFIG_VERSION_1 || !opConfig.v1.typeName) {
    ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: op config without a version 1 type name", sg_packageName);
    return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  }
  const char* const type = opConfig.v1.typeName;
  if (std::strcmp(type, "Relu") == 0) {
    const Qnn_ErrorHandle_t declared = ::opgen::validateOpConfig(opConfig, sg_packageName, "Relu", op_Relu::inputs,
                                     1u, op_Relu::outputs, 1u,
                                     op_Relu::params, 0u);
    if (declared != QNN_SUCCESS) return declared;
    // Then the op's shape and dtype rules.
    return op_Relu::opgenValidateRelu(opConfig);
  }
  if (std::strcmp(type, "Softmax") == 0) {
    const Qnn_ErrorHandle_t declared = ::opgen::validateOpConfig(opConfig, sg_packageName, "Softmax", op_Softmax::inputs,
                                     1u, op_Softmax::outputs, 1u,
                                     op_Softmax::params, 1u);
    if (declared != QNN_SUCCESS) return declared;
    // Then the op's shape and dtype rules.
    return op_Softmax::opgenValidateSoftmax(opConfig);
  }
  if (std::strcmp(type, "Sigmoid") == 0) {
    const Qnn_ErrorHandle_t declared = ::opgen::validateOpConfig(opConfig, sg_packageName, "Sigmoid", op_Sigmoid::inputs,
                                     1u, op_Sigmoid::outputs, 1u,
                                     op_Sigmoid::params, 0u);
    if (declared != QNN_SUCCESS) return declared;
    // Then the op's shape and dtype rules.
    return op_Sigmoid::opgenValidateSigmoid(opConfig);
  }
  ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s: unknown op type '%s'", sg_packageName, type);
  return QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
}

Qnn_ErrorHandle_t ExampleHtpOpPackageTerminate() {
  if (!sg_packageInitialized) return QNN_OP_PACKAGE_ERROR_LIBRARY_NOT_INITIALIZED;
  sg_globalInfra = nullptr;
  sg_packageInitialized = false;
  return QNN_SUCCESS;
}

extern "C" QNN_API Qnn_ErrorHandle_t ExampleHtpOpPackageInterfaceProvider(QnnOpPackage_Interface_t* interface) {
  if (!interface) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  interface->interfaceVersion.major = 1;
  interface->interfaceVersion.minor = 4;
  interface->interfaceVersion.patch = 0;
  interface->v1_4.init = ExampleHtpOpPackageInit;
  interface->v1_4.terminate = ExampleHtpOpPackageTerminate;
  interface->v1_4.getInfo = ExampleHtpOpPackageGetInfo;
  interface->v1_4.validateOpConfig = ExampleHtpOpPackageValidateOpConfig;
  interface->v1_4.createOpImpl = nullptr;  // HTP ops run through the registrations above
  interface->v1_4.freeOpImpl = nullptr;
  interface->v1_4.logInitialize = ExampleHtpOpPackageLogInitialize;
  interface->v1_4.logSetLevel = ExampleHtpOpPackageLogSetLevel;
  interface->v1_4.logTerminate = ExampleHtpOpPackageLogTerminate;
  return QNN_SUCCESS;
}
