// opgen-owned file, generated for op package ExampleGpuOpPackage (GPU) from ExampleGpuOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// Typed view of op Swish: what its launch settings (src/ops/Swish.cpp) receive.
// The kernel itself is src/ops/Swish.cl.
#ifndef OPGEN_OP_ExampleGpuOpPackage_Swish_HPP
#define OPGEN_OP_ExampleGpuOpPackage_Swish_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

#include "opgen/GpuOpSupport.hpp"

namespace ExampleGpuOpPackage {
namespace Swish {

struct Op {
  // Inputs (shapes and datatypes; their data is on the device, for the kernel)
  ::opgen::gpu::Tensor in_0;  // 'in[0]': FLOAT_32; rank ND
  // Outputs
  ::opgen::gpu::Tensor out_0;  // 'out[0]': FLOAT_32; rank ND
  // Parameters (defaults already applied when the node omits an optional one)
  float beta{};  // FLOAT_32; rank SCALAR; default 1.0
};

// The __kernel function of src/ops/Swish.cl that the default launch runs.
inline constexpr char kKernelName[] = "Swish";

// Launch settings, implemented in src/ops/Swish.cpp. `launch` arrives filled with the
// defaults: kernel Swish, its arguments bound in declaration order
//   in_0: input 'in[0]' (FLOAT_32; rank ND)
//   out_0: output 'out[0]' (FLOAT_32; rank ND)
//   beta: parameter 'beta' (FLOAT_32; rank SCALAR; default 1.0)
// and one work item per element of out[0]. Adjust what the kernel needs and return
// QNN_SUCCESS, or log why and return an error code to refuse the node.
Qnn_ErrorHandle_t configureLaunch(const Op& op, ::opgen::gpu::Launch* launch);

}  // namespace Swish
}  // namespace ExampleGpuOpPackage

#endif
