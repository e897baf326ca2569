"""`opgen build`: the host build of each kind of package, its --op_packages string accepted by
`opgen info`, compiler errors as file:line without command lines, and every way the command
refuses (not a package, no make, no compiler)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from opgen.build import Kind, NotAPackage, find_packages
from opgen.config import load_packages
from opgen.generate import generate
from opgen.runtime import elf
from tests import factories
from tests.build.conftest import Built, info_alone, opgen

#: What a make or compiler command line looks like, should one leak into the output.
COMMAND_LINE = re.compile(r"-std=c\+\+17|-fPIC|\s-c\s|\s-o\s|cxx-wrapper|\*\*\* \[")


def _sources(directory: Path) -> list[Path]:
    return sorted(p for d in ("src", "src/ops", "src/utils") for p in (directory / d).glob("*.cpp"))


def _info(spec: str) -> str:
    result = opgen("info", spec)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cpu_build_prints_the_library_and_a_string_opgen_info_accepts(cpu_make: Built) -> None:
    (spec,) = cpu_make.op_packages()
    library = cpu_make.directory / "libs" / "x86_64-linux-clang" / "libExampleOpPackage.so"
    assert spec == f"{library}:ExampleOpPackageInterfaceProvider"
    assert cpu_make.result.stdout.splitlines()[0] == str(library)
    info = _info(spec)
    assert "ExampleOpPackage" in info and "Softmax" in info


def test_progress_without_a_terminal_is_one_line_per_unit(cpu_make: Built) -> None:
    lines = cpu_make.result.stderr.splitlines()
    units = [line for line in lines if re.match(r"\[\s*\d+/\d+\] ", line)]
    sources = _sources(cpu_make.directory)
    assert len(units) == len(sources)
    assert units[-1].startswith(f"[{len(sources)}/{len(sources)}] ")
    assert {line.split("] ", 1)[1] for line in units} == {str(p) for p in sources}
    assert not any(COMMAND_LINE.search(line) for line in lines), lines


def test_a_second_build_has_nothing_to_do(cpu_make: Built) -> None:
    again = opgen("build", cpu_make.directory, "-j", "2")
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stderr
    assert again.stdout == cpu_make.result.stdout


def test_gpu_build_names_the_gpu_target(gpu_make: Built) -> None:
    (spec,) = gpu_make.op_packages()
    assert spec.endswith(":ExampleGpuOpPackageInterfaceProvider:GPU")
    assert Path(spec.split(":")[0]).is_file()
    assert "Swish" in _info(spec)


def test_htp_build_is_the_emulation_library(htp_make: Built) -> None:
    (spec,) = htp_make.op_packages()
    library = htp_make.directory / "build" / "x86_64-linux-clang" / "libQnnExampleHtpOpPackage.so"
    assert spec == f"{library}:ExampleHtpOpPackageInterfaceProvider:HTP"
    assert "Sigmoid" in _info(spec)


def test_dsp_build_is_the_host_library_and_is_detected_as_dsp(
    dsp_make: Built, tmp_path: Path
) -> None:
    (spec,) = dsp_make.op_packages()
    library = dsp_make.directory / "build" / "x86_64-linux-clang" / "libQnnExampleDspOpPackage.so"
    assert spec == f"{library}:ExampleDspOpPackageInterfaceProvider:DSP"
    assert "Scale" in _info(spec)
    # Exported: the provider and the host marker (and, from g++, libstdc++'s weak instances).
    exported = {s for s in elf.exported_symbols(library) if not s.startswith("_Z")}
    assert exported == {"ExampleDspOpPackageInterfaceProvider", "opgen_dsp_package"}
    alone = info_alone(library, tmp_path)
    assert alone.returncode == 0, alone.stderr
    assert "no OpDef configs found" in alone.stderr
    assert "target:             DSP (detected: the library exports opgen_dsp_package)" in (
        alone.stdout
    )
    assert "Relu" in alone.stdout and "Scale" in alone.stdout


def test_dsp_targets_report_their_own_libraries(tmp_path: Path) -> None:
    """`dsp_x86` is the host library, `dsp` the device one (build/DSP/), `all` both."""
    config = tmp_path / "D.xml"
    config.write_text(factories.config("Dq", [factories.op("A", "DSP")]), encoding="utf-8")
    generate(load_packages([config]), tmp_path / "out")
    (package,) = find_packages(tmp_path / "out" / "Dq")
    assert (package.kind, package.host_target) == (Kind.DSP, "dsp_x86")
    host = package.directory / "build" / "x86_64-linux-clang" / "libQnnDq.so"
    device = package.directory / "build" / "DSP" / "libQnnDq.so"
    assert package.libraries(["dsp_x86"], since=0) == []
    for library in (host, device):
        library.parent.mkdir(parents=True)
        library.write_bytes(b"")
    (package.directory / "build" / "libOther.so").write_bytes(b"")  # not the package's
    assert [lib.path for lib in package.libraries(["dsp_x86"], since=0)] == [host]
    assert [lib.path for lib in package.libraries(["dsp"], since=0)] == [device]
    assert [lib.path for lib in package.libraries(["all"], since=0)] == [host, device]
    assert package.cmake_library().path == package.directory / "build/cmake-host/libQnnDq.so"
    assert package.cmake_library().op_packages.endswith(":DqInterfaceProvider:DSP")


def test_converter_build_prints_the_converter_option(converter_make: Built) -> None:
    (path,) = converter_make.op_packages("--converter_op_package_lib")
    expected = converter_make.directory / "ConverterOpPackage" / "libConverterOpPackage.so"
    assert path == str(expected) and expected.is_file()


# ---- a compile error -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def broken_package(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    """A generated CPU package whose src/ops/Scale.cpp has an error on a known line."""
    root = tmp_path_factory.mktemp("broken")
    config = root / "Broken.xml"
    config.write_text(factories.config("Broken", [factories.op("Scale")]), encoding="utf-8")
    generate(load_packages([config]), root / "out")
    package = root / "out" / "Broken"
    kernel = package / "src" / "ops" / "Scale.cpp"
    text = kernel.read_text(encoding="utf-8")
    text += "\nint opgenPlanted() {\n  return undeclared_name_here;\n}\n"
    kernel.write_text(text, encoding="utf-8")
    line = text.splitlines().index("  return undeclared_name_here;") + 1
    return package, line


@pytest.mark.parametrize("cxx", ["g++", "clang++"])
def test_a_compile_error_shows_file_and_line_and_fails(
    broken_package: tuple[Path, int], cxx: str, tmp_path: Path
) -> None:
    if shutil.which(cxx) is None:
        pytest.skip(f"{cxx} is not installed")
    package, line = broken_package
    copy = tmp_path / "Broken"
    shutil.copytree(package, copy)
    result = opgen("build", copy, "-j", "2", env={"CXX": cxx})
    assert result.returncode == 1
    kernel = copy / "src" / "ops" / "Scale.cpp"
    at = rf"^{re.escape(str(kernel))}:{line}:\d+: error: .*undeclared_name_here"
    assert re.search(at, result.stderr, re.M), result.stderr
    assert f"first in {kernel}:{line}" in result.stderr
    assert "return undeclared_name_here;" in result.stderr  # the quoted source line
    assert not any(COMMAND_LINE.search(x) for x in result.stderr.splitlines()), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""  # no library reported


def test_error_paths_are_relative_to_where_the_user_stands(
    broken_package: tuple[Path, int], tmp_path: Path
) -> None:
    package, line = broken_package
    shutil.copytree(package, tmp_path / "Broken")
    result = opgen("build", "Broken", "-j", "2", cwd=tmp_path)
    assert result.returncode == 1
    assert f"\nBroken/src/ops/Scale.cpp:{line}:" in "\n" + result.stderr, result.stderr


# ---- refusals --------------------------------------------------------------------------------


def test_a_missing_directory_is_refused(tmp_path: Path) -> None:
    result = opgen("build", tmp_path / "nope")
    assert result.returncode == 1
    assert result.stderr == f"error: {tmp_path / 'nope'}: no such directory\n"


def test_a_directory_without_an_opgen_makefile_is_refused(tmp_path: Path) -> None:
    result = opgen("build", tmp_path)
    assert result.returncode == 1
    assert "not an opgen package (no Makefile" in result.stderr
    (tmp_path / "Makefile").write_text("all:\n\ttrue\n")
    result = opgen("build", tmp_path)
    assert result.returncode == 1
    assert "does not start with opgen's banner" in result.stderr
    (tmp_path / "Makefile").unlink()
    file = tmp_path / "file.txt"
    file.write_text("x")
    result = opgen("build", file)
    assert result.returncode == 1 and "not a directory" in result.stderr


def test_missing_make_or_compiler_is_a_clear_error(cpu_tree: Path, tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("sh", "mktemp", "cat", "printf"):
        if found := shutil.which(tool):
            os.symlink(found, tools / tool)
    result = opgen("build", cpu_tree, env={"PATH": str(tools)})
    assert result.returncode == 1
    assert result.stderr.startswith("error: make is not installed"), result.stderr
    result = opgen("build", cpu_tree, env={"CXX": "no-such-compiler++ -O2"})
    assert result.returncode == 1
    assert "CXX=no-such-compiler++ -O2: 'no-such-compiler++' is not installed" in result.stderr


def test_an_unknown_target_is_make_s_message(cpu_tree: Path) -> None:
    result = opgen("build", cpu_tree, "--target", "no_such_target")
    assert result.returncode == 1
    assert "No rule to make target 'no_such_target'" in result.stderr
    assert "Traceback" not in result.stderr


def test_target_and_cmake_do_not_mix(cpu_tree: Path) -> None:
    result = opgen("build", cpu_tree, "--cmake", "--target", "cpu_x86")
    assert result.returncode == 2
    assert "--target names make targets" in result.stderr


# ---- finding packages --------------------------------------------------------------------------


def test_packages_are_found_by_their_banner(tmp_path: Path) -> None:
    config = tmp_path / "Two.xml"
    ops = [factories.op("A"), factories.op("B", backend="GPU")]
    config.write_text(factories.config("Two", ops[:1]), encoding="utf-8")
    (tmp_path / "Gpu.xml").write_text(factories.config("TwoGpu", ops[1:]), encoding="utf-8")
    generate(load_packages([config, tmp_path / "Gpu.xml"]), tmp_path / "out")
    (cpu,) = find_packages(tmp_path / "out" / "Two")
    assert (cpu.name, cpu.kind, cpu.host_target) == ("Two", Kind.CPU, "cpu_x86")
    # A package generated per backend (<out>/<Package>/<BACKEND>/): one package per folder.
    per_backend = tmp_path / "multi"
    shutil.copytree(tmp_path / "out" / "Two", per_backend / "CPU")
    shutil.copytree(tmp_path / "out" / "TwoGpu", per_backend / "GPU")
    found = find_packages(per_backend)
    assert [(p.name, p.kind) for p in found] == [("Two", Kind.CPU), ("TwoGpu", Kind.GPU)]
    with pytest.raises(NotAPackage):
        find_packages(tmp_path)


def test_the_command_is_listed_without_loading_it() -> None:
    result = opgen("--help")
    assert result.returncode == 0
    assert re.search(r"^\s+build\s+Build op package PACKAGE_DIR", result.stdout, re.M)
