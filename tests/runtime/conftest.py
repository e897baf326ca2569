"""Session fixtures: RtPkg (generated, with real kernels) and the misbehaving libraries, each
built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from opgen.runtime import CpuOpPackage
from tests.runtime import rtpkg


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
def bad_libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    _require("cc")
    return rtpkg.build_bad_libraries(tmp_path_factory.mktemp("badlibs"))


@pytest.fixture
def package(rt_library: Path) -> Iterator[CpuOpPackage]:
    """RtPkg, registered for one test and terminated after it."""
    with CpuOpPackage.register(str(rt_library)) as registered:
        yield registered
