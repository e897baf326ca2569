// Test data: cost functions decide between registrations; an op that fails with a status; an op
// registered only for a crouton type (never runnable on the host).
#include <cstdint>
#include <cstring>

#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"

BEGIN_PKG_OP_DEFINITION(PKG_Misc);

template <int Marker>
GraphStatus pickImpl(Tensor& out, const Tensor& in) {
  auto [n, h, w, d] = in.dims();
  for (Idx x = 0; x < n; x++)
    for (Idx y = 0; y < h; y++)
      for (Idx z = 0; z < w; z++)
        for (Idx c = 0; c < d; c++) out(x, y, z, c) = static_cast<float>(Marker);
  return GraphStatus::Success;
}

// Cheap for narrow tensors only.
static float narrowCost(const Op* op) { return op->get_input(0)->dim(3) <= 4 ? 1.0f : 1e12f; }

DEF_PACKAGE_OP_AND_COST_AND_FLAGS((pickImpl<1>), "Pick", SNAIL)
DEF_PACKAGE_OP_AND_COST_F_AND_FLAGS((pickImpl<2>), "Pick", narrowCost, Flags::RESOURCE_HVX)

GraphStatus failingImpl(Tensor& out, const Tensor& in) {
  (void)out;
  if (in.dim(3) == 3) {
    errlog("failing: depth %zu is not supported", in.dim(3));
    return GraphStatus::ErrorPrecision;
  }
  if (in.dim(3) == 5) return GraphStatus(in(0, 0, 0, 7));  // out of range: the host throws
  out.set_dims(std::array<size_t, 4>{{1, 1, 1, 99}}.data());
  return GraphStatus::Success;
}
DEF_PACKAGE_OP(failingImpl, "Failing")

// HVX code loads whole 128-byte vectors: buffers must be aligned and padded to whole vectors.
GraphStatus alignedImpl(Tensor& out, const Tensor& in) {
  const auto in_addr = reinterpret_cast<uintptr_t>(in.raw_data_const());
  const auto out_addr = reinterpret_cast<uintptr_t>(out.raw_data());
  if (in_addr % 128 != 0 || out_addr % 128 != 0) return errlog("buffers are not 128-byte aligned");
  const size_t bytes = in.total_storage_bytes();
  const size_t padded = (bytes + 127) / 128 * 128;
  const uint8_t* src = static_cast<const uint8_t*>(in.raw_data_const());
  uint8_t tail = 0;
  for (size_t i = bytes; i < padded; ++i) tail |= src[i];  // readable, and zero
  std::memcpy(out.raw_data(), src, bytes);
  return tail == 0 ? GraphStatus::Success : GraphStatus::ErrorBadInput;
}
DEF_PACKAGE_OP(alignedImpl, "Aligned")

GraphStatus croutonImpl(QUint8CroutonTensor& out, const QUint8CroutonTensor& in) {
  (void)out;
  (void)in;
  return GraphStatus::Success;
}
DEF_PACKAGE_OP(croutonImpl, "Crouton")

END_PKG_OP_DEFINITION(PKG_Misc);
