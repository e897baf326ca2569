// opgen-owned file: shipped by opgen into op packages and refreshed on regeneration.
#include "opgen/DspOpSupport.hpp"

#include <math.h>

namespace opgen {
namespace dsp {

const Udo_Param_t* findParam(uint32_t numParams, const Udo_Param_t* params, const char* name) {
  if (!params) return nullptr;
  for (uint32_t i = 0; i < numParams; ++i) {
    if (params[i].paramName && strcmp(params[i].paramName, name) == 0) return &params[i];
  }
  return nullptr;
}

bool checkParamNames(const char* op, uint32_t numParams, const Udo_Param_t* params,
                     const char* const* names, uint32_t numNames) {
  if (numParams > 0 && !params) {
    log(QNN_LOG_LEVEL_ERROR, "%s: %u static params but no param array", op, numParams);
    return false;
  }
  for (uint32_t i = 0; i < numParams; ++i) {
    const char* name = params[i].paramName;
    if (!name) {
      log(QNN_LOG_LEVEL_ERROR, "%s: static param %u has no name", op, i);
      return false;
    }
    bool known = false;
    for (uint32_t k = 0; k < numNames && !known; ++k) known = strcmp(name, names[k]) == 0;
    if (!known) {
      log(QNN_LOG_LEVEL_ERROR, "%s: unknown parameter '%s'", op, name);
      return false;
    }
    for (uint32_t j = 0; j < i; ++j) {
      if (params[j].paramName && strcmp(params[j].paramName, name) == 0) {
        log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' is given twice", op, name);
        return false;
      }
    }
  }
  return true;
}

static bool scalarValue(const Udo_ScalarParam_t& scalar, double* value) {
  switch (scalar.dataType) {
    case UDO_DATATYPE_FLOAT_32:
    case UDO_DATATYPE_FLOAT_16:  // the union has one floating-point member
      *value = scalar.dataValue.floatValue;
      return true;
    case UDO_DATATYPE_INT_32:
    case UDO_DATATYPE_FIXED_32:
      *value = scalar.dataValue.int32Value;
      return true;
    case UDO_DATATYPE_UINT_32:
      *value = scalar.dataValue.uint32Value;
      return true;
    case UDO_DATATYPE_INT_16:
    case UDO_DATATYPE_FIXED_16:
      *value = scalar.dataValue.int16Value;
      return true;
    case UDO_DATATYPE_UINT_16:
      *value = scalar.dataValue.uint16Value;
      return true;
    case UDO_DATATYPE_INT_8:
      *value = scalar.dataValue.int8Value;
      return true;
    case UDO_DATATYPE_UINT_8:
    case UDO_DATATYPE_FIXED_8:
      *value = scalar.dataValue.uint8Value;
      return true;
    default:
      return false;
  }
}

bool readScalar(const char* op, const Udo_Param_t& param, double* value) {
  if (param.paramType != UDO_PARAMTYPE_SCALAR) {
    log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' must be a scalar", op, param.paramName);
    return false;
  }
  if (!scalarValue(param.scalarParam, value)) {
    log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' has the unsupported UDO datatype 0x%x", op,
        param.paramName, static_cast<unsigned>(param.scalarParam.dataType));
    return false;
  }
  return true;
}

bool readEnum(const char* op, const Udo_Param_t& param, const char* const* labels,
              uint32_t numLabels, uint32_t* labelIndex) {
  if (param.paramType == UDO_PARAMTYPE_STRING) {
    for (uint32_t i = 0; param.stringParam && i < numLabels; ++i) {
      if (strcmp(param.stringParam, labels[i]) == 0) {
        *labelIndex = i;
        return true;
      }
    }
    log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' names no value of its enumeration", op,
        param.paramName);
    return false;
  }
  double value = 0.0;
  if (!readScalar(op, param, &value)) return false;
  if (!(value >= 0.0 && value < static_cast<double>(numLabels)) || value != floor(value)) {
    log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' = %g is not one of its %u enumeration values",
        op, param.paramName, value, numLabels);
    return false;
  }
  *labelIndex = static_cast<uint32_t>(value);
  return true;
}

bool readTensor(const char* op, const Udo_Param_t& param, const Udo_TensorParam_t** tensor) {
  if (param.paramType != UDO_PARAMTYPE_TENSOR) {
    log(QNN_LOG_LEVEL_ERROR, "%s: parameter '%s' must be a tensor", op, param.paramName);
    return false;
  }
  *tensor = &param.tensorParam;
  return true;
}

size_t elementSize(Udo_DataType_t type) {
  switch (type) {
    case UDO_DATATYPE_FLOAT_32:
    case UDO_DATATYPE_FIXED_32:
    case UDO_DATATYPE_INT_32:
    case UDO_DATATYPE_UINT_32:
      return 4;
    case UDO_DATATYPE_FLOAT_16:
    case UDO_DATATYPE_FIXED_16:
    case UDO_DATATYPE_INT_16:
    case UDO_DATATYPE_UINT_16:
      return 2;
    case UDO_DATATYPE_FIXED_8:
    case UDO_DATATYPE_INT_8:
    case UDO_DATATYPE_UINT_8:
      return 1;
    default:
      return 0;
  }
}

uint32_t numElements(const Udo_TensorParam_t& tensor) {
  uint32_t n = 1;
  const uint32_t* dims = tensor.currDimensions ? tensor.currDimensions : tensor.maxDimensions;
  for (uint32_t i = 0; dims && i < tensor.tensorRank; ++i) n *= dims[i];
  return n;
}

double element(const Udo_TensorParam_t& tensor, size_t position) {
  const void* data = tensor.tensorData;
  if (!data) return 0.0;
  switch (tensor.dataType) {
    case UDO_DATATYPE_FLOAT_32:
      return static_cast<const float*>(data)[position];
    case UDO_DATATYPE_INT_32:
    case UDO_DATATYPE_FIXED_32:
      return static_cast<const int32_t*>(data)[position];
    case UDO_DATATYPE_UINT_32:
      return static_cast<const uint32_t*>(data)[position];
    case UDO_DATATYPE_INT_16:
    case UDO_DATATYPE_FIXED_16:
      return static_cast<const int16_t*>(data)[position];
    case UDO_DATATYPE_UINT_16:
      return static_cast<const uint16_t*>(data)[position];
    case UDO_DATATYPE_INT_8:
      return static_cast<const int8_t*>(data)[position];
    case UDO_DATATYPE_UINT_8:
    case UDO_DATATYPE_FIXED_8:
      return static_cast<const uint8_t*>(data)[position];
    default:
      return 0.0;
  }
}

TfQuant tfQuant(const Udo_TensorParam_t& tensor) {
  const float minValue = tensor.quantizeParams.TFParams.minValue;
  const float maxValue = tensor.quantizeParams.TFParams.maxValue;
  const float range = fmaxf(maxValue - minValue, 1e-18f);
  TfQuant quant;
  quant.step = range / 255.0f;
  quant.offset = -roundf(-minValue * 255.0f / range);
  return quant;
}

float dequantize(uint8_t q, const TfQuant& quant) {
  return (static_cast<float>(q) + quant.offset) * quant.step;
}

uint8_t quantize(float value, const TfQuant& quant) {
  const float q = roundf(value / quant.step - quant.offset);
  if (!(q > 0.0f)) return 0;
  if (q >= 255.0f) return 255;
  return static_cast<uint8_t>(q);
}

}  // namespace dsp
}  // namespace opgen
