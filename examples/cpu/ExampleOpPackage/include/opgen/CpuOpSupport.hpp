// opgen-owned file: shipped by opgen into every CPU op package and refreshed on regeneration.
//
// The support library behind generated CPU op packages: typed views of the tensors and
// parameters a kernel receives, reading a CPU node, and logging that reaches the backend
// (declaration-driven validation is shared: opgen/OpConfigSupport.hpp). It uses only the documented op-package C interface, so it builds
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
#include "opgen/OpConfigSupport.hpp"

namespace opgen {
namespace cpu {

// Shared with the other backends (opgen/OpConfigSupport.hpp): datatype codes and names,
// declaration tables, tensor binding and op-config validation. Named here too, so kernels can
// write ::opgen::cpu::DataType and ::opgen::cpu::log.
using ::opgen::DataType;
using ::opgen::ParamSpec;
using ::opgen::TensorSpec;
using ::opgen::dataTypeName;
using ::opgen::log;
using ::opgen::mapTensors;
using ::opgen::validateOpConfig;

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

// Where ::opgen::log sends messages: the log callback when the backend installed one,
// otherwise the global infrastructure's reportMessage.
void setGlobalInfrastructure(const QnnCpuOpPackage_GlobalInfra_t* infra);
void setLogCallback(QnnLog_Callback_t callback, QnnLog_Level_t maxLevel);
void setLogLevel(QnnLog_Level_t maxLevel);

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
