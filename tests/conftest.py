"""Session-wide fixtures: packages are generated and built once per test session."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_CPU = ROOT / "examples" / "cpu" / "ExampleOpPackage"


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


@pytest.fixture(scope="session")
def example_cpu_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The implemented example CPU package, copied out of the tree and built once."""
    copy = tmp_path_factory.mktemp("example") / EXAMPLE_CPU.name
    shutil.copytree(EXAMPLE_CPU, copy, ignore=shutil.ignore_patterns("libs", "obj"))
    return build_package(copy)
