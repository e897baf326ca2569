"""`opgen info` and `opgen run` on a DSP package (HandDsp), as a user runs them: a subprocess,
quantized inputs with --quant, the worker process turning a crashing kernel into an error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.dsp import hand_dsp
from tests.dsp.test_run_hand import relu8_reference


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> str:
    return hand_dsp.spec(hand_dsp.library(tmp_path_factory))


def opgen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "opgen", *args], capture_output=True, text=True, check=False
    )


def _save(path: Path, array: np.ndarray) -> str:
    np.save(path, array)
    return str(path)


def test_info_lists_the_ops_and_their_tables(spec: str) -> None:
    result = opgen("info", spec)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "target:             DSP" in lines
    assert "API version:        core 2.7.2, backend 5.0.1" in lines
    assert any(line.startswith("UDO infrastructure: Hexagon NN v2") for line in lines)
    assert "  ScaleBias:        3 static param(s), 1 input(s), 1 output(s)" in lines
    assert (
        "  ScaleBias(in; factor: FLOAT_32, negate: BOOL_8 = false, bias: FLOAT_32) -> out" in lines
    )
    payload = json.loads(opgen("info", "--json", spec).stdout)
    assert payload["target"] == "DSP"
    assert payload["udo_api_version"] == "1.6.0"
    assert payload["operation_info"]["Relu8"] == {"static_params": 0, "inputs": 1, "outputs": 1}


@pytest.mark.parametrize("isolation", [[], ["--in-process"]])
def test_run_quantized_relu(spec: str, tmp_path: Path, isolation: list[str]) -> None:
    q = np.random.default_rng(5).integers(0, 256, size=(1, 8, 8, 4), dtype=np.uint8)
    args = ["run", "--op_packages", spec, "--op", "Relu8", "-i", _save(tmp_path / "q.npy", q)]
    quant = ["--quant", "in=0.04,-100", "--quant", "out[0]=0.03,-20"]
    result = opgen(*args, *quant, "-o", str(tmp_path / "out.npz"), *isolation)
    assert result.returncode == 0, result.stderr
    assert "out: uint8 [1, 8, 8, 4]" in result.stdout
    out = np.load(tmp_path / "out.npz")["out"]
    expected = relu8_reference(q, (0.04, -100), (0.03, -20))
    assert np.abs(out.astype(int) - expected.astype(int)).max() <= 1


def test_run_float_op_with_params(spec: str, tmp_path: Path) -> None:
    x = np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4)
    params = ["--param", "factor=3", "--param", "negate=true", "--param", "bias=[1,2,3,4]"]
    result = opgen(
        "run", "--op_packages", spec, "--op", "ScaleBias", "-i", _save(tmp_path / "x.npy", x),
        *params, "-o", str(tmp_path / "out.npz"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    expected = -3 * x + np.tile(np.array([1, 2, 3, 4], np.float32), (3, 1))
    np.testing.assert_allclose(np.load(tmp_path / "out.npz")["out"], expected, rtol=1e-6)


@pytest.mark.parametrize(
    ("op", "extra", "message"),
    [
        ("Crash", [], "HandDsp: op Crash: executeOp crashed the worker process: killed by SIGSEGV"),
        ("BigSize", [], "output 0 needs 49 bytes, but 48 are allocated"),
        ("FailExec", [], "executeOp failed with UDO error 3 (UDO_UNSUPPORTED_FEATURE)"),
        ("Relu8", [], "tensor 'out' is UFIXED_POINT_8: give its scale and offset"),
        ("Threaded", ["--quant", "in=0.1,0"], "a scale and offset apply to integer"),
        ("Threaded", ["--quant", "nothing=0.1,0"], "--quant names no tensor: nothing"),
        ("ScaleBias", ["--param", "negate=true"], "validateOp failed with UDO error 2"),
        ("Nope", [], "no registered op package has op 'Nope'"),
    ],
)
def test_failures_are_one_error_line(
    spec: str, tmp_path: Path, op: str, extra: list[str], message: str
) -> None:
    x = _save(tmp_path / "x.npy", np.ones((3, 4), np.float32))
    result = opgen(
        "run", "--op_packages", spec, "--op", op, "-i", x, *extra, "-o", str(tmp_path / "o.npz")
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and message in result.stderr, result.stderr
    assert not (tmp_path / "o.npz").exists()
