// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// DType: the element types of HTP core tensors.
#ifndef OPGEN_HTP_DTYPE_ENUM_H
#define OPGEN_HTP_DTYPE_ENUM_H

#include <cstdint>

typedef int NN_INT32_T;
typedef unsigned int NN_UINT32_T;

enum class DType : uint32_t {
  UNKNOWN = 0,
  QUInt8 = 1,
  QUInt16 = 2,
  QInt16 = 3,
  Float32 = 4,
  Int32 = 5,
  QInt32 = 6,
  QInt8 = 7,
  Float16 = 8,
  ZZ_LAST_DTYPE,
  None = 254,
  Multi = 255
};

#endif  // OPGEN_HTP_DTYPE_ENUM_H
