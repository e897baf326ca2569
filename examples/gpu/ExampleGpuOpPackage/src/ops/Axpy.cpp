// Launch settings of op Axpy in op package ExampleGpuOpPackage.
// This file is yours: opgen created it once and never overwrites it (only -f/--force-generation
// does, after backing it up). The kernel is src/ops/Axpy.cl; the typed view `Op` is declared
// in include/ops/Axpy.hpp.
#include <cstddef>

#include "ops/Axpy.hpp"

namespace ExampleGpuOpPackage {
namespace Axpy {

Qnn_ErrorHandle_t configureLaunch(const Op& op, ::opgen::gpu::Launch* launch) {
  // The kernel reads in[0] and in[1] at every index of out[0]: all three must have one shape.
  if (op.in_1.shape() != op.in_0.shape() || op.out_0.shape() != op.in_0.shape()) {
    ::opgen::gpu::log(QNN_LOG_LEVEL_ERROR, "Axpy: in[0], in[1] and out[0] must have one shape");
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  // One work item per element of out[0], in one dimension; the runtime picks the work-group size.
  launch->globalWorkSize = {op.out_0.numElements()};
  return QNN_SUCCESS;
}

}  // namespace Axpy
}  // namespace ExampleGpuOpPackage
