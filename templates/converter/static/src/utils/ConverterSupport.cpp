// opgen-owned file: shipped by opgen into converter op packages and refreshed on regeneration.
#include "opgen/ConverterSupport.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace opgen {

namespace {

QnnLog_Callback_t g_logCallback = nullptr;
QnnLog_Level_t g_maxLogLevel = QNN_LOG_LEVEL_ERROR;
const char* g_prefix = "converter op package";
thread_local char t_lastError[1024] = {0};

// The callback takes a va_list: it gets the formatted message through "%s".
void forward(QnnLog_Callback_t callback, QnnLog_Level_t level, const char* format, ...) {
  va_list rest;
  va_start(rest, format);
  callback(format, level, 0, rest);
  va_end(rest);
}

}  // namespace

void log(QnnLog_Level_t level, const char* fmt, ...) {
  char message[sizeof(t_lastError)];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(message, sizeof(message), fmt, args);
  va_end(args);
  // The first error of a call is its cause; later ones (a rule reporting a failed hook) follow.
  if (level == QNN_LOG_LEVEL_ERROR && t_lastError[0] == '\0') {
    std::memcpy(t_lastError, message, sizeof(message));
  }
  if (level > g_maxLogLevel) return;
  if (g_logCallback) {
    forward(g_logCallback, level, "%s", message);
    return;
  }
  std::fprintf(stderr, "%s: %s\n", g_prefix, message);
}

namespace converter {

Qnn_ErrorHandle_t fail(Qnn_ErrorHandle_t code, const char* fmt, ...) {
  char message[sizeof(t_lastError)];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(message, sizeof(message), fmt, args);
  va_end(args);
  ::opgen::log(QNN_LOG_LEVEL_ERROR, "%s", message);
  return code;
}

namespace {

Qnn_ErrorHandle_t checkTensors(const char* opName, const char* role, const Qnn_Tensor_t* tensors,
                               uint32_t count, const TensorSpec* specs,
                               const std::vector<uint32_t>& specOf, bool needStorage) {
  if (count > 0 && !tensors) return fail(kBadArgument, "%s: %u %s(s) but no array", opName, count, role);
  for (uint32_t i = 0; i < count; ++i) {
    const Qnn_Tensor_t& tensor = tensors[i];
    const TensorSpec& spec = specs[specOf[i]];
    const TensorFields fields = tensorFields(tensor);
    if (!fields.ok) {
      return fail(kBadArgument,
                  "%s: %s %u ('%s') has tensor version %d, which the headers this library was "
                  "built with do not declare (build it against the converter's SDK: "
                  "QNN_SDK_ROOT)",
                  opName, role, i, spec.name, static_cast<int>(tensor.version));
    }
    const uint32_t rank = fields.rank;
    if (spec.rank >= 0 && rank != static_cast<uint32_t>(spec.rank)) {
      return fail(kBadConfig, "%s: %s %u ('%s', tensor %s) has rank %u, declared rank %d",
                  opName, role, i, spec.name, fields.name ? fields.name : "(unnamed)", rank,
                  spec.rank);
    }
    if (rank > 0 && !fields.dimensions) {
      return fail(needStorage ? kBadArgument : kBadConfig,
                  "%s: %s %u ('%s') has rank %u but no dimensions array", opName, role, i,
                  spec.name, rank);
    }
  }
  return QNN_SUCCESS;
}

}  // namespace

Qnn_ErrorHandle_t checkConfig(const Qnn_OpConfig_t* config, const char* opName,
                              const TensorSpec* inputs, uint32_t numInputs,
                              const TensorSpec* outputs, uint32_t numOutputs,
                              std::vector<uint32_t>* inputSpecOf,
                              std::vector<uint32_t>* outputSpecOf) {
  if (!config) return fail(kBadArgument, "%s: called with a null op config", opName);
  if (config->version != QNN_OPCONFIG_VERSION_1) {
    return fail(kBadArgument, "%s: unsupported op config version %d", opName,
                static_cast<int>(config->version));
  }
  const Qnn_OpConfigV1_t& v1 = config->v1;
  if (v1.typeName && std::strcmp(v1.typeName, opName) != 0) {
    return fail(kBadArgument, "%s: called for an op of type '%s'", opName, v1.typeName);
  }
  if (!mapTensors(opName, "input", inputs, numInputs, v1.numOfInputs, inputSpecOf) ||
      !mapTensors(opName, "output", outputs, numOutputs, v1.numOfOutputs, outputSpecOf)) {
    return kBadConfig;  // mapTensors logged the counts
  }
  Qnn_ErrorHandle_t status =
      checkTensors(opName, "input", v1.inputTensors, v1.numOfInputs, inputs, *inputSpecOf, false);
  if (status != QNN_SUCCESS) return status;
  return checkTensors(opName, "output", v1.outputTensors, v1.numOfOutputs, outputs,
                      *outputSpecOf, true);
}

void setLogCallback(QnnLog_Callback_t callback, QnnLog_Level_t maxLevel) {
  g_logCallback = callback;
  g_maxLogLevel = maxLevel;
}

void beginCall(const char* prefix) {
  g_prefix = prefix;
  t_lastError[0] = '\0';
}

const char* lastError() { return t_lastError; }

}  // namespace converter
}  // namespace opgen
