"""Benchmark: `opgen onnx check` and `opgen onnx annotate` (library entries) on a model with
1,000 custom nodes (target: each under 1 s).

Run: .venv/bin/python benchmarks/onnx_check_annotate.py [NUM_CUSTOM_NODES]
The model is a chain x -> Grow -> Relu -> Same -> Relu -> Grow ...: custom and native nodes in
turn, so every native node waits for the custom node before it (the worst case for annotate's
fixed point), with named (symbolic) dims. Prints seconds and microseconds per custom node, the
inference rounds, and the ratio to the target; asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from onnx import TensorProto  # noqa: E402

from opgen.config import validate_configs  # noqa: E402
from opgen.onnx.annotate import annotate, check  # noqa: E402
from tests.onnx.annot_models import custom, model, native, write_config  # noqa: E402

TARGET_SECONDS = 1.0


def build(n: int) -> object:
    nodes = []
    prev = "x"
    for i in range(n):
        op = custom("Grow", [prev], [f"c{i}"]) if i % 2 == 0 else custom("Same", [prev], [f"c{i}"])
        nodes += [op, native("Relu", [f"c{i}"], [f"r{i}"])]
        prev = f"r{i}"
    return model(nodes, [("x", TensorProto.FLOAT, ["N", 3])], [(prev, TensorProto.FLOAT, None)])


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        packages = validate_configs([write_config(Path(tmp))]).packages
    m = build(n)
    try:
        from opgen.onnx.check import check_model
    except ImportError:  # before `opgen onnx check` is merged
        check_model = None
    if check_model is not None:
        start = time.perf_counter()
        findings = check_model(m, packages, Path("bench.onnx"))  # type: ignore[arg-type]
        took = time.perf_counter() - start
        print(
            f"check:    {n} custom nodes in {took:.3f} s ({took / n * 1e6:.0f} us/node, "
            f"{len(findings)} finding(s)); {took / TARGET_SECONDS:.2f} x the 1 s target"
        )
    else:
        print("check:    skipped (opgen.onnx.check not available)")
    start = time.perf_counter()
    done = annotate(m, packages)  # type: ignore[arg-type]
    took = time.perf_counter() - start
    print(
        f"annotate: {n} custom nodes in {took:.3f} s ({took / n * 1e6:.0f} us/node, "
        f"{done.rounds} inference round(s), {len(done.written)} value_info written, "
        f"{len(done.unknown)} unknown); {took / TARGET_SECONDS:.2f} x the 1 s target"
    )
    start = time.perf_counter()
    check(done.model)
    print(f"onnx.checker on the result: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
