// opgen-owned file: shipped by opgen into every GPU op package and refreshed on regeneration.
#include "opgen/GpuOpSupport.hpp"

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <mutex>
#include <new>
#include <string_view>
#include <utility>

namespace opgen {

namespace {

std::mutex g_logMutex;
QnnLog_Callback_t g_logCallback = nullptr;
QnnLog_Level_t g_maxLogLevel = QNN_LOG_LEVEL_WARN;
char g_lastError[1024] = {0};

uint64_t timestampMicroseconds() {
  const auto now = std::chrono::steady_clock::now().time_since_epoch();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

}  // namespace

// The logging every opgen support source uses (declared in opgen/OpConfigSupport.hpp).
void log(QnnLog_Level_t level, const char* fmt, ...) {
  QnnLog_Callback_t callback = nullptr;
  QnnLog_Level_t maxLevel = QNN_LOG_LEVEL_WARN;
  va_list args;
  va_start(args, fmt);
  {
    std::lock_guard<std::mutex> lock(g_logMutex);
    if (level == QNN_LOG_LEVEL_ERROR && g_lastError[0] == '\0') {
      va_list copy;
      va_copy(copy, args);
      std::vsnprintf(g_lastError, sizeof(g_lastError), fmt, copy);
      va_end(copy);
    }
    callback = g_logCallback;
    maxLevel = g_maxLogLevel;
  }
  if (callback && level <= maxLevel) callback(fmt, level, timestampMicroseconds(), args);
  va_end(args);
}

namespace gpu {

namespace {

const QnnGpuOpPackage_GlobalInfrastructure_t* g_infrastructure = nullptr;

// One created operation and everything its QnnGpu_Operation_t points at.
struct Operation {
  QnnGpu_Operation_t operation{};
  QnnGpu_Kernel_t kernel{};
  QnnGpu_Kernel_t* kernels[2] = {nullptr, nullptr};
  QnnGpu_OutputClaim_t* outputClaims[1] = {nullptr};
  QnnGpu_MemoryObject_t* memoryObjects[1] = {nullptr};
  std::string name;
  std::string buildOptions;
  std::vector<QnnGpu_KernelArg_t> args;
  std::vector<QnnGpu_KernelArg_t*> argPointers;
};

std::mutex g_operationsMutex;
std::map<QnnOpPackage_OpImpl_t, Operation*>& liveOperations() {
  static std::map<QnnOpPackage_OpImpl_t, Operation*> operations;
  return operations;
}

QnnGpu_KernelArg_t tensorKernelArg(QnnGpu_KernelArgType_t type, uint32_t index) {
  QnnGpu_KernelArg_t arg{};
  arg.type = type;
  arg.tensor.opConfigIndex = 0;
  arg.tensor.tensorIndex = index;
  arg.tensor.element = 0;
  return arg;
}

QnnGpu_KernelArg_t dataKernelArg(QnnGpu_DataKernelArgType_t type) {
  QnnGpu_KernelArg_t arg{};
  arg.type = QNN_GPU_KERNEL_ARG_TYPE_DATA;
  arg.data.type = type;
  return arg;
}

bool knownArgType(QnnGpu_KernelArgType_t type) {
  switch (type) {
    case QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READ:
    case QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READWRITE:
    case QNN_GPU_KERNEL_ARG_TYPE_OP_OUTPUT_WRITE:
    case QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_READ:
    case QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_READWRITE:
    case QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_WRITE:
    case QNN_GPU_KERNEL_ARG_TYPE_DATA:
    case QNN_GPU_KERNEL_ARG_TYPE_LOCAL:
    case QNN_GPU_KERNEL_ARG_TYPE_NULL_PTR:
      return true;
    default:
      return false;
  }
}

const char* const kNotImplementedMarker = "OPGEN_KERNEL_NOT_IMPLEMENTED";

Qnn_ErrorHandle_t checkLaunch(const char* opName, const Launch& launch) {
  const Qnn_ErrorHandle_t invalid = QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  if (launch.kernelName.empty()) {
    log(QNN_LOG_LEVEL_ERROR, "%s: the launch names no kernel function", opName);
    return invalid;
  }
  const size_t dims = launch.globalWorkSize.size();
  if (dims < 1 || dims > 3) {
    log(QNN_LOG_LEVEL_ERROR, "%s: the global work size has %zu dimensions, expected 1 to 3",
        opName, dims);
    return invalid;
  }
  if (!launch.localWorkSize.empty()) {
    if (launch.localWorkSize.size() != dims) {
      log(QNN_LOG_LEVEL_ERROR,
          "%s: the local work size has %zu dimensions, the global work size %zu", opName,
          launch.localWorkSize.size(), dims);
      return invalid;
    }
    for (size_t i = 0; i < dims; ++i) {
      const size_t local = launch.localWorkSize[i];
      if (local == 0 || launch.globalWorkSize[i] % local != 0) {
        log(QNN_LOG_LEVEL_ERROR,
            "%s: local work size %zu does not divide global work size %zu (dimension %zu)",
            opName, local, launch.globalWorkSize[i], i);
        return invalid;
      }
    }
  }
  for (size_t i = 0; i < launch.args.size(); ++i) {
    if (!knownArgType(launch.args[i].type)) {
      log(QNN_LOG_LEVEL_ERROR, "%s: kernel argument %zu has unknown type %d", opName, i,
          static_cast<int>(launch.args[i].type));
      return invalid;
    }
  }
  return QNN_SUCCESS;
}

}  // namespace

// ---- logging --------------------------------------------------------------------------------

void setLogCallback(QnnLog_Callback_t callback, QnnLog_Level_t maxLevel) {
  std::lock_guard<std::mutex> lock(g_logMutex);
  g_logCallback = callback;
  g_maxLogLevel = maxLevel;
}

void setLogLevel(QnnLog_Level_t maxLevel) {
  std::lock_guard<std::mutex> lock(g_logMutex);
  g_maxLogLevel = maxLevel;
}

void clearLastError() {
  std::lock_guard<std::mutex> lock(g_logMutex);
  g_lastError[0] = '\0';
}

const char* lastError() {
  thread_local std::string copy;
  std::lock_guard<std::mutex> lock(g_logMutex);
  copy.assign(g_lastError);
  return copy.c_str();
}

// ---- infrastructure ---------------------------------------------------------------------------

void setGlobalInfrastructure(const QnnGpuOpPackage_GlobalInfrastructure_t* infrastructure) {
  g_infrastructure = infrastructure;
}

const QnnGpu_DeviceProperties_t* deviceProperties() {
  return g_infrastructure ? g_infrastructure->deviceProperties : nullptr;
}

// ---- Tensor -----------------------------------------------------------------------------------

Tensor Tensor::input(const Qnn_Tensor_t* raw, uint32_t index) {
  Tensor t;
  t.m_raw = raw;
  t.m_index = index;
  return t;
}

Tensor Tensor::output(const Qnn_Tensor_t* raw, uint32_t index) {
  Tensor t = input(raw, index);
  t.m_isOutput = true;
  return t;
}

uint32_t Tensor::rank() const { return m_raw ? m_raw->v1.rank : 0; }

uint32_t Tensor::dim(uint32_t axis) const {
  if (!m_raw || axis >= m_raw->v1.rank || !m_raw->v1.dimensions) return 0;
  return m_raw->v1.dimensions[axis];
}

std::vector<uint32_t> Tensor::shape() const {
  std::vector<uint32_t> dims;
  for (uint32_t i = 0; i < rank(); ++i) dims.push_back(dim(i));
  return dims;
}

size_t Tensor::numElements() const {
  if (!m_raw) return 0;
  size_t count = 1;
  for (uint32_t i = 0; i < rank(); ++i) count *= dim(i);
  return count;
}

DataType Tensor::dataType() const {
  return m_raw ? static_cast<DataType>(m_raw->v1.dataType) : DataType::Undefined;
}

// ---- TensorParam ------------------------------------------------------------------------------

TensorParam TensorParam::fromTensor(const Qnn_Tensor_t* raw) {
  TensorParam p;
  p.m_raw = raw;
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
  return m_raw ? m_raw->v1.rank : static_cast<uint32_t>(m_shape.size());
}

uint32_t TensorParam::dim(uint32_t axis) const {
  if (m_raw) {
    if (axis >= m_raw->v1.rank || !m_raw->v1.dimensions) return 0;
    return m_raw->v1.dimensions[axis];
  }
  return axis < m_shape.size() ? m_shape[axis] : 0;
}

size_t TensorParam::numElements() const {
  if (!m_raw) return m_values.size();
  size_t count = 1;
  for (uint32_t i = 0; i < rank(); ++i) count *= dim(i);
  return count;
}

double TensorParam::at(size_t index) const {
  if (m_isFill) return m_fill;
  if (m_raw) {
    const Qnn_TensorV1_t& t = m_raw->v1;
    if (index >= numElements() || t.memType != QNN_TENSORMEMTYPE_RAW || !t.clientBuf.data) {
      return 0.0;
    }
    return elementAsDouble(t.clientBuf.data, static_cast<uint32_t>(t.dataType), index);
  }
  return index < m_values.size() ? m_values[index] : 0.0;
}

// ---- kernel arguments -------------------------------------------------------------------------

QnnGpu_KernelArg_t tensorArg(const Tensor& tensor) {
  if (!tensor.present()) return nullArg();
  return tensorKernelArg(tensor.isOutput() ? QNN_GPU_KERNEL_ARG_TYPE_OP_OUTPUT_WRITE
                                           : QNN_GPU_KERNEL_ARG_TYPE_OP_INPUT_READ,
                         tensor.index());
}

void appendTensorArgs(std::vector<QnnGpu_KernelArg_t>* args, const std::vector<Tensor>& tensors) {
  if (tensors.empty()) {
    args->push_back(nullArg());
    return;
  }
  for (const Tensor& tensor : tensors) args->push_back(tensorArg(tensor));
}

QnnGpu_KernelArg_t nullArg() {
  QnnGpu_KernelArg_t arg{};
  arg.type = QNN_GPU_KERNEL_ARG_TYPE_NULL_PTR;
  return arg;
}

QnnGpu_KernelArg_t localArg(uint32_t bytes) {
  QnnGpu_KernelArg_t arg{};
  arg.type = QNN_GPU_KERNEL_ARG_TYPE_LOCAL;
  arg.local.size = bytes;
  return arg;
}

QnnGpu_KernelArg_t dataChar(int8_t value) {
  QnnGpu_KernelArg_t arg = dataKernelArg(QNN_GPU_KERNEL_ARG_CL_TYPE_CHAR);
  arg.data.qnnChar = value;
  return arg;
}

QnnGpu_KernelArg_t dataUChar(uint8_t value) {
  QnnGpu_KernelArg_t arg = dataKernelArg(QNN_GPU_KERNEL_ARG_CL_TYPE_UCHAR);
  arg.data.qnnUChar = value;
  return arg;
}

QnnGpu_KernelArg_t dataShort(int16_t value) {
  QnnGpu_KernelArg_t arg = dataKernelArg(QNN_GPU_KERNEL_ARG_CL_TYPE_SHORT);
  arg.data.qnnShort = value;
  return arg;
}

QnnGpu_KernelArg_t dataUShort(uint16_t value) {
  QnnGpu_KernelArg_t arg = dataKernelArg(QNN_GPU_KERNEL_ARG_CL_TYPE_USHORT);
  arg.data.qnnUShort = value;
  return arg;
}

QnnGpu_KernelArg_t dataInt(int32_t value) {
  QnnGpu_KernelArg_t arg = dataKernelArg(QNN_GPU_KERNEL_ARG_CL_TYPE_INT);
  arg.data.qnnInt = value;
  return arg;
}

QnnGpu_KernelArg_t dataUInt(uint32_t value) {
  QnnGpu_KernelArg_t arg = dataKernelArg(QNN_GPU_KERNEL_ARG_CL_TYPE_UINT);
  arg.data.qnnUInt = value;
  return arg;
}

QnnGpu_KernelArg_t dataLong(int64_t value) {
  QnnGpu_KernelArg_t arg = dataKernelArg(QNN_GPU_KERNEL_ARG_CL_TYPE_LONG);
  arg.data.qnnLong = value;
  return arg;
}

QnnGpu_KernelArg_t dataULong(uint64_t value) {
  QnnGpu_KernelArg_t arg = dataKernelArg(QNN_GPU_KERNEL_ARG_CL_TYPE_ULONG);
  arg.data.qnnULong = value;
  return arg;
}

QnnGpu_KernelArg_t dataFloat(float value) {
  QnnGpu_KernelArg_t arg = dataKernelArg(QNN_GPU_KERNEL_ARG_CL_TYPE_FLOAT);
  arg.data.qnnFloat = value;
  return arg;
}

QnnGpu_KernelArg_t dataDouble(double value) {
  QnnGpu_KernelArg_t arg = dataKernelArg(QNN_GPU_KERNEL_ARG_CL_TYPE_DOUBLE);
  arg.data.qnnDouble = value;
  return arg;
}

// ---- operations -------------------------------------------------------------------------------

Qnn_ErrorHandle_t createOperation(const char* opName, const char* source, size_t sourceLength,
                                  const Launch& launch, QnnOpPackage_OpImpl_t* opImpl) {
  if (!source || sourceLength == 0) {
    log(QNN_LOG_LEVEL_ERROR, "%s: the kernel source is empty", opName);
    return QNN_OP_PACKAGE_ERROR_GENERAL;
  }
  if (std::string_view(source, sourceLength).find(kNotImplementedMarker) != std::string_view::npos) {
    log(QNN_LOG_LEVEL_ERROR,
        "%s: kernel not implemented yet (src/ops/%s.cl still defines %s; delete that line once "
        "the kernel computes its outputs)",
        opName, opName, kNotImplementedMarker);
    return QNN_OP_PACKAGE_ERROR_GENERAL;
  }
  const Qnn_ErrorHandle_t status = checkLaunch(opName, launch);
  if (status != QNN_SUCCESS) return status;

  Operation* op = new (std::nothrow) Operation();
  if (!op) {
    log(QNN_LOG_LEVEL_ERROR, "%s: out of memory", opName);
    return QNN_COMMON_ERROR_MEM_ALLOC;
  }
  try {
    op->name = launch.kernelName;
    op->buildOptions = launch.buildOptions;
    op->args = launch.args;
    for (QnnGpu_KernelArg_t& arg : op->args) op->argPointers.push_back(&arg);
    op->argPointers.push_back(nullptr);
    QnnGpu_Kernel_t& kernel = op->kernel;
    kernel.kernelSource = source;
    kernel.sourceLength = sourceLength;
    kernel.sourceType = QNN_GPU_KERNEL_SOURCE_TYPE_TEXT;
    kernel.buildOptions = op->buildOptions.c_str();
    kernel.globalWorkDim = launch.globalWorkSize.size();
    for (size_t i = 0; i < launch.globalWorkSize.size(); ++i) {
      kernel.globalWorkSizes[i] = launch.globalWorkSize[i];
    }
    kernel.localWorkDim = launch.localWorkSize.size();
    for (size_t i = 0; i < launch.localWorkSize.size(); ++i) {
      kernel.localWorkSizes[i] = launch.localWorkSize[i];
    }
    kernel.args = op->argPointers.data();
    kernel.name = op->name.c_str();
    kernel.isDynamic = 0;
    kernel.reserved = nullptr;
    op->kernels[0] = &op->kernel;
    op->operation.outputClaims = op->outputClaims;
    op->operation.memoryObjects = op->memoryObjects;
    op->operation.kernels = op->kernels;
    std::lock_guard<std::mutex> lock(g_operationsMutex);
    liveOperations()[&op->operation] = op;
  } catch (const std::bad_alloc&) {
    delete op;
    log(QNN_LOG_LEVEL_ERROR, "%s: out of memory", opName);
    return QNN_COMMON_ERROR_MEM_ALLOC;
  }
  *opImpl = &op->operation;
  return QNN_SUCCESS;
}

Qnn_ErrorHandle_t freeOperation(QnnOpPackage_OpImpl_t opImpl) {
  if (!opImpl) {
    log(QNN_LOG_LEVEL_ERROR, "freeOpImpl: the operation handle is NULL");
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  Operation* op = nullptr;
  {
    std::lock_guard<std::mutex> lock(g_operationsMutex);
    auto found = liveOperations().find(opImpl);
    if (found == liveOperations().end()) {
      log(QNN_LOG_LEVEL_ERROR, "freeOpImpl: %p is not an operation of this package (or was freed)",
          static_cast<void*>(opImpl));
      return QNN_OP_PACKAGE_ERROR_INVALID_HANDLE;
    }
    op = found->second;
    liveOperations().erase(found);
  }
  delete op;
  return QNN_SUCCESS;
}

void freeAllOperations() {
  std::map<QnnOpPackage_OpImpl_t, Operation*> operations;
  {
    std::lock_guard<std::mutex> lock(g_operationsMutex);
    operations.swap(liveOperations());
  }
  for (auto& entry : operations) delete entry.second;
}

}  // namespace gpu
}  // namespace opgen
