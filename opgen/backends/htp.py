"""HTP and HTP_FP16 backends: the files of an HTP op package and the context each template reads.

Layout (the vendor's, VENDOR_FACTS §1.3, plus what opgen ships so the package builds anywhere):

    Makefile                   htp_x86 (host, no SDK needed), device targets with the SDKs  opgen
    CMakeLists.txt, CMakePresets.json   CMake build of the htp_x86 emulation library      opgen
    config/<each config>.xml   copies, refreshed
    include/QNN/**             bundled op-package headers (unused when QNN_SDK_ROOT is set)
    include/HTP/core/*.h, src/htp/**   opgen's host emulation of the HTP op-writing API
    include/opgen/OpConfigSupport.hpp, src/utils/OpConfigSupport.cpp   shared op-config checks
    src/<Package>Interface.cpp the interface: the vendor's macro sequence, validateOpConfig
    src/ops/<Op>.cpp           the op: registrations, parameter order, defaults, the kernel  user

The op file keeps the vendor's registration names (`PKG_<Op>` in BEGIN_PKG_OP_DEFINITION and
in the interface's DECLARE_PKG_OPS_OPTS_LIST), so a hand-written op file in the vendor's style
drops into an opgen package unchanged. The signature rules live in htp_signature.py, the
parameter defaults in htp_defaults.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from opgen import naming
from opgen.backends import htp_defaults as defaults
from opgen.backends import htp_signature as sig
from opgen.backends.common import (
    RuleCheck,
    banner_context,
    bundled_headers,
    cmake_files,
    common_static_files,
    config_copies,
    rule_check,
    static_files,
)
from opgen.backends.typed_view import datatype_names, type_codes
from opgen.escaping import FreeText
from opgen.model import Backend, BackendPackage, OpDef, TensorSpec
from opgen.render import Owner, PlannedFile


class HtpGenerationError(ValueError):
    """The package declares what HTP cannot express: one located message per problem."""

    def __init__(self, package: str, problems: list[defaults.SignatureError]) -> None:
        self.problems = problems
        lines = [f"{p.location}: error: {p.message}" for p in problems]
        super().__init__(f"cannot generate HTP op package {package}:\n" + "\n".join(lines))


@dataclass(frozen=True)
class SpecRow:
    """One declared tensor or parameter, as a row of the validation tables."""

    name: str
    field: str
    types_table: str
    """`input_<field>_types`: its accepted datatype codes, in the op's table namespace."""
    mandatory: bool
    is_tensor: bool
    type_codes: str
    rank: int
    enum_values: int
    datatypes: str


@dataclass(frozen=True)
class OpContext:
    name: str
    registration: str
    """`PKG_<Op>`: the name in BEGIN_PKG_OP_DEFINITION and DECLARE_PKG_OPS_OPTS_LIST."""
    table_namespace: str
    """`op_<Op>`: the interface's namespace of the op's validation tables."""
    source: str
    inputs: tuple[SpecRow, ...]
    outputs: tuple[SpecRow, ...]
    params: tuple[SpecRow, ...]
    variants: tuple[sig.Variant, ...]
    defaults: tuple[defaults.ParamDefault, ...]
    order: tuple[sig.OrderEntry, ...]
    optional_inputs: bool
    rules: RuleCheck | None
    """The op's compiled rules, run by validateOpConfig after the declaration checks."""


@dataclass(frozen=True)
class EntryPoints:
    """The interface's functions (`<Package>Init`, ...) and its exported provider."""

    init: str
    terminate: str
    get_info: str
    validate_op_config: str
    log_initialize: str
    log_set_level: str
    log_terminate: str
    interface_provider: str


@dataclass(frozen=True)
class PackageContext:
    package: str
    backend: str
    fp16: bool
    banner: FreeText
    functions: EntryPoints
    ops: tuple[OpContext, ...]
    has_rules: bool


@dataclass(frozen=True)
class OpFileContext:
    package: str
    backend: str
    fp16: bool
    op: OpContext


def plan(view: BackendPackage) -> list[PlannedFile]:
    ctx = package_context(view)
    files = [
        PlannedFile("Makefile", Owner.OPGEN, "htp/Makefile.j2", ctx),
        PlannedFile(f"src/{view.name}Interface.cpp", Owner.OPGEN, "htp/Interface.cpp.j2", ctx),
        *cmake_files("htp", ctx),
        *config_copies(view),
        *bundled_headers(("HTP",)),
        *common_static_files([op.rules for op in ctx.ops]),
        *static_files("htp"),
    ]
    for op in ctx.ops:
        op_ctx = OpFileContext(view.name, ctx.backend, ctx.fp16, op)
        files.append(PlannedFile(op.source, Owner.USER, "htp/OpSource.cpp.j2", op_ctx))
    return files


def package_context(view: BackendPackage) -> PackageContext:
    problems = [p for op in view.ops for p in sig.check_op(op)]
    if problems:
        raise HtpGenerationError(view.name, problems)
    fp16 = view.backend is Backend.HTP_FP16
    names = naming.htp_function_names([op.name for op in view.ops])
    ops = tuple(_op_context(op, names[op.name], fp16) for op in view.ops)
    return PackageContext(
        package=view.name,
        backend=view.backend.value,
        fp16=fp16,
        banner=banner_context(view),
        functions=entry_points(view.name),
        ops=ops,
        has_rules=any(op.rules is not None for op in ops),
    )


def entry_points(package: str) -> EntryPoints:
    def function(role: str) -> str:
        return naming.htp_package_function(package, role)

    return EntryPoints(
        init=function("Init"),
        terminate=function("Terminate"),
        get_info=function("GetInfo"),
        validate_op_config=function("ValidateOpConfig"),
        log_initialize=function("LogInitialize"),
        log_set_level=function("LogSetLevel"),
        log_terminate=function("LogTerminate"),
        interface_provider=naming.interface_provider(package),
    )


def _row(spec: TensorSpec) -> SpecRow:
    field = naming.tensor_identifier(spec.name)
    return SpecRow(
        name=spec.name,
        field=field,
        types_table=naming.htp_types_table(spec.role.value, field),
        mandatory=spec.mandatory,
        is_tensor=not spec.rank.is_scalar,
        type_codes=type_codes(spec),
        rank=-1 if spec.rank.dims is None else spec.rank.dims,
        enum_values=len(spec.enum_values),
        datatypes=datatype_names(spec),
    )


def _op_context(op: OpDef, function: str, fp16: bool) -> OpContext:
    return OpContext(
        name=op.name,
        registration=naming.htp_registration(op.name),
        table_namespace=naming.htp_table_namespace(op.name),
        source=f"src/ops/{op.name}.cpp",
        inputs=tuple(_row(t) for t in op.inputs),
        outputs=tuple(_row(t) for t in op.outputs),
        params=tuple(_row(p) for p in op.params),
        variants=sig.variants(op, function, fp16),
        defaults=tuple(defaults.param_default(p) for p in op.params if not p.mandatory),
        order=sig.param_order(op),
        optional_inputs=any(not t.mandatory for t in op.inputs),
        rules=rule_check(op),
    )
