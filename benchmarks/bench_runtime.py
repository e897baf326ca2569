"""Benchmark: per-call cost of running a tiny op through the runtime's CPU executor.

Builds the test package RtPkg (tests/runtime/rtpkg.py) in a temporary directory, then times
Concat on two 4-element float32 arrays (a kernel that does not log), as:

* a reusable op (create once, ``execute()`` N times),
* the same with new input arrays bound on each call,
* the full cycle per call (bind values, validateOpConfig, createOpImpl, execute, freeOpImpl),
* and, as the floor, the bare ctypes call of the opImpl's function.

Run: .venv/bin/python benchmarks/bench_runtime.py [CALLS]
Prints times and ratios measured in this run; it asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opgen.runtime import CpuOpPackage  # noqa: E402
from tests.runtime import rtpkg  # noqa: E402


def per_call_us(function: Callable[[], object], calls: int) -> float:
    for _ in range(min(calls, 100)):  # warm up
        function()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        best = min(best, time.perf_counter() - start)
    return best / calls * 1e6


def main(calls: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print("building RtPkg ...", flush=True)
        library = rtpkg.build_package(Path(tmp))
        a = np.arange(4, dtype=np.float32)
        b = np.ones(4, np.float32)
        params = {"axis": 0}
        outputs = [((8,), np.float32)]
        with CpuOpPackage.register(str(library)) as package:
            with package.create("Concat", [a, b], params, outputs) as op:
                reuse = per_call_us(op.execute, calls)
                inputs = [a.copy(), b.copy()]
                rebind = per_call_us(lambda: op.execute(inputs), calls)
                function, user_data = op._function, op._user_data
                floor = per_call_us(lambda: function(user_data), calls)
            cycle = per_call_us(lambda: package.execute("Concat", [a, b], params, outputs), calls)
    print(f"{calls} calls of Concat of two 4-element float32 arrays (best of 3):")
    print(f"  bare opImplFn call (ctypes floor)      {floor:8.2f} us/call")
    print(f"  reusable op: execute()                 {reuse:8.2f} us/call")
    print(f"  reusable op: execute(new inputs)       {rebind:8.2f} us/call")
    print(f"  full create/execute/free per call      {cycle:8.2f} us/call")
    print(f"  full cycle / reusable execute          {cycle / reuse:8.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
