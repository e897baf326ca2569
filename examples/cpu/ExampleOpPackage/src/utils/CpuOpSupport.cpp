// opgen-owned file: shipped by opgen into every CPU op package and refreshed on regeneration.
#include "opgen/CpuOpSupport.hpp"

#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <exception>
#include <mutex>
#include <new>
#include <set>
#include <utility>

namespace opgen {

// ---- logging --------------------------------------------------------------------------------

namespace {

const QnnCpuOpPackage_GlobalInfra_t* g_infra = nullptr;
QnnLog_Callback_t g_logCallback = nullptr;
QnnLog_Level_t g_maxLogLevel = QNN_LOG_LEVEL_WARN;

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

}  // namespace

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

namespace cpu {

void setGlobalInfrastructure(const QnnCpuOpPackage_GlobalInfra_t* infra) { g_infra = infra; }

void setLogCallback(QnnLog_Callback_t callback, QnnLog_Level_t maxLevel) {
  g_logCallback = callback;
  g_maxLogLevel = maxLevel;
}

void setLogLevel(QnnLog_Level_t maxLevel) { g_maxLogLevel = maxLevel; }

namespace {

std::mutex g_implsMutex;
std::set<OpImplBase*>& liveImpls() {
  static std::set<OpImplBase*> impls;
  return impls;
}

// The kernel is C++ and the backend calls through a C interface: no exception may cross it
// (one that did would end the process). It becomes an error code and a logged reason.
Qnn_ErrorHandle_t runTrampoline(void* userData) {
  OpImplBase* impl = static_cast<OpImplBase*>(userData);
  try {
    return impl->run();
  } catch (const std::bad_alloc&) {
    log(QNN_LOG_LEVEL_ERROR, "execute ran out of memory (std::bad_alloc)");
    return QNN_COMMON_ERROR_MEM_ALLOC;
  } catch (const std::exception& error) {
    log(QNN_LOG_LEVEL_ERROR, "execute threw an exception: %s", error.what());
    return QNN_OP_PACKAGE_ERROR_GENERAL;
  } catch (...) {
    log(QNN_LOG_LEVEL_ERROR, "execute threw an exception that is not a std::exception");
    return QNN_OP_PACKAGE_ERROR_GENERAL;
  }
}

}  // namespace

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
    return ::opgen::elementAsDouble(m_tensor.raw()->data, m_tensor.raw()->dataType, index);
  }
  return index < m_values.size() ? m_values[index] : 0.0;
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
  try {
    liveImpls().insert(impl);
  } catch (const std::bad_alloc&) {
    delete impl;  // ownership passed to us: do not leak it
    return QNN_COMMON_ERROR_MEM_ALLOC;
  }
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
