"""Compiles generated rule functions with the rule runtime into a test library (ctypes).

`build(tmp, ops_and_rules, hooks_cpp)` writes one .cpp holding every op's VALIDATE and INFER
function, a test-only `opgen::log` that keeps the last message, and `opgen_test_run`, which
builds a Qnn_OpConfig_t from flat arrays; `Harness.run` calls it.
"""

from __future__ import annotations

import ctypes
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from opgen.model import OpDef
from opgen.resources import templates_dir
from opgen.shapes import emit_cpp
from opgen.shapes.oprules import OpRules

STATIC = templates_dir() / "common" / "static"
QNN = templates_dir() / "common" / "include" / "QNN"
MAX_RANK = 16

_MAIN = r"""
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <vector>

#include "opgen/ShapeRules.hpp"

namespace opgen {
char g_message[1024];
void log(QnnLog_Level_t, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(g_message, sizeof(g_message), fmt, args);
  va_end(args);
}
}  // namespace opgen

@HOOKDECLS@
@HOOKS@
namespace {
@FUNCTIONS@
}  // namespace

extern "C" int opgen_test_run(const char* op, int infer, unsigned parts, uint32_t nIn,
    const uint32_t* inRanks, const uint32_t* inDims, const uint32_t* inTypes, uint32_t nOut,
    uint32_t* outRanks, uint32_t* outDims, uint32_t* outTypes, uint32_t nScalars,
    const char** sNames, const uint32_t* sTypes, const int64_t* sValues, uint32_t nTensors,
    const char** tNames, const uint32_t* tTypes, const uint32_t* tCounts,
    const int64_t* tValues, int tensorVersion, char* message, size_t messageSize) {
  opgen::g_message[0] = '\0';
  std::vector<Qnn_Tensor_t> ins(nIn), outs(nOut);
  uint32_t total = 0;
  for (uint32_t i = 0; i < nIn; ++i) total += inRanks[i];
  std::vector<uint32_t> inStore(inDims, inDims + total);
  uint32_t offset = 0;
  for (uint32_t i = 0; i < nIn; ++i) {
    Qnn_Tensor_t t = QNN_TENSOR_INIT;
    t.version = static_cast<Qnn_TensorVersion_t>(tensorVersion);
    t.v1.rank = inRanks[i];
    t.v1.dimensions = inStore.data() + offset;
    t.v1.dataType = static_cast<Qnn_DataType_t>(inTypes[i]);
    offset += inRanks[i];
    ins[i] = t;
  }
  for (uint32_t i = 0; i < nOut; ++i) {
    Qnn_Tensor_t t = QNN_TENSOR_INIT;
    t.version = static_cast<Qnn_TensorVersion_t>(tensorVersion);
    t.v1.rank = outRanks[i];
    t.v1.dimensions = outDims + i * 16;
    t.v1.dataType = static_cast<Qnn_DataType_t>(outTypes[i]);
    outs[i] = t;
  }
  std::vector<Qnn_Param_t> params;
  std::vector<std::vector<unsigned char>> buffers(nTensors);
  std::vector<uint32_t> tensorDims(nTensors);
  for (uint32_t i = 0; i < nScalars; ++i) {
    Qnn_Param_t p = QNN_PARAM_INIT;
    p.paramType = QNN_PARAMTYPE_SCALAR;
    p.name = sNames[i];
    p.scalarParam.dataType = static_cast<Qnn_DataType_t>(sTypes[i]);
    const int64_t v = sValues[i];
    switch (sTypes[i]) {
      case 0x0008: p.scalarParam.int8Value = static_cast<int8_t>(v); break;
      case 0x0016: p.scalarParam.int16Value = static_cast<int16_t>(v); break;
      case 0x0108: case 0x0508: p.scalarParam.uint8Value = static_cast<uint8_t>(v); break;
      case 0x0116: p.scalarParam.uint16Value = static_cast<uint16_t>(v); break;
      case 0x0132: p.scalarParam.uint32Value = static_cast<uint32_t>(v); break;
      case 0x0232: p.scalarParam.floatValue = static_cast<float>(v); break;
      default: p.scalarParam.int32Value = static_cast<int32_t>(v); break;
    }
    params.push_back(p);
  }
  uint32_t at = 0;
  for (uint32_t i = 0; i < nTensors; ++i) {
    Qnn_Param_t p = QNN_PARAM_INIT;
    p.paramType = QNN_PARAMTYPE_TENSOR;
    p.name = tNames[i];
    Qnn_Tensor_t t = QNN_TENSOR_INIT;
    t.v1.dataType = static_cast<Qnn_DataType_t>(tTypes[i]);
    t.v1.rank = 1;
    tensorDims[i] = tCounts[i];
    t.v1.dimensions = &tensorDims[i];
    const size_t width = opgen::elementSize(tTypes[i]);
    buffers[i].resize(width * tCounts[i] + 1);
    for (uint32_t k = 0; k < tCounts[i]; ++k) {
      const int64_t v = tValues[at + k];
      if (width == 8) { std::memcpy(&buffers[i][k * 8], &v, 8); }
      else { const int32_t w = static_cast<int32_t>(v); std::memcpy(&buffers[i][k * 4], &w, 4); }
    }
    at += tCounts[i];
    t.v1.memType = QNN_TENSORMEMTYPE_RAW;
    t.v1.clientBuf.data = buffers[i].data();
    t.v1.clientBuf.dataSize = static_cast<uint32_t>(width * tCounts[i]);
    p.tensorParam = t;
    params.push_back(p);
  }
  Qnn_OpConfig_t config = QNN_OPCONFIG_INIT;
  config.v1.name = "node";
  config.v1.packageName = "pkg";
  config.v1.typeName = op;
  config.v1.numOfParams = static_cast<uint32_t>(params.size());
  config.v1.params = params.empty() ? nullptr : params.data();
  config.v1.numOfInputs = nIn;
  config.v1.inputTensors = ins.empty() ? nullptr : ins.data();
  config.v1.numOfOutputs = nOut;
  config.v1.outputTensors = outs.empty() ? nullptr : outs.data();
  Qnn_ErrorHandle_t code = 0x7fffffff;
@DISPATCH@
  for (uint32_t i = 0; i < nOut; ++i) outTypes[i] = static_cast<uint32_t>(outs[i].v1.dataType);
  std::snprintf(message, messageSize, "%s", opgen::g_message);
  (void)parts;
  return static_cast<int>(code);
}
"""


@dataclass(frozen=True)
class Result:
    code: int
    dims: tuple[tuple[int, ...], ...]
    dtypes: tuple[int, ...]
    message: str


class Harness:
    def __init__(self, library: Path) -> None:
        self.lib = ctypes.CDLL(str(library))
        self.lib.opgen_test_run.restype = ctypes.c_int

    def run(
        self,
        op: str,
        inputs: Sequence[Sequence[int]],
        outputs: Sequence[Sequence[int]],
        *,
        infer: bool = False,
        parts: int = 3,
        in_types: Sequence[int] | None = None,
        out_types: Sequence[int] | None = None,
        scalars: Sequence[tuple[str, int, int]] = (),
        tensors: Sequence[tuple[str, int, Sequence[int]]] = (),
        version: int = 1,
    ) -> Result:
        u32, i64 = ctypes.c_uint32, ctypes.c_int64

        def arr(t: type, vals: Sequence[int]) -> ctypes.Array:  # type: ignore[type-arg]
            return (t * max(len(vals), 1))(*vals)

        def strs(vals: Sequence[str]) -> ctypes.Array:  # type: ignore[type-arg]
            return (ctypes.c_char_p * max(len(vals), 1))(*(v.encode() for v in vals))

        in_types = in_types or [0x0232] * len(inputs)
        out_types = list(out_types or [0x0232] * len(outputs))
        out_dims = [0] * (MAX_RANK * max(len(outputs), 1))
        for i, o in enumerate(outputs):
            out_dims[i * MAX_RANK : i * MAX_RANK + len(o)] = list(o)
        out_dims_arr = arr(u32, out_dims)
        out_types_arr = arr(u32, out_types)
        message = ctypes.create_string_buffer(1024)
        code = self.lib.opgen_test_run(
            op.encode(), int(infer), parts, len(inputs), arr(u32, [len(s) for s in inputs]),
            arr(u32, [d for s in inputs for d in s]), arr(u32, list(in_types)), len(outputs),
            arr(u32, [len(o) for o in outputs]), out_dims_arr, out_types_arr, len(scalars),
            strs([s[0] for s in scalars]), arr(u32, [s[1] for s in scalars]),
            arr(i64, [s[2] for s in scalars]), len(tensors), strs([t[0] for t in tensors]),
            arr(u32, [t[1] for t in tensors]), arr(u32, [len(t[2]) for t in tensors]),
            arr(i64, [v for t in tensors for v in t[2]]), version, message, 1024,
        )  # fmt: skip
        dims = tuple(
            tuple(out_dims_arr[i * MAX_RANK + k] for k in range(len(o)))
            for i, o in enumerate(outputs)
        )
        return Result(code, dims, tuple(out_types_arr[: len(outputs)]), message.value.decode())


def build(
    tmp: Path,
    ops: Sequence[tuple[OpDef, OpRules]],
    hooks_cpp: str = "",
    compiler: str = "g++",
    include: Path = QNN,
) -> Harness:
    functions, decls, dispatch = [], [], []
    for op, rules in ops:
        validate = emit_cpp.rule_function(op, rules, emit_cpp.Mode.VALIDATE)
        infer = emit_cpp.rule_function(op, rules, emit_cpp.Mode.INFER)
        assert infer is not None
        decls.append(infer.hook_declarations)
        functions.append(infer.definition)
        line = (
            f'  if (std::strcmp(op, "{op.name}") == 0) code = infer ? {infer.name}(config, parts)'
        )
        if validate is not None:
            functions.append(validate.definition)
            line += f" : {validate.name}(config);"
        else:
            line += " : QNN_SUCCESS;"
        dispatch.append(line)
    source = (
        _MAIN.replace("@HOOKDECLS@", "\n".join(decls))
        .replace("@HOOKS@", hooks_cpp)
        .replace("@FUNCTIONS@", "\n".join(functions))
        .replace("@DISPATCH@", "\n".join(dispatch))
    )
    src = tmp / "harness.cpp"
    src.write_text(source, encoding="utf-8")
    lib = tmp / f"libharness_{compiler.replace('+', 'p')}.so"
    cmd = [
        compiler, "-std=c++17", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC",
        f"-I{STATIC / 'include'}", f"-I{include}", "-o", str(lib), str(src),
        str(STATIC / "src" / "utils" / "ShapeRules.cpp"),
        str(STATIC / "src" / "utils" / "OpConfigSupport.cpp"),
    ]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return Harness(lib)
