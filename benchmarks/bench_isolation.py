"""Benchmark: what isolation (the worker process) costs, against running in-process.

Builds RtPkg (tests/runtime/rtpkg.py) in a temporary directory, then measures, in-process and
isolated (``register(..., isolate=True)``):

* start-up: register + close (isolated: start the worker, import the runtime, init, terminate),
* per call: ``execute("Concat", ...)`` on two 4-element float32 arrays (the full cycle), and on
  two 1M-element arrays (the data crosses the pipe twice),

and prints the times and the isolated/in-process ratios. Also ``opgen run`` end to end (the
command a user runs), with and without ``--in-process``.
Run: .venv/bin/python benchmarks/bench_isolation.py [CALLS]. It asserts nothing.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opgen.runtime import register  # noqa: E402
from tests.runtime import rtpkg  # noqa: E402


def best_of(function: Callable[[], object], calls: int, rounds: int = 3) -> float:
    """Seconds per call, best of ``rounds``."""
    function()  # warm up
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        best = min(best, time.perf_counter() - start)
    return best / calls


def main(calls: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print("building RtPkg ...", flush=True)
        library = str(rtpkg.build_package(Path(tmp)))
        rows: list[tuple[str, float, float]] = []

        def startup(isolate: bool) -> float:
            def once() -> None:
                register(library, isolate=isolate).close()

            return best_of(once, max(calls // 100, 3))

        rows.append(("start-up (register + close)", startup(False), startup(True)))
        for size in (4, 1 << 20):
            a = np.arange(size, dtype=np.float32)
            b = np.ones(size, np.float32)
            n = calls if size < 1000 else max(calls // 20, 5)
            times = []
            for isolate in (False, True):
                with register(library, isolate=isolate) as package:
                    times.append(
                        best_of(
                            lambda p=package, a=a, b=b, n=2 * size: p.execute(
                                "Concat", [a, b], {"axis": 0}, [((n,), np.float32)]
                            ),
                            n,
                        )
                    )
            rows.append((f"execute Concat, 2 x {size} float32", times[0], times[1]))
        x = Path(tmp) / "x.npy"
        np.save(x, np.arange(4, dtype=np.float32))
        cli = []
        for extra in (["--in-process"], []):
            argv = [
                sys.executable,
                "-m",
                "opgen",
                "run",
                "--op_packages",
                library,
                "--op",
                "Concat",
                "-i",
                str(x),
                "-i",
                str(x),
                "--output-spec",
                "out[0]=float32:8",
                "-o",
                str(Path(tmp) / "o.npz"),
                *extra,
            ]
            cli.append(
                best_of(lambda a=argv: subprocess.run(a, check=True, capture_output=True), 3)
            )
        rows.append(("opgen run (whole command)", cli[0], cli[1]))
        print(f"{'':40} {'in-process':>12} {'isolated':>12} {'ratio':>8}")
        for label, inproc, isolated in rows:
            print(
                f"{label:40} {inproc * 1e3:10.3f}ms {isolated * 1e3:10.3f}ms "
                f"{isolated / inproc:7.1f}x"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
