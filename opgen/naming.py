"""Every identifier rule in one place: what names in a config may be and what derives from them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from opgen import reserved_names

# Moved to the escaping layer; re-exported for code that imported it from here.
from opgen.escaping import c_string_literal as c_string_literal

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# C and C++ keywords (C11 + C++17, including alternative operator spellings) and names the
# generated code itself would collide with.
RESERVED_WORDS = frozenset(
    """
    alignas alignof and and_eq asm auto bitand bitor bool break case catch char char8_t char16_t
    char32_t class compl concept const consteval constexpr constinit const_cast continue co_await
    co_return co_yield decltype default delete do double dynamic_cast else enum explicit export
    extern false float for friend goto if inline int long mutable namespace new noexcept not
    not_eq nullptr operator or or_eq private protected public register reinterpret_cast requires
    restrict return short signed sizeof static static_assert static_cast struct switch template
    this thread_local throw true try typedef typeid typename union unsigned using virtual void
    volatile wchar_t while xor xor_eq
    _Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert
    _Thread_local
    """.split()  # noqa: SIM905 (a word list reads better than 100 quoted strings)
)


# Names the generated interface (src/<Package>Interface.cpp) declares at global scope, where the
# package namespace and names derived from op names go (opgen/config/names.py checks clashes).
INTERFACE_NAMES = tuple(
    """
    kPackageName kOperationNames kNumOperations kApiVersion g_initialized notInitialized
    packageInit packageTerminate packageGetInfo packageValidateOpConfig packageCreateOpImpl
    dispatchCreateOpImpl packageFreeOpImpl packageLogInitialize packageLogSetLevel
    packageLogTerminate ParamSpec TensorSpec QnnGpuOpPackage_getKernelBinary opgen
    """.split()  # noqa: SIM905
)
GENERATED_MACRO_PREFIX = "OPGEN_"


def describe(origin: str) -> str:
    """Where a reserved name comes from, for messages: a header or the build."""
    if origin.startswith("<"):
        return f"the C/C++ standard library ({origin})"
    if origin.startswith('"opgen/'):
        return f"opgen's support headers ({origin.strip(chr(34))})"
    if origin.startswith('"HTP/core/'):
        return f"opgen's HTP emulation headers ({origin.strip(chr(34))})"
    if origin.startswith('"'):
        return f"the QNN headers ({origin.strip(chr(34))})"
    return origin


def identifier_problem(name: str) -> str | None:
    """Why `name` cannot be a C/C++ identifier in generated code, or None if it can.

    Refused: invalid spellings, keywords, implementation-reserved spellings, macros of the headers
    a package (or a kernel) includes, and global names the generated code spells unqualified.
    Case-sensitive, as C is (`Null` is fine). Names the generated code declares itself (`Op`,
    `execute`, `kPackageName`...) are refused only where they clash (opgen/config/names.py).
    """
    if not name:
        return "is empty"
    if not _IDENTIFIER.match(name):
        return (
            "is not a valid C/C++ identifier (letters, digits and '_', not starting with a digit)"
        )
    if name in RESERVED_WORDS:
        return "is a C/C++ keyword"
    if name.startswith("__") or (name[0] == "_" and name[1:2].isupper()):
        return "is reserved for the C/C++ implementation (starts with '__' or '_' and a capital)"
    if name.startswith(GENERATED_MACRO_PREFIX):
        return f"is reserved for macros opgen generates (starts with '{GENERATED_MACRO_PREFIX}')"
    origin = reserved_names.macros().get(name)
    if origin is not None:
        return f"is a macro in {describe(origin)}"
    origin = reserved_names.unqualified().get(name)
    if origin is not None:
        return f"is a name from {describe(origin)} that the generated code uses unqualified"
    return None


def package_name_problem(name: str) -> str | None:
    """A package name is also a global namespace: it must not be any global name."""
    problem = identifier_problem(name)
    if problem is None and name in reserved_names.globals_():
        origin = describe(reserved_names.globals_()[name])
        problem = f"is declared at global scope by {origin}, where the package's namespace goes"
    return problem


def is_identifier(name: str) -> bool:
    return identifier_problem(name) is None


_TENSOR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?\Z")


def tensor_name_problem(name: str) -> str | None:
    """Tensor names may carry an index (`in[0]`, `out[1]`); the stem must be an identifier."""
    if not _TENSOR_NAME.match(name):
        return "is not a valid tensor name (an identifier, optionally indexed like 'in[0]')"
    return None


def tensor_identifier(name: str) -> str:
    """The C identifier generated code uses for a tensor: `in[0]` -> `in_0`."""
    return re.sub(r"\[([0-9]+)\]", r"_\1", name)


def enum_constant(label: str, taken: set[str]) -> str:
    """A C identifier for an enumeration label, unique among `taken` (which it extends)."""
    candidate = re.sub(r"[^A-Za-z0-9_]", "_", label) or "value"
    if candidate[0].isdigit():
        candidate = "v" + candidate
    if identifier_problem(candidate):  # a keyword or a reserved spelling
        candidate = "e_" + candidate.lstrip("_")
    base, n = candidate, 2
    while candidate in taken:
        candidate = f"{base}_{n}"
        n += 1
    taken.add(candidate)
    return candidate


def enum_type_name(param: str) -> str:
    """The `enum class` of an enumeration parameter: `round_mode` -> `RoundModeEnum`."""
    parts = [p for p in param.split("_") if p]
    name = "".join(p[:1].upper() + p[1:] for p in parts) or "Value"
    return name + "Enum" if name[0].isupper() else "E" + name


# ---- identifiers derived from config names ------------------------------------------------------
# Each generated identifier that contains a config name is spelled by one of these functions; the
# backends and the name check (opgen/config/names.py) both call them, so what the check sees is
# what the generated code declares.


def header_guard(package: str, op: str) -> str:
    """The include guard of include/ops/<Op>.hpp."""
    return f"{GENERATED_MACRO_PREFIX}OP_{package}_{op}_HPP"


def interface_provider(package: str) -> str:
    """The exported interface provider function (extern "C")."""
    return f"{package}InterfaceProvider"


def last_error_function(package: str) -> str:
    """The GPU package's exported last-error function (extern "C")."""
    return f"{package}_opgenLastError"


def tensor_types_array(op: str, field: str) -> str:
    """Accepted datatype codes of an input or output, in the interface."""
    return f"k{op}_{field}_types"


def param_types_array(op: str, field: str) -> str:
    """Accepted datatype codes of a parameter, in the interface."""
    return f"k{op}_param_{field}_types"


def inputs_array(op: str) -> str:
    return f"k{op}Inputs"


def outputs_array(op: str) -> str:
    return f"k{op}Outputs"


def params_array(op: str) -> str:
    return f"k{op}Params"


def num_params_constant(op: str) -> str:
    return f"k{op}NumParams"


def validate_function(op: str) -> str:
    return f"validate{op}"


def create_function(op: str) -> str:
    return f"create{op}"


def impl_struct(op: str) -> str:
    """The CPU op-implementation struct that owns an op's typed view."""
    return f"{op}Impl"


def kernel_source_symbol(op: str) -> str:
    """The GPU interface's array holding an op's embedded OpenCL source."""
    return f"k{op}Source"


# ---- HTP op packages -----------------------------------------------------------------------------
# The HTP interface has no package namespace: its entry points are `<Package><Role>` at global
# scope; each op file registers `PKG_<Op>` and defines `<op>Impl` (lower first letter, the vendor's
# spelling), and the interface keeps each op's validation tables in `namespace op_<Op>`.

HTP_PACKAGE_FUNCTIONS = (
    "Init", "Terminate", "GetInfo", "ValidateOpConfig", "LogInitialize", "LogSetLevel",
    "LogTerminate",
)  # fmt: skip
"""The suffixes of the HTP interface's entry points (`<Package>Init`, ...)."""

HTP_INTERFACE_NAMES = tuple(
    """
    sg_packageName sg_opNames sg_numOpNames sg_sdkApiVersion sg_globalInfra sg_packageInitialized
    sg_logCallback sg_maxLogLevel sg_logInitialized opgen opgen_htp opgen_htp_tables UniqTy
    clearPackageOpsStorageVecFunc clearPackageOptStorageVecFunc
    clearPackageParamOrderStorageMapFunc clearPackageParamAxesSetFunc
    clearPackagePerChannelQuantizedOpsSetFunc
    """.split()  # noqa: SIM905
)
"""Names the HTP interface (and the macros it expands) declares at global scope."""

HTP_SIGNATURE_NAMES = frozenset(
    """
    Tensor PlainFloatTensor PlainFloat16Tensor F16CroutonTensor Int32Tensor QuantUint8Tensor
    QuantInt8Tensor QuantUint16Tensor QuantInt16Tensor QuantInt32Tensor GraphStatus Idx
    """.split()  # noqa: SIM905
)
"""Names an HTP op function's signature and skeleton body spell: its argument types, its return
type, the index type the skeleton's comment suggests."""

_HTP_TEMPLATE_PARAMETER = re.compile(r"TensorType[0-9]*\Z")


def htp_argument_problem(identifier: str) -> str | None:
    """Why an input, output or parameter cannot be an argument of an HTP op function."""
    if identifier in HTP_SIGNATURE_NAMES or _HTP_TEMPLATE_PARAMETER.match(identifier):
        return (
            "is a name the HTP op function already uses (an HTP tensor class or template parameter)"
        )
    return None


def htp_package_function(package: str, role: str) -> str:
    """An HTP interface entry point: `htp_package_function("P", "Init")` -> `PInit`."""
    assert role in HTP_PACKAGE_FUNCTIONS, role
    return f"{package}{role}"


def htp_registration(op: str) -> str:
    """The name in BEGIN_PKG_OP_DEFINITION and DECLARE_PKG_OPS_OPTS_LIST (the vendor's)."""
    return f"PKG_{op}"


def htp_ops_table(op: str) -> str:
    """What the registration macros declare in namespace opgen_htp_tables."""
    return f"{htp_registration(op)}_ops_table"


def htp_function_names(ops: Sequence[str]) -> dict[str, str]:
    """`<op>Impl` with the first letter lowered, as the vendor's skeleton spells it (`reluImpl`);
    ops whose names differ only there keep their own spelling, so names stay distinct."""
    lowered = [op[:1].lower() + op[1:] for op in ops]
    return {
        op: (low if lowered.count(low) == 1 else op) + "Impl"
        for op, low in zip(ops, lowered, strict=True)
    }


def htp_arity_function(function: str, first_omitted_input: str) -> str:
    """The op function of an arity that omits trailing optional inputs, from the first omitted."""
    return f"{function}Without_{tensor_identifier(first_omitted_input)}"


def htp_default_symbol(param: str) -> str:
    """The op file's static `Qnn_Param_t` holding an optional parameter's default."""
    return f"sg_opDefault_{param}"


def htp_default_data(param: str) -> str:
    """The elements of a tensor default."""
    return f"sg_opDefaultData_{param}"


def htp_default_dims(param: str) -> str:
    """The dimensions of a tensor default."""
    return f"sg_opDefaultDims_{param}"


def htp_table_namespace(op: str) -> str:
    """The interface's namespace holding an op's validation tables."""
    return f"op_{op}"


HTP_TABLE_NAMES = ("inputs", "outputs", "params")
"""What each table namespace declares besides the datatype arrays."""


_HTP_TABLE_PREFIX = {"input": "input", "output": "output", "parameter": "param"}


def htp_types_table(role: str, field: str) -> str:
    """Accepted datatype codes of an input, output or parameter (`role`, as TensorRole spells
    it), in its op's table namespace: `input_in_0_types`, `param_axis_types`."""
    return f"{_HTP_TABLE_PREFIX[role]}_{field}_types"


# DSP op packages: opgen/naming_dsp.py.

# ---- file names derived from config names -------------------------------------------------------

NAME_MAX = 255
"""Bytes per path component on the file systems packages are written to (ext4, APFS, NTFS...)."""


def op_file_names(op: str, backends: tuple[str, ...]) -> tuple[str, ...]:
    """Every file name (one path component) generation and the build give op `op` on the named
    backends ("CPU", "GPU"): sources, headers, kernels, objects, dependency files, temporaries."""
    names = [f"{op}.hpp", f"{op}.cpp", f"{op}.o", f"{op}.d", f"{op}.o.d"]  # .o.d: ndk-build
    if "GPU" in backends:
        names += [f"{op}.cl", f"{op}.cl.inc", f"{op}.cl.inc.tmp"]
    return tuple(names)


def package_file_names(package: str) -> tuple[str, ...]:
    """Every file name generation and the build derive from the package name (its directory
    included)."""
    interface = f"{package}Interface"
    libraries = (f"lib{package}.so", f"libQnn{package}.so")  # libQnn: the HTP and DSP builds
    return (package, f"{interface}.cpp", f"{interface}.o", f"{interface}.d", *libraries)


def file_name_problem(names: tuple[str, ...]) -> str | None:
    """Why the longest of `names` cannot be a file name, or None."""
    longest = max(names, key=lambda n: len(n.encode("utf-8")))
    size = len(longest.encode("utf-8"))
    if size > NAME_MAX:
        return (
            f"gives the file name '{longest[:24]}...{longest[-16:]}' of {size} bytes; "
            f"file names are limited to {NAME_MAX} bytes"
        )
    return None
