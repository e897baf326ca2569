// Op Sigmoid of op package ExampleHtpOpPackage (HTP).
// This file is yours: opgen created it once and never overwrites it (only -f/--force-generation
// does, after backing it up). It is written the way the vendor's docs teach, so it builds for the
// device with the vendor SDK and on a host against opgen's emulation (make htp_x86).
#include <cmath>

#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"
#include "QnnOpPackage.h"

BEGIN_PKG_OP_DEFINITION(PKG_Sigmoid);

// Sigmoid: outputs first (non-const), then inputs, then parameters in the order below.
template <typename TensorType, typename TensorType1>
GraphStatus sigmoidImpl(TensorType& out_0, const TensorType1& in_0);

// Registrations: the output is always 8-bit quantized with its own scale and offset; the input
// is float or 8-bit quantized. The generic instance is the fallback.
DEF_PACKAGE_OP((sigmoidImpl<Tensor, Tensor>), "Sigmoid")
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((sigmoidImpl<QuantUint8Tensor, PlainFloatTensor>), "Sigmoid", SNAIL,
                                  Flags::RESOURCE_HVX)
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((sigmoidImpl<QuantUint8Tensor, QuantUint8Tensor>), "Sigmoid", SNAIL,
                                  Flags::RESOURCE_HVX)

template <typename TensorType, typename TensorType1>
GraphStatus sigmoidImpl(TensorType& out_0, const TensorType1& in_0) {
  // out_0: output 'out[0]' (UFIXED_POINT_8; rank 4D)
  // in_0: input 'in[0]' (FLOAT_32, UFIXED_POINT_8; rank 4D)
  auto [batches, height, width, depth] = in_0.dims();
  out_0.set_dims(in_0);
  // Reads dequantize the input; each write quantizes with the output's own scale and offset
  // (round half to even, saturating to 0..255).
  for (Idx b = 0; b < batches; b++) {
    for (Idx h = 0; h < height; h++) {
      for (Idx w = 0; w < width; w++) {
        for (Idx d = 0; d < depth; d++) {
          const float x = in_0(b, h, w, d);
          out_0(b, h, w, d) = 1.0f / (1.0f + std::exp(-x));
        }
      }
    }
  }
  return GraphStatus::Success;
}

END_PKG_OP_DEFINITION(PKG_Sigmoid);
