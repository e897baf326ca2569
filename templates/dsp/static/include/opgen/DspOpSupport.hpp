// opgen-owned file: shipped by opgen into op packages and refreshed on regeneration.
//
// Support for DSP (UDO) op files: reading static params by name with their declared kind,
// tensor element access, TF (min/max) quantization, and the host-build portability fixes the
// vendor's sources need (strlcpy, which glibc declares only from 2.38). It uses only the UDO
// and QNN headers, so it builds against opgen's bundled headers and against a vendor SDK alike.
#ifndef OPGEN_DSP_OP_SUPPORT_HPP
#define OPGEN_DSP_OP_SUPPORT_HPP

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "DSP/QnnDspOpPackage.h"
#include "QnnLog.h"

// Op files in the vendor's style copy strings with strlcpy (the Hexagon C library has it).
// glibc declares it only from 2.38: provide it to host builds against an older one.
#if defined(__GLIBC__) && !defined(__hexagon__) && defined(__GLIBC_PREREQ)
#if !__GLIBC_PREREQ(2, 38)
#define OPGEN_DSP_PROVIDES_STRLCPY 1
static inline size_t strlcpy(char* dst, const char* src, size_t size) {
  const size_t length = strlen(src);
  if (size > 0) {
    const size_t n = length < size - 1 ? length : size - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
  }
  return length;
}
#endif
#endif

namespace opgen {

// Logging through the package's log callback (defined by the package interface).
void log(QnnLog_Level_t level, const char* fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

namespace dsp {

// The static param called `name`, or nullptr when absent.
const Udo_Param_t* findParam(uint32_t numParams, const Udo_Param_t* params, const char* name);

// False (with a logged reason) when a param has no name or is not one of `names`, or when a
// name is given twice.
bool checkParamNames(const char* op, uint32_t numParams, const Udo_Param_t* params,
                     const char* const* names, uint32_t numNames);

// A scalar param's value as a double, whatever its UDO datatype (BOOL_8 travels as uint8).
// False (logged) for a string or tensor param or an unknown datatype.
bool readScalar(const char* op, const Udo_Param_t& param, double* value);

// An enumeration param: a scalar index, or a string naming one of `labels`. False (logged)
// when out of range or not a label.
bool readEnum(const char* op, const Udo_Param_t& param, const char* const* labels,
              uint32_t numLabels, uint32_t* labelIndex);

// A tensor param (never copied: the pointer is into the caller's params). False (logged) for
// a scalar or string param.
bool readTensor(const char* op, const Udo_Param_t& param, const Udo_TensorParam_t** tensor);

// Bytes per element of a UDO datatype (0 for an unknown one).
size_t elementSize(Udo_DataType_t type);

// Elements of a tensor by its current dimensions (1 for rank 0).
uint32_t numElements(const Udo_TensorParam_t& tensor);

// Element `position` (row-major) of a tensor as a double (the stored value: fixed-point data
// is not dequantized; use TfQuant for that).
double element(const Udo_TensorParam_t& tensor, size_t position);

// TF quantization of 8-bit data: real = (q + offset) * step, with step = (max - min) / 255
// and offset = -round(-min * 255 / (max - min)).
struct TfQuant {
  float step;
  float offset;
};
TfQuant tfQuant(const Udo_TensorParam_t& tensor);
float dequantize(uint8_t q, const TfQuant& quant);
uint8_t quantize(float value, const TfQuant& quant);

}  // namespace dsp
}  // namespace opgen

#endif  // OPGEN_DSP_OP_SUPPORT_HPP
