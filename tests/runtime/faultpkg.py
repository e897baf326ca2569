"""FaultPkg: a generated CPU package whose kernels fault in every way a user's kernel can.

Built once per session by conftest.py (``fault_library``). Every op is ``in[0] -> out[0]``
(FLOAT_32); ``Copy`` works, each other op misbehaves as its name says (``FAULTS`` lists them
with what the runtime must report).
"""

from __future__ import annotations

from pathlib import Path

from tests import factories as f
from tests.conftest import build_cpu_package

PACKAGE = "FaultPkg"

_COPY = "for (size_t i = 0; i < n; ++i) out[i] = in[i];"

#: op -> the body of its execute (``in``, ``out`` and ``n`` are in scope).
BODIES = {
    "Copy": _COPY,
    "Segv": "volatile int* nowhere = nullptr; *nowhere = 1;",
    "Abort": "std::abort();",
    "Throw": 'throw std::runtime_error("the widget is broken");',
    "ThrowInt": "throw 42;",
    "Exit3": "std::exit(3);",
    "Loop": '::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "Loop: looping for ever"); '
    "volatile bool forever = true; while (forever) {}",
    "Overrun64": _COPY + "\n  std::memset(out + n, 0x11, 64);",
    "Overrun1M": _COPY + "\n  std::memset(out + n, 0x11, 1 << 20);",
    "Underrun": _COPY + "\n  std::memset(reinterpret_cast<char*>(out) - 16, 0x11, 16);",
    "SkipOutput": "(void)in; (void)out; (void)n;",
}


def config_text() -> str:
    return f.config(PACKAGE, [f.op(name) for name in BODIES])


def kernel_source(op: str) -> str:
    return f"""
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "ops/{op}.hpp"

namespace {PACKAGE} {{
namespace {op} {{

Qnn_ErrorHandle_t execute(const Op& op) {{
  const float* in = op.in_0.data<float>();
  float* out = op.out_0.data<float>();
  const size_t n = op.out_0.numElements();
  (void)in, (void)out, (void)n;  // not every fault reads them (the build is -Werror)
  {BODIES[op]}
  return QNN_SUCCESS;
}}

}}  // namespace {op}
}}  // namespace {PACKAGE}
"""


def build_package(root: Path) -> Path:
    """Generate FaultPkg under ``root``, write its kernels, build it; returns the library."""
    return build_cpu_package(root, PACKAGE, config_text(), {op: kernel_source(op) for op in BODIES})
