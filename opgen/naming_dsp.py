"""Identifiers of DSP op packages derived from config names (opgen/naming.py's rules, for the DSP
backend; kept apart only for size).

The DSP interface keeps the vendor's entry points `<Package><Role>` and prefixes the package-level
UDO dispatchers the vendor left as global `CreateOpFactory`, ... with the package name (and gives
them internal linkage). Op files keep the vendor's per-op names, built on the op name lowered
(`relu_executeOp`, `new_relu`, `reluOpFactory_t`), so users' existing op files drop in; ops whose
names differ only in case are refused by the name checks, so lowering stays injective.
"""

from __future__ import annotations

from opgen.naming import GENERATED_MACRO_PREFIX

DSP_PACKAGE_FUNCTIONS = (
    "Init", "Terminate", "GetInfo", "ValidateOpConfig", "LogInitialize", "LogSetLevel",
    "LogTerminate", "CreateOpFactory", "CreateOperation", "ExecuteOp", "ReleaseOp",
    "ReleaseOpFactory", "ValidateOperation", "QueryOperation",
)  # fmt: skip
"""The suffixes of the DSP interface's entry points and UDO dispatchers (`<Package>Init`, ...)."""

DSP_INTERFACE_NAMES = tuple(
    """
    sg_packageName sg_opNames sg_numOpNames sg_opInfoStorage sg_opInfos sg_ops sg_sdkApiVersion
    sg_globalInfra sg_packageInitialized sg_logCallback sg_maxLogLevel sg_logInitialized
    fptrQueryOperation fptrValidateOperation fptrCreateOpFactory fptrReleaseOpFactory
    fptrExecuteOp UdoDspShared UdoDspShared_t OpFactory OpFactory_t OpParams OpParams_t opgen
    findOp opOfFactory
    """.split()  # noqa: SIM905
)
"""Names include/DspOps.hpp and the DSP interface declare at global scope (or in the interface's
unnamed namespace, which lookup in the interface does not tell apart)."""

DSP_OP_ROLES = (
    "OpFactory", "OpFactory_t", "Params", "Params_t", "_createOpFactory", "_releaseOpFactory",
    "_validateOperation", "_executeOp", "_queryOperation", "_readParams",
)  # fmt: skip
"""Suffixes of the per-op names DspOps.hpp declares, after the lowered op name."""


DSP_TABLE_NAMES = ("inputs", "outputs", "params", "paramNames")
"""What each op's table namespace in the DSP interface declares besides its per-name arrays."""


def dsp_package_function(package: str, role: str) -> str:
    """A DSP interface entry point or dispatcher: `("P", "ExecuteOp")` -> `PExecuteOp`."""
    assert role in DSP_PACKAGE_FUNCTIONS, role
    return f"{package}{role}"


def dsp_op_stem(op: str) -> str:
    """The vendor's per-op stem: the op name lowered (`Relu` -> `relu`)."""
    return op.lower()


def dsp_op_name(op: str, role: str) -> str:
    """A per-op name of DspOps.hpp: `("Relu", "_executeOp")` -> `relu_executeOp`."""
    assert role in DSP_OP_ROLES, role
    return f"{dsp_op_stem(op)}{role}"


def dsp_op_functions(op: str) -> tuple[str, str]:
    """The op file's constructor and destructor of its dispatch table: `new_relu`, `free_relu`."""
    stem = dsp_op_stem(op)
    return f"new_{stem}", f"free_{stem}"


DSP_OP_FILE_ROLES = (
    "OpType", "StaticParamsNum", "InputsNum", "OutputsNum", "InputQuantizationTypes",
    "OutputQuantizationTypes", "Layout",
)  # fmt: skip
"""Suffixes of the static globals an op file declares (the vendor's `g_<op><Role>`)."""


def dsp_op_static(op: str, role: str) -> str:
    """A static global of the op file: `("Relu", "OpType")` -> `g_reluOpType`."""
    assert role in DSP_OP_FILE_ROLES, role
    return f"g_{dsp_op_stem(op)}{role}"


def dsp_header_guard(package: str) -> str:
    """The include guard of include/DspOps.hpp."""
    return f"{GENERATED_MACRO_PREFIX}DSP_OPS_{package}_HPP"


def dsp_labels_array(param: str) -> str:
    """The labels of an enumeration parameter, in its op's table namespace of the interface."""
    return f"{param}_labels"


def dsp_default_tensor(param: str) -> str:
    """The `Udo_TensorParam_t` holding a tensor parameter's default, in its op's table
    namespace; `dsp_default_data` and `dsp_default_dims` name its elements and dimensions."""
    return f"{param}_default"


def dsp_default_data(param: str) -> str:
    return f"{param}_defaultData"


def dsp_default_dims(param: str) -> str:
    return f"{param}_defaultDims"
