"""HTP packages built with the system compilers against the emulation, and their Makefile:
SDK checks, clean without an SDK, header dependencies, renamed directories, QNN_SDK_ROOT
switching and the device targets' command lines (against a fake SDK tree)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import opgen
from opgen.generate import generate
from opgen.runtime.library import PackageSpec, load_interface
from opgen.runtime.opconfig import build_op_config
from opgen.runtime.request import build_request
from tests.conftest import ROOT
from tests.generate.htp_harness import (
    TOOLS,
    X86_LIB_DIR,
    build_htp,
    ensure_emulation,
    every_kind_config,
    fake_sdks,
    make,
    names_config,
)

EXAMPLE_CONFIG = ROOT / "examples" / "htp" / "ExampleHtpOpPackage.xml"
EXAMPLE_HTP = ROOT / "examples" / "htp" / "ExampleHtpOpPackage"
VALIDATION_FAILURE = 3110


@pytest.fixture(scope="module")
def skeletons(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Unimplemented skeletons (every kind of param, HTP and HTP_FP16), generated once."""
    root = tmp_path_factory.mktemp("htp_skeletons")
    configs = [
        every_kind_config(root, "HtpParams", "HTP"),
        every_kind_config(root, "HtpFp16Params", "HTP_FP16"),
        names_config(root),
    ]
    generate(opgen.load_packages(configs), root / "out")
    return root / "out"


@pytest.fixture(scope="module")
def built_params(skeletons: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The every-kind HTP skeleton built once with g++ (for the checks that need a library)."""
    copy = tmp_path_factory.mktemp("htp_built") / "HtpParams"
    shutil.copytree(skeletons / "HtpParams", copy)
    build_htp(copy)
    return copy


@pytest.mark.parametrize("compiler", ["g++", "clang++"])
def test_skeletons_and_example_compile_warning_free(
    skeletons: Path, compiler: str, tmp_path: Path
) -> None:
    if shutil.which(compiler) is None:
        pytest.skip(f"{compiler} is not installed")
    sources = [
        skeletons / "HtpParams",
        skeletons / "HtpFp16Params",
        skeletons / "NamesPkg",
        EXAMPLE_HTP,
    ]
    for source in sources:
        copy = tmp_path / source.name
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("build"))
        library = build_htp(copy, compiler, optimize=True)  # the Makefile's own flags
        assert library.name == f"libQnn{source.name}.so"
        symbols = subprocess.run(
            ["nm", "-D", "--defined-only", str(library)], capture_output=True, text=True
        )
        exported = {line.split()[-1] for line in symbols.stdout.splitlines() if " T " in line}
        assert f"{source.name}InterfaceProvider" in exported
        assert not [s for s in exported if "Impl" in s or "sg_" in s]  # kernels stay private


@pytest.fixture()
def interface(built_params: Path) -> Iterator[object]:
    library = built_params / X86_LIB_DIR / "libQnnHtpParams.so"
    loaded = load_interface(
        PackageSpec(str(library), "HtpParamsInterfaceProvider", "HTP"),
        ("init", "terminate", "getInfo", "validateOpConfig"),
    )
    assert loaded.table.init(None) == 0
    yield loaded
    assert loaded.table.terminate() == 0


def _validate(
    loaded: object,
    inputs: list[np.ndarray],
    params: dict[str, object],
    *,
    op: str = "Everything",
    package: str = "HtpParams",
) -> int:
    types = {"k": "QNN_DATATYPE_UINT_32", "strict": "QNN_DATATYPE_FLOAT_32"}
    request = build_request(
        op,
        inputs,
        params,  # type: ignore[arg-type]
        [((1, 2, 3, 4), np.float32), ((1, 2, 3, 4), np.int32)],
        param_types={k: v for k, v in types.items() if k in params},
    )
    built = build_op_config(request, package, "node")
    return int(loaded.table.validateOpConfig(built.config))  # type: ignore[attr-defined]


def test_validate_op_config_checks_the_declaration(interface: object) -> None:
    x = np.zeros((1, 2, 3, 4), np.float32)
    good = {"k": 3, "strict": 0.5}
    assert _validate(interface, [x, x], good) == 0  # optional bias[0] omitted
    assert _validate(interface, [x, x], good, package="Other") == VALIDATION_FAILURE
    assert _validate(interface, [x, x], {"k": 3}) == VALIDATION_FAILURE  # mandatory 'strict'
    assert _validate(interface, [x], good) == VALIDATION_FAILURE  # too few inputs
    ints = np.zeros((1, 2, 3, 4), np.int32)
    assert _validate(interface, [ints, x], good) == VALIDATION_FAILURE  # datatype
    assert _validate(interface, [x[0], x], good) == VALIDATION_FAILURE  # rank 3, declared 4D
    assert _validate(interface, [x, x], {**good, "nope": 1.0}) == VALIDATION_FAILURE
    assert _validate(interface, [x, x], good, op="Missing") == VALIDATION_FAILURE


def test_package_name_is_the_configs_in_a_renamed_directory(
    built_params: Path, tmp_path: Path
) -> None:
    renamed = tmp_path / "some_other_directory"
    shutil.copytree(built_params, renamed, ignore=shutil.ignore_patterns("build"))
    library = build_htp(renamed)
    assert library.name == "libQnnHtpParams.so"
    result = make(renamed, "-n", "htp_x86", "-B")
    assert "-DTHIS_PKG_NAME=HtpParams " in result.stdout


def test_make_clean_needs_no_sdk(built_params: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pkg"
    shutil.copytree(built_params, copy)
    assert (copy / X86_LIB_DIR).is_dir()
    clean = subprocess.run(
        ["make", "clean"], cwd=copy, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )
    assert clean.returncode == 0, clean.stderr
    assert not (copy / "build").exists()


def test_header_edits_rebuild_what_includes_them(built_params: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pkg"
    shutil.copytree(built_params, copy)
    assert "Nothing to be done" in make(copy, "htp_x86").stdout + make(copy, "htp_x86").stderr
    header = copy / "include" / "opgen" / "OpConfigSupport.hpp"
    later = time.time() + 10  # newer than every object, whatever the clock's resolution
    os.utime(header, (later, later))
    result = make(copy, "htp_x86")
    assert result.returncode == 0, result.stderr
    assert "-c src/utils/OpConfigSupport.cpp" in result.stdout
    assert "-c src/HtpParamsInterface.cpp" in result.stdout
    assert "-c src/ops/Everything.cpp" not in result.stdout  # it does not include that header


def test_a_compile_error_fails_the_build(built_params: Path, tmp_path: Path) -> None:
    copy = tmp_path / "pkg"
    shutil.copytree(built_params, copy, ignore=shutil.ignore_patterns("build"))
    (copy / "src" / "ops" / "Plain.cpp").write_text("this is not C++\n")
    result = make(copy, "htp_x86")
    assert result.returncode != 0
    assert not list((copy / "build").rglob("*.so"))


@pytest.mark.parametrize(
    ("target", "env", "variable"),
    [
        ("htp_v73", {}, "QNN_SDK_ROOT is not set"),
        ("htp_aarch64", {"QNN_SDK_ROOT": "/no/such/sdk"}, "QNN_SDK_ROOT=/no/such/sdk looks wrong"),
        ("htp_v68", {"QNN_SDK_ROOT": "{qnn}"}, "HEXAGON_SDK_ROOT is not set"),
        ("htp_v69", {"QNN_SDK_ROOT": "{qnn}", "HEXAGON_SDK_ROOT": "/nope"}, "HEXAGON_SDK_ROOT="),
        (
            "htp_v75",
            {"QNN_SDK_ROOT": "{qnn}", "HEXAGON_SDK_ROOT": "{hexagon}",
             "HEXAGON_TOOLS_VERSION": "1"},
            "HEXAGON_TOOLS_VERSION=1 looks wrong",
        ),
        ("htp_aarch64", {"QNN_SDK_ROOT": "{qnn}", "HEXAGON_SDK_ROOT": "{hexagon}"},
         "ANDROID_NDK_ROOT is not set"),
        ("htp_x86", {"QNN_SDK_ROOT": "{qnn}"}, "HEXAGON_SDK_ROOT is not set"),
    ],
)  # fmt: skip
def test_a_missing_or_wrong_sdk_is_one_line_naming_the_variable(
    skeletons: Path, tmp_path: Path, target: str, env: dict[str, str], variable: str
) -> None:
    sdks = fake_sdks(tmp_path / "sdk")
    paths = {"qnn": sdks["QNN_SDK_ROOT"], "hexagon": sdks["HEXAGON_SDK_ROOT"]}
    result = make(
        skeletons / "HtpParams", target, env={k: v.format(**paths) for k, v in env.items()}
    )
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, result.stderr
    assert variable in errors[0]


@pytest.mark.parametrize("arch", sorted(TOOLS))
def test_device_targets_command_lines(skeletons: Path, tmp_path: Path, arch: str) -> None:
    env = fake_sdks(tmp_path / "sdk")
    hexagon = env["HEXAGON_SDK_ROOT"]
    for libnative in Path(hexagon).rglob("libnative"):  # device builds do not need it
        shutil.rmtree(libnative)
    result = make(skeletons / "HtpParams", "-n", f"htp_{arch}", env=env)
    assert result.returncode == 0, result.stderr
    compiler = f"{hexagon}/tools/HEXAGON_Tools/{TOOLS[arch]}/Tools/bin/hexagon-clang++"
    compiles = [line for line in result.stdout.splitlines() if " -c " in line]
    assert compiles and all(line.startswith(compiler + " ") for line in compiles)
    line = compiles[0]
    for flag in (
        f"-m{arch}",
        "-mhvx",
        "-mhvx-length=128B",
        "-DUSE_OS_QURT",
        "-DTHIS_PKG_NAME=HtpParams",
        f"-I{env['QNN_SDK_ROOT']}/include/QNN",
        f"-I{hexagon}/rtos/qurt/compute{arch}/include/qurt",
        f"-I{hexagon}/rtos/qurt/compute{arch}/include/posix",
        "-MMD",
    ):
        assert f" {flag} " in line, flag
    # The bundled emulation and headers never shadow the SDK's or the compiler's own.
    assert "-Iinclude" not in line and "OPGEN_HTP_EMULATION" not in line
    assert " -idirafter include " in line
    assert f"-o build/hexagon-{arch}/libQnnHtpParams.so" in result.stdout


def test_aarch64_command_lines(skeletons: Path, tmp_path: Path) -> None:
    env = fake_sdks(tmp_path / "sdk")
    result = make(skeletons / "HtpParams", "-n", "htp_aarch64", env=env)
    assert result.returncode == 0, result.stderr
    clang = f"{env['ANDROID_NDK_ROOT']}/toolchains/llvm/prebuilt/linux-x86_64/bin/clang++"
    assert f"{clang} --target=aarch64-none-linux-android21" in result.stdout
    link = next(line for line in result.stdout.splitlines() if " -c " not in line and "-o " in line)
    assert "-o build/aarch64-android/libQnnHtpParams.so" in link
    assert f"-L{env['QNN_SDK_ROOT']}/lib/aarch64-android -lQnnHtp -lQnnHtpPrepare" in link


def test_qnn_sdk_root_switches_headers(skeletons: Path, tmp_path: Path) -> None:
    """With QNN_SDK_ROOT the x86 build compiles against the SDK's headers (checked in the
    compiler's own dependency files, although the package's bundled copies are still there)
    and links libnative."""
    package = tmp_path / "HtpParams"
    shutil.copytree(skeletons / "HtpParams", package)
    ensure_emulation(package)
    env = fake_sdks(tmp_path / "sdk")
    qnn_include = Path(env["QNN_SDK_ROOT"]) / "include" / "QNN"
    shutil.copytree(package / "include" / "QNN", qnn_include, dirs_exist_ok=True)
    shutil.copytree(package / "include" / "HTP", qnn_include / "HTP", dirs_exist_ok=True)
    libnative = Path(env["HEXAGON_SDK_ROOT"]) / "tools/HEXAGON_Tools/8.6.02/Tools/libnative"
    subprocess.run(["ar", "rcs", str(libnative / "lib" / "libnative.a")], check=True)
    dry = make(package, "-n", "htp_x86", env=env)
    assert "-Wl,--whole-archive -lnative" in dry.stdout
    assert "OPGEN_HTP_EMULATION" not in dry.stdout and " -Iinclude" not in dry.stdout
    result = make(package, "htp_x86", env={**env, "X86_CXX": "g++", "X86_STDLIB": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    deps = (package / X86_LIB_DIR / "HtpParamsInterface.d").read_text()
    assert f"{qnn_include}/QnnOpPackage.h" in deps
    assert f"{qnn_include}/HTP/QnnHtpCommon.h" in deps
    assert f"{qnn_include}/HTP/core/simple_reg.h" in deps
    assert " include/QNN/" not in deps and " include/HTP/" not in deps
    # Exported as the vendor's builds are, except opgen's support functions.
    library = package / X86_LIB_DIR / "libQnnHtpParams.so"
    symbols = subprocess.run(
        ["nm", "-DC", "--defined-only", str(library)], capture_output=True, text=True
    ).stdout
    assert "HtpParamsInterfaceProvider" in symbols and "opgen::" not in symbols


def test_per_arch_sdk_and_tools_overrides_and_assembly(skeletons: Path, tmp_path: Path) -> None:
    """HEXAGON_SDK_ROOT_<ARCH> and HEXAGON_TOOLS_VERSION_<ARCH> redirect one arch; an arch's
    assembly file builds next to a same-named C++ file instead of colliding with it."""
    package = tmp_path / "HtpParams"
    shutil.copytree(skeletons / "HtpParams", package)
    (package / "src" / "ops" / "v73_asm").mkdir()
    (package / "src" / "ops" / "v73_asm" / "Plain.S").write_text("")
    env = fake_sdks(tmp_path / "sdk")
    other = fake_sdks(tmp_path / "other")["HEXAGON_SDK_ROOT"]
    tools = Path(other) / "tools" / "HEXAGON_Tools"
    (tools / "8.6.02").rename(tools / "8.6.99")
    result = make(
        package,
        "-n",
        "htp_v73",
        env={**env, "HEXAGON_SDK_ROOT_V73": other, "HEXAGON_TOOLS_VERSION_V73": "8.6.99"},
    )
    assert result.returncode == 0, result.stderr
    assert f"{other}/tools/HEXAGON_Tools/8.6.99/Tools/bin/hexagon-clang++ " in result.stdout
    assert f"-I{other}/rtos/qurt/computev73/include/qurt" in result.stdout
    assert "-c src/ops/v73_asm/Plain.S -o build/hexagon-v73/ops/v73_asm/Plain.o" in result.stdout
    assert "-c src/ops/Plain.cpp -o build/hexagon-v73/ops/Plain.o" in result.stdout
    v68 = make(package, "-n", "htp_v68", env=env)  # the other archs keep HEXAGON_SDK_ROOT
    assert f"{env['HEXAGON_SDK_ROOT']}/tools/HEXAGON_Tools/8.4.09/" in v68.stdout
    assert "v73_asm" not in v68.stdout


def test_the_guard_macro_is_the_one_the_headers_define(skeletons: Path) -> None:
    """One name for "built against opgen's emulation": the bundled headers define it, and the
    Makefile, the README and the HVX message name that macro, never one nobody defines."""
    package = skeletons / "HtpParams"
    headers = "".join(
        p.read_text(encoding="utf-8") for p in sorted((package / "include" / "HTP").rglob("*.h"))
    )
    defined = set(re.findall(r"^\s*#\s*define\s+(OPGEN_\w+)", headers, re.M))
    assert "OPGEN_HTP_HOST_EMULATION" in defined
    message = re.search(r"#define OPGEN_HTP_HVX_MESSAGE(.*?)\n\n", headers, re.S)
    assert message and "#ifndef OPGEN_HTP_HOST_EMULATION" in message.group(1)
    dry = make(package, "-n", "htp_x86")
    assert dry.returncode == 0, dry.stderr
    assert "-DOPGEN_" not in dry.stdout  # the headers define it, for every build of theirs
    makefile = (package / "Makefile").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for text in (makefile, readme):
        named = set(re.findall(r"\bOPGEN_HTP_\w+", text))
        assert "OPGEN_HTP_HOST_EMULATION" in named and named <= defined, named - defined
