// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// Float16: an IEEE binary16 value (round to nearest even from float; overflow gives +-inf).
#ifndef OPGEN_HTP_FLOAT16_H
#define OPGEN_HTP_FLOAT16_H

#include <cstdint>
#include <cstring>
#include <limits>

namespace opgen_htp {

inline uint16_t half_bits_from_float(float value) noexcept {
  uint32_t x = 0;
  std::memcpy(&x, &value, sizeof x);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t a = x & 0x7fffffffu;
  if (a >= 0x7f800000u) return static_cast<uint16_t>(sign | (a > 0x7f800000u ? 0x7e00u : 0x7c00u));
  if (a >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds past 65504
  if (a < 0x33000000u) return static_cast<uint16_t>(sign);             // below half a subnormal
  const uint32_t e = a >> 23;
  uint32_t r = 0, rem = 0, tie = 0;
  if (e < 113u) {  // a binary16 subnormal
    const uint32_t m = (a & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126u - e;
    r = m >> shift;
    rem = m & ((1u << shift) - 1u);
    tie = 1u << (shift - 1u);
  } else {
    r = ((e - 112u) << 10) | ((a & 0x7fffffu) >> 13);
    rem = a & 0x1fffu;
    tie = 0x1000u;
  }
  if (rem > tie || (rem == tie && (r & 1u))) ++r;
  return static_cast<uint16_t>(sign | r);
}

inline float float_from_half_bits(uint16_t h) noexcept {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t e = (h >> 10) & 0x1fu;
  uint32_t m = h & 0x3ffu;
  uint32_t x = 0;
  if (e == 0x1fu) {
    x = sign | 0x7f800000u | (m << 13);
  } else if (e != 0) {
    x = sign | ((e + 112u) << 23) | (m << 13);
  } else if (m != 0) {  // subnormal: normalise
    uint32_t exp = 113u;
    while (!(m & 0x400u)) {
      m <<= 1;
      --exp;
    }
    x = sign | (exp << 23) | ((m & 0x3ffu) << 13);
  } else {
    x = sign;
  }
  float f = 0.0f;
  std::memcpy(&f, &x, sizeof f);
  return f;
}

}  // namespace opgen_htp

struct Float16 {
  uint16_t bits = 0;

  Float16() = default;
  Float16(float v) noexcept : bits(opgen_htp::half_bits_from_float(v)) {}  // NOLINT: implicit
  operator float() const noexcept { return opgen_htp::float_from_half_bits(bits); }

  uint16_t raw() const noexcept { return bits; }
  static Float16 from_raw(uint16_t b) noexcept {
    Float16 f;
    f.bits = b;
    return f;
  }
  static Float16 zero(bool neg = false) noexcept { return from_raw(neg ? 0x8000u : 0u); }
  static Float16 inf(bool neg = false) noexcept { return from_raw(neg ? 0xfc00u : 0x7c00u); }
  static Float16 qnan() noexcept { return from_raw(0x7e00u); }
  static Float16 snan() noexcept { return from_raw(0x7d00u); }

  bool is_neg() const noexcept { return (bits & 0x8000u) != 0; }
  int exp() const noexcept { return (bits >> 10) & 0x1f; }
  int frac() const noexcept { return bits & 0x3ff; }
  bool is_zero() const noexcept { return (bits & 0x7fffu) == 0; }
  bool is_inf() const noexcept { return (bits & 0x7fffu) == 0x7c00u; }
  bool is_nan() const noexcept { return (bits & 0x7fffu) > 0x7c00u; }
  bool is_subnorm() const noexcept { return exp() == 0 && frac() != 0; }
  bool is_norm() const noexcept { return exp() != 0 && exp() != 0x1f; }
  bool is_finite() const noexcept { return exp() != 0x1f; }

  friend Float16 operator+(Float16 a, Float16 b) noexcept { return Float16(float(a) + float(b)); }
  friend Float16 operator-(Float16 a, Float16 b) noexcept { return Float16(float(a) - float(b)); }
  friend Float16 operator*(Float16 a, Float16 b) noexcept { return Float16(float(a) * float(b)); }
  friend Float16 operator-(Float16 a) noexcept { return from_raw(static_cast<uint16_t>(a.bits ^ 0x8000u)); }
};

inline Float16 operator""_f16(long double v) { return Float16(static_cast<float>(v)); }

namespace std {
template <>
class numeric_limits<Float16> {
 public:
  static constexpr bool is_specialized = true;
  static constexpr bool is_signed = true;
  static constexpr bool is_integer = false;
  static constexpr bool has_infinity = true;
  static constexpr bool has_quiet_NaN = true;
  static constexpr int digits = 11;
  static Float16 max() noexcept { return Float16::from_raw(0x7bffu); }
  static Float16 lowest() noexcept { return Float16::from_raw(0xfbffu); }
  static Float16 min() noexcept { return Float16::from_raw(0x0400u); }
  static Float16 epsilon() noexcept { return Float16::from_raw(0x1400u); }
  static Float16 denorm_min() noexcept { return Float16::from_raw(0x0001u); }
  static Float16 infinity() noexcept { return Float16::inf(); }
  static Float16 quiet_NaN() noexcept { return Float16::qnan(); }
};
}  // namespace std

#endif  // OPGEN_HTP_FLOAT16_H
