// Kernel of op Relu in op package ExampleOpPackage.
// This file is yours: opgen created it once and never overwrites it (only -f/--force-generation
// does, after backing it up). The typed view `Op` is declared in include/ops/Relu.hpp.
#include "ops/Relu.hpp"

namespace ExampleOpPackage {
namespace Relu {

namespace {

template <typename T>
void relu(const ::opgen::cpu::Tensor& in, const ::opgen::cpu::Tensor& out) {
  const T* src = in.data<T>();
  T* dst = out.data<T>();
  const size_t count = in.numElements();
  for (size_t i = 0; i < count; ++i) dst[i] = src[i] > T(0) ? src[i] : T(0);
}

}  // namespace

Qnn_ErrorHandle_t execute(const Op& op) {
  if (op.out_0.dataType() != op.in_0.dataType() || op.out_0.numElements() != op.in_0.numElements()) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "Relu: out[0] must have the shape and datatype of in[0]");
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  switch (op.in_0.dataType()) {
    case ::opgen::cpu::DataType::Float32:
      relu<float>(op.in_0, op.out_0);
      break;
    case ::opgen::cpu::DataType::Int8:
      relu<int8_t>(op.in_0, op.out_0);
      break;
    case ::opgen::cpu::DataType::Int16:
      relu<int16_t>(op.in_0, op.out_0);
      break;
    case ::opgen::cpu::DataType::Int32:
      relu<int32_t>(op.in_0, op.out_0);
      break;
    case ::opgen::cpu::DataType::Uint8:
      relu<uint8_t>(op.in_0, op.out_0);
      break;
    default:
      return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  return QNN_SUCCESS;
}

}  // namespace Relu
}  // namespace ExampleOpPackage
