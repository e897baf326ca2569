"""`opgen info` and `opgen run` on an HTP package, run as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.htp import htppkg

OPGEN = [sys.executable, "-m", "opgen"]


def opgen(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*OPGEN, *map(str, args)], capture_output=True, text=True, timeout=120, check=False
    )


def one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    # The hand-written test package has no OpDef configs, and opgen says so first.
    if lines and lines[0].startswith("warning: no OpDef configs found for "):
        lines = lines[1:]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert fragment in lines[0], lines[0]


def test_info(htp_library: Path) -> None:
    result = opgen("info", htppkg.spec(htp_library))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "package:            TestHtpPkg" in lines
    assert "target:             HTP" in lines
    assert "API version:        core 2.7.2, backend 5.13.0" in lines
    assert "host emulation:     opgen HTP host ABI 1" in lines
    assert (
        "optimization rules: 4 (optimization rules and tensor properties are accepted and "
        "ignored on the host)" in lines
    )
    relu = next(line for line in lines if line.startswith("  Relu:"))
    assert "reluImpl<QuantUint8Tensor> @fB*2 cost FAST" in relu
    assert "operations (14):" in lines


def test_info_json(htp_library: Path) -> None:
    result = opgen("info", "--json", htppkg.spec(htp_library))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["target"] == "HTP"
    assert payload["ignored_optimization_rules"] == 4
    pick = payload["registrations"]["Pick"]
    assert [r["cost"] for r in pick] == [2.0**32, "function"]
    assert payload["param_orders"]["Softmax"] == [
        {"name": "beta", "mandatory": False, "default": True}
    ]


def test_run_quantized(htp_library: Path, tmp_path: Path) -> None:
    x = np.array([[0, 50, 100, 150, 255]], np.uint8)
    np.save(tmp_path / "x.npy", x)
    result = opgen(
        "run",
        "--op_packages",
        htppkg.spec(htp_library),
        "--op",
        "Relu",
        "-i",
        tmp_path / "x.npy",
        "--quant",
        "in[0]=0.02,-100",
        "--quant",
        "out[0]=0.02,-100",
        "-o",
        tmp_path / "y.npz",
    )
    assert result.returncode == 0, result.stderr
    assert "out[0]: uint8 [1, 5]" in result.stdout
    assert np.load(tmp_path / "y.npz")["out[0]"].tolist() == [[100, 100, 100, 150, 255]]


def test_run_float_with_params_and_output_encoding(htp_library: Path, tmp_path: Path) -> None:
    x = np.array([-1.0, 0.0, 1.0], np.float32)
    np.save(tmp_path / "x.npy", x)
    result = opgen(
        "run",
        "--op_packages",
        htppkg.spec(htp_library),
        "--op",
        "Requant",
        "-i",
        tmp_path / "x.npy",
        "--output-spec",
        "out[0]=uint8:3",
        "--quant",
        "out[0]=0.01,-128",
        "-o",
        tmp_path / "y.npz",
    )
    assert result.returncode == 0, result.stderr
    assert np.load(tmp_path / "y.npz")["out[0]"].tolist() == [28, 128, 228]


def test_run_error_status(htp_library: Path, tmp_path: Path) -> None:
    np.save(tmp_path / "x.npy", np.zeros((1, 3), np.float32))
    result = opgen(
        "run", "--op_packages", htppkg.spec(htp_library), "--op", "Failing",
        "-i", tmp_path / "x.npy", "-o", tmp_path / "y.npz",
    )  # fmt: skip
    one_line_error(result, "TestHtpPkg: op Failing: execute failed with GraphStatus ErrorPrecision")
    assert not (tmp_path / "y.npz").exists()


def test_run_bad_quant(htp_library: Path, tmp_path: Path) -> None:
    np.save(tmp_path / "x.npy", np.zeros(3, np.uint8))
    base = [
        "run",
        "--op_packages",
        htppkg.spec(htp_library),
        "--op",
        "Relu",
        "-i",
        tmp_path / "x.npy",
    ]
    one_line_error(
        opgen(*base, "--quant", "in[0]=abc", "-o", tmp_path / "y.npz"), "is not TENSOR=SCALE,OFFSET"
    )
    one_line_error(
        opgen(*base, "--quant", "in[0]=x,1", "-o", tmp_path / "y.npz"),
        "SCALE is a number and OFFSET an integer",
    )
    one_line_error(
        opgen(*base, "--quant", "bogus=1,0", "-o", tmp_path / "y.npz"),
        "--quant names no tensor: bogus",
    )


def test_run_vendor_built_library(vendor_library: Path, tmp_path: Path) -> None:
    np.save(tmp_path / "x.npy", np.zeros(3, np.float32))
    result = opgen(
        "run", "--op_packages", f"{vendor_library}:VendorPkgInterfaceProvider:HTP", "--op", "Relu",
        "-i", tmp_path / "x.npy", "-o", tmp_path / "y.npz",
    )  # fmt: skip
    one_line_error(result, "is not an HTP package built against opgen's host emulation")


def test_run_htp_fp16_with_quant(htp_library: Path, tmp_path: Path) -> None:
    np.save(tmp_path / "x.npy", np.array([1, 3], np.uint8))
    spec = htppkg.spec(htp_library).replace(":HTP", ":HTP_FP16")
    result = opgen(
        "run", "--op_packages", spec, "--op", "Relu", "-i", tmp_path / "x.npy",
        "--quant", "in[0]=1,-2", "--quant", "out[0]=1,-2", "-o", tmp_path / "y.npz",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert np.load(tmp_path / "y.npz")["out[0]"].tolist() == [2, 3]
