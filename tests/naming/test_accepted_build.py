"""Accepted means builds: configs full of names that are near misses of every clash and reserved
name are accepted, and their packages build warning-free with g++ and clang++ (built once per
session), load in the runtime, and use only the file names opgen/naming.py predicts.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from opgen import naming
from opgen.backends import opencl
from opgen.config import Level, validate_configs
from opgen.generate import generate
from tests import factories as f
from tests.conftest import build_package

COMPILERS = [c for c in ("g++", "clang++") if shutil.which(c)]
I32, U32 = "QNN_DATATYPE_INT_32", "QNN_DATATYPE_UINT_32"


def scalar(name: str, default: str = "0") -> str:
    return f.param(name, I32, mandatory=False, default=default)


def enum(name: str, labels: tuple[str, ...]) -> str:
    return f.param(name, U32, mandatory=False, default="0", enum=labels)


# Locals, parameters and members of the generated functions, names the generated code declares
# in other scopes, case variants of macros, global function names: all fine as field names.
FIELD_NAMES = """
    execute value name op impl param tensor i rank0 config node out specOf outputSpecOf
    kKernelName configureLaunch Tensor TensorParam index Null Eof opgen std_ kPackageName uint
    free time launch status precision v1 type info interface infrastructure kNumOperations
    packageInit g_initialized x_y param_x validateOp createOp OpImpl
""".split()  # noqa: SIM905
# Labels that are macros, keywords, types or clash after mangling: renamed, never refused.
LABELS = ("NULL", "EOF", "e_NULL", "Op", "uint32_t", "a b", "a_b", "1x", "int", "value", "assert")

CPU_OPS = [
    f.op(
        "Op",
        inputs=[f.tensor("Input", "in[0]"), f.tensor("Input", "in_1")],
        params=[*(scalar(n) for n in FIELD_NAMES), scalar("axis", "N-1")],
    ),
    f.op("execute"),
    f.op("kPackageName"),
    f.op("NamesPkg"),  # the package's own name
    f.op("opgen"),
    f.op("Null"),
    f.op("index"),
    f.op("A", inputs=[f.tensor("Input", "x_y")]),
    f.op("A_x", inputs=[f.tensor("Input", "z")]),
    f.op("AN"),
    f.op("A_N"),
    f.op("ANu"),
    f.op(
        "Modes",
        params=[enum("mode", LABELS), enum("x", ("one", "two")), scalar("xEnum"), scalar("X")],
    ),
    f.op("C" * 251),  # the longest op name a CPU package can have
]
GPU_OPS = [
    f.op(name, "GPU")
    for name in ("AB", "AB_op", "max", "packageFreeOp", "kernel", "get_global_id", "G" * 244)
] + [
    f.op(
        "Relu",
        "GPU",
        inputs=[f.tensor("Input", "local"), f.tensor("Input", "global")],
        params=[
            *(scalar(n) for n in ("local_", "max", "half", "get_global_id", "kKernelName")),
            *(scalar(n) for n in ("launch", "precision", "status", "v1", "CL_x", "M_E_F")),
            enum("mode", ("NULL", "CLK_GLOBAL_MEM_FENCE", "a b")),
        ],
    )
]


# DSP: locals of the interface's param readers and of the op file, vendor names, and library
# names the DSP templates spell qualified; all fine as parameter names.
DSP_FIELD_NAMES = """
    index log strcmp strlen strlcpy va_list opgen parsed labelIndex name param value params
    status infra factory size op table opInfo globalInfra operation blocking ID notifyFunc
    opType numOfStaticParams staticParams inputs outputs paramNames findOp OpFactory UdoDspShared
    sg_ops g_reluOpType new_relu relu_executeOp unused
""".split()  # noqa: SIM905
DSP_OPS = [
    f.op(
        "Op",
        "DSP",
        inputs=[f.tensor("Input", "in[0]"), f.tensor("Input", "in_1")],
        params=[
            *(scalar(n) for n in DSP_FIELD_NAMES),
            f.param("read", I32, rank="1D", mandatory=False, default="[1, 2]"),
        ],
    ),
    *(f.op(n, "DSP") for n in ("Relu", "A", "A_creat", "new_a", "g_a", "index", "opgen", "findOp")),
    # The enum type is qualified in the params struct: a field may be named like it.
    f.op("Modes", "DSP", params=[enum("mode", LABELS), enum("x", ("one", "two")), scalar("XEnum")]),
    f.op("D" * 251, "DSP"),  # the longest op name
]


def _generate(tmp: Path, package: str, ops: list[str], copy: str) -> Path:
    config = f.write(tmp, f"{package}.xml", f.config(package, ops))
    result = validate_configs([config])
    assert [d.format() for d in result.diagnostics if d.level is Level.ERROR] == []
    out = tmp / copy
    generate(list(result.packages), out)
    return out / package


@pytest.fixture(scope="session")
def cpu_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("names_cpu")
    return {
        cxx: build_package(_generate(tmp, "NamesPkg", CPU_OPS, cxx), "cpu_x86", cxx)
        for cxx in COMPILERS
    }


@pytest.fixture(scope="session")
def gpu_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("names_gpu")
    return {
        cxx: build_package(_generate(tmp, "NamesGpu", GPU_OPS, cxx), "gpu_x86", cxx)
        for cxx in COMPILERS
    }


@pytest.fixture(scope="session")
def dsp_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("names_dsp")
    libraries = {}
    for cxx in COMPILERS:
        package_dir = _generate(tmp, "NamesDsp", DSP_OPS, cxx)
        env = {k: v for k, v in os.environ.items() if k not in ("QNN_SDK_ROOT", "HEXAGON_SDK_ROOT")}
        env["CXX"] = f"{cxx} -Werror"
        result = subprocess.run(
            ["make", "-j2", "dsp_x86"],
            cwd=package_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        libraries[cxx] = package_dir / "build" / "x86_64-linux-clang" / "libQnnNamesDsp.so"
    return libraries


def _package_dir(library: Path) -> Path:
    return library.parents[2]


def _op_names(ops: list[str]) -> list[str]:
    return [op.split("<Name>", 1)[1].split("</Name>", 1)[0] for op in ops]


def _check_file_names(package_dir: Path, package: str, ops: list[str], backend: str) -> None:
    names = _op_names(ops)
    allowed = {n for op in names for n in naming.op_file_names(op, (backend,))}
    allowed |= set(naming.package_file_names(package))
    stems = set(names) | {package, f"{package}Interface", f"lib{package}", f"libQnn{package}"}
    # (config/ holds copies of the user's config files, named as the user named them)
    files = [p for p in package_dir.rglob("*") if p.is_file() and p.parent.name != "config"]
    derived = [p.name for p in files if p.name.split(".")[0] in stems]
    assert derived and set(derived) <= allowed
    longest = max(len(n) for n in allowed)
    assert all(len(p.name) <= longest for p in files)


def test_cpu_package_builds_and_loads(cpu_builds: dict[str, Path]) -> None:
    assert set(cpu_builds) == set(COMPILERS)
    library = cpu_builds[COMPILERS[0]]
    info = subprocess.run(
        [sys.executable, "-m", "opgen", "info", str(library), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["operations"] == _op_names(CPU_OPS)
    _check_file_names(_package_dir(library), "NamesPkg", CPU_OPS, "CPU")


def test_cpu_enum_labels_are_renamed_not_refused(cpu_builds: dict[str, Path]) -> None:
    header = _package_dir(cpu_builds[COMPILERS[0]]) / "include" / "ops" / "Modes.hpp"
    text = header.read_text()
    for constant in ("e_NULL = 0,", "e_NULL_2 = 2,", "e_EOF = 1,", "e_assert = 10,"):
        assert constant in text


def test_gpu_package_builds(gpu_builds: dict[str, Path]) -> None:
    assert set(gpu_builds) == set(COMPILERS)
    _check_file_names(_package_dir(gpu_builds[COMPILERS[0]]), "NamesGpu", GPU_OPS, "GPU")


def test_gpu_kernels_compile_as_opencl(gpu_builds: dict[str, Path]) -> None:
    cl = pytest.importorskip("pyopencl")
    from tests.generate.test_gpu_generation import opencl_context

    context = opencl_context()
    for path in sorted((_package_dir(gpu_builds[COMPILERS[0]]) / "src" / "ops").glob("*.cl")):
        program = cl.Program(context, path.read_text()).build(options=["-Werror"])
        assert [k.function_name for k in program.all_kernels()] == [opencl.kernel_name(path.stem)]


def test_dsp_package_builds_and_loads(dsp_builds: dict[str, Path]) -> None:
    assert set(dsp_builds) == set(COMPILERS)
    for library in dsp_builds.values():
        # Loading resolves every symbol (ctypes binds now); the provider fills in its interface.
        provider = getattr(ctypes.CDLL(str(library)), naming.interface_provider("NamesDsp"))
        interface = (ctypes.c_uint32 * 64)()
        assert provider(interface) == 0
        assert list(interface[:3]) == [1, 4, 0]  # interfaceVersion
    _check_file_names(_package_dir(dsp_builds[COMPILERS[0]]), "NamesDsp", DSP_OPS, "DSP")


def test_dsp_names_are_the_vendors(dsp_builds: dict[str, Path]) -> None:
    package_dir = _package_dir(dsp_builds[COMPILERS[0]])
    header = (package_dir / "include" / "DspOps.hpp").read_text()
    for declaration in (
        "UdoDspShared* new_a_creat(",
        "typedef struct opParams {",
        "int32_t XEnum;",
    ):
        assert declaration in header
    assert "::NamesDsp::Modes::XEnum x;" in header
