// opgen-owned file: part of opgen's host emulation of the HTP op-writing API (see opgen_host.h).
// Costs, flags, and the Op a cost function receives.
#ifndef OPGEN_HTP_OP_H
#define OPGEN_HTP_OP_H

#include <cstddef>
#include <vector>

#include "HTP/core/tensor.h"

struct StandardCosts {
  static constexpr float GLACIAL = 281474976710656.0f;   // 2^48, the default
  static constexpr float SNAIL = 4294967296.0f;          // 2^32
  static constexpr float FAST = 256.0f;                  // 2^8
  static constexpr float FREE = 5.421010862427522e-20f;  // 2^-64
  static constexpr float DISABLE = 1125899906842624.0f;  // 2^50
};

enum class Flags : unsigned {
  IS_CONST = 0,
  INHIBIT_CONST_PROP = 1,
  RESOURCE_HVX = 2,
  RESOURCE_HMX = 3,
  IS_DMA = 4,
  FOR_HVX = 5,
  FOR_HMX = 6,
  FOR_DMA = 7,
  MOVE_EARLY = 8,
  MOVE_LATE = 9,
  NULL_EXEC = 10,
  IS_SPILL = 11,
  IS_FILL = 12,
  INPLACE_NOP = 13,
  IS_COPY = 14,
  IS_SYNC = 15,
  IS_SEND = 16,
  IS_RECV = 17,
  IS_PADZAP = 18,
  CAN_BE_SRC_DESTRUCTIVE = 19,
  XXX_LAST_FLAG
};
typedef unsigned long Flags_word;

// The node as a cost function sees it (on the host: the tensors the op would run on).
class Op {
 public:
  Op(std::vector<const Tensor*> outputs, std::vector<const Tensor*> inputs)
      : outputs_(std::move(outputs)), inputs_(std::move(inputs)) {}
  size_t num_inputs() const noexcept { return inputs_.size(); }
  size_t num_outputs() const noexcept { return outputs_.size(); }
  const Tensor* get_input(size_t i) const noexcept { return i < inputs_.size() ? inputs_[i] : nullptr; }
  const Tensor* get_output(size_t i) const noexcept { return i < outputs_.size() ? outputs_[i] : nullptr; }

 private:
  std::vector<const Tensor*> outputs_;
  std::vector<const Tensor*> inputs_;
};

namespace opgen_htp __attribute__((visibility("hidden"))) {
inline Flags_word flag_word() noexcept { return 0; }
template <typename... F>
inline Flags_word flag_word(Flags first, F... rest) noexcept {
  return (Flags_word(1) << static_cast<unsigned>(first)) | flag_word(rest...);
}
}  // namespace opgen_htp

// Timing under OP_PERF_TEST: a steady clock stands in for the cycle counter on the host.
class PcyclePoint {
 public:
  explicit PcyclePoint(bool enable = true) : start_(enable ? now() : 0), end_(start_) {}
  void stop() { end_ = now(); }
  unsigned long long get_total() const { return end_ - start_; }
  unsigned long long get_start() const { return start_; }
  unsigned long long get_end() const { return end_; }

 private:
  static unsigned long long now();
  unsigned long long start_, end_;
};

#include <chrono>
inline unsigned long long PcyclePoint::now() {
  return static_cast<unsigned long long>(std::chrono::steady_clock::now().time_since_epoch().count());
}

#endif  // OPGEN_HTP_OP_H
