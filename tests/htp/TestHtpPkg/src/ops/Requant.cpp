// Test data: ops whose outputs carry their own encoding: Requant writes a QuantUint8Tensor with
// the output's scale/offset; HalfScale works on PlainFloat16Tensor.
#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"

BEGIN_PKG_OP_DEFINITION(PKG_Requant);

GraphStatus requantImpl(QuantUint8Tensor& out, const Tensor& in) {
  auto [b_in, h_in, w_in, d_in] = in.dims();
  for (Idx b = 0; b < b_in; b++)
    for (Idx h = 0; h < h_in; h++)
      for (Idx w = 0; w < w_in; w++)
        for (Idx d = 0; d < d_in; d++) out(b, h, w, d) = in(b, h, w, d);
  return GraphStatus::Success;
}

template <typename T>
int halfScaleImpl(T& out, const T& in, const PlainFloatTensor& factor) {
  const float f = factor(0, 0, 0, 0);
  const size_t n = in.total_storage_elements();
  const Float16* src = static_cast<const Float16*>(in.raw_data_const());
  Float16* dst = static_cast<Float16*>(out.raw_data());
  for (size_t i = 0; i < n; ++i) dst[i] = Float16(float(src[i]) * f);
  return GraphStatus::Success;
}

DEF_PACKAGE_OP(requantImpl, "Requant")
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((halfScaleImpl<PlainFloat16Tensor>), "HalfScale", FAST)
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((halfScaleImpl<PlainFloat16Tensor_TCM>), "HalfScale", FREE)

END_PKG_OP_DEFINITION(PKG_Requant);
