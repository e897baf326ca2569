// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// saturate_cast / saturate_round and the small numeric helpers op code uses.
#ifndef OPGEN_HTP_CONVERSIONS_H
#define OPGEN_HTP_CONVERSIONS_H

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

// Clamps to TOUT's range (NaN gives 0); integers to integers convert exactly when in range.
template <typename TOUT, typename TIN>
inline TOUT saturate_cast(TIN v) noexcept {
  if constexpr (std::is_floating_point<TOUT>::value) {
    return static_cast<TOUT>(v);
  } else if constexpr (std::is_floating_point<TIN>::value) {
    if (std::isnan(v)) return TOUT(0);
    const double d = static_cast<double>(v);
    if (d <= static_cast<double>(std::numeric_limits<TOUT>::min())) return std::numeric_limits<TOUT>::min();
    if (d >= static_cast<double>(std::numeric_limits<TOUT>::max())) return std::numeric_limits<TOUT>::max();
    return static_cast<TOUT>(d);
  } else {
    using W = long long;
    const W x = static_cast<W>(v);
    if constexpr (std::is_unsigned<TIN>::value && sizeof(TIN) >= sizeof(W)) {
      if (v > static_cast<TIN>(std::numeric_limits<W>::max())) return std::numeric_limits<TOUT>::max();
    }
    if (x < static_cast<W>(std::numeric_limits<TOUT>::min())) return std::numeric_limits<TOUT>::min();
    if (x > static_cast<W>(std::numeric_limits<TOUT>::max())) return std::numeric_limits<TOUT>::max();
    return static_cast<TOUT>(x);
  }
}

// Round half to even (the default rounding mode), then saturate.
template <typename TOUT>
inline TOUT saturate_round(float v) noexcept {
  return saturate_cast<TOUT>(std::nearbyint(v));
}

inline int32_t min_i32(int32_t a, int32_t b) noexcept { return a < b ? a : b; }
inline int32_t max_i32(int32_t a, int32_t b) noexcept { return a > b ? a : b; }
inline uint32_t min_u32(uint32_t a, uint32_t b) noexcept { return a < b ? a : b; }
inline uint32_t max_u32(uint32_t a, uint32_t b) noexcept { return a > b ? a : b; }
inline int32_t roundf_i32(float v) noexcept { return saturate_round<int32_t>(v); }
inline uint32_t roundf_u32(float v) noexcept { return saturate_round<uint32_t>(v); }
inline int64_t roundf_i64(float v) noexcept { return saturate_round<int64_t>(v); }
inline uint8_t saturate_u8(int v) noexcept { return saturate_cast<uint8_t>(v); }
inline uint16_t saturate_u16(int v) noexcept { return saturate_cast<uint16_t>(v); }
inline int16_t saturate_i16(int v) noexcept { return saturate_cast<int16_t>(v); }
// ceil(dim / stride)
inline size_t stride_divide(size_t dim, size_t stride) noexcept { return (dim + stride - 1) / stride; }

#endif  // OPGEN_HTP_CONVERSIONS_H
