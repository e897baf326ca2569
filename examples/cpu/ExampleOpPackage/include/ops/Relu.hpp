// opgen-owned file, generated for op package ExampleOpPackage (CPU) from ExampleOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// Typed view of op Relu: what its kernel (src/ops/Relu.cpp) receives.
#ifndef OPGEN_OP_ExampleOpPackage_Relu_HPP
#define OPGEN_OP_ExampleOpPackage_Relu_HPP

#include <cstdint>
#include <vector>

#include "opgen/CpuOpSupport.hpp"

namespace ExampleOpPackage {
namespace Relu {

struct Op {
  // Inputs
  ::opgen::cpu::Tensor in_0;  // 'in[0]': FLOAT_32, INT_8, INT_16, INT_32, UINT_8; rank ND
  // Outputs
  ::opgen::cpu::Tensor out_0;  // 'out[0]': FLOAT_32, INT_8, INT_16, INT_32, UINT_8; rank ND
};

// The kernel, implemented in src/ops/Relu.cpp. Return QNN_SUCCESS or an error code.
Qnn_ErrorHandle_t execute(const Op& op);

}  // namespace Relu
}  // namespace ExampleOpPackage

#endif
