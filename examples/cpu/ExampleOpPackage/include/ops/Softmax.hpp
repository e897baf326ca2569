// opgen-owned file, generated for op package ExampleOpPackage (CPU) from ExampleOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// Typed view of op Softmax: what its kernel (src/ops/Softmax.cpp) receives.
#ifndef OPGEN_OP_ExampleOpPackage_Softmax_HPP
#define OPGEN_OP_ExampleOpPackage_Softmax_HPP

#include <cstdint>
#include <vector>

#include "opgen/CpuOpSupport.hpp"

namespace ExampleOpPackage {
namespace Softmax {

struct Op {
  // Inputs
  ::opgen::cpu::Tensor in_0;  // 'in[0]': FLOAT_32; rank ND
  // Outputs
  ::opgen::cpu::Tensor out_0;  // 'out[0]': FLOAT_32; rank ND
  // Parameters (defaults already applied when the node omits an optional one)
  int32_t axis{};  // INT_32; rank SCALAR; default -1
  float beta{};  // FLOAT_32; rank SCALAR; default 1.0
};

// The kernel, implemented in src/ops/Softmax.cpp. Return QNN_SUCCESS or an error code.
Qnn_ErrorHandle_t execute(const Op& op);

}  // namespace Softmax
}  // namespace ExampleOpPackage

#endif
