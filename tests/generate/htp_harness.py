"""Shared pieces of the HTP tests: configs, building against the emulation, a fake SDK tree."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests import factories as f

EMULATION_ENV = "OPGEN_TEST_HTP_EMULATION"
X86_LIB_DIR = Path("build") / "x86_64-linux-clang"


def tensor_in(name: str, *datatypes: str, mandatory: bool = True, rank: str = "4D") -> str:
    return f.tensor("Input", name, datatypes or ("QNN_DATATYPE_FLOAT_32",), rank, mandatory)


def tensor_out(name: str, *datatypes: str, rank: str = "4D") -> str:
    return f.tensor("Output", name, datatypes or ("QNN_DATATYPE_FLOAT_32",), rank)


F32 = "QNN_DATATYPE_FLOAT_32"
U8Q = "QNN_DATATYPE_UFIXED_POINT_8"
S32Q = "QNN_DATATYPE_SFIXED_POINT_32"

# Every kind of parameter (scalar of each datatype, bool, enum, rank expression, list, fill,
# mandatory) with the value the generated default must carry, as `member = literal`.
SCALAR_DEFAULTS = [
    ("flag", "QNN_DATATYPE_BOOL_8", None, "bool8Value = 0u"),  # implicit false
    ("on", "QNN_DATATYPE_BOOL_8", "true", "bool8Value = 1u"),
    ("off", "QNN_DATATYPE_BOOL_8", "false", "bool8Value = 0u"),
    ("axis", "QNN_DATATYPE_INT_32", "N-1", "int32Value = 3"),
    ("scale", "QNN_DATATYPE_FLOAT_32", "0.5", "floatValue = 0.5f"),
    # The float32 nearest 1e-05, written so it reads back exactly (as for CPU and GPU).
    ("tiny", "QNN_DATATYPE_FLOAT_32", "1e-05", "floatValue = 9.999999747378752e-06f"),
    ("small", "QNN_DATATYPE_INT_8", "-3", "int8Value = -3"),
    ("i16", "QNN_DATATYPE_INT_16", "-300", "int16Value = -300"),
    ("count", "QNN_DATATYPE_UINT_16", "7", "uint16Value = 7u"),
    ("u8", "QNN_DATATYPE_UINT_8", "200", "uint8Value = 200u"),
    ("u32", "QNN_DATATYPE_UINT_32", "4000000000", "uint32Value = 4000000000u"),
    ("i64", "QNN_DATATYPE_INT_64", "-5", "int32Value = -5"),
    ("u64", "QNN_DATATYPE_UINT_64", "9", "uint32Value = 9u"),
    ("f16", "QNN_DATATYPE_FLOAT_16", "0.25", "floatValue = 0.25f"),
    ("f64", "QNN_DATATYPE_FLOAT_64", "2.5", "floatValue = 2.5f"),
    ("q8", "QNN_DATATYPE_UFIXED_POINT_8", "3", "uint8Value = 3u"),
    ("s8", "QNN_DATATYPE_SFIXED_POINT_8", "-2", "int8Value = -2"),
    ("q16", "QNN_DATATYPE_UFIXED_POINT_16", "1000", "uint16Value = 1000u"),
    ("s16", "QNN_DATATYPE_SFIXED_POINT_16", "-1000", "int16Value = -1000"),
    ("s32", "QNN_DATATYPE_SFIXED_POINT_32", "-7", "int32Value = -7"),
    ("q32", "QNN_DATATYPE_UFIXED_POINT_32", "11", "uint32Value = 11u"),
]

PARAMS = [
    *(
        f.param(name, datatype, mandatory=False, **({"default": d} if d is not None else {}))
        for name, datatype, d, _ in SCALAR_DEFAULTS
    ),
    f.param(
        "mode",
        "QNN_DATATYPE_UINT_32",
        mandatory=False,
        enum=["nearest", "linear", "cubic"],
        default="linear",
    ),
    f.param("pads", "QNN_DATATYPE_INT_32", rank="2D", mandatory=False, default="[[1, 2], [3, 4]]"),
    f.param("fill", "QNN_DATATYPE_FLOAT_32", rank="1D", mandatory=False, default="{5,..,5}"),
    f.param("halves", "QNN_DATATYPE_FLOAT_16", rank="1D", mandatory=False, default="{0.5, 1.5}"),
    f.param("k", "QNN_DATATYPE_UINT_32"),
    f.param("strict", mandatory=True, default="0.5"),  # mandatory wins over a default
]

EVERY_KIND = f.op(
    "Everything",
    "HTP",
    inputs=[
        tensor_in("in[0]", F32, U8Q),
        tensor_in("min_val", F32, U8Q),
        tensor_in("bias[0]", S32Q, mandatory=False, rank="1D"),
    ],
    outputs=[tensor_out("out[0]", F32, U8Q), tensor_out("counts_out", "QNN_DATATYPE_INT_32")],
    params=PARAMS,
)


def every_kind_config(directory: Path, package: str = "HtpParams", backend: str = "HTP") -> Path:
    ops = [
        EVERY_KIND.replace("<SupportedBackend>HTP<", f"<SupportedBackend>{backend}<"),
        f.op("Plain", backend),
    ]
    return f.write(directory, f"{package}.xml", f.config(package, ops))


def ensure_emulation(package: Path) -> None:
    """Builds need opgen's HTP emulation in the package: bundled by the generator once
    templates/htp/static holds it, or overlaid from $OPGEN_TEST_HTP_EMULATION (a directory with
    include/ and src/ laid out as in a package) until then."""
    if (package / "include" / "HTP" / "core" / "simple_reg.h").exists():
        return
    overlay = os.environ.get(EMULATION_ENV)
    if not overlay:
        pytest.skip(
            "opgen's HTP emulation (templates/htp/static/include/HTP/core) is not in this tree; "
            f"set {EMULATION_ENV}=DIR to build against a copy"
        )
    shutil.copytree(overlay, package, dirs_exist_ok=True)


def make(
    package: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.endswith("SDK_ROOT")}
    base.pop("ANDROID_NDK_ROOT", None)
    return subprocess.run(
        ["make", *args],
        cwd=package,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def build_htp(package: Path, cxx: str = "g++", *, optimize: bool = False) -> Path:
    """`make htp_x86` against the emulation, warnings as errors; returns the library. Unless
    `optimize`, the objects are built with -O0 (after the Makefile's -O2), which halves the
    time on a loaded machine."""
    ensure_emulation(package)
    env = {"CXX": f"{cxx} -Werror"}
    if not optimize:
        env["CXXFLAGS"] = "-O0"
    result = make(package, "-j2", "htp_x86", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    (library,) = (package / X86_LIB_DIR).glob("libQnn*.so")
    return library


def _tool(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


TOOLS = {
    "v68": "8.4.09",
    "v69": "8.5.03",
    "v73": "8.6.02",
    "v75": "8.7.03",
    "v79": "8.8.05",
    "v81": "19.0.07",
}


def fake_sdks(root: Path) -> dict[str, str]:
    """A QNN SDK, a Hexagon SDK (every arch's tools and QuRT headers) and an NDK with the
    paths the Makefile uses, the tools being dummy scripts; returns the environment."""
    qnn, hexagon, ndk = root / "qnn", root / "hexagon", root / "ndk"
    (qnn / "include" / "QNN").mkdir(parents=True)
    (qnn / "include" / "QNN" / "QnnOpPackage.h").write_text("/* fake */\n")
    (qnn / "lib" / "aarch64-android").mkdir(parents=True)
    for arch, version in TOOLS.items():
        tools = hexagon / "tools" / "HEXAGON_Tools" / version / "Tools"
        _tool(tools / "bin" / "hexagon-clang++")
        (tools / "libnative" / "include").mkdir(parents=True, exist_ok=True)
        (tools / "libnative" / "lib").mkdir(parents=True, exist_ok=True)
        for sub in ("qurt", "posix"):
            (hexagon / "rtos" / "qurt" / f"compute{arch}" / "include" / sub).mkdir(parents=True)
    (hexagon / "incs" / "stddef").mkdir(parents=True)
    _tool(ndk / "toolchains" / "llvm" / "prebuilt" / "linux-x86_64" / "bin" / "clang++")
    return {
        "QNN_SDK_ROOT": str(qnn),
        "HEXAGON_SDK_ROOT": str(hexagon),
        "ANDROID_NDK_ROOT": str(ndk),
    }


def names_config(directory: Path) -> Path:
    """Config names whose derived C++ names would collide under a naive scheme, and a default
    written over several lines."""
    ops = [
        f.op(
            "A",
            "HTP",
            inputs=[tensor_in("input_x")],
            params=[
                f.param("x", "QNN_DATATYPE_INT_32", rank="1D", mandatory=False, default="{1,2}"),
                f.param("x_data", "QNN_DATATYPE_INT_32", mandatory=False, default="3"),
                f.param("p", "QNN_DATATYPE_INT_32", rank="2D", mandatory=False,
                        default="[[1, 2],\n    [3, 4]]"),
            ],
        ),
        f.op("A_input", "HTP", inputs=[tensor_in("x")]),
    ]  # fmt: skip
    return f.write(directory, "NamesPkg.xml", f.config("NamesPkg", ops))
