// opgen-owned file: shipped by opgen into op packages and refreshed on regeneration.
//
// Declaration-driven checking and reading of op configs (Qnn_OpConfig_t), shared by the
// backends whose nodes carry one (GPU). Generated code describes each op's declared inputs,
// outputs and parameters with the tables below; validateOpConfig checks a config against them.
// It uses only QnnTypes.h and QnnOpPackage.h, so it builds against opgen's bundled headers and
// against a vendor SDK alike.
#ifndef OPGEN_OP_CONFIG_SUPPORT_HPP
#define OPGEN_OP_CONFIG_SUPPORT_HPP

#include <cstddef>
#include <cstdint>
#include <vector>

#include "QnnLog.h"
#include "QnnOpPackage.h"
#include "QnnTypes.h"

namespace opgen {

// Element type codes: the Qnn_DataType_t values.
enum class DataType : uint32_t {
  Int8 = 0x0008,
  Int16 = 0x0016,
  Int32 = 0x0032,
  Int64 = 0x0064,
  Uint8 = 0x0108,
  Uint16 = 0x0116,
  Uint32 = 0x0132,
  Uint64 = 0x0164,
  Float16 = 0x0216,
  Float32 = 0x0232,
  Float64 = 0x0264,
  SFixedPoint4 = 0x0304,
  SFixedPoint8 = 0x0308,
  SFixedPoint16 = 0x0316,
  SFixedPoint32 = 0x0332,
  UFixedPoint4 = 0x0404,
  UFixedPoint8 = 0x0408,
  UFixedPoint16 = 0x0416,
  UFixedPoint32 = 0x0432,
  Bool8 = 0x0508,
  Undefined = 0x7FFFFFFF,
};

// The config spelling of a datatype code ("QNN_DATATYPE_FLOAT_32"), for messages.
const char* dataTypeName(uint32_t code);

// Logging. Each backend's support library defines it (and where messages go).
void log(QnnLog_Level_t level, const char* fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

// A declared input or output. At most one per direction is Repeated.
struct TensorSpec {
  const char* name;
  bool mandatory;
  bool repeated;
  const uint32_t* dataTypes;
  uint32_t numDataTypes;
  int32_t rank;  // declared rank; -1 for any (ND)
};

// A declared parameter.
struct ParamSpec {
  const char* name;
  bool mandatory;
  bool isTensor;
  const uint32_t* dataTypes;
  uint32_t numDataTypes;
  int32_t rank;            // required rank of a tensor parameter; -1 for any
  uint32_t numEnumValues;  // enumeration size; 0 when not an enumeration
};

// For each of `count` actual tensors, the index of the declared tensor it binds to: declared
// tensors in order, a Repeated one absorbing every tensor beyond the declared count, trailing
// optional ones absent. False (with a logged reason) when `count` tensors cannot bind.
bool mapTensors(const char* opName, const char* role, const TensorSpec* specs, uint32_t numSpecs,
                uint32_t count, std::vector<uint32_t>* specOf);

// Checks an op config against its declaration: version, type and package name; tensor counts,
// datatypes and ranks; parameters known, present when mandatory, of the declared kind,
// datatype and rank, enumerations in range. Logs the first problem; returns QNN_SUCCESS or
// QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE.
Qnn_ErrorHandle_t validateOpConfig(const Qnn_OpConfig_t& config, const char* packageName,
                                   const char* opName, const TensorSpec* inputs,
                                   uint32_t numInputs, const TensorSpec* outputs,
                                   uint32_t numOutputs, const ParamSpec* params,
                                   uint32_t numParams);

// The fields of a tensor, whatever its version (pointers into the tensor itself).
struct TensorFields {
  bool ok;  // false: an unknown version, or version 2 with a header that does not declare it
  const char* name;
  uint32_t rank;
  uint32_t* dimensions;
  Qnn_DataType_t* dataType;
  const void* data;   // the raw client buffer, when memType is RAW (else nullptr)
  uint32_t dataSize;  // its bytes
};

// Version 1 always; version 2 (newer SDKs, whose leading fields are version 1's) when the
// QnnTypes.h the package is built against declares it, detected at compile time. opgen's
// bundled header (core API 2.7.2) has no version 2.
TensorFields tensorFields(const Qnn_Tensor_t& tensor);

// The parameter called `name`, or nullptr when the config omits it.
const Qnn_Param_t* findParam(const Qnn_OpConfigV1_t& config, const char* name);

// Whether a Qnn_Scalar_t of datatype `code` can carry its value. The bundled header's union
// holds at most 32 bits, so there 64-bit datatypes cannot travel as scalar parameters
// (validateOpConfig rejects them); a newer SDK's Qnn_Scalar_t with int64Value, uint64Value and
// doubleValue members carries them (detected at compile time).
bool scalarCarries(uint32_t code);
// Whether `code` is an integer datatype (INT_*, UINT_*) or BOOL_8.
bool isIntegerType(uint32_t code);
// A scalar's integer value whatever its integer width and signedness (BOOL_8 as 0/1). False
// for a non-integer datatype, a datatype the header cannot carry, or a UINT_64 above INT64_MAX.
bool scalarInteger(const Qnn_Scalar_t& scalar, int64_t* value);
// Bytes per element of datatype `code` (0 for an unknown one).
size_t elementSize(uint32_t code);
// Element `index` of a buffer of `code`-typed integer elements; false for a non-integer type.
bool elementInteger(const void* data, uint32_t code, size_t index, int64_t* value);
// A scalar's value as a double, whatever its datatype (0.0 for one it cannot carry). FLOAT_16
// scalars are read from floatValue, the union's only floating-point member.
double scalarValue(const Qnn_Scalar_t& scalar);

// Element `index` of a buffer of `code`-typed elements, as a double.
double elementAsDouble(const void* data, uint32_t code, size_t index);

}  // namespace opgen

#endif  // OPGEN_OP_CONFIG_SUPPORT_HPP
