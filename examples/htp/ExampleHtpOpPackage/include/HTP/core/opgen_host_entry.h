// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// The host entry points of opgen_host_abi.h, as END_PKG_OPS_OPTS_LIST() defines them in the
// package's interface file: the registry in DECLARE_PKG_OPS_OPTS_LIST order, and running or
// costing one registration on the runtime's tensors.
#ifndef OPGEN_HTP_HOST_ENTRY_H
#define OPGEN_HTP_HOST_ENTRY_H

#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "HTP/core/opgen_registry.h"

namespace opgen_htp __attribute__((visibility("hidden"))) {

struct DeclaredFile {
  const char* name;
  const OpFileTable* (*table)();
};

struct DeclaredFileRegistrar {
  DeclaredFileRegistrar(std::vector<DeclaredFile>& list, const char* name, const OpFileTable* (*table)()) {
    list.push_back({name, table});
  }
};

class HostRegistry {
 public:
  HostRegistry(const char* package, const std::vector<DeclaredFile>& files) {
    for (const DeclaredFile& file : files) {
      const OpFileTable* table = file.table ? file.table() : nullptr;
      if (table == nullptr) {
        empty_.push_back(file.name);
        continue;
      }
      for (const Registration& r : table->registrations) regs_.push_back(&r);
    }
    args_.resize(regs_.size());
    for (size_t i = 0; i < regs_.size(); ++i) {
      const Registration& r = *regs_[i];
      for (const ArgSpec& a : r.args)
        args_[i].push_back({a.type_name, a.tag, a.is_output ? 1u : 0u, a.kind, static_cast<uint32_t>(a.dtype), a.rank,
                            a.memory_class, 0u});
      c_regs_.push_back({r.op.c_str(), r.function.c_str(), r.type_suffix.c_str(), r.file,
                         static_cast<uint32_t>(r.line), static_cast<uint32_t>(r.num_outputs),
                         static_cast<uint32_t>(r.num_inputs), r.cost_fn ? 1u : 0u, static_cast<double>(r.cost),
                         static_cast<uint64_t>(r.flags), args_[i].data()});
    }
    const std::vector<ParamOrder>& orders = param_order_store();
    entries_.resize(orders.size());
    for (size_t i = 0; i < orders.size(); ++i) {
      for (const ParamOrderEntry& e : orders[i].entries)
        entries_[i].push_back({e.name, e.mandatory ? 1u : 0u, 0u, e.default_value});
      c_orders_.push_back({orders[i].op.c_str(), static_cast<uint32_t>(entries_[i].size()), 0u, entries_[i].data()});
    }
    c_ = OpgenHtpRegistry{OPGEN_HTP_HOST_ABI_VERSION,
                          static_cast<uint32_t>(sizeof(OpgenHtpRegistry)),
                          package,
                          static_cast<uint32_t>(c_regs_.size()),
                          static_cast<uint32_t>(c_orders_.size()),
                          c_regs_.data(),
                          c_orders_.data(),
                          static_cast<uint32_t>(axis_param_store().size()),
                          static_cast<uint32_t>(per_channel_store().size()),
                          axis_param_store().data(),
                          per_channel_store().data(),
                          ignored_rule_count(),
                          static_cast<uint32_t>(empty_.size()),
                          empty_.data()};
  }
  HostRegistry(const HostRegistry&) = delete;
  HostRegistry& operator=(const HostRegistry&) = delete;

  const OpgenHtpRegistry* c_registry() const noexcept { return &c_; }
  const Registration* at(uint32_t i) const noexcept { return i < regs_.size() ? regs_[i] : nullptr; }

 private:
  std::vector<const Registration*> regs_;
  std::vector<std::vector<OpgenHtpArgInfo>> args_;
  std::vector<OpgenHtpRegistration> c_regs_;
  std::vector<std::vector<OpgenHtpParamOrderEntry>> entries_;
  std::vector<OpgenHtpParamOrder> c_orders_;
  std::vector<const char*> empty_;
  OpgenHtpRegistry c_{};
};

inline HostRegistry& host_registry(const char* package, const std::vector<DeclaredFile>& files) {
  static HostRegistry registry(package, files);
  return registry;
}

class SinkScope {
 public:
  SinkScope(MessageSink* sink) : previous_(current_sink()) { current_sink() = sink; }
  ~SinkScope() { current_sink() = previous_; }
  SinkScope(const SinkScope&) = delete;
  SinkScope& operator=(const SinkScope&) = delete;

 private:
  MessageSink* previous_;
};

// Runs (cost == nullptr) or costs one registration; see opgen_host_abi.h.
inline int32_t host_call(const HostRegistry& registry, uint32_t index, uint32_t num_outputs,
                         const OpgenHtpTensor* outputs, uint32_t num_inputs, const OpgenHtpTensor* inputs,
                         double* cost, char* messages, uint32_t messages_size) {
  MessageSink sink;
  sink.limit = messages_size > 1 ? messages_size - 1 : 0;
  int status = GraphStatus::Success;
  {
    SinkScope scope(&sink);
    dims_mismatch() = false;
    const Registration* reg = registry.at(index);
    if (reg == nullptr) {
      add_message(NN_LOG_ERRORLVL, "no registration " + std::to_string(index));
      status = GraphStatus::ErrorBadOpName;
    } else if (num_outputs != reg->num_outputs || num_inputs != reg->num_inputs ||
               (num_outputs && !outputs) || (num_inputs && !inputs)) {
      add_message(NN_LOG_ERRORLVL, reg->function + " takes " + std::to_string(reg->num_outputs) + " output(s) and " +
                                       std::to_string(reg->num_inputs) + " input(s) with params, got " +
                                       std::to_string(num_outputs) + " and " + std::to_string(num_inputs));
      status = GraphStatus::ErrorBadInput;
    } else {
      std::vector<std::unique_ptr<Tensor>> held;
      std::vector<Tensor*> args;
      for (size_t i = 0; i < reg->args.size() && status == GraphStatus::Success; ++i) {
        const bool out = i < num_outputs;
        std::string why;
        held.push_back(reg->args[i].make(out ? outputs[i] : inputs[i - num_outputs], why));
        if (!held.back()) {
          add_message(NN_LOG_ERRORLVL, std::string(out ? "output " : "input ") +
                                           std::to_string(out ? i : i - num_outputs) + " (" +
                                           reg->args[i].type_name + "): " + why);
          status = GraphStatus::ErrorBadInput;
        }
        args.push_back(held.back().get());
      }
      if (status == GraphStatus::Success) {
        try {
          if (cost != nullptr) {
            Op op(std::vector<const Tensor*>(args.begin(), args.begin() + num_outputs),
                  std::vector<const Tensor*>(args.begin() + num_outputs, args.end()));
            *cost = reg->cost_fn ? static_cast<double>(reg->cost_fn(&op)) : static_cast<double>(reg->cost);
          } else {
            status = reg->invoke(reg->fn, args.data());
          }
        } catch (const std::exception& e) {
          add_message(NN_LOG_ERRORLVL, reg->function + " threw: " + e.what());
          status = GraphStatus::ErrorFatalException;
        } catch (...) {  // the C boundary: nothing may escape into the runtime
          add_message(NN_LOG_ERRORLVL, reg->function + " threw an exception that is not a std::exception");
          status = GraphStatus::ErrorFatalException;
        }
        if (status == GraphStatus::Success && dims_mismatch()) status = GraphStatus::ErrorDimensions;
      }
    }
  }
  if (messages != nullptr && messages_size > 0) {
    const size_t n = sink.text.size() < messages_size - 1 ? sink.text.size() : messages_size - 1;
    std::memcpy(messages, sink.text.data(), n);
    messages[n] = '\0';
  }
  return status;
}

}  // namespace opgen_htp

#ifdef __cplusplus
extern "C" {
#endif
const OpgenHtpRegistry* opgen_htp_registry(void);
int32_t opgen_htp_cost(uint32_t registration, uint32_t num_outputs, const OpgenHtpTensor* outputs,
                       uint32_t num_inputs, const OpgenHtpTensor* inputs, double* cost, char* messages,
                       uint32_t messages_size);
int32_t opgen_htp_execute(uint32_t registration, uint32_t num_outputs, const OpgenHtpTensor* outputs,
                          uint32_t num_inputs, const OpgenHtpTensor* inputs, char* messages, uint32_t messages_size);
#ifdef __cplusplus
}
#endif

#define OPGEN_HTP_EXPORT_ extern "C" __attribute__((visibility("default")))

// The host entry points (opgen_host_abi.h), defined once, in the file with the DECLARE list.
#define OPGEN_HTP_DEFINE_HOST_ENTRY_POINTS_()                                                                 \
  OPGEN_HTP_EXPORT_ const OpgenHtpRegistry* opgen_htp_registry(void) {                                       \
    return ::opgen_htp::host_registry(THIS_PKG_NAME_STR, opgen_htp_declared_files()).c_registry();           \
  }                                                                                                           \
  OPGEN_HTP_EXPORT_ int32_t opgen_htp_cost(uint32_t r, uint32_t no, const OpgenHtpTensor* o, uint32_t ni,    \
                                           const OpgenHtpTensor* i, double* cost, char* m, uint32_t ms) {    \
    double ignored = 0.0;                                                                                     \
    return ::opgen_htp::host_call(::opgen_htp::host_registry(THIS_PKG_NAME_STR, opgen_htp_declared_files()), \
                                  r, no, o, ni, i, cost ? cost : &ignored, m, ms);                           \
  }                                                                                                           \
  OPGEN_HTP_EXPORT_ int32_t opgen_htp_execute(uint32_t r, uint32_t no, const OpgenHtpTensor* o, uint32_t ni, \
                                              const OpgenHtpTensor* i, char* m, uint32_t ms) {               \
    return ::opgen_htp::host_call(::opgen_htp::host_registry(THIS_PKG_NAME_STR, opgen_htp_declared_files()), \
                                  r, no, o, ni, i, nullptr, m, ms);                                           \
  }

#endif  // OPGEN_HTP_HOST_ENTRY_H
