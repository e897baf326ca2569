"""Models and numpy references for the `opgen onnx run` tests: native ONNX ops mixed with the
example packages' custom ops (domain "example", as the example configs declare)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper

from tests.onnx.models import make_model

W = (np.arange(12, dtype=np.float32).reshape(4, 3) / 10 - 0.5).astype(np.float32)

REFERENCE_SOURCE = """import numpy as np


def Relu(x):
    return np.maximum(x, 0)


def Softmax(x, axis=-1, beta=1.0):
    z = beta * x
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def TopK(x, k):
    i = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, i, -1), i.astype(np.int32)


def Swish(x, beta):
    return x / (1 + np.exp(-beta * x))


def Sigmoid(x):
    return 1 / (1 + np.exp(-x))
"""


def write_reference(directory: Path, source: str = REFERENCE_SOURCE) -> Path:
    path = directory / "reference.py"
    path.write_text(source, encoding="utf-8")
    return path


def relu(x: np.ndarray) -> np.ndarray:
    return np.maximum(x, 0)


def softmax(x: np.ndarray, axis: int = -1, beta: float = 1.0) -> np.ndarray:
    z = beta * x.astype(np.float64)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def topk(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    i = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, i, -1), i.astype(np.int32)


def model(
    nodes: list[onnx.NodeProto],
    outputs: list[str],
    inputs: dict[str, list[int]],
    initializers: dict[str, np.ndarray] | None = None,
) -> onnx.ModelProto:
    """float32 inputs of the given shapes; outputs of undeclared type; the examples' domain."""
    return make_model(
        nodes,
        {n: (TensorProto.FLOAT, s) for n, s in inputs.items()},
        {n: TensorProto.UNDEFINED for n in outputs},
        initializers=initializers or {},
        domains=("example",),
    )


def cpu_model() -> onnx.ModelProto:
    """x[2,4] -MatMul W-> Relu* -> Transpose -> Softmax*(axis 0, beta 2) -> TopK*(k 2) -> Add."""
    return model(
        [
            helper.make_node("MatMul", ["x", "w"], ["mm"], name="mm"),
            helper.make_node("Relu", ["mm"], ["r"], name="relu", domain="example"),
            helper.make_node("Transpose", ["r"], ["t"], name="tr", perm=[1, 0]),
            helper.make_node(
                "Softmax", ["t"], ["s"], name="sm", domain="example", axis=0, beta=2.0
            ),
            helper.make_node("TopK", ["s"], ["v", "i"], name="topk", domain="example", k=2),
            helper.make_node("Add", ["v", "v"], ["y"], name="add"),
        ],
        ["y", "i"],
        {"x": [2, 4]},
        {"w": W},
    )


def cpu_expected(x: np.ndarray) -> dict[str, np.ndarray]:
    t = relu(x @ W).T
    values, indices = topk(softmax(t, axis=0, beta=2.0), 2)
    return {"y": values + values, "i": indices}
