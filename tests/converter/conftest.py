"""The converter op package of tests/converter/configs/CopRules.xml: generated through the CLI,
two hooks filled in (and kept by a regeneration), built once per session with g++ against the
bundled headers, and once with clang++ against a header set that declares version-2 tensors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.converter import harness

CONFIG = Path(__file__).parent / "configs" / "CopRules.xml"
PACKAGE = "CopRules_Converter_Op_Package"
BIN = Path(sys.executable).parent

# Filled-in hook bodies (the rest of each hook file stays as generated).
NMS_SELECTED_SHAPE = """
  (void)outputIndex;
  const ::opgen::TensorFields in = ::opgen::tensorFields(config.v1.inputTensors[0]);
  for (uint32_t i = 0; i < rank; ++i) {
    if (!known[i]) dims[i] = i == 0 ? in.dimensions[0] : 3u;
  }
  return QNN_SUCCESS;
"""
CUSTOM_Y_SHAPE = """
  (void)outputIndex;
  (void)known;
  const ::opgen::TensorFields in = ::opgen::tensorFields(config.v1.inputTensors[0]);
  if (in.rank != rank) {
    return ::opgen::converter::fail(::opgen::converter::kBadConfig, "Custom: rank %u, want %u",
                                    rank, in.rank);
  }
  for (uint32_t i = 0; i < rank; ++i) dims[i] = in.dimensions[rank - 1 - i];  // reversed
  return QNN_SUCCESS;
"""
CUSTOM_Y_DTYPE = """
  (void)config;
  (void)outputIndex;
  *dataType = QNN_DATATYPE_INT_8;
  return QNN_SUCCESS;
"""


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def fill_hook(path: Path, function: str, body: str) -> None:
    """Replaces the body of hook `function` (qualified name in its definition) in `path`."""
    text = path.read_text()
    match = re.search(rf"::{re.escape(function)}\([^{{]*\) {{\n", text)
    assert match is not None, (function, text)
    end = text.index("\n}\n", match.end())
    path.write_text(text[: match.end()] + body.strip("\n") + text[end:])


def make(package_dir: Path, cxx: str, sdk: Path | None = None) -> Path:
    env = {**os.environ, "CXX": f"{cxx} -Werror"}
    env.pop("QNN_SDK_ROOT", None)
    if sdk is not None:
        env["QNN_SDK_ROOT"] = str(sdk)
    result = subprocess.run(
        ["make", "cpu"], cwd=package_dir, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    library = package_dir / "ConverterOpPackage" / "libConverterOpPackage.so"
    assert library.is_file()
    return library


@pytest.fixture(scope="session")
def cop_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated with `qnn-op-package-generator -cop`, hooks filled in, regenerated with
    `opgen generate --converter-op-package` (which must keep them)."""
    root = tmp_path_factory.mktemp("cop")
    out = root / "out"
    first = run(BIN / "qnn-op-package-generator", "-p", CONFIG, "-o", out, "-cop")
    assert first.returncode == 0, first.stderr
    package = out / PACKAGE
    hooks = package / "ConverterOpPackage" / "hooks"
    fill_hook(hooks / "NmsHooks.cpp", "selected_shape", NMS_SELECTED_SHAPE)
    fill_hook(hooks / "CustomHooks.cpp", "y_shape", CUSTOM_Y_SHAPE)
    fill_hook(hooks / "CustomHooks.cpp", "y_dtype", CUSTOM_Y_DTYPE)
    edited = {p.name: p.read_text() for p in hooks.glob("*.cpp")}
    again = run(BIN / "opgen", "generate", CONFIG, "-o", out, "--converter-op-package")
    assert again.returncode == 0, again.stderr
    assert {p.name: p.read_text() for p in hooks.glob("*.cpp")} == edited
    return package


@pytest.fixture(scope="session")
def cop_library(cop_package: Path) -> harness.ConverterLibrary:
    return harness.ConverterLibrary(make(cop_package, "g++"), harness.BUNDLED)


@pytest.fixture(scope="session")
def cop_library_v2(
    cop_package: Path, tmp_path_factory: pytest.TempPathFactory
) -> harness.ConverterLibrary:
    """The same package copied, built with clang++ against headers that declare Qnn_TensorV2_t
    (QNN_SDK_ROOT set: the SDK path of the Makefile)."""
    if shutil.which("clang++") is None:
        pytest.skip("clang++ is not installed")
    root = tmp_path_factory.mktemp("cop_v2")
    copy = root / PACKAGE
    shutil.copytree(cop_package, copy, ignore=shutil.ignore_patterns("*.so", ".opgen"))
    sdk = harness.v2_sdk_headers(root / "sdk")
    shutil.rmtree(copy / "ConverterOpPackage" / "include" / "QNN")  # the SDK's headers only
    return harness.ConverterLibrary(make(copy, "clang++", sdk), harness.V2)
