"""`opgen onnx run` with the GPU example (OpenCL, pocl) and the HTP example (host emulation):
native ops around the packages' custom ops, against numpy and --reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import helper

import opgen.onnx
from tests.onnx import run_models as rm
from tests.onnx.test_run import files, opgen_cli

X = np.random.default_rng(11).normal(size=(3, 4)).astype(np.float32)


def swish(x: np.ndarray, beta: float) -> np.ndarray:
    return x / (1 + np.exp(-beta * x.astype(np.float64)))


def gpu_model() -> onnx.ModelProto:
    """x -> Relu* -> Transpose -> Swish*(beta 0.5) -> Add(x^T)."""
    return rm.model(
        [
            helper.make_node("Relu", ["x"], ["r"], name="relu", domain="example"),
            helper.make_node("Transpose", ["r"], ["t"], name="tr", perm=[1, 0]),
            helper.make_node("Swish", ["t"], ["s"], name="swish", domain="example", beta=0.5),
            helper.make_node("Transpose", ["x"], ["xt"], name="tx", perm=[1, 0]),
            helper.make_node("Add", ["s", "xt"], ["y"], name="add"),
        ],
        ["y"],
        {"x": [3, 4]},
    )


def test_gpu_example_against_numpy(gpu_example_library: Path) -> None:
    spec = f"{gpu_example_library}::GPU"
    (y,) = opgen.onnx.run(gpu_model(), [spec], {"x": X}, isolate=True).values()
    expected = swish(np.maximum(X, 0).T, 0.5) + X.T
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)


def test_gpu_example_cli_reference(gpu_example_library: Path, tmp_path: Path) -> None:
    args = files(tmp_path, gpu_model(), x=X)
    rm.write_reference(tmp_path)
    result = opgen_cli(
        "onnx", "run", "m.onnx", "--op_packages", f"{gpu_example_library}::GPU", *args,
        "-o", "out.npz", "--reference", "reference.py", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.rsplit(":", 1)[0] for line in lines[2:-1]] == [
        "  node 'relu' (Relu) out[0]",
        "  node 'swish' (Swish) out[0]",
        "  output y",
    ]
    assert all(float(line.rsplit(":", 1)[1]) < 1e-4 for line in lines[2:-1])


def htp_model() -> onnx.ModelProto:
    """x[1,1,2,4] -> MatMul W -> Relu* -> Softmax*(beta 1.5) -> Add (HTP ops take rank 4)."""
    return rm.model(
        [
            helper.make_node("MatMul", ["x", "w"], ["mm"], name="mm"),
            helper.make_node("Relu", ["mm"], ["r"], name="relu", domain="example"),
            helper.make_node("Softmax", ["r"], ["s"], name="sm", domain="example", beta=1.5),
            helper.make_node("Add", ["s", "s"], ["y"], name="add"),
        ],
        ["y"],
        {"x": [1, 1, 2, 4]},
        {"w": rm.W},
    )


def test_htp_example_against_numpy_and_reference(example_htp_library: Path, tmp_path: Path) -> None:
    spec = f"{example_htp_library}:ExampleHtpOpPackageInterfaceProvider:HTP"
    x = X[:2].reshape(1, 1, 2, 4)
    (y,) = opgen.onnx.run(htp_model(), [spec], {"x": x}, isolate=True).values()
    expected = 2 * rm.softmax(np.maximum(x @ rm.W, 0), beta=1.5)
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)
    args = files(tmp_path, htp_model(), x=x)
    rm.write_reference(tmp_path)
    result = opgen_cli(
        "onnx", "run", "m.onnx", "--op_packages", spec, *args, "-o", "out.npz",
        "--reference", "reference.py", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.rsplit(":", 1)[0] for line in lines[2:-1]] == [
        "  node 'relu' (Relu) out[0]",
        "  node 'sm' (Softmax) out[0]",
        "  output y",
    ]
    assert all(float(line.rsplit(":", 1)[1]) < 1e-4 for line in lines[2:-1])
