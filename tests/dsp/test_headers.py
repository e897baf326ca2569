"""The bundled DSP op-package and UDO headers match the fact sheet (LP64 sizes, offsets, values).

A C++ program generated from the tables below is compiled (g++ and clang++) against
``templates/common/include/QNN`` + ``templates/dsp/static/include/QNN``; every fact is a
``static_assert``, so a wrong size, offset, enum value or type alias fails the compile and the
message names it. The tables are HTP_DSP_FACTS.md §6.1 and VENDOR_FACTS.md §4.7 written out;
offsets marked "derived" are not in the sheets (they give member order and the size only) and
follow from natural alignment. A second test compiles every header on its own as C99, C11 and
C++11/17 under -pedantic, so the headers are self-contained in every dialect packages use.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
COMMON = REPO / "templates" / "common" / "include" / "QNN"
DSP = REPO / "templates" / "dsp" / "static" / "include" / "QNN"
INCLUDES = (f"-I{COMMON}", f"-I{DSP}")
WARNINGS = ("-Wall", "-Wextra", "-Werror", "-pedantic")

HEADERS = (
    "DSP/Udo/UdoBase.h",
    "DSP/Udo/UdoShared.h",
    "DSP/Udo/UdoImpl.h",
    "DSP/Udo/UdoImplDsp.h",
    "DSP/Udo/UdoFlatten.h",
    "DSP/QnnDspCommon.h",
    "DSP/QnnDspOpPackage.h",
)

# type -> (sizeof, "field@offset ..."); a dotted field is a member of a nested struct.
LAYOUT: dict[str, tuple[int, str]] = {
    "Udo_Version_t": (12, "major@0 minor@4 teeny@8"),  # derived
    "SnpeUdo_LibVersion_t": (24, "libVersion@0 apiVersion@12"),  # derived
    "Udo_PkgVersion_t": (12, "apiVersion@0"),  # derived
    "Udo_ScalarParam_t": (
        8,
        "dataType@0 dataValue@4 dataValue.floatValue@4 dataValue.uint32Value@4 "
        "dataValue.int32Value@4 dataValue.uint16Value@4 dataValue.int16Value@4 "
        "dataValue.uint8Value@4 dataValue.int8Value@4",
    ),
    "Udo_QuantizeParams_t": (
        12,
        "quantizeType@0 TFParams@4 TFParams.minValue@4 TFParams.maxValue@8",
    ),
    "Udo_TensorParam_t": (
        48,
        "maxDimensions@0 currDimensions@8 quantizeParams@16 tensorRank@28 dataType@32 layout@36 "
        "tensorData@40",
    ),
    "Udo_Param_t": (64, "paramType@0 paramName@8 scalarParam@16 tensorParam@16 stringParam@16"),
    "Udo_HexNNv2GlobalInfra_t": (
        88,
        "udoSetOutputTensorSize@0 udoGetInputD32Paddings@8 udoSetOutputD32ShapeSizePaddings@16 "
        "udoMemalign@24 udoMalloc@32 udoCalloc@40 udoFree@48 udoGetVtcmSize@56 udoGetVtcmPtr@64 "
        "udoVtcmIsReal@72 udoRunWorkerThreads@80",
    ),
    "Udo_DspGlobalInfrastructure_t": (
        104,
        "dspInfraVersion@0 infraType@12 hexNNv2Infra@16 hexNNv2Infra.udoMalloc@48 "
        "hexNNv2Infra.udoRunWorkerThreads@96",
    ),
    "Udo_HexNNv2OpFactoryInfra_t": (8, "graphId@0"),
    "udo_func_package_t": (
        56,
        "create_op_factory@0 create_operation@8 execute_op@16 release_op@24 "
        "release_op_factory@32 validate_op@40 query_op@48",
    ),
    "Udo_OpDefinition_t": (
        64,
        "udoCoreType@0 operationType@8 numOfStaticParams@16 staticParams@24 numOfInputs@32 "
        "inputs@40 numOfOutputs@48 outputs@56",
    ),
    "Udo_OperationInfo_t": (
        72,
        "operationType@0 supportedByCores@8 numOfStaticParams@12 staticParams@16 numOfInputs@24 "
        "inputNames@32 numOfOutputs@40 outputNames@48 numOfCoreInfo@56 opPerCoreInfo@64",
    ),
    "Udo_RegInfo_t": (
        48,
        "packageName@0 supportedCoreTypes@8 numOfImplementationLib@12 implementationLib@16 "
        "operationsString@24 numOfOperations@32 operationsInfo@40",
    ),
    "Udo_ImpInfo_t": (32, "udoCoreType@0 packageName@8 operationsString@16 numOfOperations@24"),
    "QnnDspOpPackage_GlobalInfrastructure_t": (8, "dspGlobalInfra@0"),
    "QnnDspOpPackage_OperationInfo_t": (
        80,
        "opType@0 numOfStaticParams@8 numOfInputs@12 numOfOutputs@16 createOpFactory@24 "
        "createOperation@32 executeOp@40 releaseOp@48 releaseOpFactory@56 validateOp@64 "
        "queryOp@72",
    ),
}

# enumerator suffix -> value; each exists as SNPE_UDO_<prefix><suffix> and UDO_<prefix><suffix>.
ENUMS: dict[str, dict[str, int]] = {
    "Udo_ErrorType_t": {
        "NO_ERROR": 0,
        "WRONG_CORE": 1,
        "INVALID_ARGUMENT": 2,
        "UNSUPPORTED_FEATURE": 3,
        "MEM_ALLOC_ERROR": 4,
        "WRONG_OPERATION": 100,
        "WRONG_CORE_TYPE": 101,
        "WRONG_NUM_OF_PARAMS": 102,
        "WRONG_NUM_OF_DIMENSIONS": 103,
        "WRONG_NUM_OF_INPUTS": 104,
        "WRONG_NUM_OF_OUTPUTS": 105,
        "PROGRAM_CACHE_NOT_FOUND": 106,
        "UNKNOWN_ERROR": 0xFFFFFFFF,
    },
    "Udo_DataType_t": {
        "DATATYPE_FLOAT_16": 0x01,
        "DATATYPE_FLOAT_32": 0x02,
        "DATATYPE_FIXED_4": 0x04,
        "DATATYPE_FIXED_8": 0x08,
        "DATATYPE_FIXED_16": 0x10,
        "DATATYPE_FIXED_32": 0x20,
        "DATATYPE_UINT_8": 0x100,
        "DATATYPE_UINT_16": 0x200,
        "DATATYPE_UINT_32": 0x400,
        "DATATYPE_INT_8": 0x1000,
        "DATATYPE_INT_16": 0x2000,
        "DATATYPE_INT_32": 0x4000,
        "DATATYPE_LAST": 0xFFFFFFFF,
    },
    "Udo_TensorLayout_t": {
        "LAYOUT_NHWC": 0x01,
        "LAYOUT_NCHW": 0x02,
        "LAYOUT_NDHWC": 0x04,
        "LAYOUT_GPU_OPTIMAL1": 0x08,
        "LAYOUT_GPU_OPTIMAL2": 0x10,
        "LAYOUT_DSP_OPTIMAL1": 0x11,
        "LAYOUT_DSP_OPTIMAL2": 0x12,
        "LAYOUT_NULL": 0x13,
        "LAYOUT_LAST": 0xFFFFFFFF,
    },
    "Udo_CoreType_t": {
        "CORETYPE_UNDEFINED": 0,
        "CORETYPE_CPU": 1,
        "CORETYPE_GPU": 2,
        "CORETYPE_DSP": 4,
        "CORETYPE_LAST": 0xFFFFFFFF,
    },
    "Udo_ParamType_t": {
        "PARAMTYPE_SCALAR": 0,
        "PARAMTYPE_STRING": 1,
        "PARAMTYPE_TENSOR": 2,
        "PARAMTYPE_LAST": 0xFFFFFFFF,
    },
    "Udo_QuantizationType_t": {
        "QUANTIZATION_NONE": 0,
        "QUANTIZATION_TF": 1,
        "QUANTIZATION_QMN": 2,
        "QUANTIZATION_LAST": 0xFFFFFFFF,
    },
    "Udo_HexNNTensorLayout_t": {"DSP_TENSOR_LAYOUT_PLAIN": 0, "DSP_TENSOR_LAYOUT_D32": 1},
}

# Enumerators with one spelling only.
PLAIN_CONSTANTS = {
    "UDO_INFRA_HEXNN_V2": 0,
    "UDO_INFRA_HEXNN_V3": 1,
    "API_VERSION_MAJOR": 1,
    "API_VERSION_MINOR": 6,
    "API_VERSION_TEENY": 0,
    "SNPE_UDO_MAX_STRING_SIZE": 1024,
    "QNN_BACKEND_ID_DSP": 5,
    "QNN_DSP_API_VERSION_MAJOR": 5,
    "QNN_DSP_API_VERSION_MINOR": 0,
    "QNN_DSP_API_VERSION_PATCH": 1,
    "HVX_ALIGNMENT": 128,
    "DSP_STRUCT_ALIGNMENT": 8,
}

# (type, what it must be), checked with std::is_same.
ALIASES = (
    ("Udo_String_t", "char*"),
    ("Udo_Bitmask_t", "uint32_t"),
    ("Udo_HexNNv2OpInfra_t", "void*"),
    ("Udo_OpFactory_t", "struct _SnpeUdo_OpFactory_t*"),
    ("Udo_Operation_t", "struct _SnpeUdo_Operation_t*"),
    ("QnnOpPackage_GlobalInfrastructure_t", "QnnDspOpPackage_GlobalInfrastructure_t*"),
    ("QnnOpPackage_OperationInfo_t", "QnnDspOpPackage_OperationInfo_t*"),
    (
        "decltype(QnnDspOpPackage_GlobalInfrastructure_t::dspGlobalInfra)",
        "Udo_DspGlobalInfrastructure_t*",
    ),
    ("decltype(QnnDspOpPackage_OperationInfo_t::createOpFactory)", "Udo_CreateOpFactoryFunction_t"),
    ("decltype(QnnDspOpPackage_OperationInfo_t::queryOp)", "Udo_QueryOperationFunction_t"),
    (
        "Udo_ExecuteOpFunction_t",
        "Udo_ErrorType_t (*)(Udo_Operation_t, bool, const uint32_t, Udo_ExternalNotify_t)",
    ),
    ("udoSetOutputTensorSize_t", "int (*)(void*, uint32_t, uint32_t)"),
    ("udoRunWorkerThreads_t", "void (*)(void*, uint32_t, workerThread_t, void*)"),
    ("workerThread_t", "void (*)(void*, void*)"),
    # Every UDO type has both spellings but the library version.
    ("SnpeUdo_TensorParam_t", "Udo_TensorParam_t"),
    ("SnpeUdo_Param_t", "Udo_Param_t"),
    ("SnpeUdo_DspGlobalInfrastructure_t", "Udo_DspGlobalInfrastructure_t"),
)


def _program() -> str:
    lines = [
        "#include <cstddef>",
        "#include <cstdint>",
        "#include <type_traits>",
        *(f'#include "{h}"' for h in HEADERS),
        "",
    ]
    for type_name, (size, spec) in LAYOUT.items():
        lines.append(f'static_assert(sizeof({type_name}) == {size}, "sizeof {type_name}");')
        for item in spec.split():
            field, offset = item.split("@")
            lines.append(
                f"static_assert(offsetof({type_name}, {field}) == {offset}, "
                f'"offsetof {type_name}.{field}");'
            )
    for enum, values in ENUMS.items():
        lines.append(f'static_assert(sizeof({enum}) == 4, "sizeof {enum}");')
        for suffix, value in values.items():
            for name in (f"SNPE_UDO_{suffix}", f"UDO_{suffix}"):
                lines.append(
                    f"static_assert(static_cast<uint64_t>({name}) == {value}u && "
                    f'std::is_same<decltype({name}), {enum}>::value, "{name}");'
                )
    for name, value in PLAIN_CONSTANTS.items():
        lines.append(f'static_assert(static_cast<uint64_t>({name}) == {value}u, "{name}");')
    for alias, (target) in ALIASES:
        lines.append(
            f'static_assert(std::is_same<{alias}, {target}>::value, "{alias} is {target}");'
        )
    lines.append("int main() { return 0; }")
    return "\n".join(lines) + "\n"


def _compile(compiler: str, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [compiler, *WARNINGS, *INCLUDES, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("compiler", ["g++", "clang++"])
def test_layout_and_values_match_the_facts(compiler: str, tmp_path: Path) -> None:
    if shutil.which(compiler) is None:
        pytest.skip(f"needs {compiler}")
    source = tmp_path / "layout.cpp"
    source.write_text(_program(), encoding="utf-8")
    result = _compile(compiler, ["-std=c++17", "-fsyntax-only", str(source)], tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_wrong_fact_fails_the_check(tmp_path: Path) -> None:
    """The check can fail: one offset off by four is reported by name."""
    source = tmp_path / "wrong.cpp"
    program = _program().replace(
        "offsetof(Udo_TensorParam_t, tensorRank) == 28",
        "offsetof(Udo_TensorParam_t, tensorRank) == 32",
    )
    source.write_text(program, encoding="utf-8")
    result = _compile("g++", ["-std=c++17", "-fsyntax-only", str(source)], tmp_path)
    assert result.returncode != 0
    assert "offsetof Udo_TensorParam_t.tensorRank" in result.stderr


@pytest.mark.parametrize(
    ("compiler", "std", "suffix"),
    [
        ("gcc", "-std=c99", "c"),
        ("gcc", "-std=c11", "c"),
        ("clang", "-std=c99", "c"),
        ("g++", "-std=c++11", "cpp"),
        ("clang++", "-std=c++17", "cpp"),
    ],
)
def test_each_header_compiles_on_its_own(
    compiler: str, std: str, suffix: str, tmp_path: Path
) -> None:
    if shutil.which(compiler) is None:
        pytest.skip(f"needs {compiler}")
    for header in HEADERS:
        source = tmp_path / f"only.{suffix}"
        source.write_text(
            f'#include "{header}"\n#include "{header}"\nint main(void) {{ return 0; }}\n'
        )
        result = _compile(compiler, [std, "-fsyntax-only", str(source)], tmp_path)
        assert result.returncode == 0, f"{header} ({compiler} {std}):\n{result.stderr}"
