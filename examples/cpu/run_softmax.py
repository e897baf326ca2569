"""Run the example package's Softmax on the host through opgen's companion runtime.

Build the package first (`make -C examples/cpu/ExampleOpPackage cpu_x86`), then:
    .venv/bin/python examples/cpu/run_softmax.py
It prints the package's result next to numpy's and exits non-zero if they differ.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from opgen.runtime import register

LIBRARY = (
    Path(__file__).resolve().parent
    / "ExampleOpPackage"
    / "libs"
    / "x86_64-linux-clang"
    / "libExampleOpPackage.so"
)


def numpy_softmax(x: np.ndarray, axis: int = -1, beta: float = 1.0) -> np.ndarray:
    shifted = beta * x - np.max(beta * x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def main() -> int:
    if not LIBRARY.exists():
        print(f"error: {LIBRARY} is missing; build it with: make -C {LIBRARY.parents[2]} cpu_x86")
        return 1
    x = np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.0, 0.5, 8.0]], dtype=np.float32)
    with register(str(LIBRARY)) as package:
        print(f"package {package.info.package_name}: ops {', '.join(package.info.operations)}")
        (ours,) = package.execute("Softmax", [x], {"beta": 1.0})
    expected = numpy_softmax(x)
    np.set_printoptions(precision=6, suppress=True)
    print("input:\n", x)
    print("Softmax (ExampleOpPackage via opgen runtime):\n", ours)
    print("softmax (numpy):\n", expected)
    same = np.allclose(ours, expected, rtol=1e-5, atol=1e-6)
    print("match" if same else "MISMATCH")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
