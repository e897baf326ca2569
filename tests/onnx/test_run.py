"""`opgen onnx run` and `opgen.onnx.run`/`compare` with the example CPU package (built once per
session): a model mixing native ops (MatMul, Transpose, Add) with the package's Relu, Softmax
and TopK, against numpy and against a --reference module; and the error cases, each one line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import helper

import opgen.onnx
from opgen.runtime import CpuOpPackage
from tests.onnx import run_models as rm

X = np.random.default_rng(7).normal(size=(2, 4)).astype(np.float32)


@pytest.fixture(scope="module")
def package(example_cpu_library: Path) -> Iterator[CpuOpPackage]:
    with CpuOpPackage.register(str(example_cpu_library)) as registered:
        yield registered


def opgen_cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opgen", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


def files(tmp_path: Path, model: onnx.ModelProto, **arrays: np.ndarray) -> list[str]:
    onnx.save(model, tmp_path / "m.onnx")
    args = []
    for name, array in arrays.items():
        np.save(tmp_path / f"{name}.npy", array)
        args += ["-i", f"{name}={name}.npy"]
    return args


def test_api_matches_numpy(package: CpuOpPackage) -> None:
    outputs = opgen.onnx.run(rm.cpu_model(), [package], {"x": X})
    expected = rm.cpu_expected(X)
    assert list(outputs) == ["y", "i"]
    assert outputs["i"].dtype == np.int32  # the package's TopK indices: INT_32
    np.testing.assert_array_equal(outputs["i"], expected["i"])
    np.testing.assert_allclose(outputs["y"], expected["y"], rtol=1e-5, atol=1e-6)


def test_api_spec_in_a_worker(example_cpu_library: Path) -> None:
    outputs = opgen.onnx.run(rm.cpu_model(), [str(example_cpu_library)], {"x": X}, isolate=True)
    np.testing.assert_allclose(outputs["y"], rm.cpu_expected(X)["y"], rtol=1e-5, atol=1e-6)


def test_defaults_apply_to_absent_attributes(package: CpuOpPackage) -> None:
    nodes = [helper.make_node("Softmax", ["x"], ["y"], name="s", domain="example")]
    x = np.random.default_rng(3).normal(size=(3, 5)).astype(np.float32)
    (y,) = opgen.onnx.run(rm.model(nodes, ["y"], {"x": [3, 5]}), [package], {"x": x}).values()
    np.testing.assert_allclose(y, rm.softmax(x), rtol=1e-5, atol=1e-7)  # axis -1, beta 1.0


def test_reference_in_place_of_the_package(package: CpuOpPackage, tmp_path: Path) -> None:
    reference = rm.write_reference(tmp_path)
    outputs = opgen.onnx.run(rm.cpu_model(), [package], {"x": X}, reference=reference)
    np.testing.assert_allclose(outputs["y"], rm.cpu_expected(X)["y"], rtol=1e-6)


def test_compare_names_every_custom_output(package: CpuOpPackage, tmp_path: Path) -> None:
    result = opgen.onnx.compare(rm.cpu_model(), [package], {"x": X}, rm.write_reference(tmp_path))
    assert [(d.node, d.op_type, d.tensor) for d in result.nodes] == [
        ("relu", "Relu", "out[0]"),
        ("sm", "Softmax", "out[0]"),
        ("topk", "TopK", "values"),
        ("topk", "TopK", "indices"),
    ]
    assert [d.tensor for d in result.model_outputs] == ["y", "i"]
    assert all(d.value is not None and d.value < 1e-5 for d in result.nodes + result.model_outputs)
    assert result.nodes[3].value == 0.0  # integer indices agree exactly


def test_compare_sees_a_wrong_reference(package: CpuOpPackage) -> None:
    def relu(x: np.ndarray) -> np.ndarray:
        return np.abs(x)  # wrong on purpose: |x| differs from max(x, 0) where x < 0

    reference = {"Relu": relu, "Softmax": rm.softmax, "TopK": rm.topk}
    result = opgen.onnx.compare(rm.cpu_model(), [package], {"x": X}, reference)
    mm = X @ rm.W
    assert result.nodes[0].value == pytest.approx(float(np.abs(np.minimum(mm, 0)).max()))


def test_cli_against_reference(example_cpu_library: Path, tmp_path: Path) -> None:
    args = files(tmp_path, rm.cpu_model(), x=X)
    rm.write_reference(tmp_path)
    result = opgen_cli(
        "onnx", "run", "m.onnx", "--op_packages", example_cpu_library, *args,
        "-o", "out.npz", "--reference", "reference.py", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[:3] == ["y: float32 [3, 2]", "i: int32 [3, 2]", "largest absolute difference "
                         "from the reference:"]  # fmt: skip
    labels = [line.rsplit(":", 1)[0] for line in lines[3:-1]]
    assert labels == [
        "  node 'relu' (Relu) out[0]",
        "  node 'sm' (Softmax) out[0]",
        "  node 'topk' (TopK) values",
        "  node 'topk' (TopK) indices",
        "  output y",
        "  output i",
    ]
    assert all(float(line.rsplit(":", 1)[1]) < 1e-5 for line in lines[3:-1])
    assert lines[-1] == "wrote out.npz"
    with np.load(tmp_path / "out.npz") as saved:
        expected = rm.cpu_expected(X)
        np.testing.assert_array_equal(saved["i"], expected["i"])
        np.testing.assert_allclose(saved["y"], expected["y"], rtol=1e-5, atol=1e-6)


def test_cli_in_process(example_cpu_library: Path, tmp_path: Path) -> None:
    args = files(tmp_path, rm.cpu_model(), x=X)
    spec = f"{example_cpu_library}:ExampleOpPackageInterfaceProvider:CPU"
    result = opgen_cli(
        "onnx", "run", "m.onnx", "--op-packages", spec, *args, "-o", "o.npz", "--in-process",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["y: float32 [3, 2]", "i: int32 [3, 2]", "wrote o.npz"]


# ---- errors: one line, exit 1, no traceback --------------------------------------------------


def one_topk(k: int) -> onnx.ModelProto:
    nodes = [helper.make_node("TopK", ["x"], ["v", "i"], name="topk", domain="example", k=k)]
    return rm.model(nodes, ["v", "i"], {"x": [2, 3]})


ONES = np.ones((2, 3), np.float32)
ERRORS = {
    "missing input": (
        one_topk(2), {}, [],
        "m.onnx: error: missing input 'x' (the model's inputs: x): give -i x=FILE.npy",
    ),
    "unknown input": (
        one_topk(2), {"x": ONES, "q": ONES}, [],
        "m.onnx: error: the model has no input 'q' (inputs: x)",
    ),
    "wrong dtype": (
        one_topk(2), {"x": ONES.astype(np.float64)}, [],
        "m.onnx: error: input 'x' is float64; the model declares float32",
    ),
    "wrong shape": (
        one_topk(2), {"x": np.ones((3, 2), np.float32)}, [],
        "m.onnx: error: input 'x' has shape [3, 2]; the model declares [2, 3]",
    ),
    "no package has the op": (
        rm.model([helper.make_node("Gelu", ["x"], ["y"], name="g", domain="mine")], ["y"],
                 {"x": [2, 3]}),
        {"x": ONES}, [],
        "m.onnx: node 'g' (Gelu): error: no op package has op Gelu (domain 'mine'; packages: "
        "ExampleOpPackage: Relu, Softmax, TopK)",
    ),
    "the package fails": (
        one_topk(10), {"x": ONES}, [],
        "m.onnx: node 'topk' (TopK): error: ExampleOpPackage: op TopK: execute failed with "
        "error 3200 (QNN_OP_PACKAGE_ERROR_INVALID_ARGUMENT); package log: TopK: k = 10 must be "
        "in 1..3",
    ),
    "attribute of the wrong type": (
        rm.model([helper.make_node("Softmax", ["x"], ["y"], name="s", domain="example",
                                   axis=1.5)], ["y"], {"x": [2, 3]}),
        {"x": ONES}, [],
        "m.onnx: node 's' (Softmax): error: attribute 'axis' (FLOAT) is 1.5; the parameter "
        "takes INT_32",
    ),
    "reference lacks a function": (
        one_topk(2), {"x": ONES}, ["--reference", "partial.py"],
        "m.onnx: error: the reference has no function for TopK (it defines: Relu)",
    ),
    "reference raises": (
        one_topk(2), {"x": ONES}, ["--reference", "raising.py"],
        "m.onnx: node 'topk' (TopK): error: the reference TopK() raised ValueError: no k",
    ),
    "reference does not import": (
        one_topk(2), {"x": ONES}, ["--reference", "broken.py"],
        "m.onnx: error: reference module 'broken.py' fails to import: ZeroDivisionError: "
        "division by zero",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(ERRORS), ids=list(ERRORS))
def test_errors(case: str, example_cpu_library: Path, tmp_path: Path) -> None:
    model, arrays, extra, expected = ERRORS[case]
    args = files(tmp_path, model, **arrays)
    (tmp_path / "partial.py").write_text("def Relu(x):\n    return x\n")
    (tmp_path / "raising.py").write_text("def TopK(x, k):\n    raise ValueError('no k')\n")
    (tmp_path / "broken.py").write_text("1 / 0\n")
    result = opgen_cli(
        "onnx", "run", "m.onnx", "--op_packages", example_cpu_library, *args, "-o", "o.npz",
        *extra, cwd=tmp_path,
    )  # fmt: skip
    assert (result.returncode, result.stderr, result.stdout) == (1, expected + "\n", "")
    assert not (tmp_path / "o.npz").exists()


def test_bad_npy_and_bad_input_flag(example_cpu_library: Path, tmp_path: Path) -> None:
    onnx.save(one_topk(2), tmp_path / "m.onnx")
    (tmp_path / "bad.npy").write_bytes(b"not numpy")
    base = ["onnx", "run", "m.onnx", "--op_packages", str(example_cpu_library), "-o", "o.npz"]
    bad = opgen_cli(*base, "-i", "x=bad.npy", cwd=tmp_path)
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: input 'bad.npy': ")
    assert len(bad.stderr.splitlines()) == 1
    flag = opgen_cli(*base, "-i", "x.npy", cwd=tmp_path)
    assert (flag.returncode, flag.stderr) == (1, "error: -i 'x.npy' is not NAME=FILE.npy\n")


def test_missing_model_and_missing_library(example_cpu_library: Path, tmp_path: Path) -> None:
    missing = opgen_cli(
        "onnx", "run", "nope.onnx", "--op_packages", example_cpu_library, "-o", "o.npz",
        cwd=tmp_path,
    )  # fmt: skip
    assert (missing.returncode, missing.stderr) == (
        1,
        "nope.onnx: error: nope.onnx: no such file\n",
    )
    onnx.save(one_topk(2), tmp_path / "m.onnx")
    nolib = opgen_cli("onnx", "run", "m.onnx", "--op_packages", "./libNope.so", "-o", "o.npz",
                      cwd=tmp_path)  # fmt: skip
    assert nolib.returncode == 1
    assert nolib.stderr == "m.onnx: error: op package library './libNope.so' does not exist\n"
