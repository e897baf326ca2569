// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// Value encodings (interfaces) and the element accessors tensors return.
//   PlainInterface<T>        read float(q); write: float as is, Float16 clamped to +-65504,
//                            integers saturate_round.
//   ScaleOffsetInterface<T>  read (q - offset) * scale; write saturate_round(offset + v / scale)
//                            (round half to even, saturating). `offset` is the zero point.
// An accessor's operator=(float) stores the encoded value and returns the float it was given.
#ifndef OPGEN_HTP_INTERFACE_H
#define OPGEN_HTP_INTERFACE_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "HTP/core/conversions.h"
#include "HTP/core/float16.h"

class Interface {
 public:
  virtual ~Interface() = default;
  virtual float read_float(const void* p) const noexcept = 0;
  virtual void write_float(void* p, float v) const noexcept = 0;
  virtual float get_scale() const noexcept = 0;
  virtual float get_scale_recip() const noexcept = 0;
  virtual int get_offset() const noexcept = 0;
  virtual bool is_quantized() const noexcept = 0;
  virtual size_t element_size() const noexcept = 0;
  void read_floats(float* dst, const void* src, size_t n) const noexcept {
    for (size_t i = 0; i < n; ++i) dst[i] = read_float(static_cast<const char*>(src) + i * element_size());
  }
  void write_floats(void* dst, const float* src, size_t n) const noexcept {
    for (size_t i = 0; i < n; ++i) write_float(static_cast<char*>(dst) + i * element_size(), src[i]);
  }
};

template <typename T>
class PlainInterface final : public Interface {
 public:
  using element_type = T;
  static constexpr bool is_quant = false;
  PlainInterface() = default;
  PlainInterface(float, int) {}
  float to_float(T q) const noexcept { return static_cast<float>(q); }
  T from_float(float v) const noexcept {
    if constexpr (std::is_same<T, float>::value) {
      return v;
    } else if constexpr (std::is_same<T, Float16>::value) {
      return Float16(v > 65504.0f ? 65504.0f : (v < -65504.0f ? -65504.0f : v));
    } else {
      return saturate_round<T>(v);
    }
  }
  float read_float(const void* p) const noexcept override {
    T q;
    std::memcpy(&q, p, sizeof q);
    return to_float(q);
  }
  void write_float(void* p, float v) const noexcept override {
    const T q = from_float(v);
    std::memcpy(p, &q, sizeof q);
  }
  float get_scale() const noexcept override { return 1.0f; }
  float get_scale_recip() const noexcept override { return 1.0f; }
  int get_offset() const noexcept override { return 0; }
  bool is_quantized() const noexcept override { return false; }
  size_t element_size() const noexcept override { return sizeof(T); }
};

template <typename T>
class ScaleOffsetInterface final : public Interface {
 public:
  using element_type = T;
  static constexpr bool is_quant = true;
  ScaleOffsetInterface() = default;
  ScaleOffsetInterface(float scale, int offset)
      : scale_(scale), recip_(scale != 0.0f ? 1.0f / scale : 0.0f), offset_(offset) {}
  float to_float(T q) const noexcept {
    if constexpr (sizeof(T) <= 2) {
      return static_cast<float>(static_cast<int>(q) - offset_) * scale_;
    } else {
      return static_cast<float>(static_cast<int64_t>(q) - offset_) * scale_;
    }
  }
  T from_float(float v) const noexcept { return saturate_round<T>(static_cast<float>(offset_) + v * recip_); }
  float read_float(const void* p) const noexcept override {
    T q;
    std::memcpy(&q, p, sizeof q);
    return to_float(q);
  }
  void write_float(void* p, float v) const noexcept override {
    const T q = from_float(v);
    std::memcpy(p, &q, sizeof q);
  }
  float get_scale() const noexcept override { return scale_; }
  float get_scale_recip() const noexcept override { return recip_; }
  int get_offset() const noexcept override { return offset_; }
  bool is_quantized() const noexcept override { return true; }
  size_t element_size() const noexcept override { return sizeof(T); }

 private:
  float scale_ = 1.0f;
  float recip_ = 1.0f;
  int offset_ = 0;
};

// Shapes and tensors without data: reads give 0, writes are discarded.
class NullInterface final : public Interface {
 public:
  float read_float(const void*) const noexcept override { return 0.0f; }
  void write_float(void*, float) const noexcept override {}
  float get_scale() const noexcept override { return 1.0f; }
  float get_scale_recip() const noexcept override { return 1.0f; }
  int get_offset() const noexcept override { return 0; }
  bool is_quantized() const noexcept override { return false; }
  size_t element_size() const noexcept override { return 0; }
};

namespace opgen_htp __attribute__((visibility("hidden"))) {
template <typename T>
struct is_accessor : std::false_type {};
}  // namespace opgen_htp

// Read-only typed accessor (const tensors).
template <typename Ifc>
class AccessorRO {
 public:
  using element_type = typename Ifc::element_type;
  AccessorRO(const element_type* p, const Ifc* i) noexcept : p_(p), i_(i) {}
  element_type value() const noexcept { return *p_; }
  float as_float() const noexcept { return i_->to_float(*p_); }
  operator float() const noexcept { return as_float(); }

 private:
  const element_type* p_;
  const Ifc* i_;
};

// Read-write typed accessor: assignment encodes through the tensor's interface.
template <typename Ifc>
class Accessor {
 public:
  using element_type = typename Ifc::element_type;
  Accessor(element_type* p, const Ifc* i) noexcept : p_(p), i_(i) {}
  Accessor(const Accessor&) = default;
  element_type value() const noexcept { return *p_; }
  float as_float() const noexcept { return i_->to_float(*p_); }
  operator float() const noexcept { return as_float(); }
  void set_float(float v) const noexcept { *p_ = i_->from_float(v); }
  void set_value(element_type v) const noexcept { *p_ = v; }
  float operator=(float v) const noexcept {
    set_float(v);
    return v;
  }
  // Same encoding: plain types copy the stored value; quantized ones requantize via float.
  float operator=(const Accessor& o) const noexcept { return assign_same(o.value(), o.as_float()); }
  float operator=(const AccessorRO<Ifc>& o) const noexcept { return assign_same(o.value(), o.as_float()); }
  template <typename O, typename = std::enable_if_t<opgen_htp::is_accessor<O>::value>>
  float operator=(const O& o) const noexcept {
    return *this = o.as_float();
  }
  float operator+=(float v) const noexcept { return *this = as_float() + v; }
  float operator-=(float v) const noexcept { return *this = as_float() - v; }
  float operator*=(float v) const noexcept { return *this = as_float() * v; }

 private:
  float assign_same(element_type raw, float v) const noexcept {
    if constexpr (Ifc::is_quant) {
      set_float(v);
    } else {
      *p_ = raw;
    }
    return v;
  }
  element_type* p_;
  const Ifc* i_;
};

// Accessors of the generic Tensor: always through float.
class GenericAccessorRO {
 public:
  GenericAccessorRO(const void* p, const Interface* i) noexcept : p_(p), i_(i) {}
  float as_float() const noexcept { return p_ ? i_->read_float(p_) : 0.0f; }
  float value() const noexcept { return as_float(); }
  operator float() const noexcept { return as_float(); }

 private:
  const void* p_;
  const Interface* i_;
};

class GenericAccessor {
 public:
  GenericAccessor(void* p, const Interface* i) noexcept : p_(p), i_(i) {}
  GenericAccessor(const GenericAccessor&) = default;
  float as_float() const noexcept { return p_ ? i_->read_float(p_) : 0.0f; }
  float value() const noexcept { return as_float(); }
  operator float() const noexcept { return as_float(); }
  void set_float(float v) const noexcept {
    if (p_) i_->write_float(p_, v);
  }
  float operator=(float v) const noexcept {
    set_float(v);
    return v;
  }
  float operator=(const GenericAccessor& o) const noexcept { return *this = o.as_float(); }
  template <typename O, typename = std::enable_if_t<opgen_htp::is_accessor<O>::value>>
  float operator=(const O& o) const noexcept {
    return *this = o.as_float();
  }
  float operator+=(float v) const noexcept { return *this = as_float() + v; }
  float operator-=(float v) const noexcept { return *this = as_float() - v; }
  float operator*=(float v) const noexcept { return *this = as_float() * v; }

 private:
  void* p_;
  const Interface* i_;
};

namespace opgen_htp __attribute__((visibility("hidden"))) {
template <typename Ifc>
struct is_accessor<AccessorRO<Ifc>> : std::true_type {};
template <typename Ifc>
struct is_accessor<Accessor<Ifc>> : std::true_type {};
template <>
struct is_accessor<GenericAccessorRO> : std::true_type {};
template <>
struct is_accessor<GenericAccessor> : std::true_type {};
}  // namespace opgen_htp

#endif  // OPGEN_HTP_INTERFACE_H
