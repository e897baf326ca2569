"""Building the hand-written HTP test package (tests/htp/TestHtpPkg) against opgen's emulation,
plus a stand-in for a package built against the vendor SDK (no opgen host entry points)."""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCE = Path(__file__).resolve().parent / "TestHtpPkg"
EMULATION = REPO / "templates" / "htp" / "static" / "include"
QNN = REPO / "templates" / "common" / "include" / "QNN"
PROVIDER = "TestHtpPkgInterfaceProvider"
#: What every HTP host build uses: the flags the issue requires of the emulation.
FLAGS = ("-std=c++17", "-Wall", "-Wextra", "-Werror", "-fPIC")


def spec(library: Path) -> str:
    """``LIB:PROVIDER:HTP`` for a build of the test package."""
    return f"{library}:{PROVIDER}:HTP"


def includes() -> list[str]:
    return [f"-I{EMULATION}", f"-I{QNN}"]


def compile_command(compiler: str, source: Path, output: Path, *extra: str) -> list[str]:
    return [compiler, *FLAGS, *includes(), *extra, "-c", str(source), "-o", str(output)]


def build(compiler: str, out_dir: Path, package_name: str = "TestHtpPkg") -> Path:
    """Compile every source (two at a time) and link ``libQnn<package_name>.so``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = sorted(SOURCE.glob("src/*.cpp")) + sorted(SOURCE.glob("src/ops/*.cpp"))
    objects = [out_dir / f"{s.stem}.o" for s in sources]
    define = f"-DTHIS_PKG_NAME={package_name}"

    def run(pair: tuple[Path, Path]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            compile_command(compiler, pair[0], pair[1], define),
            capture_output=True,
            text=True,
            check=False,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, zip(sources, objects, strict=True)))
    failed = [r for r in results if r.returncode != 0]
    if failed:
        raise AssertionError("\n".join(r.stderr for r in failed))
    library = out_dir / f"libQnn{package_name}.so"
    subprocess.run(
        [compiler, "-shared", *map(str, objects), "-o", str(library)],
        check=True,
        capture_output=True,
        text=True,
    )
    return library


#: An HTP-style package as the vendor SDK would build it: a valid v1.4 interface, HTP backend API,
#: but no opgen host entry points (its ops live in the vendor's registry).
VENDOR_BUILT_SOURCE = r"""
#include <stddef.h>
#include "HTP/QnnHtpCommon.h"
#include "QnnOpPackage.h"

static const char* names[] = {"Relu"};
static const Qnn_ApiVersion_t api = QNN_HTP_API_VERSION_INIT;
static QnnOpPackage_Info_t info = QNN_OP_PACKAGE_INFO_INIT;
static Qnn_ErrorHandle_t init(QnnOpPackage_GlobalInfrastructure_t g) {
  (void)g;
  return QNN_SUCCESS;
}
static Qnn_ErrorHandle_t terminate(void) { return QNN_SUCCESS; }
static Qnn_ErrorHandle_t get_info(const QnnOpPackage_Info_t** out) {
  info.packageName = "VendorPkg";
  info.operationNames = names;
  info.numOperations = 1;
  info.sdkApiVersion = &api;
  *out = &info;
  return QNN_SUCCESS;
}
static Qnn_ErrorHandle_t validate(Qnn_OpConfig_t c) { (void)c; return QNN_SUCCESS; }
Qnn_ErrorHandle_t VendorPkgInterfaceProvider(QnnOpPackage_Interface_t* i);
Qnn_ErrorHandle_t VendorPkgInterfaceProvider(QnnOpPackage_Interface_t* i) {
  static const QnnOpPackage_Interface_t empty = QNN_OP_PACKAGE_INTERFACE_INIT;
  *i = empty;
  i->v1_4.init = init;
  i->v1_4.terminate = terminate;
  i->v1_4.getInfo = get_info;
  i->v1_4.validateOpConfig = validate;
  return QNN_SUCCESS;
}
"""


def build_vendor_built(out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir / "vendor.c"
    source.write_text(VENDOR_BUILT_SOURCE, encoding="utf-8")
    library = out_dir / "libQnnVendorPkg.so"
    compiler = shutil.which("cc") or "gcc"
    subprocess.run(
        [
            compiler,
            "-std=c11",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-shared",
            "-fPIC",
            f"-I{QNN}",
            str(source),
            "-o",
            str(library),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return library
