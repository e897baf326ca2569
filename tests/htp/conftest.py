"""Session fixtures: the hand-written HTP test package built once with g++ and once with
clang++ (under another package name, so both can be loaded into one process), and a stand-in
for a vendor-built library."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from opgen.runtime import HtpOpPackage
from tests.htp import htppkg


def _compiler(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"needs {name}")
    return found


@pytest.fixture(scope="session")
def htp_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """libQnnTestHtpPkg.so built with g++ against the emulation."""
    return htppkg.build(_compiler("g++"), tmp_path_factory.mktemp("htp_gxx"))


@pytest.fixture(scope="session")
def htp_clang_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same sources built with clang++, as package TestHtpPkgClang."""
    return htppkg.build(
        _compiler("clang++"), tmp_path_factory.mktemp("htp_clang"), "TestHtpPkgClang"
    )


@pytest.fixture(scope="session")
def vendor_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _compiler("cc")
    return htppkg.build_vendor_built(tmp_path_factory.mktemp("htp_vendor"))


@pytest.fixture
def htp(htp_library: Path) -> Iterator[HtpOpPackage]:
    with HtpOpPackage.register(htppkg.spec(htp_library)) as package:
        yield package
