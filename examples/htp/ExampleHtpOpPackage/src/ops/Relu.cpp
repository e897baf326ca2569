// Op Relu of op package ExampleHtpOpPackage (HTP).
// This file is yours: opgen created it once and never overwrites it (only -f/--force-generation
// does, after backing it up). It is written the way the vendor's docs teach, so it builds for the
// device with the vendor SDK and on a host against opgen's emulation (make htp_x86).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"
#include "QnnOpPackage.h"

BEGIN_PKG_OP_DEFINITION(PKG_Relu);

// Relu: outputs first (non-const), then inputs, then parameters in the order below.
template <typename TensorType>
GraphStatus reluImpl(TensorType& out_0, const TensorType& in_0);

// Registrations: the backend picks, among those whose argument types match the node, the one with
// the lowest cost. Float tensors and 8-bit quantized tensors have their own instances; the
// generic Tensor one is the fallback for anything else the declaration allows.
DEF_PACKAGE_OP((reluImpl<Tensor>), "Relu")
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((reluImpl<PlainFloatTensor>), "Relu", SNAIL, Flags::RESOURCE_HVX)
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((reluImpl<QuantUint8Tensor>), "Relu", FAST, Flags::RESOURCE_HVX)

template <typename TensorType>
GraphStatus reluImpl(TensorType& out_0, const TensorType& in_0) {
  // out_0: output 'out[0]' (FLOAT_32, UFIXED_POINT_8; rank 4D)
  // in_0: input 'in[0]' (FLOAT_32, UFIXED_POINT_8; rank 4D)
  auto [batches, height, width, depth] = in_0.dims();
  out_0.set_dims(in_0);  // checks only: the output's shape is the node's
  if constexpr (std::is_same<TensorType, QuantUint8Tensor>::value) {
    // Same encoding on both sides: max(q, zero point) on the raw values, no float round trip.
    if (in_0.interface_scale() == out_0.interface_scale() &&
        in_0.interface_offset() == out_0.interface_offset()) {
      const uint8_t zero =
          static_cast<uint8_t>(std::min(std::max(in_0.interface_offset(), 0), 255));
      for (Idx b = 0; b < batches; b++) {
        for (Idx h = 0; h < height; h++) {
          for (Idx w = 0; w < width; w++) {
            for (Idx d = 0; d < depth; d++) {
              out_0.get_raw(b, h, w, d) = std::max(in_0.get_raw(b, h, w, d), zero);
            }
          }
        }
      }
      return GraphStatus::Success;
    }
  }
  // Element access reads floats and writes floats (quantized tensors convert both ways).
  for (Idx b = 0; b < batches; b++) {
    for (Idx h = 0; h < height; h++) {
      for (Idx w = 0; w < width; w++) {
        for (Idx d = 0; d < depth; d++) {
          out_0(b, h, w, d) = std::fmax(static_cast<float>(in_0(b, h, w, d)), 0.0f);
        }
      }
    }
  }
  return GraphStatus::Success;
}

END_PKG_OP_DEFINITION(PKG_Relu);
