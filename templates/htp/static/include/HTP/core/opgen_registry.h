// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// The package's host registry: what DEF_PACKAGE_OP registers, how an argument type is described
// to the runtime and built from a flat buffer, and how the registered function is called.
// Everything here is internal (namespace opgen_htp, hidden), one instance per package library.
#ifndef OPGEN_HTP_REGISTRY_H
#define OPGEN_HTP_REGISTRY_H

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "HTP/core/op.h"
#include "HTP/core/opgen_host_abi.h"
#include "HTP/core/tensor.h"

#define OPGEN_HTP_CAT2_(a, b) a##b
#define OPGEN_HTP_CAT_(a, b) OPGEN_HTP_CAT2_(a, b)
#define OPGEN_HTP_UNIQUE_(prefix) OPGEN_HTP_CAT_(prefix, __COUNTER__)

namespace opgen_htp __attribute__((visibility("hidden"))) {

using MakeFn = std::unique_ptr<Tensor> (*)(const OpgenHtpTensor&, std::string& why);
using InvokeFn = int (*)(void (*)(), Tensor* const*);
using CostFn = float (*)(const Op*);

struct ArgSpec {
  const char* type_name;
  const char* tag;
  bool is_output;
  uint32_t kind;
  DType dtype;
  uint32_t rank;
  uint32_t memory_class;
  MakeFn make;
};

struct Registration {
  std::string op;
  std::string function;
  std::string type_suffix;
  const char* file;
  int line;
  size_t num_outputs;
  size_t num_inputs;
  std::vector<ArgSpec> args;
  float cost;
  CostFn cost_fn;
  Flags_word flags;
  void (*fn)();
  InvokeFn invoke;
};

struct OpFileTable {
  std::vector<Registration> registrations;
};

// ---- building tensors from the runtime's descriptors -------------------------------------------

inline bool check_descriptor(const OpgenHtpTensor& t, std::string& why) {
  const size_t size = dtype_size(static_cast<DType>(t.dtype));
  if (size == 0) {
    why = "unknown DType " + std::to_string(t.dtype);
    return false;
  }
  if (t.rank > OPGEN_HTP_MAX_RANK) {
    why = "rank " + std::to_string(t.rank) + " is above " + std::to_string(OPGEN_HTP_MAX_RANK);
    return false;
  }
  uint64_t count = 1;
  for (uint32_t i = 0; i < t.rank; ++i) count *= t.dims[i];
  if (count * size > t.data_size || (count > 0 && t.data == nullptr)) {
    why = "the buffer holds " + std::to_string(t.data_size) + " bytes, the shape needs " +
          std::to_string(count * size);
    return false;
  }
  return true;
}

template <typename Tinfo>
std::unique_ptr<Tensor> make_concrete(const OpgenHtpTensor& t, std::string& why) {
  using Layout = typename Tinfo::Layout;
  if constexpr (Layout::chunked) {
    why = std::string(Tinfo::type_name) + " is a crouton (chunked) layout, which the host does not emulate";
    return nullptr;
  } else {
    if (!check_descriptor(t, why)) return nullptr;
    if (static_cast<DType>(t.dtype) != Tinfo::dtype || t.rank != Layout::Rank) {
      why = std::string(Tinfo::type_name) + " needs DType " + std::to_string(static_cast<unsigned>(Tinfo::dtype)) +
            " and rank " + std::to_string(Layout::Rank) + ", got DType " + std::to_string(t.dtype) + " rank " +
            std::to_string(t.rank);
      return nullptr;
    }
    std::array<size_t, Layout::Rank> dims{};
    for (size_t i = 0; i < Layout::Rank; ++i) dims[i] = t.dims[i];
    return std::unique_ptr<Tensor>(new ConcreteTensor<Tinfo>(dims, t.data, t.scale, t.zero_offset));
  }
}

// What the backend creates for an argument typed `Tensor`: the first flat main-memory type whose
// (rank, dtype) match.
inline std::unique_ptr<Tensor> make_typical(const OpgenHtpTensor& t, std::string& why) {
  const DType d = static_cast<DType>(t.dtype);
  if (t.rank == 4) {
    switch (d) {
      case DType::Float32: return make_concrete<Tdefs::PlainFloat>(t, why);
      case DType::Float16: return make_concrete<Tdefs::PlainFloat16>(t, why);
      case DType::QUInt8: return make_concrete<Tdefs::QuantUint8>(t, why);
      case DType::QInt8: return make_concrete<Tdefs::QuantInt8>(t, why);
      case DType::QUInt16: return make_concrete<Tdefs::QuantUint16>(t, why);
      case DType::QInt16: return make_concrete<Tdefs::QuantInt16>(t, why);
      case DType::QInt32: return make_concrete<Tdefs::QuantInt32>(t, why);
      case DType::Int32: return make_concrete<Tdefs::Int32>(t, why);
      default: break;
    }
  } else if (t.rank == 5) {
    switch (d) {
      case DType::Float32: return make_concrete<Tdefs::PlainFloat5D>(t, why);
      case DType::Float16: return make_concrete<Tdefs::PlainFloat16_5D>(t, why);
      case DType::QUInt8: return make_concrete<Tdefs::QuantUint8_5D>(t, why);
      case DType::QInt8: return make_concrete<Tdefs::QuantInt8_5D>(t, why);
      case DType::QUInt16: return make_concrete<Tdefs::QuantUint16_5D>(t, why);
      case DType::Int32: return make_concrete<Tdefs::Int32_5D>(t, why);
      default: break;
    }
  } else if (t.rank == 6 && d == DType::Int32) {
    return make_concrete<Tdefs::Int32_6D>(t, why);
  }
  why = "no flat tensor type has DType " + std::to_string(t.dtype) + " and rank " + std::to_string(t.rank);
  return nullptr;
}

inline std::unique_ptr<Tensor> make_none(const OpgenHtpTensor&, std::string& why) {
  why = "shapes and scalars are made by optimization rules, which the host does not run";
  return nullptr;
}

// ---- describing argument types ------------------------------------------------------------------

template <typename T>
struct arg_traits {
  static constexpr bool supported = false;
};
template <>
struct arg_traits<Tensor> {
  static constexpr bool supported = true;
  static ArgSpec spec(bool out) {
    return {"Tensor", "t", out, OPGEN_HTP_ARG_GENERIC, DType::UNKNOWN, 0, 0, &make_typical};
  }
};
template <typename Tinfo>
struct arg_traits<ConcreteTensor<Tinfo>> {
  static constexpr bool supported = true;
  static ArgSpec spec(bool out) {
    return {Tinfo::type_name, Tinfo::tag, out,
            Tinfo::Layout::chunked ? OPGEN_HTP_ARG_CHUNKED : OPGEN_HTP_ARG_FLAT, Tinfo::dtype,
            static_cast<uint32_t>(Tinfo::Layout::Rank), Tinfo::memclass == MemoryClass::TCM ? 1u : 0u,
            &make_concrete<Tinfo>};
  }
};
template <size_t R>
struct arg_traits<TensorShape<R>> {
  static constexpr bool supported = true;
  static ArgSpec spec(bool out) {
    return {"TensorShape", "s", out, OPGEN_HTP_ARG_SHAPE, DType::UNKNOWN, static_cast<uint32_t>(R), 0, &make_none};
  }
};
template <DType DT>
struct arg_traits<TensorSclrDT<DT>> {
  static constexpr bool supported = true;
  static ArgSpec spec(bool out) { return {"TensorScalar", "n", out, OPGEN_HTP_ARG_SCALAR, DT, 0, 0, &make_none}; }
};

template <typename A>
using bare_t = std::remove_cv_t<std::remove_reference_t<A>>;
template <typename A>
constexpr bool is_output_arg = !std::is_const<std::remove_reference_t<A>>::value;

template <typename... A>
constexpr bool outputs_first() {
  const bool out[] = {is_output_arg<A>..., false};
  bool seen_input = false;
  for (size_t i = 0; i < sizeof...(A); ++i) {
    if (!out[i]) seen_input = true;
    if (out[i] && seen_input) return false;
  }
  return true;
}

template <typename R, typename... A, size_t... I>
int invoke_with(void (*raw)(), Tensor* const* args, std::index_sequence<I...>) {
  auto f = reinterpret_cast<R (*)(A...)>(raw);
  return GraphStatus(f(static_cast<std::remove_reference_t<A>&>(*args[I])...)).to_int();
}

template <typename R, typename... A>
int invoke(void (*raw)(), Tensor* const* args) {
  return invoke_with<R, A...>(raw, args, std::index_sequence_for<A...>{});
}

inline std::string type_suffix(const std::vector<ArgSpec>& args) {
  std::string s = "@";
  for (size_t i = 0; i < args.size();) {
    size_t run = 1;
    while (i + run < args.size() && std::string(args[i + run].tag) == args[i].tag) ++run;
    if (i) s += ".";
    s += args[i].tag;
    if (run > 1) s += "*" + std::to_string(run);
    i += run;
  }
  return s;
}

struct OpRegistrar {
  template <typename R, typename... A>
  OpRegistrar(OpFileTable& table, R (*f)(A...), const char* op, const char* function, float cost, CostFn cost_fn,
              Flags_word flags, const char* file, int line) {
    static_assert(std::is_same<R, int>::value || std::is_same<R, GraphStatus>::value,
                  "opgen HTP: an op function returns int or GraphStatus");
    static_assert((std::is_reference<A>::value && ...),
                  "opgen HTP: every argument of an op function is a reference (outputs T&, inputs and params const T&)");
    static_assert((arg_traits<bare_t<A>>::supported && ...),
                  "opgen HTP: op function arguments are HTP tensor types (Tensor, PlainFloatTensor, QuantUint8Tensor, ...)");
    static_assert(outputs_first<A...>(),
                  "opgen HTP: outputs (non-const references) come before inputs and params (const references)");
    Registration r;
    r.op = op;
    r.function = function;
    r.file = file;
    r.line = line;
    r.args = {arg_traits<bare_t<A>>::spec(is_output_arg<A>)...};
    r.num_outputs = 0;
    for (const ArgSpec& a : r.args) r.num_outputs += a.is_output ? 1 : 0;
    r.num_inputs = r.args.size() - r.num_outputs;
    r.type_suffix = type_suffix(r.args);
    r.cost = cost;
    r.cost_fn = cost_fn;
    r.flags = flags;
    r.fn = reinterpret_cast<void (*)()>(f);
    r.invoke = &invoke<R, A...>;
    table.registrations.push_back(std::move(r));
  }
};

// ---- params, axis and per-channel lists, ignored rules (one set per library) -----------------------

struct ParamOrderEntry {
  const char* name;
  bool mandatory;
  const Qnn_Param_t* default_value;
};
struct ParamOrder {
  std::string op;
  std::vector<ParamOrderEntry> entries;
};

inline std::vector<ParamOrder>& param_order_store() {
  static std::vector<ParamOrder> store;
  return store;
}
inline std::vector<const char*>& axis_param_store() {
  static std::vector<const char*> store;
  return store;
}
inline std::vector<const char*>& per_channel_store() {
  static std::vector<const char*> store;
  return store;
}
inline uint32_t& ignored_rule_count() {
  static uint32_t count = 0;
  return count;
}

struct NameListRegistrar {
  NameListRegistrar(std::vector<const char*>& store, std::initializer_list<const char*> names) {
    store.insert(store.end(), names.begin(), names.end());
  }
};

struct IgnoredRule {
  IgnoredRule() { ++ignored_rule_count(); }
};

struct ParamOrderRegistrar {
  template <typename... A>
  explicit ParamOrderRegistrar(const char* op, A&&... args) {
    static_assert(sizeof...(A) > 0 && sizeof...(A) % 3 == 0,
                  "DEF_PACKAGE_PARAM_ORDER(op, name, mandatory, default, ...) takes one or more triples");
    ParamOrder order{op, {}};
    add(order.entries, std::forward<A>(args)...);
    for (const ParamOrder& known : param_order_store())
      if (known.op == order.op) return;  // the first order listed for an op wins
    param_order_store().push_back(std::move(order));
  }

 private:
  static const Qnn_Param_t* default_of(std::nullptr_t) { return nullptr; }
  static const Qnn_Param_t* default_of(const Qnn_Param_t* p) { return p; }
  static void add(std::vector<ParamOrderEntry>&) {}
  template <typename D, typename... Rest>
  static void add(std::vector<ParamOrderEntry>& v, const char* name, bool mandatory, D&& def, Rest&&... rest) {
    v.push_back({name, mandatory, default_of(def)});
    add(v, std::forward<Rest>(rest)...);
  }
};

}  // namespace opgen_htp

#endif  // OPGEN_HTP_REGISTRY_H
