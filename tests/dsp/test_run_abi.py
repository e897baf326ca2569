"""The ctypes mirror of the DSP op-package and UDO structures (opgen/runtime/abi/dsp.py) agrees
with the C compiler on the bundled headers: every struct size, every field offset (the members of
anonymous unions too), every enum value and the version constants the runtime uses."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

import pytest

from opgen.runtime.abi import dsp as dsp_abi

REPO = Path(__file__).resolve().parents[2]
INCLUDES = (
    f"-I{REPO / 'templates' / 'common' / 'include' / 'QNN'}",
    f"-I{REPO / 'templates' / 'dsp' / 'static' / 'include' / 'QNN'}",
)
CONSTANTS = (
    "QNN_BACKEND_ID_DSP",
    "QNN_DSP_API_VERSION_MAJOR",
    "QNN_DSP_API_VERSION_MINOR",
    "QNN_DSP_API_VERSION_PATCH",
    "API_VERSION_MAJOR",
    "API_VERSION_MINOR",
    "API_VERSION_TEENY",
    "SNPE_UDO_MAX_STRING_SIZE",
)


def _fields(struct: type[ctypes.Structure]) -> list[tuple[str, int]]:
    """(C member name, offset) of every mirrored field; anonymous unions by their members."""
    anonymous = set(getattr(struct, "_anonymous_", ()))
    out = []
    for name, kind, *_ in struct._fields_:
        offset = struct.__dict__[name].offset
        if name in anonymous:
            out += [(member, offset) for member, *_ in kind._fields_]
        else:
            out.append((name, offset))
    return out


def _source() -> str:
    lines = [
        "#include <stddef.h>",
        "#include <stdio.h>",
        '#include "DSP/QnnDspOpPackage.h"',
        "int main(void) {",
    ]
    for struct in dsp_abi.STRUCTURES:
        name = struct.__name__
        lines.append(f'  printf("size {name} %zu\\n", sizeof({name}));')
        for field, _ in _fields(struct):
            lines.append(f'  printf("offset {name}.{field} %zu\\n", offsetof({name}, {field}));')
    for enum in dsp_abi.ENUMS:
        lines.append(f'  printf("size {enum.__name__} %zu\\n", sizeof({enum.__name__}));')
        for member in enum:
            lines.append(f'  printf("value {member.name} %lu\\n", (unsigned long)({member.name}));')
    for constant in CONSTANTS:
        lines.append(f'  printf("value {constant} %lu\\n", (unsigned long)({constant}));')
    lines += ["  return 0;", "}"]
    return "\n".join(lines) + "\n"


def _run(cmd: list[str], cwd: Path) -> str:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(cmd)}:\n{result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        pytest.skip("needs a C compiler")
    work = tmp_path_factory.mktemp("dsp-abi")
    (work / "layout.c").write_text(_source())
    flags = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", *INCLUDES]
    _run([cc, *flags, "layout.c", "-o", "layout"], work)
    values = {}
    for line in _run([str(work / "layout")], work).splitlines():
        kind, name, value = line.split()
        values[f"{kind} {name}"] = int(value)
    return values


@pytest.mark.parametrize("struct", dsp_abi.STRUCTURES, ids=lambda s: s.__name__)
def test_struct_layout_matches_the_compiler(
    compiled: dict[str, int], struct: type[ctypes.Structure]
) -> None:
    name = struct.__name__
    assert ctypes.sizeof(struct) == compiled[f"size {name}"]
    for field, offset in _fields(struct):
        assert offset == compiled[f"offset {name}.{field}"], f"{name}.{field}"


def test_sizes_are_the_fact_sheets(compiled: dict[str, int]) -> None:
    # HTP_DSP_FACTS §6.1 and VENDOR_FACTS §4.7 (LP64): what the mirror must not drift from.
    facts = {
        "Udo_ScalarParam_t": 8,
        "Udo_QuantizeParams_t": 12,
        "Udo_TensorParam_t": 48,
        "Udo_Param_t": 64,
        "Udo_HexNNv2GlobalInfra_t": 88,
        "Udo_DspGlobalInfrastructure_t": 104,
        "Udo_HexNNv2OpFactoryInfra_t": 8,
        "QnnDspOpPackage_GlobalInfrastructure_t": 8,
        "QnnDspOpPackage_OperationInfo_t": 80,
    }
    for name, size in facts.items():
        assert compiled[f"size {name}"] == size, name
    assert compiled["offset Udo_HexNNv2GlobalInfra_t.udoMalloc"] == 32
    assert compiled["offset Udo_HexNNv2GlobalInfra_t.udoRunWorkerThreads"] == 80
    assert compiled["offset QnnDspOpPackage_OperationInfo_t.queryOp"] == 72


@pytest.mark.parametrize("enum", dsp_abi.ENUMS, ids=lambda e: e.__name__)
def test_enum_values_match_the_headers(compiled: dict[str, int], enum: type) -> None:
    assert compiled[f"size {enum.__name__}"] == ctypes.sizeof(ctypes.c_uint32)
    for member in enum:
        assert compiled[f"value {member.name}"] == member.value, member.name


def test_constants_match_the_headers(compiled: dict[str, int]) -> None:
    assert compiled["value QNN_BACKEND_ID_DSP"] == dsp_abi.QNN_BACKEND_ID_DSP
    api = tuple(compiled[f"value QNN_DSP_API_VERSION_{p}"] for p in ("MAJOR", "MINOR", "PATCH"))
    assert api == (
        dsp_abi.QNN_DSP_API_VERSION_MAJOR,
        dsp_abi.QNN_DSP_API_VERSION_MINOR,
        dsp_abi.QNN_DSP_API_VERSION_PATCH,
    )
    udo = tuple(compiled[f"value API_VERSION_{p}"] for p in ("MAJOR", "MINOR", "TEENY"))
    assert udo == dsp_abi.UDO_API_VERSION
    assert compiled["value SNPE_UDO_MAX_STRING_SIZE"] == dsp_abi.SNPE_UDO_MAX_STRING_SIZE


def test_function_table_order() -> None:
    table = dsp_abi.QnnDspOpPackage_OperationInfo_t
    names = [name for name, *_ in table._fields_]
    assert names[4:] == list(dsp_abi.UDO_FUNCTIONS)
    assert dsp_abi.udo_error_name(104) == "UDO_WRONG_NUM_OF_INPUTS"
    assert dsp_abi.udo_error_name(7) == "UDO_ERROR(7)"
