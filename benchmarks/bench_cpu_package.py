"""Benchmark: generate and build a 100-op CPU package (skeleton kernels).

Run: .venv/bin/python benchmarks/bench_cpu_package.py [NUM_OPS]
Prints times measured in this run and their ratios; it asserts nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import opgen  # noqa: E402
from opgen.generate import generate  # noqa: E402
from tests import factories as f  # noqa: E402


def main() -> None:
    num_ops = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    params = [
        f.param("alpha", mandatory=False, default="1.0"),
        f.param("axis", "QNN_DATATYPE_INT_32", mandatory=False, default="N-1"),
        f.param("mode", "QNN_DATATYPE_UINT_32", mandatory=False, enum=["a", "b"]),
    ]
    ops = [f.op(f"Op{i}", params=params) for i in range(num_ops)]
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "bench.xml"
        config.write_text(f.config("BenchPkg", ops), encoding="utf-8")
        start = time.perf_counter()
        packages = opgen.load_packages([config])
        generate(packages, Path(tmp) / "out")
        gen_time = time.perf_counter() - start

        package = Path(tmp) / "out" / "BenchPkg"
        jobs = str(os.cpu_count() or 1)
        start = time.perf_counter()
        subprocess.run(
            ["make", "-j", jobs, "cpu_x86"], cwd=package, check=True, capture_output=True
        )
        build_time = time.perf_counter() - start
        files = sum(1 for p in package.rglob("*") if p.is_file())

    print(f"{num_ops} ops: {files} files generated in {gen_time * 1000:.0f} ms")
    print(f"build with make -j{jobs} cpu_x86: {build_time:.1f} s")
    print(f"generation is {gen_time / build_time:.3f}x of the build time")
    print(
        f"per op: generate {gen_time / num_ops * 1000:.1f} ms, build {build_time / num_ops:.2f} s"
    )


if __name__ == "__main__":
    main()
