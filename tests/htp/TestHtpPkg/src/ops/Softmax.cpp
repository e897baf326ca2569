// Test data: Softmax over the last axis with a `beta` param (FLOAT_32, default 1.0).
#include <cmath>

#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"
#include "QnnOpPackage.h"

BEGIN_PKG_OP_DEFINITION(PKG_Softmax);

static Qnn_Scalar_t sg_opDefaultBetaScalar = {.dataType = Qnn_DataType_t::QNN_DATATYPE_FLOAT_32, .floatValue = 1.0f};
static Qnn_Param_t sg_opDefaultBeta = {.paramType = QNN_PARAMTYPE_SCALAR, .name = "beta", .scalarParam = sg_opDefaultBetaScalar};

template <typename TensorType>
GraphStatus softmaxImpl(TensorType& out, const TensorType& in, const PlainFloatTensor& beta);

DEF_PACKAGE_OP((softmaxImpl<Tensor>), "Softmax")
DEF_PACKAGE_OP_AND_COST_AND_FLAGS((softmaxImpl<PlainFloatTensor>), "Softmax", SNAIL)
DEF_PACKAGE_PARAM_ORDER("Softmax", "beta", false, &sg_opDefaultBeta)
DEF_PACKAGE_OPTIMIZATION(QNN, Op("Softmax", "in", "beta", "axis"), EQ(CONSTVAL_INT("axis", 0), 3),
                         Op("Softmax", "in", "beta"))

template <typename TensorType>
GraphStatus softmaxImpl(TensorType& out, const TensorType& in, const PlainFloatTensor& beta) {
  const float b = beta(0, 0, 0, 0);
  if (!(b > 0.0f)) return errlog("softmax: beta must be positive, got %f", static_cast<double>(b));
  out.set_dims(in);
  auto [batches, height, width, depth] = in.dims();
  for (Idx n = 0; n < batches; n++)
    for (Idx h = 0; h < height; h++)
      for (Idx w = 0; w < width; w++) {
        float max = in(n, h, w, 0);
        for (Idx d = 1; d < depth; d++) max = fmaxf(max, in(n, h, w, d));
        float sum = 0.0f;
        // Softmax computes exp(b*(x-max)) into out, using operator= returning the float.
        for (Idx d = 0; d < depth; d++) sum += (out(n, h, w, d) = expf(b * (in(n, h, w, d) - max)));
        const float inv = 1.0f / sum;
        for (Idx d = 0; d < depth; d++) out(n, h, w, d) = expf(b * (in(n, h, w, d) - max)) * inv;
      }
  return GraphStatus::Success;
}

END_PKG_OP_DEFINITION(PKG_Softmax);
