// opgen-owned file: shipped by opgen into op packages and refreshed on regeneration.
#include "opgen/OpConfigSupport.hpp"

#include <cstdio>
#include <cstring>

namespace opgen {

namespace {

bool oneOf(uint32_t code, const uint32_t* codes, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) {
    if (codes[i] == code) return true;
  }
  return false;
}

void logTypeMismatch(const char* opName, const char* what, const char* name, uint32_t code,
                     const uint32_t* codes, uint32_t count) {
  char expected[512] = {0};
  size_t used = 0;
  for (uint32_t i = 0; i < count && used < sizeof(expected); ++i) {
    int n = std::snprintf(expected + used, sizeof(expected) - used, "%s%s", i ? ", " : "",
                          dataTypeName(codes[i]));
    if (n < 0) break;
    used += static_cast<size_t>(n);
  }
  log(QNN_LOG_LEVEL_ERROR, "%s: %s '%s' has datatype %s, expected %s", opName, what, name,
      dataTypeName(code), expected);
}

template <class V>
TensorFields fieldsOf(const V& v) {
  TensorFields f{};
  f.ok = true;
  f.name = v.name;
  f.rank = v.rank;
  f.dimensions = v.dimensions;
  // An op config's tensors are the caller's writable memory (converter inference writes them).
  f.dataType = const_cast<Qnn_DataType_t*>(&v.dataType);
  if (v.memType == QNN_TENSORMEMTYPE_RAW) {
    f.data = v.clientBuf.data;
    f.dataSize = v.clientBuf.dataSize;
  }
  return f;
}

// Chosen by overload resolution: the first where the header declares the member, else the
// fallback (int binds better than long).
template <class T>
auto fieldsV2(const T& t, int) -> decltype(fieldsOf(t.v2)) {
  return fieldsOf(t.v2);
}
template <class T>
TensorFields fieldsV2(const T&, long) {
  return TensorFields{};
}

template <class S>
auto wideInteger(const S& s, uint32_t code, int64_t* value, int)
    -> decltype(s.int64Value, s.uint64Value, bool()) {
  if (code == static_cast<uint32_t>(DataType::Int64)) {
    *value = s.int64Value;
    return true;
  }
  if (code == static_cast<uint32_t>(DataType::Uint64) && s.uint64Value <= INT64_MAX) {
    *value = static_cast<int64_t>(s.uint64Value);
    return true;
  }
  return false;
}
template <class S>
bool wideInteger(const S&, uint32_t, int64_t*, long) {
  return false;
}

template <class S>
constexpr auto carriesWide(const S* s, int) -> decltype(s->int64Value, s->uint64Value, true) {
  return true;
}
template <class S>
constexpr bool carriesWide(const S*, long) {
  return false;
}

template <class S>
auto doubleOf(const S& s, double* value, int) -> decltype(s.doubleValue, true) {
  *value = s.doubleValue;
  return true;
}
template <class S>
bool doubleOf(const S&, double*, long) {
  return false;
}

template <class S>
constexpr auto carriesDouble(const S* s, int) -> decltype(s->doubleValue, true) {
  return true;
}
template <class S>
constexpr bool carriesDouble(const S*, long) {
  return false;
}

// Whether integer `value` is representable in integer datatype `code` (BOOL_8: 0 or 1).
bool fits(int64_t value, uint32_t code) {
  switch (static_cast<DataType>(code)) {
    case DataType::Int8: return value >= INT8_MIN && value <= INT8_MAX;
    case DataType::Int16: return value >= INT16_MIN && value <= INT16_MAX;
    case DataType::Int32: return value >= INT32_MIN && value <= INT32_MAX;
    case DataType::Int64: return true;
    case DataType::Uint8: return value >= 0 && value <= UINT8_MAX;
    case DataType::Uint16: return value >= 0 && value <= UINT16_MAX;
    case DataType::Uint32: return value >= 0 && value <= static_cast<int64_t>(UINT32_MAX);
    case DataType::Uint64: return value >= 0;
    case DataType::Bool8: return value == 0 || value == 1;
    default: return false;
  }
}

bool declaresInteger(const ParamSpec& spec) {
  for (uint32_t i = 0; i < spec.numDataTypes; ++i) {
    if (isIntegerType(spec.dataTypes[i])) return true;
  }
  return false;
}

// Converters and runtimes send INT_32 or INT_64 (signed or not) for the same integer param
// (CONVERTER_FACTS §1.4, §3): an integer param takes any integer datatype whose value one of
// its declared integer datatypes can hold.
bool integerAccepted(const Qnn_Scalar_t& scalar, const ParamSpec& spec) {
  int64_t value = 0;
  if (!scalarInteger(scalar, &value)) return false;
  for (uint32_t i = 0; i < spec.numDataTypes; ++i) {
    if (isIntegerType(spec.dataTypes[i]) && fits(value, spec.dataTypes[i])) return true;
  }
  return false;
}

bool knownParam(const char* name, const ParamSpec* params, uint32_t numParams) {
  for (uint32_t j = 0; j < numParams; ++j) {
    if (std::strcmp(params[j].name, name) == 0) return true;
  }
  return false;
}

}  // namespace

const char* dataTypeName(uint32_t code) {
  switch (static_cast<DataType>(code)) {
    case DataType::Int8: return "QNN_DATATYPE_INT_8";
    case DataType::Int16: return "QNN_DATATYPE_INT_16";
    case DataType::Int32: return "QNN_DATATYPE_INT_32";
    case DataType::Int64: return "QNN_DATATYPE_INT_64";
    case DataType::Uint8: return "QNN_DATATYPE_UINT_8";
    case DataType::Uint16: return "QNN_DATATYPE_UINT_16";
    case DataType::Uint32: return "QNN_DATATYPE_UINT_32";
    case DataType::Uint64: return "QNN_DATATYPE_UINT_64";
    case DataType::Float16: return "QNN_DATATYPE_FLOAT_16";
    case DataType::Float32: return "QNN_DATATYPE_FLOAT_32";
    case DataType::Float64: return "QNN_DATATYPE_FLOAT_64";
    case DataType::SFixedPoint4: return "QNN_DATATYPE_SFIXED_POINT_4";
    case DataType::SFixedPoint8: return "QNN_DATATYPE_SFIXED_POINT_8";
    case DataType::SFixedPoint16: return "QNN_DATATYPE_SFIXED_POINT_16";
    case DataType::SFixedPoint32: return "QNN_DATATYPE_SFIXED_POINT_32";
    case DataType::UFixedPoint4: return "QNN_DATATYPE_UFIXED_POINT_4";
    case DataType::UFixedPoint8: return "QNN_DATATYPE_UFIXED_POINT_8";
    case DataType::UFixedPoint16: return "QNN_DATATYPE_UFIXED_POINT_16";
    case DataType::UFixedPoint32: return "QNN_DATATYPE_UFIXED_POINT_32";
    case DataType::Bool8: return "QNN_DATATYPE_BOOL_8";
    default: return "an unknown datatype";
  }
}

bool mapTensors(const char* opName, const char* role, const TensorSpec* specs, uint32_t numSpecs,
                uint32_t count, std::vector<uint32_t>* specOf) {
  specOf->clear();
  uint32_t repeated = numSpecs;
  uint32_t minimum = 0;
  for (uint32_t i = 0; i < numSpecs; ++i) {
    if (specs[i].repeated) repeated = i;
    if (specs[i].mandatory) minimum = i + 1;
  }
  if (repeated == numSpecs) {
    if (count < minimum || count > numSpecs) {
      if (minimum == numSpecs) {
        log(QNN_LOG_LEVEL_ERROR, "%s: expected %u %s(s), got %u", opName, numSpecs, role, count);
      } else {
        log(QNN_LOG_LEVEL_ERROR, "%s: expected %u to %u %s(s), got %u", opName, minimum,
            numSpecs, role, count);
      }
      return false;
    }
    for (uint32_t i = 0; i < count; ++i) specOf->push_back(i);
    return true;
  }
  // With a Repeated tensor, every declared tensor after it is present; the repeated one takes
  // the rest (at least one when it is mandatory).
  const uint32_t after = numSpecs - repeated - 1;
  const uint32_t least = specs[repeated].mandatory ? numSpecs : numSpecs - 1;
  if (count < least) {
    log(QNN_LOG_LEVEL_ERROR, "%s: expected at least %u %s(s), got %u", opName, least, role,
        count);
    return false;
  }
  for (uint32_t i = 0; i < count; ++i) {
    if (i < repeated) {
      specOf->push_back(i);
    } else if (i >= count - after) {
      specOf->push_back(numSpecs - (count - i));
    } else {
      specOf->push_back(repeated);
    }
  }
  return true;
}

Qnn_ErrorHandle_t validateOpConfig(const Qnn_OpConfig_t& config, const char* packageName,
                                   const char* opName, const TensorSpec* inputs,
                                   uint32_t numInputs, const TensorSpec* outputs,
                                   uint32_t numOutputs, const ParamSpec* params,
                                   uint32_t numParams) {
  const Qnn_ErrorHandle_t failure = QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  if (config.version != QNN_OPCONFIG_VERSION_1) {
    log(QNN_LOG_LEVEL_ERROR, "%s: unsupported op config version %d", opName,
        static_cast<int>(config.version));
    return failure;
  }
  const Qnn_OpConfigV1_t& v1 = config.v1;
  if (!v1.typeName || std::strcmp(v1.typeName, opName) != 0) {
    log(QNN_LOG_LEVEL_ERROR, "%s: op config has type '%s'", opName,
        v1.typeName ? v1.typeName : "(null)");
    return failure;
  }
  if (!v1.packageName || std::strcmp(v1.packageName, packageName) != 0) {
    log(QNN_LOG_LEVEL_ERROR, "%s: op config names package '%s', this package is '%s'", opName,
        v1.packageName ? v1.packageName : "(null)", packageName);
    return failure;
  }
  const struct {
    const char* role;
    const TensorSpec* specs;
    uint32_t numSpecs;
    uint32_t count;
    const Qnn_Tensor_t* tensors;
  } groups[2] = {{"input", inputs, numInputs, v1.numOfInputs, v1.inputTensors},
                 {"output", outputs, numOutputs, v1.numOfOutputs, v1.outputTensors}};
  for (const auto& group : groups) {
    std::vector<uint32_t> specOf;
    if (!mapTensors(opName, group.role, group.specs, group.numSpecs, group.count, &specOf)) {
      return failure;
    }
    if (group.count > 0 && !group.tensors) {
      log(QNN_LOG_LEVEL_ERROR, "%s: %s tensors are missing", opName, group.role);
      return failure;
    }
    for (uint32_t i = 0; i < group.count; ++i) {
      const TensorSpec& spec = group.specs[specOf[i]];
      const Qnn_Tensor_t& tensor = group.tensors[i];
      const TensorFields fields = tensorFields(tensor);
      if (!fields.ok) {
        log(QNN_LOG_LEVEL_ERROR, "%s: %s %u ('%s') has unsupported tensor version %d", opName,
            group.role, i, spec.name, static_cast<int>(tensor.version));
        return failure;
      }
      const uint32_t code = static_cast<uint32_t>(*fields.dataType);
      if (!oneOf(code, spec.dataTypes, spec.numDataTypes)) {
        logTypeMismatch(opName, group.role, spec.name, code, spec.dataTypes, spec.numDataTypes);
        return failure;
      }
      if (spec.rank >= 0 && fields.rank != static_cast<uint32_t>(spec.rank)) {
        log(QNN_LOG_LEVEL_ERROR, "%s: %s '%s' has rank %u, expected %d", opName, group.role,
            spec.name, fields.rank, spec.rank);
        return failure;
      }
      if (fields.rank > 0 && !fields.dimensions) {
        log(QNN_LOG_LEVEL_ERROR, "%s: %s '%s' has rank %u but no dimensions", opName,
            group.role, spec.name, fields.rank);
        return failure;
      }
    }
  }
  if (v1.numOfParams > 0 && !v1.params) {
    log(QNN_LOG_LEVEL_ERROR, "%s: parameters are missing", opName);
    return failure;
  }
  for (uint32_t i = 0; i < v1.numOfParams; ++i) {
    const char* name = v1.params[i].name;
    if (!name || !knownParam(name, params, numParams)) {
      log(QNN_LOG_LEVEL_ERROR, "%s: unknown parameter '%s'", opName, name ? name : "(null)");
      return failure;
    }
    for (uint32_t k = 0; k < i; ++k) {
      if (std::strcmp(v1.params[k].name, name) == 0) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' is given twice", opName, name);
        return failure;
      }
    }
  }
  for (uint32_t j = 0; j < numParams; ++j) {
    const ParamSpec& spec = params[j];
    const Qnn_Param_t* param = findParam(v1, spec.name);
    if (!param) {
      if (spec.mandatory) {
        log(QNN_LOG_LEVEL_ERROR, "%s: mandatory parameter '%s' is missing", opName, spec.name);
        return failure;
      }
      continue;
    }
    if (spec.isTensor) {
      if (param->paramType != QNN_PARAMTYPE_TENSOR) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' must be a tensor", opName, spec.name);
        return failure;
      }
      const TensorFields tensor = tensorFields(param->tensorParam);
      if (!tensor.ok) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' has unsupported tensor version %d", opName,
            spec.name, static_cast<int>(param->tensorParam.version));
        return failure;
      }
      const uint32_t code = static_cast<uint32_t>(*tensor.dataType);
      const bool integer = isIntegerType(code) && declaresInteger(spec);
      if (!integer && !oneOf(code, spec.dataTypes, spec.numDataTypes)) {
        logTypeMismatch(opName, "parameter", spec.name, code, spec.dataTypes, spec.numDataTypes);
        return failure;
      }
      if (spec.rank >= 0 && tensor.rank != static_cast<uint32_t>(spec.rank)) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' has rank %u, expected %d", opName,
            spec.name, tensor.rank, spec.rank);
        return failure;
      }
      if (tensor.rank > 0 && !tensor.dimensions) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' has rank %u but no dimensions", opName,
            spec.name, tensor.rank);
        return failure;
      }
    } else {
      if (param->paramType != QNN_PARAMTYPE_SCALAR) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' must be a scalar", opName, spec.name);
        return failure;
      }
      const uint32_t code = static_cast<uint32_t>(param->scalarParam.dataType);
      if (scalarCarries(code) && isIntegerType(code) && declaresInteger(spec)) {
        if (!integerAccepted(param->scalarParam, spec)) {
          int64_t value = 0;
          (void)scalarInteger(param->scalarParam, &value);
          log(QNN_LOG_LEVEL_ERROR,
              "%s: parameter '%s' = %lld (%s) is out of the range of its declared datatypes",
              opName, spec.name, static_cast<long long>(value), dataTypeName(code));
          return failure;
        }
      } else if (!oneOf(code, spec.dataTypes, spec.numDataTypes)) {
        logTypeMismatch(opName, "parameter", spec.name, code, spec.dataTypes, spec.numDataTypes);
        return failure;
      }
      if (!scalarCarries(code)) {
        log(QNN_LOG_LEVEL_ERROR,
            "%s: parameter '%s' has datatype %s, whose values a Qnn_Scalar_t cannot carry",
            opName, spec.name, dataTypeName(code));
        return failure;
      }
      if (spec.numEnumValues > 0) {
        const double value = scalarValue(param->scalarParam);
        if (value < 0 || value >= spec.numEnumValues || value != static_cast<uint32_t>(value)) {
          log(QNN_LOG_LEVEL_ERROR,
              "%s: parameter '%s' = %g is not one of its %u enumeration values", opName,
              spec.name, value, spec.numEnumValues);
          return failure;
        }
      }
    }
  }
  return QNN_SUCCESS;
}

const Qnn_Param_t* findParam(const Qnn_OpConfigV1_t& config, const char* name) {
  if (!config.params) return nullptr;
  for (uint32_t i = 0; i < config.numOfParams; ++i) {
    const Qnn_Param_t& param = config.params[i];
    if (param.name && std::strcmp(param.name, name) == 0) return &param;
  }
  return nullptr;
}

TensorFields tensorFields(const Qnn_Tensor_t& tensor) {
  if (tensor.version == QNN_TENSOR_VERSION_1) return fieldsOf(tensor.v1);
  if (static_cast<int>(tensor.version) == 2) return fieldsV2(tensor, 0);
  return TensorFields{};
}

bool scalarCarries(uint32_t code) {
  switch (static_cast<DataType>(code)) {
    case DataType::Int64:
    case DataType::Uint64:
      return carriesWide(static_cast<const Qnn_Scalar_t*>(nullptr), 0);
    case DataType::Float64:
      return carriesDouble(static_cast<const Qnn_Scalar_t*>(nullptr), 0);
    case DataType::Undefined:
      return false;
    default:
      return true;
  }
}

bool isIntegerType(uint32_t code) {
  switch (static_cast<DataType>(code)) {
    case DataType::Int8:
    case DataType::Int16:
    case DataType::Int32:
    case DataType::Int64:
    case DataType::Uint8:
    case DataType::Uint16:
    case DataType::Uint32:
    case DataType::Uint64:
    case DataType::Bool8:
      return true;
    default:
      return false;
  }
}

bool scalarInteger(const Qnn_Scalar_t& scalar, int64_t* value) {
  const uint32_t code = static_cast<uint32_t>(scalar.dataType);
  switch (static_cast<DataType>(code)) {
    case DataType::Int8: *value = scalar.int8Value; return true;
    case DataType::Int16: *value = scalar.int16Value; return true;
    case DataType::Int32: *value = scalar.int32Value; return true;
    case DataType::Uint8: *value = scalar.uint8Value; return true;
    case DataType::Uint16: *value = scalar.uint16Value; return true;
    case DataType::Uint32: *value = scalar.uint32Value; return true;
    case DataType::Bool8: *value = scalar.bool8Value ? 1 : 0; return true;
    case DataType::Int64:
    case DataType::Uint64:
      return wideInteger(scalar, code, value, 0);
    default:
      return false;
  }
}

size_t elementSize(uint32_t code) {
  switch (static_cast<DataType>(code)) {
    case DataType::Int8:
    case DataType::Uint8:
    case DataType::SFixedPoint8:
    case DataType::UFixedPoint8:
    case DataType::Bool8:
      return 1;
    case DataType::Int16:
    case DataType::Uint16:
    case DataType::Float16:
    case DataType::SFixedPoint16:
    case DataType::UFixedPoint16:
      return 2;
    case DataType::Int32:
    case DataType::Uint32:
    case DataType::Float32:
    case DataType::SFixedPoint32:
    case DataType::UFixedPoint32:
      return 4;
    case DataType::Int64:
    case DataType::Uint64:
    case DataType::Float64:
      return 8;
    default:
      return 0;
  }
}

bool elementInteger(const void* data, uint32_t code, size_t index, int64_t* value) {
  switch (static_cast<DataType>(code)) {
    case DataType::Int8: *value = static_cast<const int8_t*>(data)[index]; return true;
    case DataType::Int16: *value = static_cast<const int16_t*>(data)[index]; return true;
    case DataType::Int32: *value = static_cast<const int32_t*>(data)[index]; return true;
    case DataType::Int64: *value = static_cast<const int64_t*>(data)[index]; return true;
    case DataType::Uint8:
    case DataType::Bool8:
      *value = static_cast<const uint8_t*>(data)[index];
      return true;
    case DataType::Uint16: *value = static_cast<const uint16_t*>(data)[index]; return true;
    case DataType::Uint32: *value = static_cast<const uint32_t*>(data)[index]; return true;
    case DataType::Uint64: {
      const uint64_t v = static_cast<const uint64_t*>(data)[index];
      if (v > static_cast<uint64_t>(INT64_MAX)) return false;
      *value = static_cast<int64_t>(v);
      return true;
    }
    default:
      return false;
  }
}


double scalarValue(const Qnn_Scalar_t& scalar) {
  switch (static_cast<DataType>(scalar.dataType)) {
    case DataType::Float32:
    case DataType::Float16:  // no half member: a FLOAT_16 scalar travels as floatValue
      return scalar.floatValue;
    case DataType::Int32:
    case DataType::SFixedPoint32:
      return scalar.int32Value;
    case DataType::Uint32:
    case DataType::UFixedPoint32:
      return scalar.uint32Value;
    case DataType::Int16:
    case DataType::SFixedPoint16:
      return scalar.int16Value;
    case DataType::Uint16:
    case DataType::UFixedPoint16:
      return scalar.uint16Value;
    case DataType::Int8:
    case DataType::SFixedPoint8:
    case DataType::SFixedPoint4:
      return scalar.int8Value;
    case DataType::Uint8:
    case DataType::UFixedPoint8:
    case DataType::UFixedPoint4:
      return scalar.uint8Value;
    case DataType::Bool8:
      return scalar.bool8Value;
    case DataType::Int64:
    case DataType::Uint64: {
      int64_t value = 0;
      return scalarInteger(scalar, &value) ? static_cast<double>(value) : 0.0;
    }
    case DataType::Float64: {
      double value = 0.0;
      return doubleOf(scalar, &value, 0) ? value : 0.0;
    }
    default:
      return 0.0;
  }
}

double elementAsDouble(const void* data, uint32_t code, size_t index) {
  switch (static_cast<DataType>(code)) {
    case DataType::Float32:
      return static_cast<const float*>(data)[index];
    case DataType::Float64:
      return static_cast<const double*>(data)[index];
    case DataType::Int8:
    case DataType::SFixedPoint8:
      return static_cast<const int8_t*>(data)[index];
    case DataType::Int16:
    case DataType::SFixedPoint16:
      return static_cast<const int16_t*>(data)[index];
    case DataType::Int32:
    case DataType::SFixedPoint32:
      return static_cast<const int32_t*>(data)[index];
    case DataType::Int64:
      return static_cast<double>(static_cast<const int64_t*>(data)[index]);
    case DataType::Uint8:
    case DataType::UFixedPoint8:
    case DataType::Bool8:
      return static_cast<const uint8_t*>(data)[index];
    case DataType::Uint16:
    case DataType::UFixedPoint16:
      return static_cast<const uint16_t*>(data)[index];
    case DataType::Uint32:
    case DataType::UFixedPoint32:
      return static_cast<const uint32_t*>(data)[index];
    case DataType::Uint64:
      return static_cast<double>(static_cast<const uint64_t*>(data)[index]);
    default:
      return 0.0;
  }
}

}  // namespace opgen
