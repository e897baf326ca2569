"""PlantPkg: a generated CPU package with a planted off-by-one (``Reverse``), a kernel that
crashes on larger inputs (``Crashy``) and one that is right (``Copy``); every op is
``in[0] -> out[0]`` (FLOAT_32, ND). :data:`REFERENCE` is the numpy reference a user would write.
"""

from __future__ import annotations

from pathlib import Path

from tests import factories as f
from tests.conftest import build_cpu_package

PACKAGE = "PlantPkg"

_COPY = "for (size_t i = 0; i < n; ++i) out[i] = in[i];"

#: op -> the body of its execute (``in``, ``out`` and ``n`` are in scope).
BODIES = {
    "Copy": _COPY,
    # Off by one: element i should come from n - 1 - i. Right for one element only.
    "Reverse": "for (size_t i = 0; i < n; ++i) out[i] = in[(n - i) % n];",
    "Crashy": "if (n > 6) { volatile int* nowhere = nullptr; *nowhere = 1; }\n  " + _COPY,
}

REFERENCE = """
import numpy as np

def Copy(x):
    return x.copy()

def Reverse(x):
    return x.reshape(-1)[::-1].reshape(x.shape)

def Crashy(x):
    return x.copy()
"""


def config_text() -> str:
    return f.config(PACKAGE, [f.op(name) for name in BODIES])


def kernel_source(op: str) -> str:
    return f"""
#include <cstddef>

#include "ops/{op}.hpp"

namespace {PACKAGE} {{
namespace {op} {{

Qnn_ErrorHandle_t execute(const Op& op) {{
  const float* in = op.in_0.data<float>();
  float* out = op.out_0.data<float>();
  const size_t n = op.out_0.numElements();
  {BODIES[op]}
  return QNN_SUCCESS;
}}

}}  // namespace {op}
}}  // namespace {PACKAGE}
"""


def build_package(root: Path) -> Path:
    """Generate PlantPkg under ``root``, write its kernels, build it; returns the library."""
    return build_cpu_package(root, PACKAGE, config_text(), {op: kernel_source(op) for op in BODIES})
