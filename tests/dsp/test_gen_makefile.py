"""The DSP Makefile: the device build through the Hexagon SDK's make.d system, checked with
`make -n` against a fake SDK tree (the files the Makefile includes, with rules that print what
the SDK's would run); its one-line configuration errors; `clean` without any SDK; no `rm -rf`
that could run with an empty or rootward argument, whatever V says."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

import opgen
from opgen.generate import generate
from tests import factories as f

# Stand-ins for the SDK's make.d files: defines.min derives V_dynamic from the variant (as the
# SDK does) and points RULES_MIN at rules.min, whose `tree` compiles each DLL's CPP_SRCS with
# CXX_FLAGS, links it into $(V)/ and performs BUILD_COPIES.
FAKE_VS = "default_VS = hexagon_Release_dynamic_toolv83_v60\n"
FAKE_DEFINES = """\
V_dynamic := $(if $(findstring _dynamic_,$(V)),1,)
RULES_MIN := $(HEXAGON_SDK_ROOT)/build/rules.min
"""
FAKE_RULES = """\
.PHONY: tree
HCXX := hexagon-clang++
copy_dest = $(lastword $(filter-out ;,$(BUILD_COPIES)))
objects = $(foreach s,$($(1)_CPP_SRCS),$(V)/$(notdir $(s)).o)
obj = $(V)/$(notdir $(1)).o
compile = $(foreach s,$($(1)_CPP_SRCS),$(HCXX) $(CXX_FLAGS) -c $(s).cpp -o $(call obj,$(s));)
tree:
\t$(foreach d,$(BUILD_DLLS),$(call compile,$(d)))
\t$(foreach d,$(BUILD_DLLS),hexagon-clang++ -shared -o $(V)/$(d).so $(call objects,$(d));)
\tmkdir -p $(copy_dest) && cp -f $(foreach d,$(BUILD_DLLS),$(V)/$(d).so) $(copy_dest)
"""


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dspmake")
    ops = [
        f.op("Relu", "DSP"),
        f.op("Gather", "DSP", params=[f.param("axis", "QNN_DATATYPE_INT_32")]),
    ]
    config = f.write(root, "make_pkg.xml", f.config("MakePkg", ops))
    generate(opgen.load_packages([config]), root / "out")
    return root / "out" / "MakePkg"


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fake_hexagon_sdk")
    (root / "build" / "make.d").mkdir(parents=True)
    (root / "build" / "make.d" / "hexagon_vs.min").write_text(FAKE_VS)
    (root / "build" / "defines.min").write_text(FAKE_DEFINES)
    (root / "build" / "rules.min").write_text(FAKE_RULES)
    return root


def make(package: Path, *args: str, **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QNN_SDK_ROOT", "HEXAGON_SDK_ROOT", "V", "MAKEFLAGS")
    }
    env.update(env_vars)
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_device_build_compiles_every_source_and_copies_to_build_dsp(
    package: Path, sdk: Path
) -> None:
    result = make(package, "-n", "dsp", HEXAGON_SDK_ROOT=str(sdk))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    variant = "hexagon_Release_dynamic_toolv83_v60"
    for source in (
        "src/MakePkgInterface",
        "src/ops/Relu",
        "src/ops/Gather",
        "src/utils/DspOpSupport",
        "src/utils/OpConfigSupport",
    ):
        compile_line = next(line for line in out.split(";") if f"-c {source}.cpp" in line)
        assert "-I ./include -I include/QNN" in compile_line
        assert f"-o {variant}/" in compile_line
    assert "DspHostMarker" not in out  # the host build's marker stays out of the device library
    assert f"-shared -o {variant}/libQnnMakePkg.so" in out
    assert f"mkdir -p build/DSP/ && cp -f {variant}/libQnnMakePkg.so build/DSP/" in out
    assert "test -f build/DSP/libQnnMakePkg.so" in out


def test_qnn_sdk_headers_when_qnn_sdk_root_is_set(package: Path, sdk: Path, tmp_path: Path) -> None:
    result = make(package, "-n", "dsp", HEXAGON_SDK_ROOT=str(sdk), QNN_SDK_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"-I ./include -I {tmp_path}/include/QNN" in result.stdout


def test_the_variant_is_chosen_with_v(package: Path, sdk: Path) -> None:
    variant = "hexagon_Release_dynamic_toolv83_v66"
    result = make(package, "-n", "dsp", f"V={variant}", HEXAGON_SDK_ROOT=str(sdk))
    assert result.returncode == 0, result.stderr
    assert f"-o {variant}/libQnnMakePkg.so" in result.stdout


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        ((), {}, "HEXAGON_SDK_ROOT is not set: the dsp build needs the Hexagon SDK"),
        (("V=android_Release",), {"sdk": ""}, "V=android_Release is not a Hexagon variant"),
        (("V=hexagon_Release_toolv83_v60",), {"sdk": ""}, "is not a dynamic variant"),
        (
            (),
            {"HEXAGON_SDK_ROOT": "/nonexistent/sdk"},
            "HEXAGON_SDK_ROOT=/nonexistent/sdk looks wrong",
        ),
    ],
)
def test_configuration_errors_are_one_line(
    package: Path, sdk: Path, args: tuple[str, ...], env: dict[str, str], message: str
) -> None:
    env = {
        ("HEXAGON_SDK_ROOT" if k == "sdk" else k): (str(sdk) if k == "sdk" else v)
        for k, v in env.items()
    }
    result = make(package, "dsp", *args, **env)
    assert result.returncode != 0
    assert message in result.stderr
    assert not (package / "build").exists()


@pytest.mark.parametrize("variant", ["", "/", ".", "..", "hexagon_x/../..", "a b", "-rf /"])
def test_no_rm_rf_with_an_empty_or_rootward_argument(package: Path, variant: str) -> None:
    result = make(package, "-n", "clean", f"V={variant}")
    assert result.returncode == 0, result.stderr
    for line in result.stdout.splitlines():
        if "rm -rf" in line:
            words = line.split()[line.split().index("-rf") + 1 :]
            assert words, line
            assert all(
                w not in ("/", ".", "..", "/.", "") and not w.startswith(("/", "-")) for w in words
            ), line


def test_clean_without_any_sdk(package: Path, tmp_path: Path) -> None:
    (package / "build" / "DSP").mkdir(parents=True, exist_ok=True)
    (package / "hexagon_Release_dynamic_toolv83_v60").mkdir(exist_ok=True)
    result = make(package, "clean")
    assert result.returncode == 0, result.stderr
    assert not (package / "build").exists()
    assert not (package / "hexagon_Release_dynamic_toolv83_v60").exists()
    assert re.search(r"^rm -rf build hexagon_Release_dynamic_toolv83_v60$", result.stdout, re.M)


def test_names_come_from_the_config_not_the_directory(package: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "SomethingElse"
    renamed.symlink_to(package, target_is_directory=True)
    result = make(renamed, "-n", "dsp_x86")
    assert result.returncode == 0, result.stderr
    assert "-o build/x86_64-linux-clang/libQnnMakePkg.so" in result.stdout
