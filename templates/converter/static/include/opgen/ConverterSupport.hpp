// opgen-owned file: shipped by opgen into converter op packages and refreshed on regeneration.
//
// What every converter function does before the rules run, and where its messages go.
//
// Tensors are read through opgen::tensorFields (OpConfigSupport.hpp): version 1 always, version 2
// (newer SDKs) when the headers the library is built with declare it; opgen's bundled headers
// (QNN API 2.7.2) do not, so such a build refuses version-2 tensors with a message. Array
// strides (sizeof(Qnn_Tensor_t), sizeof(Qnn_Param_t)) and the scalar layout are the headers'
// too: build against the SDK whose converter loads the library (QNN_SDK_ROOT).
//
// Messages: each failure is logged once, at QNN_LOG_LEVEL_ERROR, to the callback set with
// setLogCallback, or else as one line on stderr; the first failure of the latest call (its
// cause) is also kept per thread (lastError) for tools that call the functions directly.
#ifndef OPGEN_CONVERTER_SUPPORT_HPP
#define OPGEN_CONVERTER_SUPPORT_HPP

#include <cstdint>
#include <vector>

#include "QnnLog.h"
#include "QnnOpPackage.h"
#include "QnnTypes.h"
#include "opgen/OpConfigSupport.hpp"

namespace opgen {
namespace converter {

// Failure codes (CONVERTER_FACTS §2.4: any non-success is a failure for the converter).
constexpr Qnn_ErrorHandle_t kBadArgument = QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;  // null, versions
constexpr Qnn_ErrorHandle_t kBadConfig = QNN_OP_PACKAGE_ERROR_INVALID_INFO;  // counts, ranks
constexpr Qnn_ErrorHandle_t kRuleFailed = QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
constexpr Qnn_ErrorHandle_t kNeedsUserCode = QNN_OP_PACKAGE_ERROR_GENERAL;  // hook not filled in

// The checks every function runs first: a version-1 op config of this op type, input and
// output counts that bind to the declared tensors, known tensor versions, declared ranks, and
// dimension storage for every output of nonzero rank (the caller pre-sets output ranks and
// storage). Fills `inputSpecOf`/`outputSpecOf` (declared tensor of each actual tensor).
// Returns QNN_SUCCESS or a failure code, having logged why.
Qnn_ErrorHandle_t checkConfig(const Qnn_OpConfig_t* config, const char* opName,
                              const TensorSpec* inputs, uint32_t numInputs,
                              const TensorSpec* outputs, uint32_t numOutputs,
                              std::vector<uint32_t>* inputSpecOf,
                              std::vector<uint32_t>* outputSpecOf);

// Logs `fmt` at error level and returns `code`.
Qnn_ErrorHandle_t fail(Qnn_ErrorHandle_t code, const char* fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void setLogCallback(QnnLog_Callback_t callback, QnnLog_Level_t maxLevel);
// Called by every exported function first: the prefix of stderr lines, and a fresh lastError.
void beginCall(const char* prefix);
const char* lastError();

}  // namespace converter
}  // namespace opgen

#endif  // OPGEN_CONVERTER_SUPPORT_HPP
