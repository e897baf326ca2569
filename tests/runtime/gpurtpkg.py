"""GPU packages for the runtime tests: the implemented example (examples/gpu/ExampleGpuOpPackage,
built from a copy) and GpuRtPkg, a generated package whose kernels exercise what the example
does not. Built once per session by conftest.py (and by benchmarks/bench_gpu_runtime.py).

GpuRtPkg's ops:

* ``Tiled(in[0], in[1]?; scale: FLOAT_32 = 1.0)``: per work-group of 64, through a ``__local``
  tile, ``out[i] = scale * x_reversed_in_group[i] + in[1][i] + BIAS`` (in[1] omitted: 0; BIAS is
  0.5 from the build options); the global size is rounded up to a multiple of 64 and the kernel
  checks ``i < n`` (a DATA uint argument).
* ``Transpose(in[0] 2D)``: a 2-D launch {rows, cols}; the output shape is given by the caller.
* ``Scalars(in[0])``: writes one DATA argument of every CL type (char .. double) into out[0][:10].
* ``Odd(in[0]; mode: INT_32)``: ``2 * x + mode`` for mode 0; other modes misbehave, one way
  each (see ``ODD_MODES``): mode 8 writes past the end of out[0], mode 9 does not write it,
  mode 10's configureLaunch throws a std::exception, mode 11 an int.
* ``Broken(in[0])``: its kernel has a syntax error.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import opgen
from opgen.generate import generate
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "gpu" / "ExampleGpuOpPackage"
PACKAGE = "GpuRtPkg"
GROUP = 64
BIAS = 0.5

#: Odd's misbehaving modes, and what the runtime must say about each.
ODD_MODES = {
    1: "kernel 'NotThere' is not in its program",
    2: "INTERNAL_READ; internal memory objects are not supported",
    3: "OpenCL failed",
    4: "names input 5 of op config 0; the node has one op config with 1 input(s)",
    5: "is DATA of unknown CL type 42",
    6: "kernel 'Odd' takes 4 argument(s), the operation binds 3",
    7: "kernel 'Odd' does not build with options '-DODD_FAIL'",
    8: "execute wrote past the end of output 0 'out[0]' (20 bytes)",
    9: "execute returned success but left output 0 'out[0]' unwritten",
    10: "createOpImpl failed: launch settings are broken",
    11: "createOpImpl failed: an exception that is not a std::exception",
}


def compiler() -> str:
    return "clang++" if shutil.which("clang++") else "g++"


def make(package_dir: Path) -> None:
    subprocess.run(
        ["make", "-C", str(package_dir), "gpu_x86", f"CXX={compiler()}", "-j2"],
        check=True,
        capture_output=True,
        text=True,
    )


def library_of(package_dir: Path, name: str) -> Path:
    return package_dir / "libs" / "x86_64-linux-clang" / f"lib{name}.so"


def build_example(root: Path) -> Path:
    """Copy the example (without builds) under ``root`` and build it; returns the library."""
    copy = root / EXAMPLE.name
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("libs", "obj"))
    make(copy)
    return library_of(copy, "ExampleGpuOpPackage")


def config_text() -> str:
    ops = [
        f.op(
            "Tiled",
            "GPU",
            inputs=[f.tensor("Input", "in[0]"), f.tensor("Input", "in[1]", mandatory=False)],
            params=[f.param("scale", mandatory=False, default="1.0")],
        ),
        f.op(
            "Transpose",
            "GPU",
            inputs=[f.tensor("Input", "in[0]", rank="2D")],
            outputs=[f.tensor("Output", "out[0]", rank="2D")],
        ),
        f.op("Scalars", "GPU"),
        f.op("Odd", "GPU", params=[f.param("mode", "QNN_DATATYPE_INT_32")]),
        f.op("Broken", "GPU"),
    ]
    return f.config(PACKAGE, ops)


def build_package(root: Path) -> Path:
    """Generate GpuRtPkg under ``root``, write its kernels, build it; returns the library."""
    config = f.write(root, f"{PACKAGE}.xml", config_text())
    generate(opgen.load_packages([config]), root / "out")
    package_dir = root / "out" / PACKAGE
    for op, (kernel, launch) in SOURCES.items():
        (package_dir / "src" / "ops" / f"{op}.cl").write_text(kernel, encoding="utf-8")
        launch_source = LAUNCH.format(op=op, body=launch)
        (package_dir / "src" / "ops" / f"{op}.cpp").write_text(launch_source, encoding="utf-8")
    make(package_dir)
    return library_of(package_dir, PACKAGE)


LAUNCH = """#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "ops/{op}.hpp"

namespace GpuRtPkg {{
namespace {op} {{

Qnn_ErrorHandle_t configureLaunch(const Op& op, ::opgen::gpu::Launch* launch) {{
{body}
  return QNN_SUCCESS;
}}

}}  // namespace {op}
}}  // namespace GpuRtPkg
"""

#: op -> (src/ops/<op>.cl, body of configureLaunch in src/ops/<op>.cpp)
SOURCES = {
    "Tiled": (
        """
#ifndef BIAS
#error BIAS comes from the build options
#endif
__kernel void Tiled(__global const float* in_0, __global const float* in_1,
                    __global float* out_0, float scale, uint n, __local float* tile) {
  const size_t i = get_global_id(0);
  const size_t l = get_local_id(0);
  tile[l] = i < n ? in_0[i] : 0.0f;
  barrier(CLK_LOCAL_MEM_FENCE);
  const float mirrored = tile[get_local_size(0) - 1 - l];
  if (i < n) out_0[i] = scale * mirrored + (in_1 ? in_1[i] : 0.0f) + BIAS;
}
""",
        f"""  const size_t n = op.out_0.numElements();
  const size_t group = {GROUP};
  launch->args.push_back(::opgen::gpu::dataUInt(static_cast<uint32_t>(n)));
  launch->args.push_back(::opgen::gpu::localArg(group * sizeof(float)));
  launch->buildOptions = "-DBIAS={BIAS}f";
  launch->globalWorkSize = {{(n + group - 1) / group * group}};
  launch->localWorkSize = {{group}};""",
    ),
    "Transpose": (
        """
__kernel void Transpose(__global const float* in_0, __global float* out_0, uint rows,
                        uint cols) {
  const size_t r = get_global_id(0);
  const size_t c = get_global_id(1);
  out_0[c * rows + r] = in_0[r * cols + c];
}
""",
        """  const uint32_t rows = op.in_0.dim(0);
  const uint32_t cols = op.in_0.dim(1);
  if (op.out_0.shape() != std::vector<uint32_t>{cols, rows}) {
    ::opgen::gpu::log(QNN_LOG_LEVEL_ERROR, "Transpose: out[0] must be %u x %u", cols, rows);
    return QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT;
  }
  launch->args.push_back(::opgen::gpu::dataUInt(rows));
  launch->args.push_back(::opgen::gpu::dataUInt(cols));
  launch->globalWorkSize = {rows, cols};""",
    ),
    "Scalars": (
        """
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
__kernel void Scalars(__global const float* in_0, __global float* out_0, char a, uchar b,
                      short c, ushort d, int e, uint f, long g, ulong h, float x, double y) {
  out_0[0] = a; out_0[1] = b; out_0[2] = c; out_0[3] = d; out_0[4] = e;
  out_0[5] = f; out_0[6] = g; out_0[7] = h; out_0[8] = x; out_0[9] = (float)y;
}
""",
        """  (void)op;
  using namespace ::opgen::gpu;
  launch->args.push_back(dataChar(-3));
  launch->args.push_back(dataUChar(250));
  launch->args.push_back(dataShort(-300));
  launch->args.push_back(dataUShort(60000));
  launch->args.push_back(dataInt(-70000));
  launch->args.push_back(dataUInt(3000000000u));
  launch->args.push_back(dataLong(-(int64_t{1} << 40)));
  launch->args.push_back(dataULong(uint64_t{1} << 63));
  launch->args.push_back(dataFloat(0.25f));
  launch->args.push_back(dataDouble(0.125));
  launch->globalWorkSize = {1};""",
    ),
    "Odd": (
        """
#ifdef ODD_FAIL
#error ODD_FAIL is defined
#endif
__kernel void Odd(__global const float* in_0, __global float* out_0, int mode, uint n) {
  const size_t i = get_global_id(0);
  if (i < n && mode != 9) out_0[i] = 2.0f * in_0[i] + mode;
  if (mode == 8 && i == 0) {
    for (uint k = 0; k < 16; ++k) out_0[n + k] = 1.0f;  // 64 bytes past the end
  }
}
""",
        """  const size_t n = op.out_0.numElements();
  launch->args.push_back(::opgen::gpu::dataUInt(static_cast<uint32_t>(n)));
  switch (op.mode) {
    case 1:
      launch->kernelName = "NotThere";
      break;
    case 2: {
      QnnGpu_KernelArg_t internal{};
      internal.type = QNN_GPU_KERNEL_ARG_TYPE_INTERNAL_READ;
      launch->args.push_back(internal);
      break;
    }
    case 3:
      launch->globalWorkSize = {1u << 20};
      launch->localWorkSize = {1u << 20};  // far beyond any device's work-group size
      break;
    case 4:
      launch->args[0].tensor.tensorIndex = 5;
      break;
    case 5:
      launch->args[2].data.type = static_cast<QnnGpu_DataKernelArgType_t>(42);
      break;
    case 6:
      launch->args.pop_back();
      break;
    case 7:
      launch->buildOptions = "-DODD_FAIL";
      break;
    case 10:
      throw std::runtime_error("launch settings are broken");
    case 11:
      throw 11;  // not a std::exception
    default:
      break;
  }""",
    ),
    "Broken": (
        """
__kernel void Broken(__global const float* in_0, __global float* out_0) {
  const size_t i = get_global_id(0);
  out_0[i] = in_0[i] +;
}
""",
        "  (void)op;",
    ),
}
