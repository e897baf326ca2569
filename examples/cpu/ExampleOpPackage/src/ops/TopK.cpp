// Kernel of op TopK in op package ExampleOpPackage.
// This file is yours: opgen created it once and never overwrites it (only -f/--force-generation
// does, after backing it up). The typed view `Op` is declared in include/ops/TopK.hpp.
#include <algorithm>
#include <numeric>
#include <vector>

#include "ops/TopK.hpp"

namespace ExampleOpPackage {
namespace TopK {

Qnn_ErrorHandle_t execute(const Op& op) {
  const uint32_t rank = op.in_0.rank();
  if (rank == 0) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "TopK: in[0] must have at least one dimension");
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  const size_t length = op.in_0.dim(rank - 1);
  const size_t k = op.k;
  if (k == 0 || k > length) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "TopK: k = %zu must be in 1..%zu", k, length);
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  const size_t rows = length ? op.in_0.numElements() / length : 0;
  if (op.values.numElements() != rows * k || op.indices.numElements() != rows * k) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "TopK: values and indices must hold %zu x %zu elements", rows, k);
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  const float* in = op.in_0.data<float>();
  float* values = op.values.data<float>();
  int32_t* indices = op.indices.data<int32_t>();
  std::vector<int32_t> order(length);
  for (size_t r = 0; r < rows; ++r) {
    const float* row = in + r * length;
    std::iota(order.begin(), order.end(), 0);
    // Largest first; stable, so equal values keep the lower index first.
    std::stable_sort(order.begin(), order.end(),
                     [row](int32_t a, int32_t b) { return row[a] > row[b]; });
    for (size_t j = 0; j < k; ++j) {
      values[r * k + j] = row[order[j]];
      indices[r * k + j] = order[j];
    }
  }
  return QNN_SUCCESS;
}

}  // namespace TopK
}  // namespace ExampleOpPackage
