"""`opgen build` run as a user runs it, on copies of the implemented examples and on a converter
op package: each package is built once per session with make and once with CMake (warnings
are errors: CXX="g++ -Werror"; the DSP CMake build with clang++ -Werror when installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_CPU, EXAMPLE_DSP, EXAMPLE_HTP, ROOT

EXAMPLE_GPU = ROOT / "examples" / "gpu" / "ExampleGpuOpPackage"
EXAMPLE_CPU_CONFIG = ROOT / "examples" / "cpu" / "ExampleOpPackage.xml"
BIN = Path(sys.executable).parent
BUILT = ("libs", "obj", "build", ".opgen/backup")


def opgen(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.endswith("SDK_ROOT")}
    base["CXX"] = "g++ -Werror"
    return subprocess.run(
        [str(BIN / "opgen"), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=cwd,
        timeout=900,
    )


@dataclass(frozen=True)
class Built:
    """A package directory and the `opgen build` run that built it."""

    directory: Path
    result: subprocess.CompletedProcess[str]

    def op_packages(self, option: str = "--op_packages") -> list[str]:
        """The strings printed after `option` on stdout."""
        prefix = f"  {option} "
        return [
            line.removeprefix(prefix)
            for line in self.result.stdout.splitlines()
            if line.startswith(prefix)
        ]


def _copy(source: Path, root: Path) -> Path:
    copy = root / source.name
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(*BUILT))
    return copy


def _build(directory: Path, *extra: str, env: dict[str, str] | None = None) -> Built:
    result = opgen("build", directory, "-j", "2", *extra, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return Built(directory, result)


@pytest.fixture(scope="session")
def cpu_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(EXAMPLE_CPU, tmp_path_factory.mktemp("build_cpu"))


@pytest.fixture(scope="session")
def gpu_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(EXAMPLE_GPU, tmp_path_factory.mktemp("build_gpu"))


@pytest.fixture(scope="session")
def htp_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(EXAMPLE_HTP, tmp_path_factory.mktemp("build_htp"))


@pytest.fixture(scope="session")
def dsp_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _copy(EXAMPLE_DSP, tmp_path_factory.mktemp("build_dsp"))


@pytest.fixture(scope="session")
def converter_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example CPU config's converter op package (its rules need no hook)."""
    out = tmp_path_factory.mktemp("build_cop")
    result = subprocess.run(
        [BIN / "qnn-op-package-generator", "-p", EXAMPLE_CPU_CONFIG, "-o", out, "-cop"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return out / "ExampleOpPackage_Converter_Op_Package"


@pytest.fixture(scope="session")
def cpu_make(cpu_tree: Path) -> Built:
    return _build(cpu_tree)


@pytest.fixture(scope="session")
def cpu_cmake(cpu_tree: Path) -> Built:
    return _build(cpu_tree, "--cmake")


@pytest.fixture(scope="session")
def gpu_make(gpu_tree: Path) -> Built:
    return _build(gpu_tree)


@pytest.fixture(scope="session")
def gpu_cmake(gpu_tree: Path) -> Built:
    return _build(gpu_tree, "--cmake")


@pytest.fixture(scope="session")
def htp_make(htp_tree: Path) -> Built:
    return _build(htp_tree)


@pytest.fixture(scope="session")
def htp_cmake(htp_tree: Path) -> Built:
    return _build(htp_tree, "--cmake")


@pytest.fixture(scope="session")
def dsp_make(dsp_tree: Path) -> Built:
    return _build(dsp_tree)


@pytest.fixture(scope="session")
def dsp_cmake(dsp_tree: Path) -> Built:
    """Built with clang++ (the make build has g++), so each compiler sees the DSP sources."""
    cxx = "clang++ -Werror" if shutil.which("clang++") else "g++ -Werror"
    return _build(dsp_tree, "--cmake", env={"CXX": cxx})


@pytest.fixture(scope="session")
def converter_make(converter_tree: Path) -> Built:
    return _build(converter_tree)


@pytest.fixture(scope="session")
def converter_cmake(converter_tree: Path) -> Built:
    return _build(converter_tree, "--cmake")


def info_alone(library: Path, directory: Path) -> subprocess.CompletedProcess[str]:
    """`opgen info LIB` with no target, on a copy of `library` in `directory`, away from the
    package and its configs: the target is read from the library alone."""
    directory.mkdir(parents=True, exist_ok=True)
    copy = directory / library.name
    shutil.copy2(library, copy)
    return opgen("info", copy)
