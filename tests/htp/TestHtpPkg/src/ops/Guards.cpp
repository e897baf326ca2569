// Test data: ops that get their output wrong, through the raw pointer, for the runtime's output
// guards; and one that stores whole 128-byte vectors past the logical end, as HVX code does.
#include <cstdint>
#include <cstring>

#include "HTP/core/constraints.h"
#include "HTP/core/op_package_feature_support.h"
#include "HTP/core/op_register_ext.h"
#include "HTP/core/optimize.h"
#include "HTP/core/simple_reg.h"

BEGIN_PKG_OP_DEFINITION(PKG_Guards);

static size_t paddedBytes(const Tensor& t) { return (t.total_storage_bytes() + 127) / 128 * 128; }

static void copyOut(Tensor& out, const Tensor& in) {
  std::memcpy(out.raw_data(), in.raw_data_const(), in.total_storage_bytes());
}

// Writes 8 bytes past the end of the output's 128-byte rounding.
GraphStatus pastPaddingImpl(PlainFloatTensor& out, const PlainFloatTensor& in) {
  copyOut(out, in);
  uint8_t* bytes = reinterpret_cast<uint8_t*>(&out.get_raw(0, 0, 0, 0));
  bytes[paddedBytes(out) + 7] = 0x11;
  return GraphStatus::Success;
}
DEF_PACKAGE_OP(pastPaddingImpl, "PastPadding")

// Writes 4 bytes before the start of the output.
GraphStatus beforeStartImpl(PlainFloatTensor& out, const PlainFloatTensor& in) {
  copyOut(out, in);
  uint8_t* bytes = static_cast<uint8_t*>(out.raw_data());
  std::memset(bytes - 4, 0x22, 4);
  return GraphStatus::Success;
}
DEF_PACKAGE_OP(beforeStartImpl, "BeforeStart")

// Returns Success and never touches the output.
GraphStatus unwrittenImpl(PlainFloatTensor& out, const PlainFloatTensor& in) {
  (void)out;
  (void)in;
  return GraphStatus::Success;
}
DEF_PACKAGE_OP(unwrittenImpl, "Unwritten")

// Stores whole vectors: the output, then the rest of its last 128-byte vector.
GraphStatus vectorStoreImpl(PlainFloatTensor& out, const PlainFloatTensor& in) {
  const size_t bytes = in.total_storage_bytes();
  copyOut(out, in);
  uint8_t* dst = static_cast<uint8_t*>(out.raw_data());
  std::memset(dst + bytes, 0x33, paddedBytes(out) - bytes);
  return GraphStatus::Success;
}
DEF_PACKAGE_OP(vectorStoreImpl, "VectorStore")

END_PKG_OP_DEFINITION(PKG_Guards);
