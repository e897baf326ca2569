"""The generated CMakeLists.txt and CMakePresets.json: CMake builds the host library of CPU, GPU,
HTP (emulation), DSP and converter packages (through `opgen build --cmake`, with the `cmake` wheel
of the test extra), warning-free, with the Makefile's flags and library name, and the runtime
registers what it builds."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

from opgen.build.runner import cmake_program
from opgen.runtime import elf
from tests.build.conftest import Built, info_alone, opgen
from tests.converter.harness import BUNDLED, F32, ConverterLibrary, Node


def _registers(built: Built, names: tuple[str, ...]) -> None:
    (spec,) = built.op_packages()
    assert "/build/cmake-host/" in spec
    info = opgen("info", spec)
    assert info.returncode == 0, info.stderr
    for name in names:
        assert name in info.stdout


def test_cpu_cmake_library_registers(cpu_cmake: Built) -> None:
    _registers(cpu_cmake, ("ExampleOpPackage", "Relu", "Softmax", "TopK"))
    assert cpu_cmake.directory.joinpath("build/cmake-host/libExampleOpPackage.so").is_file()


def test_gpu_cmake_library_registers(gpu_cmake: Built) -> None:
    _registers(gpu_cmake, ("ExampleGpuOpPackage", "Swish", "Axpy"))
    kernels = gpu_cmake.directory / "build" / "cmake-host" / "kernels"
    embedded = (kernels / "Swish.cl.inc").read_text(encoding="utf-8")
    source = (gpu_cmake.directory / "src" / "ops" / "Swish.cl").read_text(encoding="utf-8")
    assert embedded == f'R"opgen_cl({source})opgen_cl"\n'  # what makefiles/Kernels.mk writes


def test_htp_cmake_library_registers(htp_cmake: Built) -> None:
    _registers(htp_cmake, ("ExampleHtpOpPackage", "Sigmoid"))
    assert htp_cmake.op_packages()[0].endswith(
        "libQnnExampleHtpOpPackage.so:ExampleHtpOpPackageInterfaceProvider:HTP"
    )


def test_dsp_cmake_library_is_the_make_library(
    dsp_cmake: Built, dsp_make: Built, tmp_path: Path
) -> None:
    _registers(dsp_cmake, ("ExampleDspOpPackage", "Relu", "Scale"))
    (spec,) = dsp_cmake.op_packages()
    library = dsp_cmake.directory / "build/cmake-host/libQnnExampleDspOpPackage.so"
    assert spec == f"{library}:ExampleDspOpPackageInterfaceProvider:DSP"
    # The same exports as make's library (less libstdc++'s weak instances, compiler-dependent).
    (make_spec,) = dsp_make.op_packages()
    exports = [
        {s for s in elf.exported_symbols(Path(p.split(":")[0])) if not s.startswith("_Z")}
        for p in (spec, make_spec)
    ]
    assert exports[0] == exports[1] == {"ExampleDspOpPackageInterfaceProvider", "opgen_dsp_package"}
    alone = info_alone(library, tmp_path)
    assert alone.returncode == 0, alone.stderr
    assert "no OpDef configs found" in alone.stderr
    assert "target:             DSP (detected: the library exports opgen_dsp_package)" in (
        alone.stdout
    )


def test_dsp_cmake_compiles_with_the_makefile_s_flags(dsp_cmake: Built) -> None:
    directory = dsp_cmake.directory
    commands = json.loads((directory / "build/cmake-host/compile_commands.json").read_text())
    for source in ("src/ops/Relu.cpp", "src/utils/DspHostMarker.cpp"):
        (entry,) = [c for c in commands if c["file"].endswith(source)]
        cmake_flags = _normal(shlex.split(entry["command"]), directory)
        assert cmake_flags == _make_flags(directory, source, "dsp_x86")


def test_converter_cmake_library_infers_shapes(converter_cmake: Built) -> None:
    (path,) = converter_cmake.op_packages("--converter_op_package_lib")
    assert path.endswith("build/cmake-host/libConverterOpPackage.so")
    library = ConverterLibrary(Path(path), BUNDLED, package="ExampleOpPackage")
    result = library.infer(Node("Relu", [([2, 3, 5], F32)], [3]))
    assert result.code == 0, library.last_error()
    assert result.shapes == ((2, 3, 5),)


def _make_flags(directory: Path, source: str, target: str = "cpu_x86") -> set[str]:
    dry = subprocess.run(
        ["make", "-n", "-B", target, "CXX=c++"], cwd=directory, capture_output=True, text=True
    ).stdout
    (line,) = [x for x in dry.splitlines() if f" -c {source} " in x]
    return _normal(shlex.split(line)[1:], directory)


def _normal(words: list[str], directory: Path) -> set[str]:
    """Compile flags that choose what is built (not where objects or dependency files go)."""
    flags, skip = set(), False
    for word in words:
        if skip:
            skip = False
        elif word in ("-o", "-MF", "-MT", "-c"):
            skip = True
        elif word in ("-MD", "-MMD", "-MP", "-Werror") or word.endswith("cxx-wrapper.sh"):
            continue
        elif word.startswith("-I"):
            include = Path(word[2:])
            flags.add("-I" + str(include if include.is_absolute() else directory / include))
        elif not word.endswith("++"):
            flags.add(word)
    return flags


def test_cmake_compiles_with_the_makefile_s_flags(cpu_cmake: Built) -> None:
    directory = cpu_cmake.directory
    commands = json.loads((directory / "build/cmake-host/compile_commands.json").read_text())
    (entry,) = [c for c in commands if c["file"].endswith("src/ops/Relu.cpp")]
    cmake_flags = _normal(shlex.split(entry["command"]), directory)
    assert cmake_flags == _make_flags(directory, "src/ops/Relu.cpp")


def test_the_debug_preset_configures(cpu_cmake: Built) -> None:
    directory = cpu_cmake.directory
    cmake = cmake_program()
    result = subprocess.run(
        [cmake, "--preset", "debug"], cwd=directory, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    cache = (directory / "build" / "cmake-debug" / "CMakeCache.txt").read_text()
    assert "OPGEN_DEBUG:BOOL=ON" in cache
