// opgen-owned file: shipped by opgen into every CPU op package and refreshed on regeneration.
//
// The support library behind generated CPU op packages: typed views of the tensors and
// parameters a kernel receives, declaration-driven validation of op configs, and logging
// that reaches the backend. It uses only the documented op-package C interface, so it builds
// against opgen's bundled headers and against a vendor SDK alike.
#ifndef OPGEN_CPU_OP_SUPPORT_HPP
#define OPGEN_CPU_OP_SUPPORT_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

#include "CPU/QnnCpuOpPackage.h"
#include "QnnLog.h"
#include "QnnOpPackage.h"
#include "QnnTypes.h"

namespace opgen {
namespace cpu {

// Element type codes. They are the Qnn_DataType_t codes, which the CPU backend also uses for
// its tensors (its own enum names only some of them).
enum class DataType : uint32_t {
  Int8 = 0x0008,
  Int16 = 0x0016,
  Int32 = 0x0032,
  Int64 = 0x0064,
  Uint8 = 0x0108,
  Uint16 = 0x0116,
  Uint32 = 0x0132,
  Uint64 = 0x0164,
  Float16 = 0x0216,
  Float32 = 0x0232,
  SFixedPoint8 = 0x0308,
  SFixedPoint16 = 0x0316,
  SFixedPoint32 = 0x0332,
  UFixedPoint8 = 0x0408,
  UFixedPoint16 = 0x0416,
  UFixedPoint32 = 0x0432,
  Bool8 = 0x0508,
  Undefined = 0x7FFFFFFF,
};

// The config spelling of a datatype code ("QNN_DATATYPE_FLOAT_32"), for messages.
const char* dataTypeName(uint32_t code);

// One tensor handed to a kernel. The view stays valid for the life of the op implementation;
// the backend may point the tensor at new data between executions, and the view follows.
class Tensor {
 public:
  Tensor() = default;
  explicit Tensor(QnnCpuOpPackage_Tensor_t* raw) : m_raw(raw) {}

  // False for an optional input the node did not supply.
  bool present() const { return m_raw != nullptr; }
  uint32_t rank() const { return m_raw ? m_raw->rank : 0; }
  uint32_t dim(uint32_t axis) const;
  std::vector<uint32_t> shape() const;
  size_t numElements() const;
  DataType dataType() const;

  template <typename T>
  T* data() const {
    return m_raw ? static_cast<T*>(m_raw->data) : nullptr;
  }
  QnnCpuOpPackage_Tensor_t* raw() const { return m_raw; }

 private:
  QnnCpuOpPackage_Tensor_t* m_raw = nullptr;
};

// A tensor-valued parameter: the node's tensor, or the declared default when the node omits it.
// A fill default ({v,..,v}) has no length of its own: every index reads as the fill value.
class TensorParam {
 public:
  TensorParam() = default;
  static TensorParam fromTensor(QnnCpuOpPackage_Tensor_t* raw);
  static TensorParam fromValues(std::vector<double> values, std::vector<uint32_t> shape);
  static TensorParam fill(double value);

  // True when the node supplied the tensor (false when a default is in use).
  bool given() const { return m_tensor.present(); }
  bool isFill() const { return m_isFill; }
  uint32_t rank() const;
  uint32_t dim(uint32_t axis) const;
  size_t numElements() const;
  // Element i converted to double, whatever the element type.
  double at(size_t index) const;
  const Tensor& tensor() const { return m_tensor; }

 private:
  Tensor m_tensor;
  std::vector<double> m_values;
  std::vector<uint32_t> m_shape;
  bool m_isFill = false;
  double m_fill = 0.0;
};

// Logging: through the log callback when the backend installed one, otherwise through the
// global infrastructure's reportMessage.
void setGlobalInfrastructure(const QnnCpuOpPackage_GlobalInfra_t* infra);
void setLogCallback(QnnLog_Callback_t callback, QnnLog_Level_t maxLevel);
void setLogLevel(QnnLog_Level_t maxLevel);
void log(QnnLog_Level_t level, const char* fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

// How the actual inputs (or outputs) of a node map onto the declared ones. At most one
// declared tensor is Repeated; it absorbs every actual tensor beyond the declared count.
struct TensorSpec {
  const char* name;
  bool mandatory;
  bool repeated;
  const uint32_t* dataTypes;
  uint32_t numDataTypes;
};

// For each actual tensor, the index of the declared tensor it binds to; false (with a logged
// reason) when `count` tensors cannot bind to `specs`.
bool mapTensors(const char* opName, const char* role, const TensorSpec* specs, uint32_t numSpecs,
                uint32_t count, std::vector<uint32_t>* specOf);

struct ParamSpec {
  const char* name;
  bool mandatory;
  bool isTensor;
  const uint32_t* dataTypes;
  uint32_t numDataTypes;
  int32_t rank;        // required rank of a tensor parameter; -1 for any
  uint32_t numEnumValues;  // enumeration size; 0 when not an enumeration
};

// Checks an op config against its declaration: type and package name, tensor counts and
// datatypes, parameters known, present when mandatory, of the declared kind, datatype, rank
// and enumeration range. Logs the first problem; returns QNN_SUCCESS or
// QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE.
Qnn_ErrorHandle_t validateOpConfig(const Qnn_OpConfig_t& config, const char* packageName,
                                   const char* opName, const TensorSpec* inputs,
                                   uint32_t numInputs, const TensorSpec* outputs,
                                   uint32_t numOutputs, const ParamSpec* params,
                                   uint32_t numParams);

// Node parameter lookup for createOpImpl. Returns nullptr when the node omits it.
const QnnCpuOpPackage_Param_t* findParam(const QnnCpuOpPackage_Node_t* node, const char* name);

// Rejects node parameters the declaration does not know; logs and returns false.
bool checkParamNames(const QnnCpuOpPackage_Node_t* node, const char* opName,
                     const ParamSpec* params, uint32_t numParams);

// Reads a scalar parameter (logs and returns false when the node gave a tensor instead).
bool readScalar(const QnnCpuOpPackage_Param_t* param, const char* opName, double* value);
// Reads a tensor parameter (logs and returns false when the node gave a scalar instead).
bool readTensor(const QnnCpuOpPackage_Param_t* param, const char* opName, TensorParam* value);

// Owns one created op: the backend calls run(userData), freeOpImpl deletes it.
class OpImplBase {
 public:
  OpImplBase();
  virtual ~OpImplBase();
  virtual Qnn_ErrorHandle_t run() = 0;
  QnnCpuOpPackage_OpImpl_t* opImpl() { return &m_opImpl; }

 private:
  QnnCpuOpPackage_OpImpl_t m_opImpl;
};

// Package-wide bookkeeping of live op implementations, so freeOpImpl can reject a handle it
// did not create (or one already freed) instead of crashing, and terminate frees the rest.
Qnn_ErrorHandle_t registerOpImpl(OpImplBase* impl, QnnOpPackage_OpImpl_t* out);
Qnn_ErrorHandle_t freeOpImpl(QnnOpPackage_OpImpl_t opImpl);
void freeAllOpImpls();

}  // namespace cpu
}  // namespace opgen

#endif  // OPGEN_CPU_OP_SUPPORT_HPP
