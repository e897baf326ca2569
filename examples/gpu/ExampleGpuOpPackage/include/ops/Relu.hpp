// opgen-owned file, generated for op package ExampleGpuOpPackage (GPU) from ExampleGpuOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// Typed view of op Relu: what its launch settings (src/ops/Relu.cpp) receive.
// The kernel itself is src/ops/Relu.cl.
#ifndef OPGEN_OP_ExampleGpuOpPackage_Relu_HPP
#define OPGEN_OP_ExampleGpuOpPackage_Relu_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

#include "opgen/GpuOpSupport.hpp"

namespace ExampleGpuOpPackage {
namespace Relu {

struct Op {
  // Inputs (shapes and datatypes; their data is on the device, for the kernel)
  ::opgen::gpu::Tensor in_0;  // 'in[0]': FLOAT_32; rank ND
  // Outputs
  ::opgen::gpu::Tensor out_0;  // 'out[0]': FLOAT_32; rank ND
};

// The __kernel function of src/ops/Relu.cl that the default launch runs.
inline constexpr char kKernelName[] = "Relu";

// Launch settings, implemented in src/ops/Relu.cpp. `launch` arrives filled with the
// defaults: kernel Relu, its arguments bound in declaration order
//   in_0: input 'in[0]' (FLOAT_32; rank ND)
//   out_0: output 'out[0]' (FLOAT_32; rank ND)
// and one work item per element of out[0]. Adjust what the kernel needs and return
// QNN_SUCCESS, or log why and return an error code to refuse the node.
Qnn_ErrorHandle_t configureLaunch(const Op& op, ::opgen::gpu::Launch* launch);

}  // namespace Relu
}  // namespace ExampleGpuOpPackage

#endif
