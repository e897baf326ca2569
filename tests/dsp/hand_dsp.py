"""HandDsp: the hand-written DSP op package of handpkg/HandDsp.cpp, built once per test session.

It is laid out as a generated package is (``HandDsp/config/HandDsp.xml`` next to
``HandDsp/build/x86_64/libHandDsp.so``), so the runtime finds its declarations by itself.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests import factories as f

REPO = Path(__file__).resolve().parents[2]
SOURCE = Path(__file__).parent / "handpkg" / "HandDsp.cpp"
INCLUDES = (
    f"-I{REPO / 'templates' / 'common' / 'include' / 'QNN'}",
    f"-I{REPO / 'templates' / 'dsp' / 'static' / 'include' / 'QNN'}",
)
PACKAGE = "HandDsp"
PROVIDER = "HandDspInterfaceProvider"
#: Ops that copy in[0] to out[0] (FLOAT_32) but get the protocol wrong as their names say.
FAULT_OPS = ("FailExec", "NoSize", "BigSize", "Crash", "Shrink")

_U8 = ("QNN_DATATYPE_UFIXED_POINT_8",)


def config_text() -> str:
    def simple(name: str, datatypes: tuple[str, ...] = ("QNN_DATATYPE_FLOAT_32",)) -> str:
        return f.op(
            name,
            "DSP",
            inputs=[f.tensor("Input", "in", datatypes)],
            outputs=[f.tensor("Output", "out", datatypes)],
        )

    scale_bias = f.op(
        "ScaleBias",
        "DSP",
        inputs=[f.tensor("Input", "in")],
        outputs=[f.tensor("Output", "out")],
        params=[
            f.param("factor"),
            f.param("negate", "QNN_DATATYPE_BOOL_8", mandatory=False, default="false"),
            f.param("bias", rank="1D"),
        ],
    )
    ops = [simple("Relu8", _U8), scale_bias, simple("Threaded"), *map(simple, FAULT_OPS)]
    return f.config(PACKAGE, ops)


def build(root: Path, cxx: str = "g++") -> Path:
    """Compile the package under ``root``; returns the library."""
    compiler = shutil.which(cxx)
    if compiler is None:
        pytest.skip(f"needs {cxx}")
    package = root / PACKAGE
    (package / "config").mkdir(parents=True, exist_ok=True)
    (package / "config" / f"{PACKAGE}.xml").write_text(config_text())
    library = package / "build" / "x86_64" / f"lib{PACKAGE}.so"
    library.parent.mkdir(parents=True, exist_ok=True)
    command = [
        compiler,
        "-std=c++17",
        "-shared",
        "-fPIC",
        "-fvisibility=hidden",
        "-Wall",
        "-Wextra",
        "-Werror",
        *INCLUDES,
        str(SOURCE),
        "-o",
        str(library),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stderr}"
    return library


def library(factory: pytest.TempPathFactory) -> Path:
    """The session's build (made on first use; later calls reuse it)."""
    root = factory.getbasetemp() / "hand-dsp"
    built = root / PACKAGE / "build" / "x86_64" / f"lib{PACKAGE}.so"
    return built if built.is_file() else build(root)


def spec(path: Path) -> str:
    return f"{path}:{PROVIDER}:DSP"
