"""DSP op packages: generated from configs with every kind of parameter, built on the host with
g++ and clang++ (-Wall -Wextra -Werror, once per module), in the vendor's layout and names, with
the vendor's generated-code bugs fixed (VENDOR_FACTS §5.12) and config text kept data.

Running the built packages through opgen's runtime (LIB:PROVIDER:DSP) is tests/dsp/test_run_*.py.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import opgen
from opgen.generate import GenerationError, generate
from tests import factories as f

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = ROOT / "examples" / "dsp" / "ExampleDspOpPackage.xml"
EXAMPLE = ROOT / "examples" / "dsp" / "ExampleDspOpPackage"
U8Q = "QNN_DATATYPE_UFIXED_POINT_8"
F32 = "QNN_DATATYPE_FLOAT_32"
HOSTILE = '*/ #error injected\n"); system("rm -rf /"); //'

PARAMS = [
    f.param("flag", "QNN_DATATYPE_BOOL_8", mandatory=False, default="true"),
    f.param(
        "mode",
        "QNN_DATATYPE_UINT_32",
        mandatory=False,
        enum=["nearest", "linear"],
        default="linear",
    ),
    f.param("scale", mandatory=False, default="0.5"),
    f.param("small", "QNN_DATATYPE_INT_8", mandatory=False, default="-3"),
    f.param("count", "QNN_DATATYPE_UINT_16"),
    f.param("pads", "QNN_DATATYPE_INT_32", rank="2D", mandatory=False, default="[[1, 2], [3, 4]]"),
    f.param("fill", F32, rank="1D", mandatory=False, default="{5,..,5}"),
    f.param("on", "QNN_DATATYPE_BOOL_8", mandatory=False),
    f.param("k", "QNN_DATATYPE_UINT_32"),
]


def every_kind_config(directory: Path) -> Path:
    echo = f.op(
        "Echo",
        "DSP",
        inputs=[
            f.tensor("Input", "in[0]", (U8Q,), "4D"),
            f.tensor("Input", "side", (F32,), mandatory=False),
        ],
        outputs=[f.tensor("Output", "out[0]", (U8Q,), "4D")],
        params=PARAMS,
    ).replace("test op", HOSTILE.replace("<", "&lt;"))
    plain = f.op("Plain", "DSP")
    text = f.config("DspParamPkg", [echo, plain])
    return f.write(directory, "dsp_params.xml", text)


def tree(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and "build" not in p.relative_to(directory).parts
    }


def make(package: Path, *args: str, cxx: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QNN_SDK_ROOT", "HEXAGON_SDK_ROOT")}
    if cxx:
        env["CXX"] = f"{cxx} -Werror"
    return subprocess.run(
        ["make", "-j2", *args], cwd=package, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dspgen")
    generate(opgen.load_packages([every_kind_config(root)]), root / "out")
    return root / "out" / "DspParamPkg"


@pytest.fixture(scope="module", params=["g++", "clang++"])
def built(
    request: pytest.FixtureRequest, generated: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    cxx = str(request.param)
    if shutil.which(cxx) is None:
        pytest.skip(f"needs {cxx}")
    copy = tmp_path_factory.mktemp(cxx.replace("+", "p")) / generated.name
    shutil.copytree(generated, copy)
    result = make(copy, "dsp_x86", cxx=cxx)
    assert result.returncode == 0, result.stdout + result.stderr
    return copy / "build" / "x86_64-linux-clang" / "libQnnDspParamPkg.so"


def test_layout_is_the_vendors(generated: Path) -> None:
    files = set(tree(generated))
    for path in (
        "Makefile",
        "config/dsp_params.xml",
        "include/DspOps.hpp",
        "include/QNN/DSP/QnnDspOpPackage.h",
        "include/QNN/DSP/Udo/UdoImplDsp.h",
        "src/DspParamPkgInterface.cpp",
        "src/ops/Echo.cpp",
        "src/ops/Plain.cpp",
    ):
        assert path in files, path


def test_op_files_have_the_vendors_function_names(generated: Path) -> None:
    source = (generated / "src" / "ops" / "Echo.cpp").read_text()
    for name in (
        "echo_createOpFactory(",
        "echo_releaseOpFactory(",
        "echo_validateOperation(",
        "echo_executeOp(",
        "echo_queryOperation(",
        "UdoDspShared* new_echo(",
        "free_echo(",
        "g_echoOpType[]",
        "g_echoInputQuantizationTypes[] = {UDO_QUANTIZATION_TF, UDO_QUANTIZATION_NONE}",
    ):
        assert name in source, name
    header = (generated / "include" / "DspOps.hpp").read_text()
    for name in ("} UdoDspShared_t;", "} OpParams_t;", "} OpFactory_t;", "} echoOpFactory_t;"):
        assert name in header, name


def test_generated_code_bugs_of_the_vendor_are_fixed(generated: Path) -> None:
    interface = (generated / "src" / "DspParamPkgInterface.cpp").read_text()
    assert "#include <string.h>" in interface
    # The dispatchers are prefixed and have internal linkage (inside the anonymous namespace).
    assert not re.search(
        r"^Udo_ErrorType_t (CreateOpFactory|ExecuteOp|QueryOperation)\(", interface, re.M
    )
    anonymous = interface[interface.index("namespace {") : interface.index("}  // namespace\n")]
    assert "Udo_ErrorType_t DspParamPkgCreateOpFactory(" in anonymous
    # Terminate releases what init registered.
    terminate = interface[interface.index("Qnn_ErrorHandle_t DspParamPkgTerminate() {") :]
    assert "free_echo(sg_globalInfra, sg_ops[0])" in terminate
    assert "free_plain(sg_globalInfra, sg_ops[1])" in terminate
    # getInfo reports the SDK ids.
    assert "sdkBuildId = QNN_SDK_BUILD_ID" in interface
    assert "sdkApiVersion = &sg_sdkApiVersion" in interface


def test_every_param_kind_is_read_with_its_default(generated: Path) -> None:
    header = (generated / "include" / "DspOps.hpp").read_text()
    for field in (
        "bool flag;",
        "::DspParamPkg::Echo::ModeEnum mode;",
        "float scale;",
        "int8_t small;",
        "uint16_t count;",
        "const Udo_TensorParam_t* pads;",
        "const Udo_TensorParam_t* fill;",
        "bool on;",
        "uint32_t k;",
    ):
        assert field in header, field
    interface = (generated / "src" / "DspParamPkgInterface.cpp").read_text()
    assert "parsed.flag = true;" in interface
    assert "parsed.mode = ::DspParamPkg::Echo::ModeEnum::linear;" in interface
    assert "int32_t pads_defaultData[] = {" in interface
    assert "uint32_t pads_defaultDims[] = {2u, 2u};" in interface
    assert "parsed.pads = &op_Echo::pads_default;" in interface
    assert '"%s: mandatory parameter \'%s\' is missing", name, "count"' in interface
    assert "parsed.fill = &op_Echo::fill_default;" in interface
    assert "parsed.on = false;" in interface  # the implicit default of a bool


def test_hostile_text_stays_in_comments(generated: Path) -> None:
    """The description (a block-comment closer, a directive, a newline, a shell command) reaches
    generated files only inside one-line comments; the build tests compile them."""
    seen = 0
    for path, content in tree(generated).items():
        if not path.endswith((".cpp", ".hpp", ".h", "Makefile")) or path.startswith("config/"):
            continue
        for line in content.decode().splitlines():
            if "rm -rf /" in line:
                seen += 1
                assert line.lstrip().startswith(("//", "# ")), (path, line)
            assert not line.startswith("#error"), (path, line)
    assert seen > 0


def test_builds_warning_free_and_exports_only_the_provider(built: Path) -> None:
    symbols = subprocess.run(
        ["nm", "-D", "--defined-only", str(built)], capture_output=True, text=True, check=True
    ).stdout
    exported = {line.split()[-1] for line in symbols.splitlines() if " T " in line}
    assert exported == {"DspParamPkgInterfaceProvider"}


def test_a_vendor_style_op_file_drops_in(generated: Path, tmp_path: Path) -> None:
    """An op file in the vendor generator's style (its names, strlcpy, its factory struct)
    replaces the skeleton and builds unchanged."""
    copy = tmp_path / generated.name
    shutil.copytree(generated, copy)
    (copy / "src" / "ops" / "Plain.cpp").write_text(VENDOR_STYLE_OP, encoding="utf-8")
    result = make(copy, "dsp_x86", cxx="g++")
    assert result.returncode == 0, result.stdout + result.stderr


def test_regeneration_keeps_the_users_op_file(generated: Path, tmp_path: Path) -> None:
    root = tmp_path
    config = every_kind_config(root)
    generate(opgen.load_packages([config]), root / "out")
    op_file = root / "out" / "DspParamPkg" / "src" / "ops" / "Echo.cpp"
    op_file.write_text(op_file.read_text() + "\n// my kernel\n")
    generate(opgen.load_packages([config]), root / "out")
    assert op_file.read_text().endswith("// my kernel\n")


def test_a_rank_expression_default_is_refused_with_its_location(tmp_path: Path) -> None:
    op = f.op(
        "Axis",
        "DSP",
        params=[f.param("axis", "QNN_DATATYPE_INT_32", mandatory=False, default="N-1")],
    )
    path = f.write(tmp_path, "axis.xml", f.config("AxisPkg", [op]))
    with pytest.raises(
        GenerationError, match=r"axis\.xml:\d+:\d+: error: the default of parameter 'axis'"
    ):
        generate(opgen.load_packages([path]), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_the_skeleton_reports_a_missing_kernel(generated: Path) -> None:
    source = (generated / "src" / "ops" / "Echo.cpp").read_text()
    assert '"Echo: kernel not implemented yet (src/ops/Echo.cpp)"' in source
    assert "return UDO_UNSUPPORTED_FEATURE;\n}" in source


def test_output_is_deterministic(tmp_path: Path) -> None:
    configs = [every_kind_config(tmp_path), EXAMPLE_CONFIG]
    generate(opgen.load_packages(configs[:1]), tmp_path / "a")
    generate(opgen.load_packages(configs[:1]), tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_committed_example_matches_the_generator(tmp_path: Path) -> None:
    """Golden check: every opgen-owned file of the example is what opgen generates today.

    After a deliberate template change, regenerate it with:
        qnn-op-package-generator -p examples/dsp/ExampleDspOpPackage.xml -o examples/dsp
    """
    generate(opgen.load_packages([EXAMPLE_CONFIG]), tmp_path)
    fresh = tree(tmp_path / "ExampleDspOpPackage")
    committed = tree(EXAMPLE)
    owned = [p for p in fresh if not p.startswith(("src/ops/", ".opgen/"))]
    assert {p: committed.get(p) for p in owned} == {p: fresh[p] for p in owned}


def test_the_example_builds_with_its_kernels(tmp_path: Path) -> None:
    copy = tmp_path / EXAMPLE.name
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("build"))
    result = make(copy, "dsp_x86", cxx="g++")
    assert result.returncode == 0, result.stdout + result.stderr
    for op in ("Relu", "Scale"):
        assert "kernel not implemented yet" not in (copy / "src" / "ops" / f"{op}.cpp").read_text()


VENDOR_STYLE_OP = r"""
#include <stdlib.h>
#include <string.h>

#include "DSP/QnnDspOpPackage.h"
#include "DspOps.hpp"

char g_plainOpType[] = "Plain";
uint32_t g_plainStaticParamsNum = 0;
uint32_t g_plainInputsNum = 1;
uint32_t g_plainOutputsNum = 1;
Udo_QuantizationType_t g_plainInputQuantizationTypes[] = {UDO_QUANTIZATION_TF};
Udo_QuantizationType_t g_plainOutputQuantizationTypes[] = {UDO_QUANTIZATION_TF};
Udo_HexNNTensorLayout_t* g_plainLayout = NULL;

Udo_ErrorType_t plain_createOpFactory(QnnOpPackage_GlobalInfrastructure_t globalInfra,
                                      Udo_CoreType_t, void*, Udo_String_t operationType,
                                      uint32_t numOfStaticParams, Udo_Param_t*,
                                      Udo_OpFactory_t* opFactory) {
  if (strcmp(operationType, g_plainOpType) != 0) return UDO_INVALID_ARGUMENT;
  plainOpFactory_t* thisFactory = (plainOpFactory_t*)(*(
      globalInfra->dspGlobalInfra->hexNNv2Infra.udoMalloc))(sizeof(plainOpFactory_t));
  int size = strlen(operationType) + 1;
  thisFactory->opType =
      (Udo_String_t)(*(globalInfra->dspGlobalInfra->hexNNv2Infra.udoMalloc))(size);
  strlcpy(thisFactory->opType, operationType, size);
  thisFactory->numOfStaticParams = numOfStaticParams;
  *opFactory = (Udo_OpFactory_t)thisFactory;
  return UDO_NO_ERROR;
}

Udo_ErrorType_t plain_releaseOpFactory(QnnOpPackage_GlobalInfrastructure_t globalInfra,
                                       Udo_OpFactory_t opFactory) {
  plainOpFactory_t* thisFactory = (plainOpFactory_t*)(opFactory);
  (*(globalInfra->dspGlobalInfra->hexNNv2Infra.udoFree))((thisFactory->opType));
  (*(globalInfra->dspGlobalInfra->hexNNv2Infra.udoFree))(thisFactory);
  return UDO_NO_ERROR;
}

Udo_ErrorType_t plain_validateOperation(Udo_String_t operationType, uint32_t numOfStaticParams,
                                        const Udo_Param_t*) {
  if (strcmp(operationType, g_plainOpType) != 0) return UDO_INVALID_ARGUMENT;
  return numOfStaticParams == g_plainStaticParamsNum ? UDO_NO_ERROR : UDO_INVALID_ARGUMENT;
}

Udo_ErrorType_t plain_executeOp(QnnOpPackage_GlobalInfrastructure_t, Udo_Operation_t operation,
                                bool, const uint32_t, Udo_ExternalNotify_t) {
  OpParams_t* m_Operation = (OpParams_t*)operation;
  const char* opType = ((plainOpFactory_t*)(m_Operation->opFactory))->opType;
  return strcmp(opType, g_plainOpType) == 0 ? UDO_NO_ERROR : UDO_INVALID_ARGUMENT;
}

Udo_ErrorType_t plain_queryOperation(Udo_String_t, uint32_t, const Udo_Param_t*,
                                     uint32_t* numOfInputs,
                                     Udo_QuantizationType_t** inputsQuantTypes,
                                     Udo_HexNNTensorLayout_t** inputsLayouts,
                                     uint32_t* numOfOutputs,
                                     Udo_QuantizationType_t** outputsQuantTypes,
                                     Udo_HexNNTensorLayout_t** outputsLayouts) {
  *numOfInputs = g_plainInputsNum;
  *inputsQuantTypes = g_plainInputQuantizationTypes;
  *inputsLayouts = g_plainLayout;
  *numOfOutputs = g_plainOutputsNum;
  *outputsQuantTypes = g_plainOutputQuantizationTypes;
  *outputsLayouts = g_plainLayout;
  return UDO_NO_ERROR;
}

UdoDspShared* new_plain(QnnOpPackage_GlobalInfrastructure_t globalInfra) {
  UdoDspShared* pOpObj = (UdoDspShared*)(*(globalInfra->dspGlobalInfra->hexNNv2Infra.udoMalloc))(
      sizeof(UdoDspShared));
  if (pOpObj == NULL) return NULL;
  pOpObj->opType = g_plainOpType;
  pOpObj->numOfStaticParams = g_plainStaticParamsNum;
  pOpObj->numOfInputs = g_plainInputsNum;
  pOpObj->numOfOutputs = g_plainOutputsNum;
  pOpObj->createOpFactory = plain_createOpFactory;
  pOpObj->releaseOpFactory = plain_releaseOpFactory;
  pOpObj->validateOp = plain_validateOperation;
  pOpObj->executeOp = plain_executeOp;
  pOpObj->queryOp = plain_queryOperation;
  return pOpObj;
}

Udo_ErrorType_t free_plain(QnnOpPackage_GlobalInfrastructure_t globalInfra, UdoDspShared* opInfo) {
  if (opInfo == NULL) return UDO_NO_ERROR;
  (*(globalInfra->dspGlobalInfra->hexNNv2Infra.udoFree))(opInfo);
  return UDO_NO_ERROR;
}
"""
