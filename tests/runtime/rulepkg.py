"""RulePkg: a generated CPU package whose config has shape and dtype rules, for the runtime's
sizing of outputs from rules (tests/runtime/test_rule_sizing.py). Built once per session.

* ``TopK(in[0]; k: UINT_32) -> values, indices``: ``= with(in[0], -1, k)`` for both, indices
  INT_32 (its only datatype); ``require k <= in[0].shape[-1]``.
* ``Pick(in[0] = [R, 4]) -> picked = [?, 4]``: the first rows of in[0], as many as the output has
  (a data-dependent count: the caller says it with --output-spec).
* ``Cast(in[0]: FLOAT_32 | UINT_8) -> out[0]: FLOAT_32 | INT_8``, no rules: the shape of in[0];
  the dtype of in[0] where the output allows it.
"""

from __future__ import annotations

from pathlib import Path

from tests import factories as f
from tests.conftest import build_cpu_package
from tests.shapes.rule_configs import inp, out, param

PACKAGE = "RulePkg"
F32, U8, I8, I32 = (f"QNN_DATATYPE_{t}" for t in ("FLOAT_32", "UINT_8", "INT_8", "INT_32"))


def config_text() -> str:
    ops = [
        f.op(
            "TopK",
            inputs=[inp("in[0]")],
            outputs=[
                out("values", "= with(in[0], -1, k)"),
                out("indices", "= with(in[0], -1, k)", datatypes=[I32]),
            ],
            params=[param("k", "QNN_DATATYPE_UINT_32", checks=["require k <= in[0].shape[-1]"])],
        ),
        f.op("Pick", inputs=[inp("in[0]", "= [R, 4]")], outputs=[out("picked", "= [?, 4]")]),
        f.op(
            "Cast",
            inputs=[inp("in[0]", datatypes=[F32, U8])],
            outputs=[out("out[0]", "Same shape as in[0].", datatypes=[F32, I8])],
        ),
    ]
    return f.config(PACKAGE, ops)


def build_package(root: Path) -> Path:
    """Generate RulePkg under ``root``, write its kernels, build it; returns the library."""
    return build_cpu_package(root, PACKAGE, config_text(), KERNELS)


KERNELS = {
    "TopK": r"""
#include <cstddef>
#include <cstdint>

#include "ops/TopK.hpp"

namespace RulePkg {
namespace TopK {

// The k largest along the last axis, largest first (ties: the lower index first).
Qnn_ErrorHandle_t execute(const Op& op) {
  const uint32_t rank = op.in_0.rank();
  const size_t n = op.in_0.dim(rank - 1);
  const size_t k = op.values.dim(rank - 1);
  const size_t rows = op.in_0.numElements() / n;
  const float* in = op.in_0.data<float>();
  float* values = op.values.data<float>();
  int32_t* indices = op.indices.data<int32_t>();
  for (size_t r = 0; r < rows; ++r) {
    for (size_t j = 0; j < k; ++j) {
      size_t best = n;
      for (size_t c = 0; c < n; ++c) {
        bool taken = false;
        for (size_t t = 0; t < j; ++t) {
          taken = taken || indices[r * k + t] == static_cast<int32_t>(c);
        }
        if (!taken && (best == n || in[r * n + c] > in[r * n + best])) best = c;
      }
      values[r * k + j] = in[r * n + best];
      indices[r * k + j] = static_cast<int32_t>(best);
    }
  }
  return QNN_SUCCESS;
}

}  // namespace TopK
}  // namespace RulePkg
""",
    "Pick": r"""
#include <cstddef>
#include <cstring>

#include "ops/Pick.hpp"

namespace RulePkg {
namespace Pick {

Qnn_ErrorHandle_t execute(const Op& op) {
  if (op.picked.numElements() > op.in_0.numElements()) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "Pick: more rows asked for than there are");
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  std::memcpy(op.picked.data<float>(), op.in_0.data<float>(), op.picked.numElements() * 4);
  return QNN_SUCCESS;
}

}  // namespace Pick
}  // namespace RulePkg
""",
    "Cast": r"""
#include <cstddef>
#include <cstdint>

#include "ops/Cast.hpp"

namespace RulePkg {
namespace Cast {

template <typename From, typename To>
void cast(const Op& op) {
  const From* in = op.in_0.data<From>();
  To* out = op.out_0.data<To>();
  for (size_t i = 0; i < op.out_0.numElements(); ++i) out[i] = static_cast<To>(in[i]);
}

Qnn_ErrorHandle_t execute(const Op& op) {
  using ::opgen::cpu::DataType;
  const bool floatIn = op.in_0.dataType() == DataType::Float32;
  const bool floatOut = op.out_0.dataType() == DataType::Float32;
  if (floatIn && floatOut) cast<float, float>(op);
  else if (floatIn) cast<float, int8_t>(op);
  else if (floatOut) cast<uint8_t, float>(op);
  else cast<uint8_t, int8_t>(op);
  return QNN_SUCCESS;
}

}  // namespace Cast
}  // namespace RulePkg
""",
}
