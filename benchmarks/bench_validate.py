"""Benchmark: load and validate a generated 1,000-op config (target: well under a second).

Run: .venv/bin/python benchmarks/bench_validate.py [NUM_OPS]
Prints absolute times and ratios measured in this run; it asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from opgen.config import validate_configs  # noqa: E402
from opgen.config.diagnostics import Diagnostics  # noqa: E402
from opgen.config.loader import load_config  # noqa: E402
from tests import factories as f  # noqa: E402

BUDGET_SECONDS = 1.0


def make_config(num_ops: int) -> str:
    params = [
        f.param("alpha", mandatory=False, default="1.0"),
        f.param("axis", "QNN_DATATYPE_INT_32", mandatory=False, default="N-1"),
        f.param("mode", "QNN_DATATYPE_UINT_32", mandatory=False, enum=["a", "b", "c"]),
        f.param(
            "pads", "QNN_DATATYPE_INT_32", rank="2D", mandatory=False, default="[[0, 0], [0, 0]]"
        ),
    ]
    inputs = [f.tensor("Input", "in[0]"), f.tensor("Input", "in[1]", mandatory=False)]
    ops = [
        f.op(f"Op{i}", ("CPU", "GPU", "HTP")[i % 3], inputs=inputs, params=params)
        for i in range(num_ops)
    ]
    return f.config("BenchPkg", ops)


def best_of(runs: int, fn: object) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    num_ops = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xml"
        path.write_text(make_config(num_ops), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6

        result = validate_configs([path])
        assert result.ok, [d.format() for d in result.diagnostics]
        total = best_of(5, lambda: validate_configs([path]))
        parse = best_of(5, lambda: load_config(path, Diagnostics()))

    print(f"config: {num_ops} ops, {size_mb:.1f} MB")
    ratio = total / BUDGET_SECONDS
    print(f"load + validate (best of 5): {total * 1000:.0f} ms = {ratio:.2f}x the 1 s budget")
    print(f"  of which parse + schema: {parse * 1000:.0f} ms ({parse / total:.0%})")
    rest = total - parse
    print(f"  model building + semantic checks: {rest * 1000:.0f} ms ({rest / total:.0%})")


if __name__ == "__main__":
    main()
