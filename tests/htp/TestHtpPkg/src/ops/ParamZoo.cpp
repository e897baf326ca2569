// Test data: every kind of param (FLOAT_32, INT_32, UINT_32, BOOL_8 scalars, a mandatory one,
// defaults, an optional one without default that is skipped, a tensor param), and an axis param.
#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"
#include "QnnOpPackage.h"

BEGIN_PKG_OP_DEFINITION(PKG_ParamZoo);

static Qnn_Param_t sg_defaultI = {.paramType = QNN_PARAMTYPE_SCALAR, .name = "i",
                                   .scalarParam = {.dataType = QNN_DATATYPE_INT_32, .int32Value = -3}};
static Qnn_Param_t sg_defaultU = {.paramType = QNN_PARAMTYPE_SCALAR, .name = "u",
                                   .scalarParam = {.dataType = QNN_DATATYPE_UINT_32, .uint32Value = 7}};
static Qnn_Param_t sg_defaultB = {.paramType = QNN_PARAMTYPE_SCALAR, .name = "b",
                                   .scalarParam = {.dataType = QNN_DATATYPE_BOOL_8, .bool8Value = 0}};

// out = in * f + i + u + (b ? 100 : 0) + sum(t) [+ extra when given]
static float zoo_base(const Tensor& f, const Int32Tensor& i, const Int32Tensor& u, const QuantUint8Tensor& b,
                      const Int32Tensor& t) {
  (void)f;
  const int32_t* values = static_cast<const int32_t*>(t.raw_data_const());
  int32_t sum = 0;
  for (size_t k = 0; k < t.total_storage_elements(); ++k) sum += values[k];
  const int32_t iv = *static_cast<const int32_t*>(i.raw_data_const());
  const float uv = u(0, 0, 0, 0);
  return static_cast<float>(iv) + uv + (b.get_raw(0, 0, 0, 0) ? 100.0f : 0.0f) + static_cast<float>(sum);
}

GraphStatus paramZooImpl(PlainFloatTensor& out, const PlainFloatTensor& in, const Tensor& f, const Int32Tensor& i,
                         const Int32Tensor& u, const QuantUint8Tensor& b, const Int32Tensor& t) {
  const float base = zoo_base(f, i, u, b, t);
  const float fv = f(0, 0, 0, 0);
  auto [n, h, w, d] = in.dims();
  for (Idx x = 0; x < n; x++)
    for (Idx y = 0; y < h; y++)
      for (Idx z = 0; z < w; z++)
        for (Idx c = 0; c < d; c++) out(x, y, z, c) = in(x, y, z, c) * fv + base;
  return GraphStatus::Success;
}

GraphStatus paramZooExtraImpl(PlainFloatTensor& out, const PlainFloatTensor& in, const Tensor& f,
                              const Int32Tensor& i, const Int32Tensor& u, const QuantUint8Tensor& b,
                              const Int32Tensor& t, const PlainFloatTensor& extra) {
  GraphStatus status = paramZooImpl(out, in, f, i, u, b, t);
  const float e = extra(0, 0, 0, 0);
  float* data = static_cast<float*>(out.raw_data());
  for (size_t k = 0; k < out.total_storage_elements(); ++k) data[k] += e;
  return status;
}

DEF_PACKAGE_OP(paramZooImpl, "ParamZoo")
DEF_PACKAGE_OP(paramZooExtraImpl, "ParamZoo")
DEF_PACKAGE_PARAM_ORDER("ParamZoo", "f", true, nullptr, "i", false, &sg_defaultI, "u", false, &sg_defaultU, "b",
                        false, &sg_defaultB, "t", true, nullptr, "extra", false, nullptr)

// Sums over `axis` (an axis param: the runtime adjusts it for backfilling to rank 4).
GraphStatus reduceSumImpl(PlainFloatTensor& out, const PlainFloatTensor& in, const Int32Tensor& axis) {
  const int32_t a = *static_cast<const int32_t*>(axis.raw_data_const());
  if (a < 0 || a > 3) return errlog("reduce_sum: axis %d is not in 0..3", a);
  const auto& dims = in.dims();
  for (Idx x = 0; x < out.dim(0); x++)
    for (Idx y = 0; y < out.dim(1); y++)
      for (Idx z = 0; z < out.dim(2); z++)
        for (Idx c = 0; c < out.dim(3); c++) {
          float s = 0.0f;
          for (Idx k = 0; k < dims[static_cast<size_t>(a)]; k++) {
            std::array<Idx, 4> at{{x, y, z, c}};
            at[static_cast<size_t>(a)] = k;
            s += in(at[0], at[1], at[2], at[3]);
          }
          out(x, y, z, c) = s;
        }
  return GraphStatus::Success;
}

DEF_PACKAGE_OP(reduceSumImpl, "ReduceSum")
DEF_PACKAGE_PARAM_ORDER("ReduceSum", "axis", true, nullptr)

END_PKG_OP_DEFINITION(PKG_ParamZoo);
