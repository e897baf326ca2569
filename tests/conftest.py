"""Session-wide fixtures: packages are generated and built once per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from opgen.runtime import PackageLoadError
from opgen.runtime.opencl import Device, select_device

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CPU = ROOT / "examples" / "cpu" / "ExampleOpPackage"
EXAMPLE_HTP = ROOT / "examples" / "htp" / "ExampleHtpOpPackage"
EXAMPLE_DSP = ROOT / "examples" / "dsp" / "ExampleDspOpPackage"


def build_package(package_dir: Path, target: str = "cpu_x86", cxx: str = "g++") -> Path:
    """Build with the package's own Makefile (warnings are errors in tests); returns the library."""
    env = {**os.environ, "CXX": f"{cxx} -Werror"}
    env.pop("QNN_SDK_ROOT", None)
    result = subprocess.run(
        ["make", "-j2", target],
        cwd=package_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (library,) = (package_dir / "libs" / "x86_64-linux-clang").glob("lib*.so")
    return library


def build_cpu_package(root: Path, package: str, config: str, kernels: dict[str, str]) -> Path:
    """Generate `package` from `config` text under `root`, write its kernels (op -> source of
    src/ops/<op>.cpp, what a user writes) and build it; returns the library."""
    from opgen.config import load_packages
    from opgen.generate import generate

    path = root / f"{package}.xml"
    path.write_text(config, encoding="utf-8")
    generate(load_packages([path]), root / "out")
    package_dir = root / "out" / package
    for op, source in kernels.items():
        (package_dir / "src" / "ops" / f"{op}.cpp").write_text(source, encoding="utf-8")
    return build_package(package_dir)


@pytest.fixture(scope="session")
def example_cpu_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The implemented example CPU package, copied out of the tree and built once."""
    copy = tmp_path_factory.mktemp("example") / EXAMPLE_CPU.name
    shutil.copytree(EXAMPLE_CPU, copy, ignore=shutil.ignore_patterns("libs", "obj"))
    return build_package(copy)


def _require(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")


@pytest.fixture(scope="session")
def example_htp_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The implemented example HTP package's x86 build (against the emulation), built once."""
    from tests.generate.htp_harness import build_htp

    copy = tmp_path_factory.mktemp("example_htp") / EXAMPLE_HTP.name
    shutil.copytree(EXAMPLE_HTP, copy, ignore=shutil.ignore_patterns("build"))
    return build_htp(copy)


@pytest.fixture(scope="session")
def example_dsp_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The implemented example DSP package's host build (make dsp_x86), built once."""
    from tests.dsp.test_run_example import build_dsp

    copy = tmp_path_factory.mktemp("example_dsp") / EXAMPLE_DSP.name
    shutil.copytree(EXAMPLE_DSP, copy, ignore=shutil.ignore_patterns("build"))
    return build_dsp(copy)


# ---- GPU -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def opencl_device() -> Device:
    """The OpenCL device GPU packages run on (skips without pyopencl or a device)."""
    try:
        return select_device()
    except PackageLoadError as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def gpu_example_library(tmp_path_factory: pytest.TempPathFactory, opencl_device: Device) -> Path:
    """libExampleGpuOpPackage.so, built from a copy of examples/gpu/ExampleGpuOpPackage."""
    _require("make")
    if shutil.which("clang++") is None and shutil.which("g++") is None:
        pytest.skip("needs clang++ or g++")
    from tests.runtime import gpurtpkg

    return gpurtpkg.build_example(tmp_path_factory.mktemp("gpuexample"))
