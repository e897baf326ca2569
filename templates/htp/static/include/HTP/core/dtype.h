// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// dtype_traits<DT> and DTypeScaleOff.
#ifndef OPGEN_HTP_DTYPE_H
#define OPGEN_HTP_DTYPE_H

#include <cstddef>
#include <cstdint>

#include "HTP/core/dtype_enum.h"
#include "HTP/core/float16.h"

template <DType DT>
struct dtype_traits;

#define OPGEN_HTP_DTYPE_TRAITS_(DT, ELEMENT, STORAGE, QUANT, FLOAT)          \
  template <>                                                               \
  struct dtype_traits<DType::DT> {                                          \
    using element_type = ELEMENT;                                           \
    using storage_type = STORAGE;                                           \
    static constexpr size_t element_size = sizeof(ELEMENT);                 \
    static constexpr bool is_quant = QUANT;                                 \
    static constexpr bool is_float = FLOAT;                                 \
  };

OPGEN_HTP_DTYPE_TRAITS_(QUInt8, uint8_t, uint8_t, true, false)
OPGEN_HTP_DTYPE_TRAITS_(QInt8, int8_t, uint8_t, true, false)
OPGEN_HTP_DTYPE_TRAITS_(QUInt16, uint16_t, uint16_t, true, false)
OPGEN_HTP_DTYPE_TRAITS_(QInt16, int16_t, uint16_t, true, false)
OPGEN_HTP_DTYPE_TRAITS_(QInt32, int32_t, uint32_t, true, false)
OPGEN_HTP_DTYPE_TRAITS_(Int32, int32_t, uint32_t, false, false)
OPGEN_HTP_DTYPE_TRAITS_(Float32, float, uint32_t, false, true)
OPGEN_HTP_DTYPE_TRAITS_(Float16, Float16, uint16_t, false, true)
#undef OPGEN_HTP_DTYPE_TRAITS_

struct DTypeScaleOff {
  DType dtype = DType::UNKNOWN;
  float scale = 1.0f;
  int offset = 0;
  DTypeScaleOff() = default;
  DTypeScaleOff(DType d, float s, int o) : dtype(d), scale(s), offset(o) {}
};

namespace opgen_htp __attribute__((visibility("hidden"))) {
inline size_t dtype_size(DType d) noexcept {
  switch (d) {
    case DType::QUInt8:
    case DType::QInt8:
      return 1;
    case DType::QUInt16:
    case DType::QInt16:
    case DType::Float16:
      return 2;
    case DType::QInt32:
    case DType::Int32:
    case DType::Float32:
      return 4;
    default:
      return 0;
  }
}
}  // namespace opgen_htp

#endif  // OPGEN_HTP_DTYPE_H
