// opgen-owned file, generated for op package ExampleOpPackage (CPU) from ExampleOpPackage.xml. opgen regenerates it; edits are detected and refused.
//
// Typed view of op TopK: what its kernel (src/ops/TopK.cpp) receives.
#ifndef OPGEN_OP_ExampleOpPackage_TopK_HPP
#define OPGEN_OP_ExampleOpPackage_TopK_HPP

#include <cstdint>
#include <vector>

#include "opgen/CpuOpSupport.hpp"

namespace ExampleOpPackage {
namespace TopK {

struct Op {
  // Inputs
  ::opgen::cpu::Tensor in_0;  // 'in[0]': FLOAT_32; rank ND
  // Outputs
  ::opgen::cpu::Tensor values;  // 'values': FLOAT_32; rank ND
  ::opgen::cpu::Tensor indices;  // 'indices': INT_32; rank ND
  // Parameters (defaults already applied when the node omits an optional one)
  uint32_t k{};  // UINT_32; rank SCALAR; mandatory
};

// The kernel, implemented in src/ops/TopK.cpp. Return QNN_SUCCESS or an error code.
Qnn_ErrorHandle_t execute(const Op& op);

}  // namespace TopK
}  // namespace ExampleOpPackage

#endif
