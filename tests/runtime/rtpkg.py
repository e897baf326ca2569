"""Test packages for the runtime: a generated CPU package with real kernels, and hand-written
libraries that misbehave in one way each. Built once per session by conftest.py (and by
benchmarks/bench_runtime.py).

RtPkg's ops:

* ``AddScaled(in[0], in[1]; alpha: FLOAT_32 = 1.0, offset: UINT_32, swap: BOOL_8 = false)``:
  ``out = a + alpha * b + offset`` (a, b swapped when ``swap``), for float32 and 8/16/32-bit
  signed and unsigned integers, computed in double and cast back.
* ``Concat(in[0] Repeated; axis: INT_32 = 0)``: concatenation, byte-wise, for every datatype.
* ``RowMax(in[0] 2D; weights: FLOAT_32 1D = {1,..,1}) -> values, indices``: per-row maximum
  of ``in * weights`` and its column.
* ``Fail(in[0])``: its kernel logs a reason and returns QNN_OP_PACKAGE_ERROR_GENERAL.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests import factories as f
from tests.conftest import build_cpu_package

PACKAGE = "RtPkg"
ARITHMETIC_TYPES = [
    f"QNN_DATATYPE_{t}"
    for t in ("FLOAT_32", "INT_8", "INT_16", "INT_32", "UINT_8", "UINT_16", "UINT_32")
]
ALL_TYPES = [
    *ARITHMETIC_TYPES,
    *(f"QNN_DATATYPE_{t}" for t in ("FLOAT_16", "INT_64", "UINT_64", "BOOL_8")),
]


def config_text() -> str:
    ops = [
        f.op(
            "AddScaled",
            inputs=[
                f.tensor("Input", "in[0]", ARITHMETIC_TYPES),
                f.tensor("Input", "in[1]", ARITHMETIC_TYPES),
            ],
            outputs=[f.tensor("Output", "out[0]", ARITHMETIC_TYPES)],
            params=[
                f.param("alpha", mandatory=False, default="1.0"),
                f.param("offset", "QNN_DATATYPE_UINT_32"),
                f.param("swap", "QNN_DATATYPE_BOOL_8", mandatory=False, default="false"),
            ],
        ),
        f.op(
            "Concat",
            inputs=[f.tensor("Input", "in[0]", ALL_TYPES, repeated=True)],
            outputs=[f.tensor("Output", "out[0]", ALL_TYPES)],
            params=[f.param("axis", "QNN_DATATYPE_INT_32", mandatory=False, default="0")],
        ),
        f.op(
            "RowMax",
            inputs=[f.tensor("Input", "in[0]", rank="2D")],
            outputs=[
                f.tensor("Output", "values", rank="1D"),
                f.tensor("Output", "indices", ["QNN_DATATYPE_INT_32"], rank="1D"),
            ],
            params=[f.param("weights", rank="1D", mandatory=False, default="{1,..,1}")],
        ),
        f.op("Fail"),
    ]
    return f.config(PACKAGE, ops)


def build_package(root: Path) -> Path:
    """Generate RtPkg under ``root``, write its kernels, build it; returns the library."""
    return build_cpu_package(root, PACKAGE, config_text(), KERNELS)


#: The kernels written into src/ops/<Op>.cpp (what a user would write).
KERNELS = {
    "AddScaled": r"""
#include <cstddef>
#include <cstdint>

#include "ops/AddScaled.hpp"

namespace RtPkg {
namespace AddScaled {
namespace {

template <typename T>
void run(const Op& op) {
  const ::opgen::cpu::Tensor& a = op.swap ? op.in_1 : op.in_0;
  const ::opgen::cpu::Tensor& b = op.swap ? op.in_0 : op.in_1;
  const T* x = a.data<T>();
  const T* y = b.data<T>();
  T* out = op.out_0.data<T>();
  for (size_t i = 0; i < op.out_0.numElements(); ++i) {
    double value = static_cast<double>(x[i]) + static_cast<double>(op.alpha) * y[i] + op.offset;
    out[i] = static_cast<T>(value);
  }
}

}  // namespace

Qnn_ErrorHandle_t execute(const Op& op) {
  using ::opgen::cpu::DataType;
  if (op.in_0.numElements() != op.out_0.numElements() ||
      op.in_1.numElements() != op.out_0.numElements() ||
      op.in_0.dataType() != op.out_0.dataType() || op.in_1.dataType() != op.out_0.dataType()) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "AddScaled: inputs and output differ in size or type");
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  ::opgen::cpu::log(QNN_LOG_LEVEL_DEBUG, "AddScaled: %zu element(s)", op.out_0.numElements());
  switch (op.out_0.dataType()) {
    case DataType::Float32: run<float>(op); break;
    case DataType::Int8: run<int8_t>(op); break;
    case DataType::Int16: run<int16_t>(op); break;
    case DataType::Int32: run<int32_t>(op); break;
    case DataType::Uint8: run<uint8_t>(op); break;
    case DataType::Uint16: run<uint16_t>(op); break;
    case DataType::Uint32: run<uint32_t>(op); break;
    default: return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  return QNN_SUCCESS;
}

}  // namespace AddScaled
}  // namespace RtPkg
""",
    "Concat": r"""
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "ops/Concat.hpp"

namespace RtPkg {
namespace Concat {
namespace {

// Datatype codes end in the bit width written as two decimal digits (0x0232: 32-bit float).
size_t elementSize(::opgen::cpu::DataType type) {
  const uint32_t digits = static_cast<uint32_t>(type) & 0xFFu;
  return ((digits >> 4) * 10u + (digits & 0xFu)) / 8u;
}

}  // namespace

// Concatenates along `axis`, byte-wise, whatever the datatype.
Qnn_ErrorHandle_t execute(const Op& op) {
  const uint32_t rank = op.out_0.rank();
  const int32_t axis = op.axis < 0 ? op.axis + static_cast<int32_t>(rank) : op.axis;
  if (axis < 0 || static_cast<uint32_t>(axis) >= rank) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "Concat: axis %d is out of range for rank %u", op.axis,
                      rank);
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  size_t total = 0;
  for (const ::opgen::cpu::Tensor& in : op.in_0) {
    if (in.dataType() != op.out_0.dataType() || in.rank() != rank) {
      ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "Concat: inputs must match the output's datatype");
      return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
    }
    total += in.numElements();
  }
  if (total != op.out_0.numElements()) {
    ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "Concat: the output has %zu element(s), the inputs %zu",
                      op.out_0.numElements(), total);
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  const size_t size = elementSize(op.out_0.dataType());
  size_t outer = 1;
  for (int32_t d = 0; d < axis; ++d) outer *= op.out_0.dim(static_cast<uint32_t>(d));
  char* out = op.out_0.data<char>();
  size_t written = 0;
  for (size_t o = 0; o < outer; ++o) {
    for (const ::opgen::cpu::Tensor& in : op.in_0) {
      const size_t chunk = in.numElements() / outer * size;
      std::memcpy(out + written, in.data<char>() + o * chunk, chunk);
      written += chunk;
    }
  }
  return QNN_SUCCESS;
}

}  // namespace Concat
}  // namespace RtPkg
""",
    "RowMax": r"""
#include <cstddef>
#include <cstdint>

#include "ops/RowMax.hpp"

namespace RtPkg {
namespace RowMax {

Qnn_ErrorHandle_t execute(const Op& op) {
  const uint32_t rows = op.in_0.dim(0);
  const uint32_t cols = op.in_0.dim(1);
  const float* in = op.in_0.data<float>();
  float* values = op.values.data<float>();
  int32_t* indices = op.indices.data<int32_t>();
  for (uint32_t r = 0; r < rows; ++r) {
    int32_t best = 0;
    float bestValue = 0.0f;
    for (uint32_t c = 0; c < cols; ++c) {
      float value = in[r * cols + c] * static_cast<float>(op.weights.at(c));
      if (c == 0 || value > bestValue) {
        best = static_cast<int32_t>(c);
        bestValue = value;
      }
    }
    values[r] = bestValue;
    indices[r] = best;
  }
  return QNN_SUCCESS;
}

}  // namespace RowMax
}  // namespace RtPkg
""",
    "Fail": r"""
#include "ops/Fail.hpp"

namespace RtPkg {
namespace Fail {

Qnn_ErrorHandle_t execute(const Op& op) {
  (void)op;
  ::opgen::cpu::log(QNN_LOG_LEVEL_ERROR, "Fail: this kernel always fails");
  return QNN_OP_PACKAGE_ERROR_GENERAL;
}

}  // namespace Fail
}  // namespace RtPkg
""",
}


# ---- misbehaving libraries ---------------------------------------------------------------------

#: One C source; each library is a -D variant. The structures are written out here from the
#: ABI fact sheet (LP64), so the libraries do not depend on any header.
BAD_LIBRARY_SOURCE = r"""
#include <stddef.h>
#include <stdint.h>

typedef uint64_t Err;
typedef struct { uint32_t major, minor, patch; } Version;
typedef struct {
  const char* packageName;
  const char* const* operationNames;
  const void* operationInfo;
  uint32_t numOperations;
  const void* optimizations;
  uint32_t numOptimizations;
  const char* sdkBuildId;
  const void* sdkApiVersion;
  const void* packageInfo;
  const Version* opsetVersion;
  size_t reserved[12];
} Info;
typedef Err (*AnyFn)(void);
typedef struct {
  Err (*init)(void*);
  Err (*terminate)(void);
  Err (*getInfo)(const Info**);
  AnyFn validateOpConfig, createOpImpl, freeOpImpl, logInitialize, logSetLevel, logTerminate;
} ImplementationV1_4;
typedef struct { Version interfaceVersion; ImplementationV1_4 v1_4; } Interface;

static const char* const names[] = {"Noop", NULL};
static const Info info = {"BadPkg", names, NULL, NAMES, NULL, 0, "test", NULL, NULL, NULL, {0}};

typedef struct {
  void (*reportMessage)(uint32_t type, const char* fmt, ...);
  void (*profile)(uint32_t type, double milliseconds);
} CpuInfra;

static Err init(void* infra) {
#ifdef REPORT
  const CpuInfra* cpu = (const CpuInfra*)infra;
  cpu->reportMessage(1, "%s", "init: hello");
  cpu->reportMessage(4, "init: %d widgets", 42);  /* not "%s": logged unformatted */
  cpu->profile(1, 1.5);
#else
  (void)infra;
#endif
  return 0;
}
static Err terminate(void) { return 0; }
static Err other(void) { return 0; }
static Err getInfo(const Info** out) {
#ifdef NULL_INFO
  *out = NULL;
#else
  *out = &info;
#endif
  return 0;
}

int unrelated_function(void) { return 1; }

#ifdef DSP_MARKER
const char opgen_dsp_package[] = "DspMarked";
#endif

#ifndef NO_PROVIDER
Err PROVIDER(Interface* interface) {
#ifdef PROVIDER_ERROR
  (void)interface;
  return PROVIDER_ERROR;
#else
  interface->interfaceVersion.major = MAJOR;
  interface->interfaceVersion.minor = MINOR;
  interface->interfaceVersion.patch = 9;
  interface->v1_4.init = init;
  interface->v1_4.terminate = terminate;
  interface->v1_4.getInfo = getInfo;
  interface->v1_4.validateOpConfig = other;
  interface->v1_4.createOpImpl = other;
  interface->v1_4.freeOpImpl = other;
#ifdef NULL_SLOT
  interface->v1_4.NULL_SLOT = NULL;
#endif
  return 0;
#endif
}
#endif

#ifdef SECOND_PROVIDER
Err SECOND_PROVIDER(Interface* interface) { (void)interface; return 0; }
#endif
"""

#: library file name -> -D definitions that differ from _DEFAULTS.
BAD_LIBRARIES: dict[str, dict[str, str | None]] = {
    "libnoprovider.so": {"NO_PROVIDER": None},
    "libprovidererror.so": {"PROVIDER": "ProviderErrorInterfaceProvider", "PROVIDER_ERROR": "3200"},
    "libbadversion.so": {"PROVIDER": "BadVersionInterfaceProvider", "MAJOR": "9", "MINOR": "9"},
    "libnullinfo.so": {"PROVIDER": "NullInfoInterfaceProvider", "NULL_INFO": None},
    "libnullslot.so": {"PROVIDER": "NullSlotInterfaceProvider", "NULL_SLOT": "createOpImpl"},
    "libnullname.so": {"PROVIDER": "NullNameInterfaceProvider", "NAMES": "2"},
    "libtwoproviders.so": {
        "PROVIDER": "FirstInterfaceProvider",
        "SECOND_PROVIDER": "SecondInterfaceProvider",
    },
    "libgood.so": {"PROVIDER": "GoodInterfaceProvider", "REPORT": None},
    # Carries a DSP host build's marker: registering it as another target is refused before init.
    "libdspmarked.so": {"PROVIDER": "DspMarkedInterfaceProvider", "DSP_MARKER": None},
}
_DEFAULTS: dict[str, str | None] = {
    "PROVIDER": "BadInterfaceProvider",
    "MAJOR": "1",
    "MINOR": "4",
    "NAMES": "1",
}


def build_bad_libraries(root: Path) -> dict[str, Path]:
    """Compile each of BAD_LIBRARIES; returns them by short name (``nullinfo`` and so on)."""
    source = root / "bad.c"
    source.write_text(BAD_LIBRARY_SOURCE, encoding="utf-8")
    built = {}
    for name, overrides in BAD_LIBRARIES.items():
        defines = {**_DEFAULTS, **overrides}
        flags = [f"-D{k}" if v is None else f"-D{k}={v}" for k, v in defines.items()]
        command = ["cc", "-shared", "-fPIC", *flags]
        subprocess.run(
            [*command, "-o", str(root / name), str(source)],
            check=True,
            capture_output=True,
            text=True,
        )
        built[name.removeprefix("lib").removesuffix(".so")] = root / name
    return built
