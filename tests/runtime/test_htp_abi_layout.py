"""The ctypes mirror of opgen's HTP host ABI (opgen/runtime/abi/htp.py) agrees with the C
compiler: every struct size and field offset, the constants, and the DType and GraphStatus
values of the emulation headers; HTP/QnnHtpCommon.h and opgen_host_abi.h compile on their own as
C and C++ under -pedantic."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import pytest

from opgen.runtime.abi import htp as htp_abi

REPO = Path(__file__).resolve().parents[2]
QNN = REPO / "templates" / "common" / "include" / "QNN"
EMULATION = REPO / "templates" / "htp" / "static" / "include"
INCLUDES = (f"-I{EMULATION}", f"-I{QNN}")
WARNINGS = ("-Wall", "-Wextra", "-Werror", "-pedantic")


def _compiler(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(f"needs one of {', '.join(names)}")


def _run(cmd: list[str], cwd: Path) -> str:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(cmd)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def _layout_source() -> str:
    lines = [
        "#include <stddef.h>",
        "#include <stdio.h>",
        '#include "HTP/QnnHtpCommon.h"',
        '#include "HTP/core/opgen_host_abi.h"',
        "int main(void) {",
    ]
    for struct in htp_abi.STRUCTURES:
        name = struct.__name__
        lines.append(f'  printf("size {name} %zu\\n", sizeof({name}));')
        for field, *_ in struct._fields_:
            lines.append(f'  printf("offset {name}.{field} %zu\\n", offsetof({name}, {field}));')
    constants = [
        "OPGEN_HTP_HOST_ABI_VERSION",
        "OPGEN_HTP_MAX_RANK",
        "QNN_BACKEND_ID_HTP",
        "QNN_HTP_API_VERSION_MAJOR",
        "QNN_HTP_API_VERSION_MINOR",
        "QNN_HTP_API_VERSION_PATCH",
        *htp_abi.OpgenHtpArgKind.__members__,
    ]
    for constant in constants:
        lines.append(f'  printf("const {constant} %lu\\n", (unsigned long)({constant}));')
    lines += ["  return 0;", "}"]
    return "\n".join(lines) + "\n"


def _parse(output: str) -> dict[str, int]:
    values = {}
    for line in output.splitlines():
        _, name, value = line.split()
        values[name] = int(value)
    return values


def test_mirror_matches_the_compiler(tmp_path: Path) -> None:
    cc = _compiler("cc", "gcc")
    (tmp_path / "layout.c").write_text(_layout_source())
    _run([cc, *WARNINGS, "-std=c11", *INCLUDES, "layout.c", "-o", "layout"], tmp_path)
    values = _parse(_run([str(tmp_path / "layout")], tmp_path))
    for struct in htp_abi.STRUCTURES:
        name = struct.__name__
        assert ctypes.sizeof(struct) == values[f"{name}"], name
        for field, *_ in struct._fields_:
            assert getattr(struct, field).offset == values[f"{name}.{field}"], f"{name}.{field}"
    assert values["OPGEN_HTP_HOST_ABI_VERSION"] == htp_abi.OPGEN_HTP_HOST_ABI_VERSION
    assert values["OPGEN_HTP_MAX_RANK"] == htp_abi.OPGEN_HTP_MAX_RANK
    assert values["QNN_BACKEND_ID_HTP"] == htp_abi.QNN_BACKEND_ID_HTP == 6
    api = (htp_abi.QNN_HTP_API_VERSION_MAJOR, htp_abi.QNN_HTP_API_VERSION_MINOR)
    assert (values["QNN_HTP_API_VERSION_MAJOR"], values["QNN_HTP_API_VERSION_MINOR"]) == api
    assert api == (5, 13)  # VENDOR_FACTS §4.1
    for member in htp_abi.OpgenHtpArgKind:
        assert values[member.name] == member.value


def test_enums_match_the_emulation_headers(tmp_path: Path) -> None:
    cxx = _compiler("g++", "clang++")
    lines = ["#include <cstdio>", '#include "HTP/core/simple_reg.h"', "int main() {"]
    for member in htp_abi.DType:
        value = f"static_cast<unsigned>(DType::{member.name})"
        lines.append(f'  std::printf("dtype {member.name} %u\\n", {value});')
    for member in htp_abi.GraphStatus:
        value = f"static_cast<int>(GraphStatus::{member.name})"
        lines.append(f'  std::printf("status {member.name} %d\\n", {value});')
    lines += ["  return 0;", "}"]
    (tmp_path / "enums.cpp").write_text("\n".join(lines) + "\n")
    _run(
        [cxx, "-std=c++17", "-Wall", "-Wextra", "-Werror", *INCLUDES, "enums.cpp", "-o", "enums"],
        tmp_path,
    )
    output = _run([str(tmp_path / "enums")], tmp_path)
    for line in output.splitlines():
        kind, name, value = line.split()
        enum = htp_abi.DType if kind == "dtype" else htp_abi.GraphStatus
        assert enum[name].value == int(value), line
    assert htp_abi.status_name(2) == "ErrorDimensions"
    assert htp_abi.status_name(-1) == "ErrorFatal"
    assert htp_abi.status_name(55) == "GraphStatus(55)"


@pytest.mark.parametrize("std", ["c99", "c11", "c++11", "c++17"])
@pytest.mark.parametrize("header", ["HTP/QnnHtpCommon.h", "HTP/core/opgen_host_abi.h"])
def test_header_is_self_contained(tmp_path: Path, header: str, std: str) -> None:
    cplusplus = std.startswith("c++")
    compiler = _compiler("g++", "clang++") if cplusplus else _compiler("cc", "gcc")
    source = tmp_path / ("unit.cpp" if cplusplus else "unit.c")
    source.write_text(f'#include "{header}"\n#include "{header}"\ntypedef int opgen_unit_t;\n')
    _run([compiler, *WARNINGS, f"-std={std}", *INCLUDES, "-fsyntax-only", str(source)], tmp_path)
