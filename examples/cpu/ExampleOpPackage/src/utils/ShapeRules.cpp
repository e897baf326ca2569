// opgen-owned file: shipped by opgen into op packages and refreshed on regeneration.
#include "opgen/ShapeRules.hpp"

#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace opgen {
namespace rules {

namespace {

void appendf(char* buf, size_t size, const char* fmt, ...)
#if defined(__GNUC__) || defined(__clang__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

void appendf(char* buf, size_t size, const char* fmt, ...) {
  const size_t used = std::strlen(buf);
  if (used + 1 >= size) return;
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf + used, size - used, fmt, args);
  va_end(args);
}

void setLabel(Shape* s, const char* label) {
  std::snprintf(s->label, sizeof(s->label), "%s", label ? label : "");
}

Shape emptyShape(const char* label) {
  Shape s{};
  setLabel(&s, label);
  s.present = true;
  s.dataType = QNN_DATATYPE_UNDEFINED;
  return s;
}

}  // namespace

const char* formatShape(const Shape& s, char* buf, size_t size) {
  if (size == 0) return buf;
  buf[0] = '\0';
  if (s.whole_unknown) {
    appendf(buf, size, "(from a hook)");
    return buf;
  }
  appendf(buf, size, "[");
  for (uint32_t i = 0; i < s.rank; ++i) {
    if (s.dims[i] == kUnknownDim) {
      appendf(buf, size, "%s?", i ? ", " : "");
    } else {
      appendf(buf, size, "%s%" PRId64, i ? ", " : "", s.dims[i]);
    }
  }
  appendf(buf, size, "]");
  return buf;
}

Context::Context(const Qnn_OpConfig_t& config, const char* opName, Mode mode, unsigned parts)
    : config_(config), op_(opName), mode_(mode), parts_(parts) {}

void Context::rule(const char* tensor, const char* text) {
  ruleTensor_ = tensor;
  ruleText_ = text;
  values_[0] = '\0';
}

void Context::record(const char* fmt, ...) {
  if (failed_) return;
  failed_ = true;
  char detail[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(detail, sizeof(detail), fmt, args);
  va_end(args);
  if (ruleText_[0]) {
    std::snprintf(message_, sizeof(message_), "%s: %s: rule '%s': %s", op_, ruleTensor_,
                  ruleText_, detail);
  } else {
    std::snprintf(message_, sizeof(message_), "%s: %s", op_, detail);
  }
  log(QNN_LOG_LEVEL_ERROR, "%s", message_);
}

bool Context::fail(const char* fmt, ...) {
  if (failed_) return false;
  char detail[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(detail, sizeof(detail), fmt, args);
  va_end(args);
  record("%s", detail);
  return false;
}

bool Context::start() {
  if (config_.version != QNN_OPCONFIG_VERSION_1) {
    return fail("unsupported op config version %d", static_cast<int>(config_.version));
  }
  const Qnn_OpConfigV1_t& v1 = config_.v1;
  const struct {
    const char* role;
    uint32_t count;
    const Qnn_Tensor_t* tensors;
  } groups[2] = {{"input", v1.numOfInputs, v1.inputTensors},
                 {"output", v1.numOfOutputs, v1.outputTensors}};
  for (const auto& group : groups) {
    if (group.count > 0 && !group.tensors) return fail("%s tensors are missing", group.role);
    for (uint32_t i = 0; i < group.count; ++i) {
      const TensorFields f = tensorFields(group.tensors[i]);
      if (!f.ok) {
        return fail("%s %u has tensor version %d, which this build cannot read%s", group.role,
                    i, static_cast<int>(group.tensors[i].version),
                    static_cast<int>(group.tensors[i].version) == 2
                        ? " (build against a QnnTypes.h that declares Qnn_TensorV2_t)"
                        : "");
      }
      if (f.rank > kMaxRank) {
        return fail("%s %u has rank %u; rules handle at most %u dims", group.role, i, f.rank,
                    kMaxRank);
      }
      if (f.rank > 0 && !f.dimensions) {
        return fail("%s %u has rank %u but no dimensions", group.role, i, f.rank);
      }
    }
  }
  if (v1.numOfParams > 0 && !v1.params) return fail("parameters are missing");
  return true;
}

// ---- tensors ---------------------------------------------------------------------------------

uint32_t Context::numInputs() const { return config_.v1.numOfInputs; }
uint32_t Context::numOutputs() const { return config_.v1.numOfOutputs; }

uint32_t Context::inputPosition(uint32_t index, bool fromEnd) const {
  const uint32_t n = numInputs();
  if (fromEnd) return index < n ? n - 1 - index : n;
  return index < n ? index : n;
}

uint32_t Context::outputPosition(uint32_t index, bool fromEnd) const {
  const uint32_t n = numOutputs();
  if (fromEnd) return index < n ? n - 1 - index : n;
  return index < n ? index : n;
}

namespace {

Shape shapeOf(const Qnn_Tensor_t* tensors, uint32_t count, uint32_t position, const char* role,
              const char* label) {
  Shape s{};
  if (label) {
    setLabel(&s, label);
  } else {
    std::snprintf(s.label, sizeof(s.label), "%s[%u]", role, position);
  }
  s.dataType = QNN_DATATYPE_UNDEFINED;
  if (position >= count || !tensors) return s;
  const TensorFields f = tensorFields(tensors[position]);
  if (!f.ok || f.rank > kMaxRank || (f.rank > 0 && !f.dimensions)) return s;  // start() failed
  s.present = true;
  s.rank = f.rank;
  for (uint32_t i = 0; i < f.rank; ++i) s.dims[i] = f.dimensions[i];
  s.dataType = static_cast<uint32_t>(*f.dataType);
  return s;
}

}  // namespace

Shape Context::input(uint32_t index, bool fromEnd, const char* label) const {
  return shapeOf(config_.v1.inputTensors, numInputs(), inputPosition(index, fromEnd), "in",
                 label);
}

Shape Context::output(uint32_t index, bool fromEnd, const char* label) const {
  return shapeOf(config_.v1.outputTensors, numOutputs(), outputPosition(index, fromEnd), "out",
                 label);
}

bool Context::usable(const Shape& t) {
  if (failed_) return false;
  if (!t.present) return fail("%s is absent from the op config", t.label);
  if (t.whole_unknown) return fail("the shape of %s comes from a hook", t.label);
  return true;
}

// ---- parameters ------------------------------------------------------------------------------

bool Context::scalarInt(const char* name, int64_t* value) {
  *value = 0;
  const Qnn_Param_t* param = findParam(config_.v1, name);
  if (!param) return false;
  if (param->paramType != QNN_PARAMTYPE_SCALAR) {
    fail("parameter '%s' must be a scalar", name);
    return true;
  }
  if (!scalarInteger(param->scalarParam, value)) {
    fail("parameter '%s' has datatype %s; the rules need an integer", name,
         dataTypeName(static_cast<uint32_t>(param->scalarParam.dataType)));
  }
  return true;
}

bool Context::scalarBool(const char* name, bool* value) {
  int64_t v = 0;
  const bool given = scalarInt(name, &v);
  *value = v != 0;
  return given;
}

TensorParam Context::tensorParam(const char* name) {
  TensorParam p{};
  p.name = name;
  p.dataType = QNN_DATATYPE_UNDEFINED;
  const Qnn_Param_t* param = findParam(config_.v1, name);
  if (!param) return p;
  p.present = true;
  if (param->paramType != QNN_PARAMTYPE_TENSOR) {
    fail("parameter '%s' must be a tensor", name);
    return p;
  }
  const TensorFields f = tensorFields(param->tensorParam);
  if (!f.ok || f.rank > kMaxRank || (f.rank > 0 && !f.dimensions)) {
    fail("parameter '%s' is not a readable tensor (version %d, rank %u)", name,
         static_cast<int>(param->tensorParam.version), f.rank);
    return p;
  }
  p.rank = f.rank;
  p.count = 1;
  for (uint32_t i = 0; i < f.rank; ++i) {
    p.dims[i] = f.dimensions[i];
    p.count *= f.dimensions[i];
  }
  p.dataType = static_cast<uint32_t>(*f.dataType);
  const size_t width = elementSize(p.dataType);
  if (f.data && width > 0 && f.dataSize >= p.count * width) {
    p.hasData = true;
    p.data = f.data;
  }
  return p;
}

void Context::listDefault(TensorParam* param, const int64_t* values, uint64_t count,
                          std::initializer_list<uint32_t> dims) {
  param->present = true;
  param->hasData = true;
  param->fill = false;
  param->rank = 0;
  for (uint32_t d : dims) {
    if (param->rank < kMaxRank) param->dims[param->rank++] = d;
  }
  param->count = count;
  param->dataType = QNN_DATATYPE_INT_64;
  param->data = values;
}

void Context::fillDefault(TensorParam* param, int64_t value) {
  param->present = true;
  param->hasData = false;
  param->fill = true;
  param->fillValue = value;
}

void Context::missingParam(const char* name) {
  fail("parameter '%s' is not given and has no default", name);
}

int64_t Context::len(const TensorParam& p) {
  if (failed_) return 0;
  if (!p.present) return fail("parameter '%s' is not given", p.name), 0;
  if (p.fill) {
    return fail("parameter '%s' has a {v,..,v} default, whose length the node decides", p.name),
           0;
  }
  return static_cast<int64_t>(p.count);
}

int64_t Context::elem(const TensorParam& p, std::initializer_list<int64_t> indices) {
  if (failed_) return 0;
  if (!p.present) return fail("parameter '%s' is not given", p.name), 0;
  if (p.fill) return p.fillValue;
  if (!p.hasData) return fail("parameter '%s' has no static data", p.name), 0;
  const bool flat = indices.size() == 1;
  if (!flat && indices.size() != p.rank) {
    return fail("parameter '%s' has rank %u, indexed with %u indices", p.name, p.rank,
                static_cast<uint32_t>(indices.size())),
           0;
  }
  uint64_t offset = 0;
  uint32_t axis = 0;
  for (int64_t index : indices) {
    const uint64_t extent = flat ? p.count : p.dims[axis];
    int64_t i = index < 0 ? index + static_cast<int64_t>(extent) : index;
    if (i < 0 || static_cast<uint64_t>(i) >= extent) {
      return fail("index %" PRId64 " of parameter '%s' is out of range (%" PRIu64 " elements)",
                  index, p.name, extent),
             0;
    }
    offset = offset * extent + static_cast<uint64_t>(i);
    ++axis;
  }
  int64_t value = 0;
  if (!elementInteger(p.data, p.dataType, static_cast<size_t>(offset), &value)) {
    return fail("parameter '%s' has datatype %s; the rules need integers", p.name,
                dataTypeName(p.dataType)),
           0;
  }
  return value;
}

Axes Context::axesOf(const TensorParam& p) {
  Axes a{};
  if (failed_) return a;
  if (!p.present) return fail("parameter '%s' is not given", p.name), a;
  if (!p.hasData) return fail("parameter '%s' has no static data", p.name), a;
  if (p.count > kMaxRank) {
    return fail("parameter '%s' has %" PRIu64 " axes; at most %u", p.name, p.count, kMaxRank), a;
  }
  for (uint64_t i = 0; i < p.count; ++i) {
    int64_t v = 0;
    if (!elementInteger(p.data, p.dataType, static_cast<size_t>(i), &v)) {
      return fail("parameter '%s' has datatype %s; axes must be integers", p.name,
                  dataTypeName(p.dataType)),
             a;
    }
    a.values[a.count++] = v;
  }
  return a;
}

Axes Context::axes(std::initializer_list<int64_t> values) {
  Axes a{};
  for (int64_t v : values) {
    if (a.count < kMaxRank) a.values[a.count++] = v;
  }
  return a;
}

// ---- integers --------------------------------------------------------------------------------

int64_t Context::rank(const Shape& t) { return usable(t) ? static_cast<int64_t>(t.rank) : 0; }

int64_t Context::dim(const Shape& t, int64_t index) {
  if (!usable(t)) return 0;
  const int64_t i = index < 0 ? index + static_cast<int64_t>(t.rank) : index;
  char buf[160];
  if (i < 0 || i >= static_cast<int64_t>(t.rank)) {
    return fail("%s.shape[%" PRId64 "] is out of range: %s has rank %u (%s)", t.label, index,
                t.label, t.rank, formatShape(t, buf, sizeof(buf))),
           0;
  }
  if (t.dims[i] == kUnknownDim) {
    return fail("%s.shape[%" PRId64 "] is unknown (?)", t.label, index), 0;
  }
  return t.dims[i];
}

int64_t Context::numel(const Shape& t) {
  if (!usable(t)) return 0;
  int64_t n = 1;
  for (uint32_t i = 0; i < t.rank; ++i) n = mul(n, dim(t, i));
  return n;
}

int64_t Context::add(int64_t a, int64_t b) {
  int64_t r = 0;
  if (failed_) return 0;
  if (__builtin_add_overflow(a, b, &r)) {
    return fail("%" PRId64 " + %" PRId64 " overflows 64 bits", a, b), 0;
  }
  return r;
}

int64_t Context::sub(int64_t a, int64_t b) {
  int64_t r = 0;
  if (failed_) return 0;
  if (__builtin_sub_overflow(a, b, &r)) {
    return fail("%" PRId64 " - %" PRId64 " overflows 64 bits", a, b), 0;
  }
  return r;
}

int64_t Context::mul(int64_t a, int64_t b) {
  int64_t r = 0;
  if (failed_) return 0;
  if (__builtin_mul_overflow(a, b, &r)) {
    return fail("%" PRId64 " * %" PRId64 " overflows 64 bits", a, b), 0;
  }
  return r;
}

int64_t Context::neg(int64_t a) { return sub(0, a); }

int64_t Context::floorDiv(int64_t a, int64_t b) {
  if (failed_) return 0;
  if (b == 0) return fail("division by zero: %" PRId64 " // 0", a), 0;
  if (a == INT64_MIN && b == -1) return fail("%" PRId64 " // -1 overflows 64 bits", a), 0;
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t Context::mod(int64_t a, int64_t b) {
  if (failed_) return 0;
  if (b == 0) return fail("division by zero: %" PRId64 " %% 0", a), 0;
  if (b == -1) return 0;
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

int64_t Context::cdiv(int64_t a, int64_t b) {
  if (failed_) return 0;
  if (b == 0) return fail("division by zero: cdiv(%" PRId64 ", 0)", a), 0;
  if (a == INT64_MIN && b == -1) return fail("cdiv(%" PRId64 ", -1) overflows 64 bits", a), 0;
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) == (b < 0))) ++q;
  return q;
}

int64_t Context::bound(bool isBound, int64_t value, const char* name) {
  if (failed_) return 0;
  if (!isBound) return fail("%s is bound by an input the op config omits", name), 0;
  return value;
}

const Shape& Context::boundSpread(bool isBound, const Shape& value, const char* name) {
  if (!failed_ && !isBound) fail("%s... is bound by an input the op config omits", name);
  return value;
}

// ---- conditions ------------------------------------------------------------------------------

bool Context::compare(const char* op, int64_t a, int64_t b) {
  if (failed_) return false;
  bool holds = false;
  if (std::strcmp(op, "==") == 0) {
    holds = a == b;
  } else if (std::strcmp(op, "!=") == 0) {
    holds = a != b;
  } else if (std::strcmp(op, "<") == 0) {
    holds = a < b;
  } else if (std::strcmp(op, "<=") == 0) {
    holds = a <= b;
  } else if (std::strcmp(op, ">") == 0) {
    holds = a > b;
  } else if (std::strcmp(op, ">=") == 0) {
    holds = a >= b;
  }
  appendf(values_, sizeof(values_), "%s%" PRId64 " %s %" PRId64, values_[0] ? ", " : "", a, op,
          b);
  return holds;
}

bool Context::divisible(int64_t a, int64_t b) {
  if (failed_) return false;
  if (b == 0) return fail("divisible(%" PRId64 ", 0): division by zero", a);
  appendf(values_, sizeof(values_), "%sdivisible(%" PRId64 ", %" PRId64 ")",
          values_[0] ? ", " : "", a, b);
  return mod(a, b) == 0;
}

bool Context::require(bool holds, uint32_t condition) {
  if (failed_) return false;
  if (!holds) {
    if (bindings_[0]) {
      fail("condition %u is false (%s; %s)", condition, values_[0] ? values_ : "no values",
           bindings_);
    } else {
      fail("condition %u is false (%s)", condition, values_[0] ? values_ : "no values");
    }
  }
  values_[0] = '\0';
  return holds;
}

// ---- input patterns --------------------------------------------------------------------------

bool Context::patternRank(const Shape& t, uint32_t fixed, bool hasSpread) {
  if (!usable(t)) return false;
  char buf[160];
  if (hasSpread ? t.rank < fixed : t.rank != fixed) {
    return fail("%s has rank %u (%s); the pattern needs %s%u", t.label, t.rank,
                formatShape(t, buf, sizeof(buf)), hasSpread ? "at least " : "", fixed);
  }
  return true;
}

int64_t Context::patternDim(const Shape& t, int64_t position) {
  if (failed_) return 0;
  return dim(t, position);
}

bool Context::patternCheck(const Shape& t, int64_t position, int64_t value, int64_t expected,
                           const char* what) {
  if (failed_) return false;
  if (value != expected) {
    char buf[160];
    return fail("%s.shape[%" PRId64 "] is %" PRId64 " (%s), but %s is %" PRId64, t.label,
                position, value, formatShape(t, buf, sizeof(buf)), what, expected);
  }
  return true;
}

Shape Context::patternSpread(const Shape& t, uint32_t start, uint32_t afterEnd,
                             const char* label) {
  Shape s = emptyShape(label);
  if (!usable(t)) return s;
  for (uint32_t i = start; i + afterEnd < t.rank; ++i) s.dims[s.rank++] = t.dims[i];
  return s;
}

bool Context::patternSpreadCheck(const Shape& got, const Shape& expected, const char* name) {
  if (failed_) return false;
  bool same = got.rank == expected.rank;
  for (uint32_t i = 0; same && i < got.rank; ++i) same = got.dims[i] == expected.dims[i];
  if (!same) {
    char a[160];
    char b[160];
    return fail("%s... is %s here but %s before", name, formatShape(got, a, sizeof(a)),
                formatShape(expected, b, sizeof(b)));
  }
  return true;
}

void Context::noteBinding(const char* name, int64_t value) {
  appendf(bindings_, sizeof(bindings_), "%s%s = %" PRId64, bindings_[0] ? ", " : "", name,
          value);
}

// ---- shapes ----------------------------------------------------------------------------------

Shape Context::begin(const char* label) { return emptyShape(label); }

void Context::push(Shape* s, int64_t d) {
  if (failed_) return;
  if (s->rank >= kMaxRank) {
    fail("the result has more than %u dims", kMaxRank);
    return;
  }
  if (d < 0) {
    fail("dim %u of the result is %" PRId64 ", below zero", s->rank, d);
    return;
  }
  s->dims[s->rank++] = d;
}

void Context::pushUnknown(Shape* s) {
  if (failed_) return;
  if (s->rank >= kMaxRank) {
    fail("the result has more than %u dims", kMaxRank);
    return;
  }
  s->dims[s->rank++] = kUnknownDim;
}

void Context::pushSlice(Shape* s, const Shape& t, bool hasStart, int64_t start, bool hasStop,
                        int64_t stop) {
  if (!usable(t)) return;
  const int64_t n = static_cast<int64_t>(t.rank);
  // Python slice rules: negative ends count from the end, then clamp to [0, n].
  int64_t a = hasStart ? (start < 0 ? start + n : start) : 0;
  int64_t b = hasStop ? (stop < 0 ? stop + n : stop) : n;
  a = a < 0 ? 0 : (a > n ? n : a);
  b = b < 0 ? 0 : (b > n ? n : b);
  for (int64_t i = a; i < b; ++i) {
    if (t.dims[i] == kUnknownDim) {
      pushUnknown(s);
    } else {
      push(s, t.dims[i]);
    }
  }
}

void Context::pushAll(Shape* s, const Shape& t) { pushSlice(s, t, false, 0, false, 0); }

Shape Context::like(const Shape& t, const char* label) {
  Shape s = t;
  setLabel(&s, label);
  if (!t.present && !failed_) fail("%s is absent from the op config", t.label);
  return s;
}

Shape Context::hook(const char* label) {
  Shape s = emptyShape(label);
  s.whole_unknown = true;
  return s;
}

void Context::broadcast(Shape* s, const Shape& t) {
  if (!usable(*s) || !usable(t)) return;
  const uint32_t rank = s->rank > t.rank ? s->rank : t.rank;
  Shape out = emptyShape(s->label);
  out.rank = rank;
  for (uint32_t i = 0; i < rank; ++i) {
    // Right-aligned: position i of the result is dim (rank - 1 - i) from the end.
    const uint32_t back = rank - 1 - i;
    const int64_t a = back < s->rank ? s->dims[s->rank - 1 - back] : 1;
    const int64_t b = back < t.rank ? t.dims[t.rank - 1 - back] : 1;
    int64_t d = a;
    if (a == b || b == 1) {
      d = a;
    } else if (a == 1) {
      d = b;
    } else if (a == kUnknownDim || b == kUnknownDim) {
      d = a == kUnknownDim ? b : a;
    } else {
      char x[160];
      char y[160];
      fail("cannot broadcast %s %s with %s %s: dim %" PRId64 " against %" PRId64, s->label,
           formatShape(*s, x, sizeof(x)), t.label, formatShape(t, y, sizeof(y)), a, b);
      return;
    }
    out.dims[i] = d;
  }
  out.dataType = s->dataType;
  *s = out;
}

int64_t Context::normAxis(int64_t axis, uint32_t rank, const char* what) {
  if (failed_) return 0;
  const int64_t n = static_cast<int64_t>(rank);
  const int64_t a = axis < 0 ? axis + n : axis;
  if (a < 0 || a >= n) {
    return fail("axis %" PRId64 " is out of range for %s of rank %u", axis, what, rank), 0;
  }
  return a;
}

Shape Context::reduce(const Shape& t, const Axes& axes, bool keepDims, const char* label) {
  Shape s = emptyShape(label);
  if (!usable(t)) return s;
  bool reduced[kMaxRank] = {false};
  for (uint32_t i = 0; i < axes.count; ++i) {
    const int64_t a = normAxis(axes.values[i], t.rank, t.label);
    if (failed_) return s;
    if (reduced[a]) {
      fail("axis %" PRId64 " is given twice", axes.values[i]);
      return s;
    }
    reduced[a] = true;
  }
  // No axes: every dim is reduced (ONNX's default).
  for (uint32_t i = 0; i < t.rank; ++i) {
    if (axes.count == 0 || reduced[i]) {
      if (keepDims) s.dims[s.rank++] = 1;
    } else {
      s.dims[s.rank++] = t.dims[i];
    }
  }
  s.dataType = t.dataType;
  return s;
}

void Context::concat(Shape* s, const Shape& t, int64_t axis) {
  if (!usable(*s) || !usable(t)) return;
  char x[160];
  char y[160];
  if (s->rank != t.rank) {
    fail("cannot concatenate %s with %s %s: ranks differ", formatShape(*s, x, sizeof(x)),
         t.label, formatShape(t, y, sizeof(y)));
    return;
  }
  const int64_t a = normAxis(axis, s->rank, t.label);
  if (failed_) return;
  for (uint32_t i = 0; i < s->rank; ++i) {
    const int64_t d = t.dims[i];
    if (static_cast<int64_t>(i) == a) {
      s->dims[i] = (s->dims[i] == kUnknownDim || d == kUnknownDim) ? kUnknownDim
                                                                    : add(s->dims[i], d);
    } else if (s->dims[i] != d && s->dims[i] != kUnknownDim && d != kUnknownDim) {
      fail("cannot concatenate %s with %s %s along axis %" PRId64 ": dim %u differs",
           formatShape(*s, x, sizeof(x)), t.label, formatShape(t, y, sizeof(y)), axis, i);
      return;
    }
  }
}

Shape Context::permute(const Shape& t, const Axes& perm, const char* label) {
  Shape s = emptyShape(label);
  if (!usable(t)) return s;
  if (perm.count != t.rank) {
    fail("the permutation has %u axes, %s has rank %u", perm.count, t.label, t.rank);
    return s;
  }
  bool seen[kMaxRank] = {false};
  for (uint32_t i = 0; i < perm.count; ++i) {
    const int64_t a = normAxis(perm.values[i], t.rank, t.label);
    if (failed_) return s;
    if (seen[a]) {
      fail("axis %" PRId64 " appears twice in the permutation", perm.values[i]);
      return s;
    }
    seen[a] = true;
    s.dims[s.rank++] = t.dims[a];
  }
  s.dataType = t.dataType;
  return s;
}

Shape Context::with(const Shape& t, int64_t axis, int64_t d, const char* label) {
  Shape s = like(t, label);
  if (!usable(t)) return s;
  const int64_t a = normAxis(axis, t.rank, t.label);
  if (failed_) return s;
  if (d < 0) {
    fail("dim %" PRId64 " of the result is %" PRId64 ", below zero", a, d);
    return s;
  }
  s.dims[a] = d;
  return s;
}

Shape Context::insert(const Shape& t, int64_t axis, int64_t d, const char* label) {
  Shape s = emptyShape(label);
  if (!usable(t)) return s;
  if (t.rank >= kMaxRank) {
    fail("the result has more than %u dims", kMaxRank);
    return s;
  }
  // An inserted dim may go at any of rank + 1 places; -1 appends.
  const int64_t a = normAxis(axis, t.rank + 1, t.label);
  if (failed_) return s;
  if (d < 0) {
    fail("the inserted dim is %" PRId64 ", below zero", d);
    return s;
  }
  for (uint32_t i = 0; i <= t.rank; ++i) {
    if (static_cast<int64_t>(i) == a) s.dims[s.rank++] = d;
    if (i < t.rank) s.dims[s.rank++] = t.dims[i];
  }
  s.dataType = t.dataType;
  return s;
}

Shape Context::remove(const Shape& t, const Axes& axes, const char* label) {
  Shape s = emptyShape(label);
  if (!usable(t)) return s;
  bool removed[kMaxRank] = {false};
  for (uint32_t i = 0; i < axes.count; ++i) {
    const int64_t a = normAxis(axes.values[i], t.rank, t.label);
    if (failed_) return s;
    if (removed[a]) {
      fail("axis %" PRId64 " is given twice", axes.values[i]);
      return s;
    }
    removed[a] = true;
  }
  for (uint32_t i = 0; i < t.rank; ++i) {
    if (!removed[i]) s.dims[s.rank++] = t.dims[i];
  }
  s.dataType = t.dataType;
  return s;
}

Shape Context::matmul(const Shape& a, const Shape& b, const char* label) {
  Shape s = emptyShape(label);
  if (!usable(a) || !usable(b)) return s;
  char x[160];
  char y[160];
  if (a.rank < 1 || b.rank < 1) {
    fail("matmul needs tensors of rank 1 or more: %s %s, %s %s", a.label,
         formatShape(a, x, sizeof(x)), b.label, formatShape(b, y, sizeof(y)));
    return s;
  }
  // NumPy: a 1-D left operand is [1, K] and a 1-D right one [K, 1]; the added dim is dropped.
  Shape left = a;
  Shape right = b;
  if (a.rank == 1) {
    left.rank = 2;
    left.dims[1] = a.dims[0];
    left.dims[0] = 1;
  }
  if (b.rank == 1) {
    right.rank = 2;
    right.dims[0] = b.dims[0];
    right.dims[1] = 1;
  }
  const int64_t k1 = left.dims[left.rank - 1];
  const int64_t k2 = right.dims[right.rank - 2];
  if (k1 != k2 && k1 != kUnknownDim && k2 != kUnknownDim) {
    fail("matmul of %s %s and %s %s: inner dims %" PRId64 " and %" PRId64 " differ", a.label,
         formatShape(a, x, sizeof(x)), b.label, formatShape(b, y, sizeof(y)), k1, k2);
    return s;
  }
  Shape batch = left;
  batch.rank = left.rank - 2;
  Shape other = right;
  other.rank = right.rank - 2;
  broadcast(&batch, other);
  if (failed_) return s;
  for (uint32_t i = 0; i < batch.rank; ++i) s.dims[s.rank++] = batch.dims[i];
  if (a.rank > 1) s.dims[s.rank++] = left.dims[left.rank - 2];
  if (b.rank > 1) s.dims[s.rank++] = right.dims[right.rank - 1];
  if (s.rank > kMaxRank) fail("the result has more than %u dims", kMaxRank);
  s.dataType = a.dataType;
  return s;
}

// ---- outputs ---------------------------------------------------------------------------------

bool Context::needsHook(const Shape& s) const {
  if (s.whole_unknown) return true;
  for (uint32_t i = 0; i < s.rank; ++i) {
    if (s.dims[i] == kUnknownDim) return true;
  }
  return false;
}

bool Context::outputShape(uint32_t position, const Shape& s) {
  if (failed_) return false;
  if (position >= numOutputs()) return true;  // an omitted optional output: nothing to check
  const TensorFields f = tensorFields(config_.v1.outputTensors[position]);
  if (s.whole_unknown) return true;
  char x[160];
  char y[160];
  Shape got = shapeOf(config_.v1.outputTensors, numOutputs(), position, "out", s.label);
  if (f.rank != s.rank) {
    if (mode_ == Mode::Infer) {
      return fail("output %s has rank %u as the caller set it, the rule gives %u (%s)", s.label,
                  f.rank, s.rank, formatShape(s, y, sizeof(y)));
    }
    return fail("output %s has shape %s, the rule gives %s (rank %u, not %u)", s.label,
                formatShape(got, x, sizeof(x)), formatShape(s, y, sizeof(y)), s.rank, f.rank);
  }
  for (uint32_t i = 0; i < s.rank; ++i) {
    if (s.dims[i] == kUnknownDim) continue;
    if (s.dims[i] > static_cast<int64_t>(UINT32_MAX)) {
      return fail("dim %u of output %s would be %" PRId64 ", beyond 32 bits", i, s.label,
                  s.dims[i]);
    }
    if (mode_ == Mode::Validate && f.dimensions[i] != static_cast<uint64_t>(s.dims[i])) {
      return fail("output %s has shape %s, the rule gives %s", s.label,
                  formatShape(got, x, sizeof(x)), formatShape(s, y, sizeof(y)));
    }
  }
  if (infers(kInferShapes)) {
    for (uint32_t i = 0; i < s.rank; ++i) {
      if (s.dims[i] != kUnknownDim) f.dimensions[i] = static_cast<uint32_t>(s.dims[i]);
    }
  }
  return true;
}

bool Context::callShapeHook(uint32_t position, const Shape& s,
                            Qnn_ErrorHandle_t (*hookFn)(const Qnn_OpConfig_t&, uint32_t,
                                                        uint32_t, uint32_t*, const bool*)) {
  if (failed_ || !infers(kInferShapes) || position >= numOutputs()) return !failed_;
  const TensorFields f = tensorFields(config_.v1.outputTensors[position]);
  bool known[kMaxRank] = {false};
  for (uint32_t i = 0; !s.whole_unknown && i < s.rank; ++i) known[i] = s.dims[i] != kUnknownDim;
  const Qnn_ErrorHandle_t code = hookFn(config_, position, f.rank, f.dimensions, known);
  if (code != QNN_SUCCESS) {
    fail("the shape hook of output %s returned error %u", s.label,
         static_cast<unsigned>(code));
    code_ = code;
    return false;
  }
  return true;
}

bool Context::outputDtype(uint32_t position, uint32_t code) {
  if (failed_) return false;
  if (position >= numOutputs()) return true;
  const TensorFields f = tensorFields(config_.v1.outputTensors[position]);
  if (mode_ == Mode::Validate) {
    if (static_cast<uint32_t>(*f.dataType) != code) {
      return fail("output %u has datatype %s, the rule gives %s", position,
                  dataTypeName(static_cast<uint32_t>(*f.dataType)), dataTypeName(code));
    }
  } else if (infers(kInferDtypes)) {
    *f.dataType = static_cast<Qnn_DataType_t>(code);
  }
  return true;
}

bool Context::callDtypeHook(uint32_t position,
                            Qnn_ErrorHandle_t (*hookFn)(const Qnn_OpConfig_t&, uint32_t,
                                                        Qnn_DataType_t*)) {
  if (failed_ || !infers(kInferDtypes) || position >= numOutputs()) return !failed_;
  const TensorFields f = tensorFields(config_.v1.outputTensors[position]);
  const Qnn_ErrorHandle_t code = hookFn(config_, position, f.dataType);
  if (code != QNN_SUCCESS) {
    fail("the dtype hook of output %u returned error %u", position,
         static_cast<unsigned>(code));
    code_ = code;
    return false;
  }
  return true;
}

}  // namespace rules
}  // namespace opgen
