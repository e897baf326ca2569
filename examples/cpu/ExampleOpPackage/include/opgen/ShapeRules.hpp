// opgen-owned file: shipped by opgen into op packages and refreshed on regeneration.
//
// The runtime of compiled shape and dtype rules (docs/SHAPE_RULES.md). opgen compiles each op's
// rules (opgen/shapes/emit_cpp.py) into one function per op and mode:
//
//   Qnn_ErrorHandle_t opgenValidate<Op>(const Qnn_OpConfig_t& config);
//       Mode::Validate, for validateOpConfig: runs the input patterns and `require` checks and
//       compares the config's output ranks, dims and dtypes with what the rules give (`?` dims
//       and `hook` shapes/dtypes are not checked, and never call user code).
//   Qnn_ErrorHandle_t opgenInfer<Op>(const Qnn_OpConfig_t& config, unsigned parts);
//       Mode::Infer, for the converter op package: the same checks, then writes the output dims
//       (parts & kInferShapes) and dtypes (parts & kInferDtypes) into the config's output
//       tensors. The output rank is the caller's (pre-set, CONVERTER_FACTS §2.4): it must be the
//       rank the rule gives. `?` dims and `hook` rules call the user hooks below.
//
// Both return QNN_SUCCESS, or QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE after logging (through
// opgen::log, QNN_LOG_LEVEL_ERROR) one message naming the op, the tensor, the rule as written in
// the config and the values involved; a hook's own failure code is returned as it is.
//
// User hooks (Infer mode only; declared by the generated code, defined in a user-owned file):
//
//   namespace opgen { namespace hooks { namespace <Op> {
//   // `dims` has `rank` entries (the output's pre-set rank). Entries the rule computed are
//   // filled in and have known[i] true; the hook writes every entry whose known[i] is false
//   // (for `= hook`, all of them). Inputs and params are read from `config`, e.g. through
//   // opgen::tensorFields and opgen::findParam.
//   Qnn_ErrorHandle_t <output>_shape(const Qnn_OpConfig_t& config, uint32_t outputIndex,
//                                    uint32_t rank, uint32_t* dims, const bool* known);
//   // For `= hook` dtype rules: writes the output's datatype.
//   Qnn_ErrorHandle_t <output>_dtype(const Qnn_OpConfig_t& config, uint32_t outputIndex,
//                                    Qnn_DataType_t* dataType);
//   }}}
//
// <Op> is the XML op name and <output> the output's C identifier (`in[0]` -> `in_0`), both
// checked identifiers; outputIndex is the position among the config's outputs.
//
// Semantics (CONVERTER_FACTS §6.3): signed 64-bit arithmetic (overflow is a failure), `//` floor
// division, `%` its remainder (sign of the divisor), cdiv ceiling division, division by zero a
// failure; a dim index or axis below zero counts from the end of the tensor it indexes; NumPy
// broadcasting; reduce/remove reject duplicate axes; concat sums one axis and requires every
// other dim equal; permute requires a permutation. A rule result below zero is a failure.
//
// Tensors of version 1 are always read. Version 2 (newer SDKs) is read when the QnnTypes.h the
// package is built against declares it (a `v2` member, detected at compile time): its leading
// fields are those of version 1. opgen's bundled header (core API 2.7.2) has no version 2, so
// such a build rejects version-2 tensors with a message. Likewise 64-bit scalar parameters are
// read when Qnn_Scalar_t has int64Value/uint64Value members.
//
// Generated code drives the class Context below; its methods never throw, and after the first
// failure every method returns a neutral value, so a generated expression is evaluated in full
// and checked once (`if (ctx.failed()) return ctx.result();`).
#ifndef OPGEN_SHAPE_RULES_HPP
#define OPGEN_SHAPE_RULES_HPP

#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "opgen/OpConfigSupport.hpp"

namespace opgen {
namespace rules {

// The most dims a tensor may have for the rules (and an axes list may hold).
constexpr uint32_t kMaxRank = 16;
// A dim whose value is unknown: a `?` in a rule.
constexpr int64_t kUnknownDim = -1;

enum class Mode { Validate, Infer };

// What Infer mode writes.
enum : unsigned { kInferShapes = 1u, kInferDtypes = 2u, kInferAll = 3u };

// One tensor's facts as the rules see them. `label` names it in messages ("in[0]", "x").
struct Shape {
  char label[48];
  bool present;            // false: an optional input the config omits
  bool whole_unknown;      // `= hook`: the rank and dims come from user code
  uint32_t rank;
  int64_t dims[kMaxRank];  // kUnknownDim where `?`
  uint32_t dataType;
};

// A list of axes (`[0, -1]` or a tensor parameter's elements), not yet normalised.
struct Axes {
  uint32_t count;
  int64_t values[kMaxRank];
};

// A tensor parameter: its config value, or its XML default.
struct TensorParam {
  const char* name;
  bool present;   // given by the config or by a default
  bool hasData;   // elements readable (static data, or a list default)
  bool fill;      // a `{v,..,v}` default: every element is fillValue, the length is unknown
  int64_t fillValue;
  uint32_t rank;
  uint32_t dims[kMaxRank];
  uint64_t count;  // number of elements (product of dims)
  uint32_t dataType;
  const void* data;  // elements of dataType (int64_t for a list default)
};

class Context {
 public:
  // `opName` and every label/text pointer handed in later must outlive the context (generated
  // code passes string literals).
  Context(const Qnn_OpConfig_t& config, const char* opName, Mode mode, unsigned parts = kInferAll);

  // Checks what every rule relies on: op config version, tensor arrays, tensor versions and
  // ranks (at most kMaxRank). False after logging.
  bool start();

  Mode mode() const { return mode_; }
  bool infers(unsigned part) const { return mode_ == Mode::Infer && (parts_ & part) != 0; }
  bool failed() const { return failed_; }
  // QNN_SUCCESS, or the failure code (VALIDATION_FAILURE, or a hook's code).
  Qnn_ErrorHandle_t result() const { return failed_ ? code_ : QNN_SUCCESS; }
  // The failure message (empty before any failure).
  const char* message() const { return message_; }

  // Names the rule being evaluated, for messages: `tensor` says where it is written
  // ("output 'values'", "input 'x'", "constraint 901") and `text` is the rule as written.
  void rule(const char* tensor, const char* text);

  // Records a failure of the current rule: logs "<op>: <tensor>: rule '<text>': <detail>".
  // Only the first failure is kept. Returns false (for `return ctx.fail(...)` in helpers).
  bool fail(const char* fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;

  // ---- the op config's tensors ----------------------------------------------------------------
  uint32_t numInputs() const;
  uint32_t numOutputs() const;
  // Input `index` (counted from the last input when fromEnd: 0 is the last). An absent one is
  // returned with present == false; using its dims fails.
  Shape input(uint32_t index, bool fromEnd, const char* label) const;
  Shape output(uint32_t index, bool fromEnd, const char* label) const;
  // The config position of `index` (fromEnd as above); numInputs()/numOutputs() when absent.
  uint32_t inputPosition(uint32_t index, bool fromEnd) const;
  uint32_t outputPosition(uint32_t index, bool fromEnd) const;

  // ---- parameters ---------------------------------------------------------------------------
  // A scalar parameter as an integer, whatever its integer width and signedness (BOOL_8 as 0/1).
  // False when the config omits it (the caller then uses the XML default); a parameter of a
  // non-integer datatype is a failure.
  bool scalarInt(const char* name, int64_t* value);
  // A scalar parameter as a condition (BOOL_8 or any integer: nonzero is true). False when omitted.
  bool scalarBool(const char* name, bool* value);
  // A tensor parameter from the config (present false when omitted).
  TensorParam tensorParam(const char* name);
  // Makes `param` (omitted by the config) its XML default: a list of `count` int64 values in
  // `rank` dims (row-major), or a fill default when fill is true.
  void listDefault(TensorParam* param, const int64_t* values, uint64_t count,
                   std::initializer_list<uint32_t> dims);
  void fillDefault(TensorParam* param, int64_t value);
  // A parameter the rules need that is neither given nor defaulted: a failure.
  void missingParam(const char* name);

  int64_t len(const TensorParam& param);
  int64_t elem(const TensorParam& param, std::initializer_list<int64_t> indices);
  Axes axesOf(const TensorParam& param);
  Axes axes(std::initializer_list<int64_t> values);

  // ---- integers -----------------------------------------------------------------------------
  int64_t rank(const Shape& t);
  int64_t dim(const Shape& t, int64_t index);
  int64_t numel(const Shape& t);
  int64_t add(int64_t a, int64_t b);
  int64_t sub(int64_t a, int64_t b);
  int64_t mul(int64_t a, int64_t b);
  int64_t neg(int64_t a);
  int64_t floorDiv(int64_t a, int64_t b);
  int64_t mod(int64_t a, int64_t b);
  int64_t cdiv(int64_t a, int64_t b);
  int64_t max(int64_t a, int64_t b) { return a > b ? a : b; }
  int64_t min(int64_t a, int64_t b) { return a < b ? a : b; }
  // A name bound by an input pattern; fails when its input was absent (bound false).
  int64_t bound(bool isBound, int64_t value, const char* name);
  const Shape& boundSpread(bool isBound, const Shape& value, const char* name);

  // ---- conditions (values recorded for the message of a failed `require`) -------------------
  bool compare(const char* op, int64_t a, int64_t b);  // op: "==" "!=" "<" "<=" ">" ">="
  bool divisible(int64_t a, int64_t b);
  // Fails with the recorded values when `holds` is false; `condition` is the 1-based position
  // of the condition within its `require`.
  bool require(bool holds, uint32_t condition);

  // ---- input patterns -----------------------------------------------------------------------
  // Checks `t`'s rank for a pattern of `fixed` single-dim elements and (hasSpread) one spread.
  bool patternRank(const Shape& t, uint32_t fixed, bool hasSpread);
  // Pattern element `position` (0-based; a negative position counts from the end).
  int64_t patternDim(const Shape& t, int64_t position);
  // `value` must equal the literal (PInt) or the earlier binding of `name`.
  bool patternCheck(const Shape& t, int64_t position, int64_t value, int64_t expected,
                    const char* what);
  // dims [start, rank - afterEnd) of `t` as a shape (a spread `B...`).
  Shape patternSpread(const Shape& t, uint32_t start, uint32_t afterEnd, const char* label);
  bool patternSpreadCheck(const Shape& got, const Shape& expected, const char* name);
  // Records a binding, listed in the message of a failed `require`.
  void noteBinding(const char* name, int64_t value);

  // ---- shapes -------------------------------------------------------------------------------
  Shape begin(const char* label);  // an empty shape, to push dims onto
  void push(Shape* s, int64_t dim);
  void pushUnknown(Shape* s);
  void pushSlice(Shape* s, const Shape& t, bool hasStart, int64_t start, bool hasStop,
                 int64_t stop);
  void pushAll(Shape* s, const Shape& t);
  Shape like(const Shape& t, const char* label);
  Shape hook(const char* label);
  void broadcast(Shape* s, const Shape& t);  // s = broadcast(s, t)
  Shape reduce(const Shape& t, const Axes& axes, bool keepDims, const char* label);
  void concat(Shape* s, const Shape& t, int64_t axis);  // s (not yet begun: rank 0) += t
  Shape permute(const Shape& t, const Axes& perm, const char* label);
  Shape with(const Shape& t, int64_t axis, int64_t dim, const char* label);
  Shape insert(const Shape& t, int64_t axis, int64_t dim, const char* label);
  Shape remove(const Shape& t, const Axes& axes, const char* label);
  Shape matmul(const Shape& a, const Shape& b, const char* label);

  // ---- outputs ------------------------------------------------------------------------------
  // Validate: compares output `position`'s rank and known dims with `s`. Infer (kInferShapes):
  // checks the pre-set rank and writes the known dims; `hasHook` says the caller then calls the
  // output's shape hook (through callShapeHook) for the unknown ones.
  bool outputShape(uint32_t position, const Shape& s);
  // Whether `s` has dims the hook must supply (or is whole_unknown).
  bool needsHook(const Shape& s) const;
  // Calls a shape hook for output `position` with the dims known from `s`.
  bool callShapeHook(uint32_t position, const Shape& s,
                     Qnn_ErrorHandle_t (*hookFn)(const Qnn_OpConfig_t&, uint32_t, uint32_t,
                                                 uint32_t*, const bool*));
  // Validate: compares the output's datatype with `code`. Infer (kInferDtypes): writes it.
  bool outputDtype(uint32_t position, uint32_t code);
  bool callDtypeHook(uint32_t position,
                     Qnn_ErrorHandle_t (*hookFn)(const Qnn_OpConfig_t&, uint32_t,
                                                 Qnn_DataType_t*));

 private:
  int64_t normAxis(int64_t axis, uint32_t rank, const char* what);
  bool usable(const Shape& t);
  bool checkResult(const Shape& s);
  void record(const char* fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
      __attribute__((format(printf, 2, 3)))
#endif
      ;

  const Qnn_OpConfig_t& config_;
  const char* op_;
  Mode mode_;
  unsigned parts_;
  bool failed_ = false;
  Qnn_ErrorHandle_t code_ = QNN_OP_PACKAGE_ERROR_VALIDATION_FAILURE;
  const char* ruleTensor_ = "";
  const char* ruleText_ = "";
  char message_[768] = {0};
  char values_[256] = {0};    // compared values of the condition being evaluated
  char bindings_[256] = {0};  // pattern bindings, for require messages
};

// The text of a Shape for messages ("[2, 3, ?]"), written into buf (always terminated).
const char* formatShape(const Shape& s, char* buf, size_t size);

}  // namespace rules
}  // namespace opgen

#endif  // OPGEN_SHAPE_RULES_HPP
