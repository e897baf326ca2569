"""Session fixtures: RtPkg (generated, with real kernels), RulePkg (ops with shape rules),
FaultPkg (kernels that fault), the misbehaving libraries, and the GPU packages (the example and
GpuRtPkg, run through OpenCL), each built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from opgen.runtime import CpuOpPackage, GpuOpPackage
from tests.runtime import faultpkg, gpurtpkg, rtpkg, rulepkg


def _require(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")


@pytest.fixture(scope="session")
def rt_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """libRtPkg.so, at <pkg>/libs/x86_64-linux-clang/ next to <pkg>/config/RtPkg.xml."""
    _require("make", "g++")
    return rtpkg.build_package(tmp_path_factory.mktemp("rtpkg"))


@pytest.fixture(scope="session")
def rule_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """libRulePkg.so: ops whose outputs are sized by shape and dtype rules."""
    _require("make", "g++")
    return rulepkg.build_package(tmp_path_factory.mktemp("rulepkg"))


@pytest.fixture(scope="session")
def fault_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """libFaultPkg.so: kernels that crash, abort, throw, exit, hang, overrun or skip output."""
    _require("make", "g++")
    return faultpkg.build_package(tmp_path_factory.mktemp("faultpkg"))


@pytest.fixture(scope="session")
def bad_libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    _require("cc")
    return rtpkg.build_bad_libraries(tmp_path_factory.mktemp("badlibs"))


@pytest.fixture
def package(rt_library: Path) -> Iterator[CpuOpPackage]:
    """RtPkg, registered for one test and terminated after it."""
    with CpuOpPackage.register(str(rt_library)) as registered:
        yield registered


# ---- GPU (opencl_device and gpu_example_library are in tests/conftest.py) ----------------------


@pytest.fixture(scope="session")
def gpu_rt_library(tmp_path_factory: pytest.TempPathFactory, gpu_example_library: Path) -> Path:
    """libGpuRtPkg.so (see tests/runtime/gpurtpkg.py)."""
    return gpurtpkg.build_package(tmp_path_factory.mktemp("gpurtpkg"))


@pytest.fixture
def example(gpu_example_library: Path) -> Iterator[GpuOpPackage]:
    """The GPU example, registered for one test and terminated after it."""
    with GpuOpPackage.register(f"{gpu_example_library}::GPU") as registered:
        yield registered


@pytest.fixture
def gpu_rt(gpu_rt_library: Path) -> Iterator[GpuOpPackage]:
    """GpuRtPkg, registered for one test and terminated after it."""
    with GpuOpPackage.register(f"{gpu_rt_library}::GPU") as registered:
        yield registered
