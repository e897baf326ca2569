// opgen-owned file, generated for op package ExampleGpuOpPackage (GPU) from ExampleGpuOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// Typed view of op Axpy: what its launch settings (src/ops/Axpy.cpp) receive.
// The kernel itself is src/ops/Axpy.cl.
#ifndef OPGEN_OP_ExampleGpuOpPackage_Axpy_HPP
#define OPGEN_OP_ExampleGpuOpPackage_Axpy_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

#include "opgen/GpuOpSupport.hpp"

namespace ExampleGpuOpPackage {
namespace Axpy {

struct Op {
  // Inputs (shapes and datatypes; their data is on the device, for the kernel)
  ::opgen::gpu::Tensor in_0;  // 'in[0]': FLOAT_32; rank ND
  ::opgen::gpu::Tensor in_1;  // 'in[1]': FLOAT_32; rank ND
  // Outputs
  ::opgen::gpu::Tensor out_0;  // 'out[0]': FLOAT_32; rank ND
  // Parameters (defaults already applied when the node omits an optional one)
  float alpha{};  // FLOAT_32; rank SCALAR; mandatory
};

// The __kernel function of src/ops/Axpy.cl that the default launch runs.
inline constexpr char kKernelName[] = "Axpy";

// Launch settings, implemented in src/ops/Axpy.cpp. `launch` arrives filled with the
// defaults: kernel Axpy, its arguments bound in declaration order
//   in_0: input 'in[0]' (FLOAT_32; rank ND)
//   in_1: input 'in[1]' (FLOAT_32; rank ND)
//   out_0: output 'out[0]' (FLOAT_32; rank ND)
//   alpha: parameter 'alpha' (FLOAT_32; rank SCALAR)
// and one work item per element of out[0]. Adjust what the kernel needs and return
// QNN_SUCCESS, or log why and return an error code to refuse the node.
Qnn_ErrorHandle_t configureLaunch(const Op& op, ::opgen::gpu::Launch* launch);

}  // namespace Axpy
}  // namespace ExampleGpuOpPackage

#endif
