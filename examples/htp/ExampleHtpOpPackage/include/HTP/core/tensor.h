// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// The tensor hierarchy: Tensor -> RankedTensor<R> -> LayoutTensor<Linfo> -> ConcreteTensor<Tinfo>.
// Flat layouts are emulated completely (NHWC row-major, no padding, one block). Crouton (chunked)
// layouts exist as distinct types, so signatures, overloads and std::is_base_of tests compile,
// but any access to their elements or blocks fails to compile with a message saying so.
// Indices are bounds-checked on the host (std::out_of_range; define OPGEN_HTP_UNCHECKED_INDEX to
// turn that off); set_dims never resizes: a shape other than the tensor's is reported as an error.
#ifndef OPGEN_HTP_TENSOR_H
#define OPGEN_HTP_TENSOR_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include "HTP/core/dtype.h"
#include "HTP/core/interface.h"
#include "HTP/core/log.h"

typedef size_t Idx;
typedef long SIdx;

enum class MemoryClass { Plain = 0, TCM = 1, UnCached = 2, XXX_LAST_MEMORY_TYPE, Default = Plain };

namespace opgen_htp __attribute__((visibility("hidden"))) {

inline std::string dims_text(const size_t* dims, size_t rank) {
  std::string s = "[";
  for (size_t i = 0; i < rank; ++i) s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

// Set when an op asked set_dims for a shape other than its output's (reported after the call).
inline bool& dims_mismatch() noexcept {
  static thread_local bool flag = false;
  return flag;
}

inline bool check_set_dims(const size_t* have, size_t rank, const size_t* want, size_t want_rank) {
  bool same = rank == want_rank;
  for (size_t i = 0; same && i < rank; ++i) same = have[i] == want[i];
  if (!same) {
    dims_mismatch() = true;
    add_message(NN_LOG_ERRORLVL, "set_dims(" + dims_text(want, want_rank) + ") on a tensor of shape " +
                                     dims_text(have, rank) +
                                     ": HTP tensors are never resized; the output shape comes from the node");
  }
  return false;  // as on the device: set_dims does not report success
}

// Row-major offset of `coords` (n of them; missing trailing ones are 0).
inline size_t flat_offset(const size_t* dims, size_t rank, size_t n, const SIdx* coords) {
#ifndef OPGEN_HTP_UNCHECKED_INDEX
  bool ok = n <= rank;
  for (size_t i = 0; ok && i < n; ++i) ok = coords[i] >= 0 && static_cast<size_t>(coords[i]) < dims[i];
  if (!ok) {
    std::string text = "index (";
    for (size_t i = 0; i < n; ++i) text += (i ? "," : "") + std::to_string(coords[i]);
    throw std::out_of_range(text + ") is out of range for a tensor of shape " + dims_text(dims, rank));
  }
#endif
  size_t offset = 0;
  for (size_t i = 0; i < rank; ++i) offset = offset * dims[i] + (i < n ? static_cast<size_t>(coords[i]) : 0);
  return offset;
}

template <typename... T>
struct always_false : std::false_type {};

}  // namespace opgen_htp

#define OPGEN_HTP_NO_CROUTON_(WHAT)                                                             \
  static_assert(!Layout::chunked, "opgen HTP host emulation: " WHAT " of a crouton (chunked) " \
                "layout tensor is not emulated on the host. Register a flat variant of the op "  \
                "(Tensor, PlainFloatTensor, QuantUint8Tensor, ...) for the host and guard the "  \
                "crouton code with #ifndef OPGEN_HTP_HOST_EMULATION")

class Tensor {
 public:
  enum dimensions { BATCH = 0, HEIGHT = 1, WIDTH = 2, DEPTH = 3, CHANNEL = 4 };
  Tensor() = default;
  Tensor(const Tensor&) = delete;
  Tensor& operator=(const Tensor&) = delete;
  virtual ~Tensor() = default;

  virtual size_t rank() const noexcept = 0;
  virtual size_t dim(size_t i) const noexcept = 0;
  virtual std::pair<const size_t*, size_t> get_dims() const noexcept = 0;
  std::array<size_t, 4> dims() const noexcept { return {{dim(0), dim(1), dim(2), dim(3)}}; }
  template <typename... I, typename = std::enable_if_t<(sizeof...(I) > 0)>>
  std::array<size_t, sizeof...(I)> dims(I... which) const noexcept {
    return {{dim(static_cast<size_t>(which))...}};
  }
  std::tuple<size_t, size_t, size_t, size_t> get_dims_4() const {
    if (rank() != 4) throw std::runtime_error("get_dims_4 on a tensor of rank " + std::to_string(rank()));
    return std::make_tuple(dim(0), dim(1), dim(2), dim(3));
  }
  std::tuple<size_t, size_t> get_dims_1_2() const {
    if (rank() < 3) throw std::runtime_error("get_dims_1_2 on a tensor of rank " + std::to_string(rank()));
    return std::make_tuple(dim(1), dim(2));
  }
  virtual bool set_dims(const size_t dims[]) = 0;
  virtual bool set_dims(const Tensor& other) = 0;

  virtual void* raw_data() noexcept = 0;
  virtual const void* raw_data_const() const noexcept = 0;
  virtual size_t total_storage_elements() const noexcept = 0;
  size_t total_storage_bytes() const noexcept { return total_storage_elements() * interface().element_size(); }
  virtual DTypeScaleOff get_dtype_intfc() const noexcept = 0;
  DType get_dtype() const noexcept { return get_dtype_intfc().dtype; }
  float get_interface_scale() const noexcept { return get_dtype_intfc().scale; }
  int get_interface_offset() const noexcept { return get_dtype_intfc().offset; }
  virtual const Interface& interface() const noexcept = 0;
  // Address of an element (bounds-checked: throws std::out_of_range); null for shapes.
  virtual void* element_ptr(size_t n, const SIdx coords[]) const = 0;
  virtual const char* true_name() const noexcept = 0;

  template <typename... I>
  GenericAccessor operator()(I... i) {
    const SIdx coords[sizeof...(I) + 1] = {static_cast<SIdx>(i)..., 0};
    return GenericAccessor(element_ptr(sizeof...(I), coords), &interface());
  }
  template <typename... I>
  GenericAccessorRO operator()(I... i) const {
    const SIdx coords[sizeof...(I) + 1] = {static_cast<SIdx>(i)..., 0};
    return GenericAccessorRO(element_ptr(sizeof...(I), coords), &interface());
  }
};

template <size_t R>
class RankedTensor : public Tensor {
 public:
  static constexpr size_t Rank = R;
  size_t rank() const noexcept override { return R; }
};

// ---- layouts -----------------------------------------------------------------------------------

namespace Ldefs {
#define OPGEN_HTP_LAYOUTDEF_(NAME, RANK, ELBYTES, CHUNKED, C0, C1, C2, C3)                 \
  struct NAME {                                                                         \
    static constexpr size_t Rank = RANK;                                                \
    static constexpr size_t elbytes = ELBYTES;                                          \
    static constexpr bool chunked = CHUNKED;                                            \
    static constexpr std::array<size_t, 4> ChunkSizes = {{C0, C1, C2, C3}};             \
    static constexpr size_t chunk_total = C0 * C1 * C2 * C3;                            \
  };
OPGEN_HTP_LAYOUTDEF_(Flat_8, 4, 1, false, 1, 1, 1, 1)
OPGEN_HTP_LAYOUTDEF_(Flat_16, 4, 2, false, 1, 1, 1, 1)
OPGEN_HTP_LAYOUTDEF_(Flat_32, 4, 4, false, 1, 1, 1, 1)
OPGEN_HTP_LAYOUTDEF_(Flat5D_8, 5, 1, false, 1, 1, 1, 1)
OPGEN_HTP_LAYOUTDEF_(Flat5D_16, 5, 2, false, 1, 1, 1, 1)
OPGEN_HTP_LAYOUTDEF_(Flat5D_32, 5, 4, false, 1, 1, 1, 1)
OPGEN_HTP_LAYOUTDEF_(Flat6D_32, 6, 4, false, 1, 1, 1, 1)
OPGEN_HTP_LAYOUTDEF_(Crouton_8, 4, 1, true, 1, 8, 8, 32)
OPGEN_HTP_LAYOUTDEF_(Crouton_16, 4, 2, true, 1, 8, 4, 32)
OPGEN_HTP_LAYOUTDEF_(Crouton_32, 4, 4, true, 1, 8, 2, 32)
OPGEN_HTP_LAYOUTDEF_(Crouton4x1_8, 4, 1, true, 1, 8, 8, 32)
OPGEN_HTP_LAYOUTDEF_(Crouton2x2_8, 4, 1, true, 1, 8, 8, 32)
OPGEN_HTP_LAYOUTDEF_(WideCrouton_8, 4, 1, true, 1, 2, 32, 32)
OPGEN_HTP_LAYOUTDEF_(WideCrouton2x2_8, 4, 1, true, 1, 2, 32, 32)
OPGEN_HTP_LAYOUTDEF_(WideCrouton_32, 4, 4, true, 1, 2, 8, 32)
OPGEN_HTP_LAYOUTDEF_(Depth32_32, 4, 4, true, 1, 1, 4, 32)
OPGEN_HTP_LAYOUTDEF_(Depth32Padded_32, 4, 4, true, 1, 1, 4, 32)
#undef OPGEN_HTP_LAYOUTDEF_
}  // namespace Ldefs

template <typename Linfo>
class LayoutTensor : public RankedTensor<Linfo::Rank> {
 public:
  using Layout = Linfo;
  static constexpr size_t R = Linfo::Rank;
  static constexpr Linfo layout{};
  using Tensor::dims;

  const std::array<size_t, R>& dims() const noexcept { return dims_; }
  size_t dim(size_t i) const noexcept override { return i < R ? dims_[i] : 1; }
  std::pair<const size_t*, size_t> get_dims() const noexcept override { return {dims_.data(), size_t{R}}; }
  bool set_dims(const size_t dims[]) override { return opgen_htp::check_set_dims(dims_.data(), R, dims, R); }
  bool set_dims(const Tensor& other) override {
    const auto d = other.get_dims();
    return opgen_htp::check_set_dims(dims_.data(), R, d.first, d.second);
  }
  void* raw_data() noexcept override { return data_; }
  const void* raw_data_const() const noexcept override { return data_; }
  size_t total_storage_elements() const noexcept override {
    size_t n = 1;
    for (size_t d : dims_) n *= d;
    return n;
  }
  const Interface& interface() const noexcept override { return *intfc_; }
  void* element_ptr(size_t n, const SIdx coords[]) const override {
    return static_cast<char*>(data_) + opgen_htp::flat_offset(dims_.data(), R, n, coords) * Linfo::elbytes;
  }

 protected:
  LayoutTensor(const std::array<size_t, R>& dims, void* data, const Interface* intfc) noexcept
      : dims_(dims), data_(data), intfc_(intfc) {}
  template <typename... I>
  size_t offset_of(I... i) const {
    static_assert(sizeof...(I) == R, "a tensor of this type takes exactly rank-many indices");
    const SIdx coords[R] = {static_cast<SIdx>(i)...};
    return opgen_htp::flat_offset(dims_.data(), R, R, coords);
  }
  std::array<size_t, R> dims_;
  void* data_;
  const Interface* intfc_;
};

typedef LayoutTensor<Ldefs::Flat_8> LayoutFlat_8;
typedef LayoutTensor<Ldefs::Flat_16> LayoutFlat_16;
typedef LayoutTensor<Ldefs::Flat_32> LayoutFlat_32;
typedef LayoutTensor<Ldefs::Flat5D_8> LayoutFlat5D_8;
typedef LayoutTensor<Ldefs::Flat5D_16> LayoutFlat5D_16;
typedef LayoutTensor<Ldefs::Flat5D_32> LayoutFlat5D_32;
typedef LayoutTensor<Ldefs::Crouton_8> LayoutCrouton_8;
typedef LayoutTensor<Ldefs::Crouton_16> LayoutCrouton_16;
typedef LayoutTensor<Ldefs::Crouton_32> LayoutCrouton_32;
typedef LayoutTensor<Ldefs::Crouton4x1_8> LayoutCrouton4x1_8;
typedef LayoutTensor<Ldefs::Crouton2x2_8> LayoutCrouton2x2_8;
typedef LayoutTensor<Ldefs::WideCrouton_8> LayoutWideCrouton_8;
typedef LayoutTensor<Ldefs::WideCrouton2x2_8> LayoutWideCrouton2x2_8;
typedef LayoutTensor<Ldefs::WideCrouton_32> LayoutWideCrouton_32;

// ---- concrete tensors --------------------------------------------------------------------------

template <typename Tinfo>
class ConcreteTensor : public LayoutTensor<typename Tinfo::Layout> {
  using Base = LayoutTensor<typename Tinfo::Layout>;

 public:
  using Layout = typename Tinfo::Layout;
  static constexpr size_t R = Layout::Rank;
  using element_type = typename dtype_traits<Tinfo::dtype>::element_type;
  using storage_type = typename dtype_traits<Tinfo::dtype>::storage_type;
  using interface_type = std::conditional_t<dtype_traits<Tinfo::dtype>::is_quant,
                                            ScaleOffsetInterface<element_type>, PlainInterface<element_type>>;
  struct traits {
    static constexpr DType dtype = Tinfo::dtype;
    static constexpr MemoryClass memclass = Tinfo::memclass;
    using element_type = ConcreteTensor::element_type;
    using raw_type = ConcreteTensor::storage_type;
    using interface_type = ConcreteTensor::interface_type;
    using layout = Layout;
  };

  // A view of `data` (not owned) with this shape and, for quantized types, scale and zero offset.
  ConcreteTensor(const std::array<size_t, R>& dims, void* data, float scale = 1.0f, int offset = 0)
      : Base(dims, data, nullptr), value_intfc_(scale, offset), blocktab_{static_cast<element_type*>(data)} {
    Base::intfc_ = &value_intfc_;
  }

  DTypeScaleOff get_dtype_intfc() const noexcept override {
    return DTypeScaleOff(Tinfo::dtype, value_intfc_.get_scale(), value_intfc_.get_offset());
  }
  const char* true_name() const noexcept override { return Tinfo::tag; }
  float interface_scale() const noexcept { return value_intfc_.get_scale(); }
  float interface_scale_recip() const noexcept { return value_intfc_.get_scale_recip(); }
  int32_t interface_offset() const noexcept { return value_intfc_.get_offset(); }

  template <typename... I>
  Accessor<interface_type> operator()(I... i) {
    OPGEN_HTP_NO_CROUTON_("element access t(b,h,w,d)");
    return Accessor<interface_type>(typed() + this->offset_of(i...), &value_intfc_);
  }
  template <typename... I>
  AccessorRO<interface_type> operator()(I... i) const {
    OPGEN_HTP_NO_CROUTON_("element access t(b,h,w,d)");
    return AccessorRO<interface_type>(typed() + this->offset_of(i...), &value_intfc_);
  }
  template <typename... I>
  element_type& get_raw(I... i) {
    OPGEN_HTP_NO_CROUTON_("get_raw()");
    return typed()[this->offset_of(i...)];
  }
  template <typename... I>
  const element_type& get_raw(I... i) const {
    OPGEN_HTP_NO_CROUTON_("get_raw()");
    return typed()[this->offset_of(i...)];
  }
  template <typename... I>
  element_type* get_raw_addr(I... i) const {
    OPGEN_HTP_NO_CROUTON_("get_raw_addr()");
    return typed() + this->offset_of(i...);
  }
  // Flat tensors have a one-entry block table whose block is the whole tensor.
  element_type** blocktab_ptr() const {
    OPGEN_HTP_NO_CROUTON_("blocktab_ptr()");
    return const_cast<element_type**>(blocktab_);
  }
  size_t blocktab_len() const {
    OPGEN_HTP_NO_CROUTON_("blocktab_len()");
    return 1;
  }
  size_t blocktab_blocksize() const {
    OPGEN_HTP_NO_CROUTON_("blocktab_blocksize()");
    return this->total_storage_elements();
  }
  size_t blocktab_blocksize_bytes() const {
    OPGEN_HTP_NO_CROUTON_("blocktab_blocksize_bytes()");
    return this->total_storage_elements() * sizeof(element_type);
  }
  element_type* blocktab_at(size_t i) const {
    OPGEN_HTP_NO_CROUTON_("blocktab_at()");
    return i == 0 ? typed() : nullptr;
  }
  template <typename... I>
  element_type* block_ptr(I... i) const {
    OPGEN_HTP_NO_CROUTON_("block_ptr()");
    (void)this->offset_of(i...);
    return typed();
  }
  // Only chunked types have tile strides; on contiguous ones the result is void, as on the device.
  void tile_strides() const { OPGEN_HTP_NO_CROUTON_("tile_strides()"); }

 private:
  element_type* typed() const noexcept { return static_cast<element_type*>(this->data_); }
  interface_type value_intfc_;
  element_type* blocktab_[1];
};

template <typename Tinfo>
using TensorContiguous = ConcreteTensor<Tinfo>;

namespace Tdefs {
#define OPGEN_HTP_TENSORDEF_(NAME, LAYOUT, DT, MC, TAG, TYPENAME) \
  struct NAME {                                                   \
    using Layout = Ldefs::LAYOUT;                                 \
    static constexpr DType dtype = DType::DT;                     \
    static constexpr MemoryClass memclass = MemoryClass::MC;      \
    static constexpr const char* tag = TAG;                       \
    static constexpr const char* type_name = TYPENAME;            \
  };
#define OPGEN_HTP_TENSORDEF2_(NAME, LAYOUT, DT, TAG, TCMTAG, TYPENAME)                  \
  OPGEN_HTP_TENSORDEF_(NAME, LAYOUT, DT, Plain, TAG, TYPENAME)                          \
  OPGEN_HTP_TENSORDEF_(NAME##_TCM, LAYOUT, DT, TCM, TCMTAG, TYPENAME "_TCM")
OPGEN_HTP_TENSORDEF2_(PlainFloat, Flat_32, Float32, "ff", "FF", "PlainFloatTensor")
OPGEN_HTP_TENSORDEF2_(PlainFloat5D, Flat5D_32, Float32, "f5f", "F5F", "PlainFloatTensor5D")
OPGEN_HTP_TENSORDEF2_(PlainFloat16, Flat_16, Float16, "fe", "FE", "PlainFloat16Tensor")
OPGEN_HTP_TENSORDEF2_(PlainFloat16_5D, Flat5D_16, Float16, "f5e", "F5E", "PlainFloat16Tensor5D")
OPGEN_HTP_TENSORDEF2_(QuantUint8, Flat_8, QUInt8, "fB", "FB", "QuantUint8Tensor")
OPGEN_HTP_TENSORDEF2_(QuantUint8_5D, Flat5D_8, QUInt8, "f5B", "F5B", "QuantUint8Tensor5D")
OPGEN_HTP_TENSORDEF2_(QuantInt8, Flat_8, QInt8, "fb", "Fb", "QuantInt8Tensor")
OPGEN_HTP_TENSORDEF2_(QuantInt8_5D, Flat5D_8, QInt8, "f5b", "F5b", "QuantInt8Tensor5D")
OPGEN_HTP_TENSORDEF2_(QuantUint16, Flat_16, QUInt16, "fH", "FH", "QuantUint16Tensor")
OPGEN_HTP_TENSORDEF2_(QuantUint16_5D, Flat5D_16, QUInt16, "f5H", "F5H", "QuantUint16Tensor5D")
OPGEN_HTP_TENSORDEF2_(QuantInt16, Flat_16, QInt16, "fh", "Fh", "QuantInt16Tensor")
OPGEN_HTP_TENSORDEF2_(QuantInt32, Flat_32, QInt32, "fs", "FS", "QuantInt32Tensor")
OPGEN_HTP_TENSORDEF2_(Int32, Flat_32, Int32, "fi", "FI", "Int32Tensor")
OPGEN_HTP_TENSORDEF2_(Int32_5D, Flat5D_32, Int32, "f5i", "F5I", "Int32Tensor5D")
OPGEN_HTP_TENSORDEF_(Int32_6D, Flat6D_32, Int32, Plain, "f6i", "Int32Tensor6D")
OPGEN_HTP_TENSORDEF2_(QFloat, Flat_32, Int32, "ft", "FT", "QFloatTensor")
OPGEN_HTP_TENSORDEF2_(F16Weights, Flat_16, Float16, "fw", "FW", "F16WeightsTensor")
OPGEN_HTP_TENSORDEF_(D32Float, Depth32_32, Float32, Plain, "rf", "D32FloatTensor")
OPGEN_HTP_TENSORDEF_(D32PaddedFloat, Depth32Padded_32, Float32, Plain, "pf", "D32PaddedFloatTensor")
OPGEN_HTP_TENSORDEF2_(QUint8Crouton, Crouton_8, QUInt8, "cB", "CB", "QUint8CroutonTensor")
OPGEN_HTP_TENSORDEF2_(QInt8Crouton, Crouton_8, QInt8, "cb", "Cb", "QInt8CroutonTensor")
OPGEN_HTP_TENSORDEF2_(QUint8Crouton4x1, Crouton4x1_8, QUInt8, "c#B", "C#B", "QUint8Crouton4x1Tensor")
OPGEN_HTP_TENSORDEF2_(QUint8Crouton2x2, Crouton2x2_8, QUInt8, "c#B", "C#B", "QUint8Crouton2x2Tensor")
OPGEN_HTP_TENSORDEF2_(QUint8WideCrouton, WideCrouton_8, QUInt8, "wB", "WB", "QUint8WideCroutonTensor")
OPGEN_HTP_TENSORDEF2_(QUint8WideCrouton2x2, WideCrouton2x2_8, QUInt8, "w#B", "W#B", "QUint8WideCrouton2x2Tensor")
OPGEN_HTP_TENSORDEF2_(QUint16Crouton, Crouton_16, QUInt16, "cH", "CH", "QUint16CroutonTensor")
OPGEN_HTP_TENSORDEF2_(QInt16Crouton, Crouton_16, QInt16, "ch", "Ch", "QInt16CroutonTensor")
OPGEN_HTP_TENSORDEF2_(F16Crouton, Crouton_16, Float16, "ce", "CE", "F16CroutonTensor")
OPGEN_HTP_TENSORDEF2_(Int32Crouton, Crouton_32, Int32, "ci", "CI", "Int32CroutonTensor")
OPGEN_HTP_TENSORDEF2_(QInt32Crouton, Crouton_32, QInt32, "cs", "CS", "QInt32CroutonTensor")
OPGEN_HTP_TENSORDEF2_(QFloatCrouton, Crouton_32, Int32, "ct", "CT", "QFloatCroutonTensor")
OPGEN_HTP_TENSORDEF2_(QInt32WideCrouton, WideCrouton_32, QInt32, "ws", "WS", "QInt32WideCroutonTensor")
OPGEN_HTP_TENSORDEF_(FloatCrouton, Crouton_32, Float32, Plain, "cf", "ConcreteTensor<Tdefs::FloatCrouton>")
#undef OPGEN_HTP_TENSORDEF2_
#undef OPGEN_HTP_TENSORDEF_
}  // namespace Tdefs

#define OPGEN_HTP_TYPEDEF2_(NAME, TDEF)           \
  typedef ConcreteTensor<Tdefs::TDEF> NAME;       \
  typedef ConcreteTensor<Tdefs::TDEF##_TCM> NAME##_TCM;
OPGEN_HTP_TYPEDEF2_(PlainFloatTensor, PlainFloat)
OPGEN_HTP_TYPEDEF2_(PlainFloatTensor5D, PlainFloat5D)
OPGEN_HTP_TYPEDEF2_(PlainFloat16Tensor, PlainFloat16)
OPGEN_HTP_TYPEDEF2_(PlainFloat16Tensor5D, PlainFloat16_5D)
OPGEN_HTP_TYPEDEF2_(QuantUint8Tensor, QuantUint8)
OPGEN_HTP_TYPEDEF2_(QuantUint8Tensor5D, QuantUint8_5D)
OPGEN_HTP_TYPEDEF2_(QuantInt8Tensor, QuantInt8)
OPGEN_HTP_TYPEDEF2_(QuantInt8Tensor5D, QuantInt8_5D)
OPGEN_HTP_TYPEDEF2_(QuantUint16Tensor, QuantUint16)
OPGEN_HTP_TYPEDEF2_(QuantUint16Tensor5D, QuantUint16_5D)
OPGEN_HTP_TYPEDEF2_(QuantInt16Tensor, QuantInt16)
OPGEN_HTP_TYPEDEF2_(QuantInt32Tensor, QuantInt32)
OPGEN_HTP_TYPEDEF2_(Int32Tensor, Int32)
OPGEN_HTP_TYPEDEF2_(Int32Tensor5D, Int32_5D)
OPGEN_HTP_TYPEDEF2_(QFloatTensor, QFloat)
OPGEN_HTP_TYPEDEF2_(F16WeightsTensor, F16Weights)
OPGEN_HTP_TYPEDEF2_(QUint8CroutonTensor, QUint8Crouton)
OPGEN_HTP_TYPEDEF2_(QInt8CroutonTensor, QInt8Crouton)
OPGEN_HTP_TYPEDEF2_(QUint8Crouton4x1Tensor, QUint8Crouton4x1)
OPGEN_HTP_TYPEDEF2_(QUint8Crouton2x2Tensor, QUint8Crouton2x2)
OPGEN_HTP_TYPEDEF2_(QUint8WideCroutonTensor, QUint8WideCrouton)
OPGEN_HTP_TYPEDEF2_(QUint8WideCrouton2x2Tensor, QUint8WideCrouton2x2)
OPGEN_HTP_TYPEDEF2_(QUint16CroutonTensor, QUint16Crouton)
OPGEN_HTP_TYPEDEF2_(QInt16CroutonTensor, QInt16Crouton)
OPGEN_HTP_TYPEDEF2_(F16CroutonTensor, F16Crouton)
OPGEN_HTP_TYPEDEF2_(Int32CroutonTensor, Int32Crouton)
OPGEN_HTP_TYPEDEF2_(QInt32CroutonTensor, QInt32Crouton)
OPGEN_HTP_TYPEDEF2_(QFloatCroutonTensor, QFloatCrouton)
OPGEN_HTP_TYPEDEF2_(QInt32WideCroutonTensor, QInt32WideCrouton)
#undef OPGEN_HTP_TYPEDEF2_
typedef ConcreteTensor<Tdefs::Int32_6D> Int32Tensor6D;
typedef ConcreteTensor<Tdefs::D32Float> D32FloatTensor;
typedef ConcreteTensor<Tdefs::D32PaddedFloat> D32PaddedFloatTensor;

template <typename T>
using tensor_traits = typename T::traits;

#include "HTP/core/tensor_shape.h"

#endif  // OPGEN_HTP_TENSOR_H
