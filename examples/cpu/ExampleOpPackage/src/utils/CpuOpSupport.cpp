// opgen-owned file: shipped by opgen into every CPU op package and refreshed on regeneration.
#include "opgen/CpuOpSupport.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <new>
#include <set>
#include <utility>

namespace opgen {
namespace cpu {

namespace {

const QnnCpuOpPackage_GlobalInfra_t* g_infra = nullptr;
QnnLog_Callback_t g_logCallback = nullptr;
QnnLog_Level_t g_maxLogLevel = QNN_LOG_LEVEL_WARN;

std::mutex g_implsMutex;
std::set<OpImplBase*>& liveImpls() {
  static std::set<OpImplBase*> impls;
  return impls;
}

Qnn_ErrorHandle_t runTrampoline(void* userData) {
  return static_cast<OpImplBase*>(userData)->run();
}

QnnCpuOpPackage_MsgType_t messageType(QnnLog_Level_t level) {
  switch (level) {
    case QNN_LOG_LEVEL_ERROR:
      return QNN_CPU_MSG_ERROR;
    case QNN_LOG_LEVEL_WARN:
      return QNN_CPU_MSG_HIGH;
    case QNN_LOG_LEVEL_INFO:
      return QNN_CPU_MSG_MED;
    case QNN_LOG_LEVEL_VERBOSE:
      return QNN_CPU_MSG_LOW;
    default:
      return QNN_CPU_MSG_DEBUG;
  }
}

bool oneOf(uint32_t code, const uint32_t* codes, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) {
    if (codes[i] == code) return true;
  }
  return false;
}

void logTypeMismatch(const char* opName, const char* what, const char* name, uint32_t code,
                     const uint32_t* codes, uint32_t count) {
  char expected[512] = {0};
  size_t used = 0;
  for (uint32_t i = 0; i < count && used < sizeof(expected); ++i) {
    int n = std::snprintf(expected + used, sizeof(expected) - used, "%s%s", i ? ", " : "",
                          dataTypeName(codes[i]));
    if (n < 0) break;
    used += static_cast<size_t>(n);
  }
  log(QNN_LOG_LEVEL_ERROR, "%s: %s '%s' has datatype %s, expected %s", opName, what, name,
      dataTypeName(code), expected);
}

double scalarValue(const Qnn_Scalar_t& scalar) {
  switch (scalar.dataType) {
    case QNN_DATATYPE_FLOAT_32:
      return scalar.floatValue;
    case QNN_DATATYPE_INT_32:
      return scalar.int32Value;
    case QNN_DATATYPE_UINT_32:
      return scalar.uint32Value;
    case QNN_DATATYPE_INT_16:
      return scalar.int16Value;
    case QNN_DATATYPE_UINT_16:
      return scalar.uint16Value;
    case QNN_DATATYPE_INT_8:
      return scalar.int8Value;
    case QNN_DATATYPE_UINT_8:
      return scalar.uint8Value;
    case QNN_DATATYPE_BOOL_8:
      return scalar.bool8Value;
    default:
      return 0.0;
  }
}

double elementAsDouble(const void* data, uint32_t code, size_t index) {
  switch (static_cast<DataType>(code)) {
    case DataType::Float32:
      return static_cast<const float*>(data)[index];
    case DataType::Int8:
    case DataType::SFixedPoint8:
      return static_cast<const int8_t*>(data)[index];
    case DataType::Int16:
    case DataType::SFixedPoint16:
      return static_cast<const int16_t*>(data)[index];
    case DataType::Int32:
    case DataType::SFixedPoint32:
      return static_cast<const int32_t*>(data)[index];
    case DataType::Int64:
      return static_cast<double>(static_cast<const int64_t*>(data)[index]);
    case DataType::Uint8:
    case DataType::UFixedPoint8:
    case DataType::Bool8:
      return static_cast<const uint8_t*>(data)[index];
    case DataType::Uint16:
    case DataType::UFixedPoint16:
      return static_cast<const uint16_t*>(data)[index];
    case DataType::Uint32:
    case DataType::UFixedPoint32:
      return static_cast<const uint32_t*>(data)[index];
    case DataType::Uint64:
      return static_cast<double>(static_cast<const uint64_t*>(data)[index]);
    default:
      return 0.0;
  }
}

}  // namespace

const char* dataTypeName(uint32_t code) {
  switch (static_cast<DataType>(code)) {
    case DataType::Int8: return "QNN_DATATYPE_INT_8";
    case DataType::Int16: return "QNN_DATATYPE_INT_16";
    case DataType::Int32: return "QNN_DATATYPE_INT_32";
    case DataType::Int64: return "QNN_DATATYPE_INT_64";
    case DataType::Uint8: return "QNN_DATATYPE_UINT_8";
    case DataType::Uint16: return "QNN_DATATYPE_UINT_16";
    case DataType::Uint32: return "QNN_DATATYPE_UINT_32";
    case DataType::Uint64: return "QNN_DATATYPE_UINT_64";
    case DataType::Float16: return "QNN_DATATYPE_FLOAT_16";
    case DataType::Float32: return "QNN_DATATYPE_FLOAT_32";
    case DataType::SFixedPoint8: return "QNN_DATATYPE_SFIXED_POINT_8";
    case DataType::SFixedPoint16: return "QNN_DATATYPE_SFIXED_POINT_16";
    case DataType::SFixedPoint32: return "QNN_DATATYPE_SFIXED_POINT_32";
    case DataType::UFixedPoint8: return "QNN_DATATYPE_UFIXED_POINT_8";
    case DataType::UFixedPoint16: return "QNN_DATATYPE_UFIXED_POINT_16";
    case DataType::UFixedPoint32: return "QNN_DATATYPE_UFIXED_POINT_32";
    case DataType::Bool8: return "QNN_DATATYPE_BOOL_8";
    default: return "an unknown datatype";
  }
}

// ---- Tensor ---------------------------------------------------------------------------------

uint32_t Tensor::dim(uint32_t axis) const {
  if (!m_raw || axis >= m_raw->rank || !m_raw->currentDimensions) return 0;
  return m_raw->currentDimensions[axis];
}

std::vector<uint32_t> Tensor::shape() const {
  std::vector<uint32_t> dims;
  for (uint32_t i = 0; i < rank(); ++i) dims.push_back(dim(i));
  return dims;
}

size_t Tensor::numElements() const {
  if (!m_raw) return 0;
  size_t count = 1;
  for (uint32_t i = 0; i < m_raw->rank; ++i) count *= dim(i);
  return count;
}

DataType Tensor::dataType() const {
  return m_raw ? static_cast<DataType>(m_raw->dataType) : DataType::Undefined;
}

// ---- TensorParam ----------------------------------------------------------------------------

TensorParam TensorParam::fromTensor(QnnCpuOpPackage_Tensor_t* raw) {
  TensorParam p;
  p.m_tensor = Tensor(raw);
  return p;
}

TensorParam TensorParam::fromValues(std::vector<double> values, std::vector<uint32_t> shape) {
  TensorParam p;
  p.m_values = std::move(values);
  p.m_shape = std::move(shape);
  return p;
}

TensorParam TensorParam::fill(double value) {
  TensorParam p;
  p.m_isFill = true;
  p.m_fill = value;
  return p;
}

uint32_t TensorParam::rank() const {
  return given() ? m_tensor.rank() : static_cast<uint32_t>(m_shape.size());
}

uint32_t TensorParam::dim(uint32_t axis) const {
  if (given()) return m_tensor.dim(axis);
  return axis < m_shape.size() ? m_shape[axis] : 0;
}

size_t TensorParam::numElements() const {
  return given() ? m_tensor.numElements() : m_values.size();
}

double TensorParam::at(size_t index) const {
  if (m_isFill) return m_fill;
  if (given()) {
    if (index >= m_tensor.numElements() || !m_tensor.raw()->data) return 0.0;
    return elementAsDouble(m_tensor.raw()->data, m_tensor.raw()->dataType, index);
  }
  return index < m_values.size() ? m_values[index] : 0.0;
}

// ---- logging --------------------------------------------------------------------------------

void setGlobalInfrastructure(const QnnCpuOpPackage_GlobalInfra_t* infra) { g_infra = infra; }

void setLogCallback(QnnLog_Callback_t callback, QnnLog_Level_t maxLevel) {
  g_logCallback = callback;
  g_maxLogLevel = maxLevel;
}

void setLogLevel(QnnLog_Level_t maxLevel) { g_maxLogLevel = maxLevel; }

void log(QnnLog_Level_t level, const char* fmt, ...) {
  if (g_logCallback) {
    if (level > g_maxLogLevel) return;
    va_list args;
    va_start(args, fmt);
    g_logCallback(fmt, level, 0, args);
    va_end(args);
    return;
  }
  if (g_infra && g_infra->reportMessage) {
    char message[1024];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(message, sizeof(message), fmt, args);
    va_end(args);
    g_infra->reportMessage(messageType(level), "%s", message);
  }
}

// ---- validation -----------------------------------------------------------------------------

bool mapTensors(const char* opName, const char* role, const TensorSpec* specs, uint32_t numSpecs,
                uint32_t count, std::vector<uint32_t>* specOf) {
  specOf->clear();
  uint32_t repeated = numSpecs;
  uint32_t minimum = 0;
  for (uint32_t i = 0; i < numSpecs; ++i) {
    if (specs[i].repeated) repeated = i;
    if (specs[i].mandatory) minimum = i + 1;
  }
  if (repeated == numSpecs) {
    if (count < minimum || count > numSpecs) {
      if (minimum == numSpecs) {
        log(QNN_LOG_LEVEL_ERROR, "%s: expected %u %s(s), got %u", opName, numSpecs, role, count);
      } else {
        log(QNN_LOG_LEVEL_ERROR, "%s: expected %u to %u %s(s), got %u", opName, minimum,
            numSpecs, role, count);
      }
      return false;
    }
    for (uint32_t i = 0; i < count; ++i) specOf->push_back(i);
    return true;
  }
  // With a Repeated tensor, every declared tensor after it is present; the repeated one takes
  // the rest (at least one when it is mandatory).
  uint32_t after = numSpecs - repeated - 1;
  uint32_t least = specs[repeated].mandatory ? numSpecs : numSpecs - 1;
  if (count < least) {
    log(QNN_LOG_LEVEL_ERROR, "%s: expected at least %u %s(s), got %u", opName, least, role,
        count);
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    if (i < repeated) {
      specOf->push_back(i);
    } else if (i >= count - after) {
      specOf->push_back(numSpecs - (count - i));
    } else {
      specOf->push_back(repeated);
    }
  }
  return true;
}

Qnn_ErrorHandle_t validateOpConfig(const Qnn_OpConfig_t& config, const char* packageName,
                                   const char* opName, const TensorSpec* inputs,
                                   uint32_t numInputs, const TensorSpec* outputs,
                                   uint32_t numOutputs, const ParamSpec* params,
                                   uint32_t numParams) {
  const Qnn_ErrorHandle_t failure = QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  if (config.version != QNN_OPCONFIG_VERSION_1) {
    log(QNN_LOG_LEVEL_ERROR, "%s: unsupported op config version %d", opName,
        static_cast<int>(config.version));
    return failure;
  }
  const Qnn_OpConfigV1_t& v1 = config.v1;
  if (!v1.typeName || std::strcmp(v1.typeName, opName) != 0) {
    log(QNN_LOG_LEVEL_ERROR, "%s: op config has type '%s'", opName,
        v1.typeName ? v1.typeName : "(null)");
    return failure;
  }
  if (!v1.packageName || std::strcmp(v1.packageName, packageName) != 0) {
    log(QNN_LOG_LEVEL_ERROR, "%s: op config names package '%s', this package is '%s'", opName,
        v1.packageName ? v1.packageName : "(null)", packageName);
    return failure;
  }
  const struct {
    const char* role;
    const TensorSpec* specs;
    uint32_t numSpecs;
    uint32_t count;
    const Qnn_Tensor_t* tensors;
  } groups[2] = {{"input", inputs, numInputs, v1.numOfInputs, v1.inputTensors},
                 {"output", outputs, numOutputs, v1.numOfOutputs, v1.outputTensors}};
  for (const auto& group : groups) {
    std::vector<uint32_t> specOf;
    if (!mapTensors(opName, group.role, group.specs, group.numSpecs, group.count, &specOf)) {
      return failure;
    }
    if (group.count > 0 && !group.tensors) {
      log(QNN_LOG_LEVEL_ERROR, "%s: %s tensors are missing", opName, group.role);
      return failure;
    }
    for (uint32_t i = 0; i < group.count; ++i) {
      const TensorSpec& spec = group.specs[specOf[i]];
      uint32_t code = static_cast<uint32_t>(group.tensors[i].v1.dataType);
      if (!oneOf(code, spec.dataTypes, spec.numDataTypes)) {
        logTypeMismatch(opName, group.role, spec.name, code, spec.dataTypes, spec.numDataTypes);
        return failure;
      }
    }
  }
  for (uint32_t i = 0; i < v1.numOfParams; ++i) {
    const char* name = v1.params[i].name ? v1.params[i].name : "(null)";
    bool known = false;
    for (uint32_t j = 0; j < numParams; ++j) known = known || std::strcmp(params[j].name, name) == 0;
    if (!known) {
      log(QNN_LOG_LEVEL_ERROR, "%s: unknown parameter '%s'", opName, name);
      return failure;
    }
  }
  for (uint32_t j = 0; j < numParams; ++j) {
    const ParamSpec& spec = params[j];
    const Qnn_Param_t* param = nullptr;
    for (uint32_t i = 0; i < v1.numOfParams && !param; ++i) {
      if (v1.params[i].name && std::strcmp(v1.params[i].name, spec.name) == 0) {
        param = &v1.params[i];
      }
    }
    if (!param) {
      if (spec.mandatory) {
        log(QNN_LOG_LEVEL_ERROR, "%s: mandatory parameter '%s' is missing", opName, spec.name);
        return failure;
      }
      continue;
    }
    if (spec.isTensor) {
      if (param->paramType != QNN_PARAMTYPE_TENSOR) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' must be a tensor", opName, spec.name);
        return failure;
      }
      const Qnn_TensorV1_t& tensor = param->tensorParam.v1;
      uint32_t code = static_cast<uint32_t>(tensor.dataType);
      if (!oneOf(code, spec.dataTypes, spec.numDataTypes)) {
        logTypeMismatch(opName, "parameter", spec.name, code, spec.dataTypes, spec.numDataTypes);
        return failure;
      }
      if (spec.rank >= 0 && tensor.rank != static_cast<uint32_t>(spec.rank)) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' has rank %u, expected %d", opName,
            spec.name, tensor.rank, spec.rank);
        return failure;
      }
    } else {
      if (param->paramType != QNN_PARAMTYPE_SCALAR) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' must be a scalar", opName, spec.name);
        return failure;
      }
      uint32_t code = static_cast<uint32_t>(param->scalarParam.dataType);
      if (!oneOf(code, spec.dataTypes, spec.numDataTypes)) {
        logTypeMismatch(opName, "parameter", spec.name, code, spec.dataTypes, spec.numDataTypes);
        return failure;
      }
      if (spec.numEnumValues > 0) {
        double value = scalarValue(param->scalarParam);
        if (value < 0 || value >= spec.numEnumValues || value != static_cast<uint32_t>(value)) {
          log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' = %g is not one of its %u enumeration values",
              opName, spec.name, value, spec.numEnumValues);
          return failure;
        }
      }
    }
  }
  return QNN_SUCCESS;
}

// ---- node access ------------------------------------------------------------------------------

const QnnCpuOpPackage_Param_t* findParam(const QnnCpuOpPackage_Node_t* node, const char* name) {
  for (uint32_t i = 0; i < node->numOfParams; ++i) {
    const QnnCpuOpPackage_Param_t* param = node->params[i];
    if (param && param->name && std::strcmp(param->name, name) == 0) return param;
  }
  return nullptr;
}

bool checkParamNames(const QnnCpuOpPackage_Node_t* node, const char* opName,
                     const ParamSpec* params, uint32_t numParams) {
  for (uint32_t i = 0; i < node->numOfParams; ++i) {
    const QnnCpuOpPackage_Param_t* param = node->params[i];
    const char* name = param && param->name ? param->name : "(null)";
    bool known = false;
    for (uint32_t j = 0; j < numParams; ++j) known = known || std::strcmp(params[j].name, name) == 0;
    if (!known) {
      log(QNN_LOG_LEVEL_ERROR, "%s: unknown parameter '%s'", opName, name);
      return false;
    }
  }
  return true;
}

bool readScalar(const QnnCpuOpPackage_Param_t* param, const char* opName, double* value) {
  if (param->type != QNN_CPU_PARAMTYPE_SCALAR) {
    log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' must be a scalar", opName, param->name);
    return false;
  }
  *value = param->scalarParam;
  return true;
}

bool readTensor(const QnnCpuOpPackage_Param_t* param, const char* opName, TensorParam* value) {
  if (param->type != QNN_CPU_PARAMTYPE_TENSOR || !param->tensorParam) {
    log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' must be a tensor", opName, param->name);
    return false;
  }
  *value = TensorParam::fromTensor(param->tensorParam);
  return true;
}

// ---- op implementations -------------------------------------------------------------------------

OpImplBase::OpImplBase() {
  m_opImpl.opImplFn = &runTrampoline;
  m_opImpl.userData = this;
}

OpImplBase::~OpImplBase() = default;

Qnn_ErrorHandle_t registerOpImpl(OpImplBase* impl, QnnOpPackage_OpImpl_t* out) {
  std::lock_guard<std::mutex> lock(g_implsMutex);
  liveImpls().insert(impl);
  *out = impl->opImpl();
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t freeOpImpl(QnnOpPackage_OpImpl_t opImpl) {
  if (!opImpl) return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  OpImplBase* impl = nullptr;
  {
    std::lock_guard<std::mutex> lock(g_implsMutex);
    for (OpImplBase* live : liveImpls()) {
      if (live->opImpl() == opImpl) impl = live;
    }
    if (!impl) return QNN_OP_PACKAGE_ERROR_INVALID_HANDLE;
    liveImpls().erase(impl);
  }
  delete impl;
  return QNN_SUCCESS;
}

void freeAllOpImpls() {
  std::set<OpImplBase*> impls;
  {
    std::lock_guard<std::mutex> lock(g_implsMutex);
    impls.swap(liveImpls());
  }
  for (OpImplBase* impl : impls) delete impl;
}

}  // namespace cpu
}  // namespace opgen
