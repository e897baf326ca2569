// Op Softmax of op package ExampleHtpOpPackage (HTP).
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

BEGIN_PKG_OP_DEFINITION(PKG_Softmax);

// Defaults of the optional parameters: the backend passes them when a node omits the parameter.
static Qnn_Param_t sg_opDefault_beta = [] {  // 'beta': default 1.0
  Qnn_Param_t param = QNN_PARAM_INIT;
  param.name = "beta";
  param.paramType = QNN_PARAMTYPE_SCALAR;
  param.scalarParam.dataType = QNN_DATATYPE_FLOAT_32;
  param.scalarParam.floatValue = 1.0f;
  return param;
}();

// Softmax: outputs first (non-const), then inputs, then parameters in the order below.
template <typename TensorType>
GraphStatus softmaxImpl(TensorType& out_0, const TensorType& in_0, const PlainFloatTensor& beta);

// Registrations: the float instance is preferred; the generic Tensor one is the fallback.
DEF_PACKAGE_OP((softmaxImpl<Tensor>), "Softmax")
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((softmaxImpl<PlainFloatTensor>), "Softmax", SNAIL, Flags::RESOURCE_HVX)

// Parameter order: the backend passes parameters in this order; a missing mandatory one is an
// error and a missing optional one takes its default.
DEF_PACKAGE_PARAM_ORDER("Softmax",
                        "beta", false, &sg_opDefault_beta)

template <typename TensorType>
GraphStatus softmaxImpl(TensorType& out_0, const TensorType& in_0, const PlainFloatTensor& beta) {
  // out_0: output 'out[0]' (FLOAT_32; rank 4D)
  // in_0: input 'in[0]' (FLOAT_32; rank 4D)
  // beta: parameter 'beta' (FLOAT_32; rank SCALAR; default 1.0): a 1x1x1x1 tensor
  const float b_scale = beta(0, 0, 0, 0);
  auto [batches, height, width, depth] = in_0.dims();
  out_0.set_dims(in_0);
  // Over the last axis (depth): subtract the row's maximum so exp never overflows.
  for (Idx b = 0; b < batches; b++) {
    for (Idx h = 0; h < height; h++) {
      for (Idx w = 0; w < width; w++) {
        float max = -INFINITY;
        for (Idx d = 0; d < depth; d++) max = std::fmax(max, static_cast<float>(in_0(b, h, w, d)));
        float sum = 0.0f;
        for (Idx d = 0; d < depth; d++) {
          sum += (out_0(b, h, w, d) = std::exp(b_scale * (in_0(b, h, w, d) - max)));
        }
        const float inverse = 1.0f / sum;
        for (Idx d = 0; d < depth; d++) {
          out_0(b, h, w, d) = out_0(b, h, w, d) * inverse;
        }
      }
    }
  }
  return GraphStatus::Success;
}

END_PKG_OP_DEFINITION(PKG_Softmax);
