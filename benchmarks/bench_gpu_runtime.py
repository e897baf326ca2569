"""Benchmark: building the GPU example and running it through the runtime's GPU executor.

Copies examples/gpu/ExampleGpuOpPackage to a temporary directory, then measures:

* the build (``make gpu_x86``, from clean);
* the first run in a fresh process: register (OpenCL device, context and queue included), then
  the first execution of each op, which builds its OpenCL program, once with the OpenCL
  compilers' disk caches off (``POCL_KERNEL_CACHE=0``, ``PYOPENCL_NO_CACHE=1``) and once with
  them warm;
* the steady state per call, for Relu and Swish on float32 tensors of several sizes: a reusable
  op's ``execute()`` (copy in, kernel, copy out) and the full create/execute/free cycle (with
  the program already built), next to numpy computing the same thing.

Run: .venv/bin/python benchmarks/bench_gpu_runtime.py [CALLS]
Prints times and ratios measured in this run on the OpenCL device in use (``opgen info`` names
it; OPGEN_OPENCL_DEVICE picks another); it asserts nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opgen.runtime import GpuOpPackage  # noqa: E402
from tests.runtime import gpurtpkg  # noqa: E402

OPS = ("Relu", "Swish", "Axpy")
SIZES = (1_000, 100_000, 1_000_000)
NO_DISK_CACHES = {"POCL_KERNEL_CACHE": "0", "PYOPENCL_NO_CACHE": "1"}


def first_run(library: str) -> dict[str, float]:
    """In this (fresh) process: register, then the first execution of each op."""
    x = np.linspace(-2, 2, 1000, dtype=np.float32)
    start = time.perf_counter()
    package = GpuOpPackage.register(f"{library}::GPU")
    times = {"register": time.perf_counter() - start}
    with package:
        for op in OPS:
            start = time.perf_counter()
            package.execute(
                op, [x] * (2 if op == "Axpy" else 1), {"alpha": 2.0} if op == "Axpy" else {}
            )
            times[op] = time.perf_counter() - start
        start = time.perf_counter()
        package.execute("Relu", [x])
        times["second Relu"] = time.perf_counter() - start
    return times


def first_run_in_child(library: Path, extra_env: dict[str, str]) -> dict[str, float]:
    env = {**os.environ, **extra_env}
    done = subprocess.run(
        [sys.executable, __file__, "--first-run", str(library)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def per_call_us(function: Callable[[], object], calls: int) -> float:
    for _ in range(min(calls, 20)):  # warm up
        function()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        best = min(best, time.perf_counter() - start)
    return best / calls * 1e6


def steady_state(library: Path, calls: int) -> None:
    with GpuOpPackage.register(f"{library}::GPU") as package:
        print(f"steady state on {package.device.info.name} (best of 3, us/call):")
        print(
            f"  {'op':<6}{'elements':>10}{'execute()':>12}{'full cycle':>12}{'numpy':>10}"
            f"{'exec/numpy':>12}{'cycle/exec':>12}"
        )
        for op, reference in (
            ("Relu", lambda x: np.maximum(x, 0)),
            ("Swish", lambda x: x / (1 + np.exp(-x))),
        ):
            for size in SIZES:
                x = np.linspace(-2, 2, size, dtype=np.float32)
                n = max(calls * 1000 // size, 20)
                with package.create(op, [x]) as handle:
                    execute = per_call_us(handle.execute, n)
                cycle = per_call_us(lambda op=op, x=x: package.execute(op, [x]), n)
                numpy = per_call_us(lambda reference=reference, x=x: reference(x), n)
                print(
                    f"  {op:<6}{size:>10}{execute:>12.1f}{cycle:>12.1f}{numpy:>10.1f}"
                    f"{execute / numpy:>11.1f}x{cycle / execute:>11.2f}x"
                )


def main(calls: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        library = gpurtpkg.build_example(Path(tmp))
        build = time.perf_counter() - start
        print(
            f"build of ExampleGpuOpPackage (make gpu_x86, {gpurtpkg.compiler()}, -j2): "
            f"{build:.2f} s"
        )
        cold = first_run_in_child(library, NO_DISK_CACHES)
        first_run_in_child(library, {})  # fills the disk caches
        warm = first_run_in_child(library, {})
        print("first run in a fresh process (s):  disk caches off | warm")
        for key in cold:
            print(f"  {key:<12}{cold[key]:>22.3f} | {warm[key]:.3f}")
        cold_total = sum(cold[op] for op in OPS)
        print(
            f"  first execution of the 3 ops: {cold_total:.3f} s cold, "
            f"{sum(warm[op] for op in OPS):.3f} s warm; a later execution (program cached): "
            f"{cold['second Relu'] * 1e3:.2f} ms = {cold['Relu'] / cold['second Relu']:.0f}x "
            "faster than the first"
        )
        steady_state(library, calls)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--first-run":
        print(json.dumps(first_run(sys.argv[2])))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
