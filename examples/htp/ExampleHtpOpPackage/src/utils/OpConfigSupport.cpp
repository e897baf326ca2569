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
      if (tensor.version != QNN_TENSOR_VERSION_1) {
        log(QNN_LOG_LEVEL_ERROR, "%s: %s %u ('%s') has unsupported tensor version %d", opName,
            group.role, i, spec.name, static_cast<int>(tensor.version));
        return failure;
      }
      const uint32_t code = static_cast<uint32_t>(tensor.v1.dataType);
      if (!oneOf(code, spec.dataTypes, spec.numDataTypes)) {
        logTypeMismatch(opName, group.role, spec.name, code, spec.dataTypes, spec.numDataTypes);
        return failure;
      }
      if (spec.rank >= 0 && tensor.v1.rank != static_cast<uint32_t>(spec.rank)) {
        log(QNN_LOG_LEVEL_ERROR, "%s: %s '%s' has rank %u, expected %d", opName, group.role,
            spec.name, tensor.v1.rank, spec.rank);
        return failure;
      }
      if (tensor.v1.rank > 0 && !tensor.v1.dimensions) {
        log(QNN_LOG_LEVEL_ERROR, "%s: %s '%s' has rank %u but no dimensions", opName,
            group.role, spec.name, tensor.v1.rank);
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
      if (param->tensorParam.version != QNN_TENSOR_VERSION_1) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' has unsupported tensor version %d", opName,
            spec.name, static_cast<int>(param->tensorParam.version));
        return failure;
      }
      const Qnn_TensorV1_t& tensor = param->tensorParam.v1;
      const uint32_t code = static_cast<uint32_t>(tensor.dataType);
      if (!oneOf(code, spec.dataTypes, spec.numDataTypes)) {
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
      if (!oneOf(code, spec.dataTypes, spec.numDataTypes)) {
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

bool scalarCarries(uint32_t code) {
  switch (static_cast<DataType>(code)) {
    case DataType::Int64:
    case DataType::Uint64:
    case DataType::Float64:
    case DataType::Undefined:
      return false;
    default:
      return true;
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
