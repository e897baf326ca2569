// Test data: prints what the HTP host emulation computes; test_htp_emulation.py checks it.
#include <cstdio>
#include <cmath>
#include <type_traits>
#include "HTP/core/simple_reg.h"

static_assert(std::is_base_of<LayoutFlat_8, QuantUint8Tensor>::value, "flat u8");
static_assert(std::is_base_of<LayoutFlat_8, QuantInt8Tensor>::value, "flat i8");
static_assert(std::is_base_of<LayoutCrouton_8, QUint8CroutonTensor>::value, "crouton u8");
static_assert(!std::is_base_of<LayoutCrouton_8, QuantUint8Tensor>::value, "not crouton");
static_assert(std::is_same<TensorContiguous<Tdefs::QuantUint8>, QuantUint8Tensor>::value, "contiguous");
static_assert(!std::is_same<PlainFloatTensor, PlainFloatTensor_TCM>::value, "TCM is distinct");
static_assert(std::is_base_of<LayoutFlat_32, PlainFloatTensor_TCM>::value, "TCM is flat");
static_assert(std::is_same<QuantUint8Tensor::element_type, uint8_t>::value, "element type");
static_assert(std::is_same<tensor_traits<PlainFloat16Tensor>::element_type, Float16>::value, "traits");
static_assert(QUint8CroutonTensor::layout.ChunkSizes[1] == 8, "chunk sizes");
static_assert(std::is_same<Idx, size_t>::value && std::is_same<SIdx, long>::value, "Idx");

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) std::printf("half %s %u\n", argv[i], Float16(std::strtof(argv[i], nullptr)).raw());
  std::printf("sr_u8 %d %d %d %d %d\n", saturate_round<uint8_t>(2.5f), saturate_round<uint8_t>(3.5f),
              saturate_round<uint8_t>(-1.0f), saturate_round<uint8_t>(300.0f), saturate_round<uint8_t>(NAN));
  std::printf("sr_i8 %d %d\n", saturate_round<int8_t>(-128.5f), saturate_round<int8_t>(-127.5f));
  std::printf("sr_i32 %d %d\n", saturate_round<int32_t>(3e9f), saturate_round<int32_t>(-3e9f));

  uint8_t bytes[8] = {0};
  QuantUint8Tensor q({{1, 1, 2, 4}}, bytes, 0.1f, 10);
  float returned = (q(0, 0, 0, 1) = 1.234f);
  std::printf("q_store %d %.6f %.6f\n", q.get_raw(0, 0, 0, 1), returned, static_cast<float>(q(0, 0, 0, 1)));
  q(0, 0, 1, 3) = -5.0f;  // saturates at 0
  q(0, 0, 1, 2) = 100.0f;  // saturates at 255
  std::printf("q_sat %d %d\n", bytes[7], bytes[6]);
  Tensor& generic = q;
  generic(0, 0, 1, 0) = 0.05f;  // 10 + 0.5 rounds half to even: 10
  std::printf("q_generic %d %.6f %d\n", bytes[4], static_cast<float>(generic(0, 0, 0, 1)), q.interface_offset());
  const DTypeScaleOff dso = generic.get_dtype_intfc();
  std::printf("dso %d %.3f %d\n", static_cast<int>(dso.dtype), dso.scale, dso.offset);

  uint16_t halves[2] = {0, 0};
  PlainFloat16Tensor h({{1, 1, 1, 2}}, halves);
  h(0, 0, 0, 0) = 70000.0f;
  h(0, 0, 0, 1) = -1e9f;
  std::printf("f16_clamp %u %u\n", halves[0], halves[1]);

  float data[2 * 3 * 5 * 7] = {0};
  PlainFloatTensor t({{2, 3, 5, 7}}, data);
  auto [b, hh, w, d] = t.dims();
  const auto picked = t.dims(Tensor::HEIGHT, Tensor::DEPTH);
  std::printf("dims %zu %zu %zu %zu %zu %zu %zu %zu\n", b, hh, w, d, picked[0], picked[1], t.rank(),
              t.total_storage_elements());
  t(1, 2, 4, 6) = 3.5f;
  std::printf("last %.1f %zu %d\n", data[2 * 3 * 5 * 7 - 1], t.blocktab_len(), t.blocktab_ptr()[0] == data);
  t.set_dims(t);
  std::printf("set_dims_same %d\n", static_cast<int>(opgen_htp::dims_mismatch()));
  const size_t other[4] = {2, 3, 5, 8};
  t.set_dims(other);
  std::printf("set_dims_other %d %zu\n", static_cast<int>(opgen_htp::dims_mismatch()), t.dim(3));

  GraphStatus ok = GraphStatus::Success, bad = GraphStatus::ErrorDimensions;
  std::printf("status %d %d %d\n", static_cast<bool>(ok), static_cast<bool>(bad), GraphStatus(7).to_int());
  std::printf("limits %u %u %u\n", std::numeric_limits<Float16>::max().raw(),
              std::numeric_limits<Float16>::lowest().raw(), std::numeric_limits<Float16>::epsilon().raw());
  std::printf("errlog %d\n", errlog("x %d", 1).to_int());
  std::printf("costs %g %g %g\n", static_cast<double>(StandardCosts::GLACIAL), static_cast<double>(StandardCosts::SNAIL),
              static_cast<double>(StandardCosts::FAST));
  (void)argc;
  return 0;
}
