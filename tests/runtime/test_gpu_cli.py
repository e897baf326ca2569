"""`opgen info` and `opgen run` with GPU packages (LIB[:PROVIDER]:GPU), run as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from opgen.runtime.opencl import ENV_DEVICE, Device
from tests.runtime.test_runtime_cli import assert_one_line_error, opgen, save


def test_info_shows_the_device(gpu_example_library: Path, opencl_device: Device) -> None:
    result = opgen("info", f"{gpu_example_library}::GPU")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "package:            ExampleGpuOpPackage"
    assert "target:             GPU" in lines
    assert "API version:        core 2.7.2, backend 3.2.0" in lines
    assert f"OpenCL device:      {opencl_device.info.name}" in lines
    assert f"OpenCL platform:    {opencl_device.info.platform}" in lines
    assert f"OpenCL version:     {opencl_device.info.version}" in lines
    assert f"max workgroup size: {opencl_device.info.max_work_group_size}" in lines
    assert "  Swish(in[0]; beta: FLOAT_32 = 1.0) -> out[0]" in lines


def test_info_json_has_the_device(gpu_example_library: Path, opencl_device: Device) -> None:
    spec = f"{gpu_example_library}:ExampleGpuOpPackageInterfaceProvider:GPU"
    result = opgen("info", spec, "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["target"] == "GPU"
    assert payload["device"]["name"] == opencl_device.info.name
    assert payload["device"]["max_work_group_size"] == opencl_device.info.max_work_group_size
    assert payload["declarations"]["Axpy"]["parameters"][0]["name"] == "alpha"


def test_run_writes_outputs(gpu_example_library: Path, tmp_path: Path) -> None:
    x = np.linspace(-3, 3, 11, dtype=np.float32).reshape(1, 11)
    y = np.ones((1, 11), np.float32)
    out = tmp_path / "out.npz"
    result = opgen(
        "run",
        "--op_packages",
        f"{gpu_example_library}::GPU",
        "--op",
        "Axpy",
        "-i",
        save(tmp_path / "x.npy", x),
        "-i",
        save(tmp_path / "y.npy", y),
        "--param",
        "alpha=2",
        "-o",
        out,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["out[0]: float32 [1, 11]", f"wrote {out}"]
    with np.load(out) as saved:
        np.testing.assert_allclose(saved["out[0]"], 2 * x + y, rtol=1e-6)


def _run(library: Path, tmp_path: Path, op: str, *params: str) -> list[str | Path]:
    x = save(tmp_path / "x.npy", np.ones(5, np.float32))
    args: list[str | Path] = ["run", "--op_packages", f"{library}::GPU", "--op", op, "-i", x]
    args += [a for p in params for a in ("--param", p)]
    return [*args, "-o", tmp_path / "o.npz"]


def test_a_kernel_that_does_not_build_ends_with_one_line(
    gpu_rt_library: Path, tmp_path: Path
) -> None:
    result = opgen(*_run(gpu_rt_library, tmp_path, "Broken"))
    assert_one_line_error(result, "GpuRtPkg: op Broken: kernel 'Broken' does not build on ")
    assert "build log: src/ops/Broken.cl:4:23: error:" in result.stderr
    assert not (tmp_path / "o.npz").exists()


def test_a_missing_parameter_ends_with_one_line(gpu_example_library: Path, tmp_path: Path) -> None:
    result = opgen(*_run(gpu_example_library, tmp_path, "Swish", "beta=[1, 2]"))
    assert_one_line_error(result, "parameter 'beta' is a scalar, got a list")


def test_a_gpu_package_registered_as_cpu_is_refused(gpu_example_library: Path) -> None:
    result = opgen("info", f"{gpu_example_library}::CPU")
    assert_one_line_error(result, "it is a GPU op package; register it as LIB::GPU")


def test_an_unknown_device_is_named(gpu_example_library: Path) -> None:
    env = {**os.environ, ENV_DEVICE: "no-such-device"}
    result = subprocess.run(
        [sys.executable, "-m", "opgen", "info", f"{gpu_example_library}::GPU"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert_one_line_error(result, f"{ENV_DEVICE}='no-such-device' matches no OpenCL device")
