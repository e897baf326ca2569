// Launch settings of op Relu in op package ExampleGpuOpPackage.
// This file is yours: opgen created it once and never overwrites it (only -f/--force-generation
// does, after backing it up). The kernel is src/ops/Relu.cl; the typed view `Op` is declared
// in include/ops/Relu.hpp.
#include <cstddef>

#include "ops/Relu.hpp"

namespace ExampleGpuOpPackage {
namespace Relu {

Qnn_ErrorHandle_t configureLaunch(const Op& op, ::opgen::gpu::Launch* launch) {
  // The kernel reads in[0] at every index of out[0]: they must have one shape.
  if (op.out_0.shape() != op.in_0.shape()) {
    ::opgen::gpu::log(QNN_LOG_LEVEL_ERROR, "Relu: out[0] must have the shape of in[0]");
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  // One work item per element of out[0], in one dimension; the runtime picks the work-group size.
  launch->globalWorkSize = {op.out_0.numElements()};
  return QNN_SUCCESS;
}

}  // namespace Relu
}  // namespace ExampleGpuOpPackage
