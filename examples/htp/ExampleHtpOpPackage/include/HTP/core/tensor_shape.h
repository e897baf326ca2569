// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// TensorShape<R> (a shape without data, made by optimization rules) and the rank-0 scalars.
// QNN params never arrive as these types, so the runtime never selects registrations using them.
#ifndef OPGEN_HTP_TENSOR_SHAPE_H
#define OPGEN_HTP_TENSOR_SHAPE_H

#include "HTP/core/tensor.h"

template <size_t R>
class TensorShape : public RankedTensor<R> {
 public:
  explicit TensorShape(const std::array<size_t, R>& s) : shape(s) {}
  const std::array<size_t, R> shape;
  using Tensor::dims;
  const std::array<size_t, R>& dims() const noexcept { return shape; }
  size_t dim(size_t i) const noexcept override { return i < R ? shape[i] : 1; }
  std::pair<const size_t*, size_t> get_dims() const noexcept override { return {shape.data(), R}; }
  bool set_dims(const size_t*) override { return false; }
  bool set_dims(const Tensor&) override { return false; }
  void* raw_data() noexcept override { return nullptr; }
  const void* raw_data_const() const noexcept override { return nullptr; }
  size_t total_storage_elements() const noexcept override { return 0; }
  DTypeScaleOff get_dtype_intfc() const noexcept override { return DTypeScaleOff(); }
  const Interface& interface() const noexcept override { return null_; }
  void* element_ptr(size_t, const SIdx*) const override { return nullptr; }
  const char* true_name() const noexcept override { return tag_; }

 private:
  NullInterface null_;
  static constexpr const char tag_[3] = {'s', static_cast<char>('0' + R), '\0'};
};

template <DType DT>
class TensorSclrDT : public Tensor {
 public:
  using element_type = typename dtype_traits<DT>::element_type;
  using interface_type = std::conditional_t<dtype_traits<DT>::is_quant, ScaleOffsetInterface<element_type>,
                                            PlainInterface<element_type>>;
  explicit TensorSclrDT(element_type v = element_type(), float scale = 1.0f, int offset = 0)
      : value_(v), intfc_(scale, offset) {}
  size_t rank() const noexcept override { return 0; }
  size_t dim(size_t) const noexcept override { return 1; }
  std::pair<const size_t*, size_t> get_dims() const noexcept override { return {nullptr, 0}; }
  bool set_dims(const size_t*) override { return false; }
  bool set_dims(const Tensor&) override { return false; }
  void* raw_data() noexcept override { return &value_; }
  const void* raw_data_const() const noexcept override { return &value_; }
  size_t total_storage_elements() const noexcept override { return 0; }
  DTypeScaleOff get_dtype_intfc() const noexcept override {
    return DTypeScaleOff(DT, intfc_.get_scale(), intfc_.get_offset());
  }
  const Interface& interface() const noexcept override { return intfc_; }
  void* element_ptr(size_t, const SIdx*) const override { return const_cast<element_type*>(&value_); }
  const char* true_name() const noexcept override { return "n"; }
  float interface_scale() const noexcept { return intfc_.get_scale(); }
  float interface_scale_recip() const noexcept { return intfc_.get_scale_recip(); }
  int32_t interface_offset() const noexcept { return intfc_.get_offset(); }
  template <typename... I>
  AccessorRO<interface_type> operator()(I...) const {
    return AccessorRO<interface_type>(&value_, &intfc_);
  }
  template <typename... I>
  Accessor<interface_type> operator()(I...) {
    return Accessor<interface_type>(&value_, &intfc_);
  }

 private:
  element_type value_;
  interface_type intfc_;
};

namespace opgen_htp __attribute__((visibility("hidden"))) {
template <typename T>
struct scalar_dtype;
template <>
struct scalar_dtype<float> {
  static constexpr DType value = DType::Float32;
};
template <>
struct scalar_dtype<int32_t> {
  static constexpr DType value = DType::Int32;
};
}  // namespace opgen_htp

template <typename T>
using TensorScalar = TensorSclrDT<opgen_htp::scalar_dtype<T>::value>;

#endif  // OPGEN_HTP_TENSOR_SHAPE_H
