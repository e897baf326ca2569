"""Outputs sized and typed from the op's rules: execute() without outputs and opgen run without
--output-spec, in-process and isolated; what needs user code asks for it, naming the output and
why; inputs that contradict a rule are refused before the package runs (RulePkg)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from opgen.runtime import CpuOpPackage, OpRequestError, register
from opgen.runtime.isolated import IsolatedOpPackage

OPGEN = [sys.executable, "-m", "opgen"]


@pytest.fixture
def rules(rule_library: Path) -> Iterator[CpuOpPackage]:
    with CpuOpPackage.register(str(rule_library)) as registered:
        yield registered


def topk(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, order, axis=-1), order.astype(np.int32)


@pytest.mark.parametrize(("shape", "k"), [((5,), 2), ((3, 8), 3), ((2, 2, 6), 6)])
def test_topk_outputs_come_from_its_rules(
    rules: CpuOpPackage, shape: tuple[int, ...], k: int
) -> None:
    x = np.random.default_rng(1).normal(size=shape).astype(np.float32)
    values, indices = rules.execute("TopK", [x], {"k": k})
    assert values.shape == indices.shape == (*shape[:-1], k)
    assert values.dtype == np.float32 and indices.dtype == np.int32
    expected_values, expected_indices = topk(x, k)
    np.testing.assert_array_equal(values, expected_values)
    np.testing.assert_array_equal(indices, expected_indices)


def test_the_isolated_package_sizes_outputs_the_same_way(rule_library: Path) -> None:
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    with register(str(rule_library), isolate=True) as package:
        assert isinstance(package, IsolatedOpPackage)
        values, indices = package.execute("TopK", [x], {"k": np.uint32(2)})
    assert values.tolist() == [[3, 2], [7, 6], [11, 10]] and indices.dtype == np.int32


def test_a_failing_require_is_refused_before_the_package_runs(rules: CpuOpPackage) -> None:
    with pytest.raises(OpRequestError) as err:
        rules.execute("TopK", [np.zeros((2, 3), np.float32)], {"k": 4})
    assert str(err.value) == (
        "RulePkg: op TopK: constraint 901 'require k <= in[0].shape[-1]': "
        "'k <= in[0].shape[-1]' is false (k = 4; in[0].shape = [2, 3])"
    )
    assert err.value.log == ()  # the package never saw it
    with pytest.raises(OpRequestError, match="mandatory parameter 'k' is missing"):
        rules.execute("TopK", [np.zeros((2, 3), np.float32)])


def test_a_dim_left_to_user_code_needs_the_output(rules: CpuOpPackage) -> None:
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    with pytest.raises(OpRequestError) as err:
        rules.execute("Pick", [x])
    assert str(err.value) == (
        "RulePkg: op Pick: output 'picked' needs its (shape, dtype) in outputs=: its shape rule "
        "'= [?, 4]' leaves dim 0 to user code"
    )
    (picked,) = rules.execute("Pick", [x], outputs=[((2, 4), np.float32)])
    np.testing.assert_array_equal(picked, x[:2])


def test_an_input_that_contradicts_a_pattern_is_refused(rules: CpuOpPackage) -> None:
    with pytest.raises(OpRequestError, match=r"pattern '= \[R, 4\]': dim 1 of in\[0\] is 5, not 4"):
        rules.execute("Pick", [np.zeros((3, 5), np.float32)])


def test_without_a_rule_the_first_input_gives_shape_and_allowed_dtype(rules: CpuOpPackage) -> None:
    x = np.linspace(-2, 2, 6, dtype=np.float32).reshape(2, 3)
    (y,) = rules.execute("Cast", [x])
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, x)
    with pytest.raises(OpRequestError) as err:
        rules.execute("Cast", [np.arange(4, dtype=np.uint8)])
    assert str(err.value).endswith(
        "output 'out[0]' needs its (shape, dtype) in outputs=: no rule decides its datatype "
        "(it allows FLOAT_32, INT_8; in[0] is UINT_8)"
    )


# ---- opgen run -------------------------------------------------------------------------------


def run(
    library: Path, tmp_path: Path, op: str, x: np.ndarray, *args: str
) -> subprocess.CompletedProcess[str]:
    np.save(tmp_path / "x.npy", x)
    argv = ["run", "--op_packages", str(library), "--op", op, "-i", "x.npy", "-o", "out.npz"]
    return subprocess.run(
        [*OPGEN, *argv, *args], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ")
    return line.removeprefix("error: ")


ISOLATION = pytest.mark.parametrize("mode", [[], ["--in-process"]], ids=["isolated", "in-process"])


@ISOLATION
def test_run_topk_needs_no_output_spec(rule_library: Path, tmp_path: Path, mode: list[str]) -> None:
    x = np.array([[1, 9, 3, 7], [8, 2, 6, 4]], np.float32)
    result = run(rule_library, tmp_path, "TopK", x, "--param", "k=2", *mode)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["values: float32 [2, 2]", "indices: int32 [2, 2]"]
    with np.load(tmp_path / "out.npz") as saved:
        assert saved["values"].tolist() == [[9, 7], [8, 6]]
        assert saved["indices"].tolist() == [[1, 3], [0, 2]]


def test_run_asks_for_the_output_spec_a_rule_leaves_to_user_code(
    rule_library: Path, tmp_path: Path
) -> None:
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert one_line_error(run(rule_library, tmp_path, "Pick", x)) == (
        "output 'picked' of Pick needs --output-spec picked=DTYPE:D0,D1,...: its shape rule "
        "'= [?, 4]' leaves dim 0 to user code"
    )
    assert not (tmp_path / "out.npz").exists()
    for dtype in ("float32", "FLOAT_32", "QNN_DATATYPE_FLOAT_32", "qnn_datatype_float_32"):
        result = run(rule_library, tmp_path, "Pick", x, "--output-spec", f"picked={dtype}:1,4")
        assert result.returncode == 0, result.stderr
        with np.load(tmp_path / "out.npz") as saved:
            np.testing.assert_array_equal(saved["picked"], x[:1])


def test_run_refuses_inputs_that_contradict_the_rules(rule_library: Path, tmp_path: Path) -> None:
    x = np.zeros((2, 3), np.float32)
    assert one_line_error(run(rule_library, tmp_path, "TopK", x, "--param", "k=5")) == (
        "TopK: constraint 901 'require k <= in[0].shape[-1]': 'k <= in[0].shape[-1]' is false "
        "(k = 5; in[0].shape = [2, 3])"
    )
    assert one_line_error(run(rule_library, tmp_path, "Pick", x)) == (
        "Pick: input in[0]: pattern '= [R, 4]': dim 1 of in[0] is 3, not 4"
    )


def test_run_without_a_rule_and_an_undecided_dtype(rule_library: Path, tmp_path: Path) -> None:
    x = np.arange(6, dtype=np.uint8).reshape(2, 3)
    assert one_line_error(run(rule_library, tmp_path, "Cast", x)) == (
        "output 'out[0]' of Cast needs --output-spec out[0]=DTYPE:D0,D1,...: no rule decides its "
        "datatype (it allows FLOAT_32, INT_8; in[0] is UINT_8)"
    )
    result = run(rule_library, tmp_path, "Cast", x, "--output-spec", "out[0]=INT_8:2,3")
    assert result.returncode == 0, result.stderr
    with np.load(tmp_path / "out.npz") as saved:
        assert saved["out[0]"].dtype == np.int8
        np.testing.assert_array_equal(saved["out[0]"], x.astype(np.int8))


def test_output_spec_dtype_errors_list_numpy_and_qnn_names(
    rule_library: Path, tmp_path: Path
) -> None:
    x = np.zeros((2, 4), np.float32)
    message = one_line_error(
        run(rule_library, tmp_path, "Pick", x, "--output-spec", "picked=INT_33:1,4")
    )
    assert message.startswith(
        "--output-spec 'picked=INT_33:1,4': unknown dtype 'INT_33' (numpy: int8,"
    )
    assert "float32" in message and "QNN, with or without QNN_DATATYPE_: INT_8/16/32/64," in message
    assert "UFIXED_POINT_8/16/32, BOOL_8)" in message
