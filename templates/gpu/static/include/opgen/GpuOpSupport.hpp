// opgen-owned file: shipped by opgen into every GPU op package and refreshed on regeneration.
//
// The support library behind generated GPU (OpenCL) op packages: typed views of the tensors and
// parameters of a node, the launch settings of an op's kernel, the QnnGpu_Operation_t built
// from them, and logging. It uses only the documented op-package C interface, so it builds
// against opgen's bundled headers and against a vendor SDK alike, and it never calls OpenCL:
// the backend compiles and runs the kernels a package describes.
//
// What createOpImpl hands the backend (the contract a runtime implements):
//   *opImpl points at a QnnGpu_Operation_t that stays valid until freeOpImpl (or terminate):
//     outputClaims   -> { NULL }    no claims: outputs use the backend's default storage
//     memoryObjects  -> { NULL }    no internal memory objects
//     kernels        -> { &kernel, NULL }  one kernel:
//       kernelSource / sourceLength   the op's OpenCL C source text (src/ops/<Op>.cl, without a
//                                     terminating NUL in the length), sourceType TEXT
//       name                          the __kernel function to run
//       buildOptions                  options for the OpenCL compiler ("" when none)
//       globalWorkDim, globalWorkSizes  1 to 3 dimensions (a size of 0: nothing to run)
//       localWorkDim, localWorkSizes    0: the runtime chooses the work-group size
//       args                          NULL-terminated, in kernel-parameter order:
//         OP_INPUT_READ   {opConfigIndex 0, tensorIndex i, element 0}: input i's buffer
//         OP_OUTPUT_WRITE {opConfigIndex 0, tensorIndex i, element 0}: output i's buffer
//         NULL_PTR        a NULL buffer (an optional input or output the node omits)
//         DATA            a by-value scalar: its CL type and value
//         LOCAL           a __local buffer of the given size in bytes
// Tensors are buffers of their elements in row-major order, element types as declared.
#ifndef OPGEN_GPU_OP_SUPPORT_HPP
#define OPGEN_GPU_OP_SUPPORT_HPP

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "GPU/QnnGpuOpPackage.h"
#include "QnnLog.h"
#include "QnnOpPackage.h"
#include "QnnTypes.h"
#include "opgen/OpConfigSupport.hpp"

namespace opgen {
namespace gpu {

using ::opgen::DataType;
using ::opgen::log;

// ---- logging ------------------------------------------------------------------------------

// Messages go to the log callback the backend installs (logInitialize), filtered by level.
// The first error logged since the last interface call began is also kept as the package's
// last error, which the exported <Package>_opgenLastError() returns: a host that cannot read
// the callback's va_list can still show why a call failed.
void setLogCallback(QnnLog_Callback_t callback, QnnLog_Level_t maxLevel);
void setLogLevel(QnnLog_Level_t maxLevel);
void clearLastError();
// The last error message ("" when none); the pointer stays valid on the calling thread until
// its next call.
const char* lastError();

// ---- infrastructure -------------------------------------------------------------------------

void setGlobalInfrastructure(const QnnGpuOpPackage_GlobalInfrastructure_t* infrastructure);
// Properties of the OpenCL device the backend runs on; nullptr when the backend gave none.
const QnnGpu_DeviceProperties_t* deviceProperties();

// ---- typed views ------------------------------------------------------------------------------

// One input or output of a node: its shape and datatype. Its data lives on the device and is
// reached only by kernels, through the buffer argument tensorArg() binds.
class Tensor {
 public:
  Tensor() = default;
  static Tensor input(const Qnn_Tensor_t* raw, uint32_t index);
  static Tensor output(const Qnn_Tensor_t* raw, uint32_t index);

  // False for an optional input or output the node did not supply.
  bool present() const { return m_raw != nullptr; }
  bool isOutput() const { return m_isOutput; }
  // Position among the node's inputs (or outputs): the tensorIndex of its kernel argument.
  uint32_t index() const { return m_index; }
  uint32_t rank() const;
  uint32_t dim(uint32_t axis) const;
  std::vector<uint32_t> shape() const;
  size_t numElements() const;
  DataType dataType() const;
  const Qnn_Tensor_t* raw() const { return m_raw; }

 private:
  const Qnn_Tensor_t* m_raw = nullptr;
  uint32_t m_index = 0;
  bool m_isOutput = false;
};

// A tensor-valued parameter: the node's (static) tensor, or the declared default when the node
// omits it. A fill default ({v,..,v}) has no length of its own: every index reads as the value.
class TensorParam {
 public:
  TensorParam() = default;
  static TensorParam fromTensor(const Qnn_Tensor_t* raw);
  static TensorParam fromValues(std::vector<double> values, std::vector<uint32_t> shape);
  static TensorParam fill(double value);

  // True when the node supplied the tensor (false when a default is in use).
  bool given() const { return m_raw != nullptr; }
  bool isFill() const { return m_isFill; }
  uint32_t rank() const;
  uint32_t dim(uint32_t axis) const;
  size_t numElements() const;
  // Element i converted to double, whatever the element type (0.0 past the end).
  double at(size_t index) const;

 private:
  const Qnn_Tensor_t* m_raw = nullptr;
  std::vector<double> m_values;
  std::vector<uint32_t> m_shape;
  bool m_isFill = false;
  double m_fill = 0.0;
};

// ---- kernel arguments -------------------------------------------------------------------------

// The buffer of a node's tensor: OP_INPUT_READ for an input, OP_OUTPUT_WRITE for an output,
// NULL_PTR when the tensor is absent.
QnnGpu_KernelArg_t tensorArg(const Tensor& tensor);
// One buffer per tensor of a Repeated input or output, in order; a single NULL_PTR when the
// node gives none.
void appendTensorArgs(std::vector<QnnGpu_KernelArg_t>* args, const std::vector<Tensor>& tensors);
QnnGpu_KernelArg_t nullArg();
// A __local buffer of `bytes` bytes.
QnnGpu_KernelArg_t localArg(uint32_t bytes);
// By-value arguments, one per OpenCL scalar type.
QnnGpu_KernelArg_t dataChar(int8_t value);
QnnGpu_KernelArg_t dataUChar(uint8_t value);
QnnGpu_KernelArg_t dataShort(int16_t value);
QnnGpu_KernelArg_t dataUShort(uint16_t value);
QnnGpu_KernelArg_t dataInt(int32_t value);
QnnGpu_KernelArg_t dataUInt(uint32_t value);
QnnGpu_KernelArg_t dataLong(int64_t value);
QnnGpu_KernelArg_t dataULong(uint64_t value);
QnnGpu_KernelArg_t dataFloat(float value);
QnnGpu_KernelArg_t dataDouble(double value);

// ---- launch settings --------------------------------------------------------------------------

// How an op's kernel runs. createOpImpl fills it with the defaults generated from the
// declaration, hands it to the op's configureLaunch (src/ops/<Op>.cpp), then builds the
// operation from it.
struct Launch {
  // The __kernel function in src/ops/<Op>.cl.
  std::string kernelName;
  // Options for the OpenCL compiler, e.g. "-cl-fast-relaxed-math -DTILE=4".
  std::string buildOptions;
  // The kernel's arguments, in parameter order. Default: the declared inputs, outputs, then the
  // scalar, boolean and enumeration parameters, in declaration order.
  std::vector<QnnGpu_KernelArg_t> args;
  // Global work size, 1 to 3 dimensions. Default: one work item per element of the first
  // output, in one dimension.
  std::vector<size_t> globalWorkSize;
  // Work-group size: empty lets the runtime choose; otherwise as many dimensions as the global
  // size, each dividing it.
  std::vector<size_t> localWorkSize;
  // The graph's precision mode (informational: changing it has no effect).
  QnnGpu_Precision_t precision = QNN_GPU_PRECISION_FP32;
};

// Builds the operation for `launch` running `source` (sourceLength bytes of OpenCL C) and
// stores it in *opImpl; it stays valid until freeOperation or freeAllOperations.
Qnn_ErrorHandle_t createOperation(const char* opName, const char* source, size_t sourceLength,
                                  const Launch& launch, QnnOpPackage_OpImpl_t* opImpl);
// Frees an operation createOperation made; rejects any other handle (or one already freed).
Qnn_ErrorHandle_t freeOperation(QnnOpPackage_OpImpl_t opImpl);
void freeAllOperations();

}  // namespace gpu
}  // namespace opgen

#endif  // OPGEN_GPU_OP_SUPPORT_HPP
