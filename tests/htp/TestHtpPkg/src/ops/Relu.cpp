// Test data: Relu in the vendor's documented style, registered for PlainFloatTensor,
// QuantUint8Tensor and the generic Tensor, with optimization rules (ignored on the host).
#include <cmath>
#include <type_traits>

#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"
#include "QnnOpPackage.h"

BEGIN_PKG_OP_DEFINITION(PKG_Relu);

template <typename T>
GraphStatus reluImpl(T& out, const T& in);

DEF_PACKAGE_OP((reluImpl<Tensor>), "Relu")
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((reluImpl<PlainFloatTensor>), "Relu", SNAIL, Flags::RESOURCE_HVX)
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((reluImpl<QuantUint8Tensor>), "Relu", FAST)
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((reluImpl<F16CroutonTensor>), "Relu", FREE, Flags::RESOURCE_HVX)

DEF_PACKAGE_OPTIMIZATION(EARLY + 1, Op("Relu", "In"), IS_QUINT8("In"),
                         Op("ReluMinMax", "In", gen_ConstScalar_f32(0.0f), gen_ConstScalar_f32(INF)))
DEF_PACKAGE_OPTIMIZATION_WITH_FLAGS(GRAPH_CLEANUP, relaxed_precision_flag, Op("Relu", "In"), IS_FLOAT32("In"),
                                    Op(FROM_DEFAULT_PACKAGE("Cast"), WITH_OUTPUT_TYPE(DType::Float16, 0, 1.0f,
                                       Op("Relu", WITH_OUTPUT_TYPE(DType::Float16, 0, 1.0f, Op(FROM_DEFAULT_PACKAGE("Cast"), "In"))))))
DEF_TENSOR_PROPERTIES(Op("Relu", "in"), Flat("*", "in"), MainMemory("..."))

template <typename T>
GraphStatus reluImpl(T& out, const T& in) {
  debuglog("relu execute (%s)", in.true_name());
  out.set_dims(in);
  if constexpr (std::is_base_of<LayoutCrouton_16, T>::value) {
    return GraphStatus::ErrorUnsupported;  // device-only: never selected on the host
  } else if constexpr (std::is_same<T, QuantUint8Tensor>::value) {
    // Same encoding: clamp in the quantized domain; otherwise requantize through float.
    auto [b_in, h_in, w_in, d_in] = in.dims();
    const bool same = in.interface_scale() == out.interface_scale() && in.interface_offset() == out.interface_offset();
    const uint8_t zero = saturate_round<uint8_t>(static_cast<float>(in.interface_offset()));
    for (Idx b = 0; b < b_in; b++)
      for (Idx h = 0; h < h_in; h++)
        for (Idx w = 0; w < w_in; w++) {
          const uint8_t* src = &in.get_raw(b, h, w, 0);
          uint8_t* dst = out.get_raw_addr(b, h, w, 0);
          for (Idx d = 0; d < d_in; d++) {
            if (same)
              dst[d] = src[d] > zero ? src[d] : zero;
            else
              out(b, h, w, d) = fmaxf(in(b, h, w, d), 0.0f);
          }
        }
    return GraphStatus::Success;
  } else {
    auto [b_in, h_in, w_in, d_in] = in.dims();
    for (Idx b = 0; b < b_in; b++)
      for (Idx h = 0; h < h_in; h++)
        for (Idx w = 0; w < w_in; w++)
          for (Idx d = 0; d < d_in; d++) out(b, h, w, d) = fmaxf(in(b, h, w, d), 0.0f);
    return GraphStatus::Success;
  }
}

END_PKG_OP_DEFINITION(PKG_Relu);
