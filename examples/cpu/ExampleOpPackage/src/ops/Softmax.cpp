// Kernel of op Softmax in op package ExampleOpPackage.
// This file is yours: opgen created it once and never overwrites it (only -f/--force-generation
// does, after backing it up). The typed view `Op` is declared in include/ops/Softmax.hpp.
#include <cmath>
#include <cstddef>
#include <vector>

#include "ops/Softmax.hpp"

namespace ExampleOpPackage {
namespace Softmax {

Qnn_ErrorHandle_t execute(const Op& op) {
  const int32_t rank = static_cast<int32_t>(op.in_0.rank());
  if (rank == 0) {
    op.out_0.data<float>()[0] = 1.0f;
    return QNN_SUCCESS;
  }
  const int32_t axis = op.axis < 0 ? op.axis + rank : op.axis;
  if (axis < 0 || axis >= rank) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "Softmax: axis %d is out of range for rank %d", op.axis, rank);
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  if (op.out_0.numElements() != op.in_0.numElements()) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "Softmax: out[0] must have the shape of in[0]");
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  // View the tensor as [outer, length, inner] around the axis.
  size_t outer = 1, inner = 1;
  for (int32_t i = 0; i < axis; ++i) outer *= op.in_0.dim(static_cast<uint32_t>(i));
  for (int32_t i = axis + 1; i < rank; ++i) inner *= op.in_0.dim(static_cast<uint32_t>(i));
  const size_t length = op.in_0.dim(static_cast<uint32_t>(axis));
  const float* in = op.in_0.data<float>();
  float* out = op.out_0.data<float>();
  std::vector<double> scaled(length);
  for (size_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < inner; ++i) {
      const size_t base = o * length * inner + i;
      double largest = -INFINITY;
      for (size_t j = 0; j < length; ++j) {
        scaled[j] = static_cast<double>(op.beta) * in[base + j * inner];
        if (scaled[j] > largest) largest = scaled[j];
      }
      double sum = 0.0;
      for (size_t j = 0; j < length; ++j) {
        scaled[j] = std::exp(scaled[j] - largest);  // shifted by the maximum for stability
        sum += scaled[j];
      }
      for (size_t j = 0; j < length; ++j) out[base + j * inner] = static_cast<float>(scaled[j] / sum);
    }
  }
  return QNN_SUCCESS;
}

}  // namespace Softmax
}  // namespace ExampleOpPackage
