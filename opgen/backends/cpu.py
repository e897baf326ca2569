"""CPU backend: the files of a CPU op package and the typed context each template reads.

Layout (the vendor's, so users find what they expect, plus opgen's own support files):

    Makefile, makefiles/{Makefile.linux-x86_64, Android.mk, Application.mk}   opgen-owned
    config/<each config>.xml                                                  copies, refreshed
    include/QNN/**            bundled op-package headers (unused when QNN_SDK_ROOT is set)
    include/opgen/CpuOpSupport.hpp, src/utils/CpuOpSupport.cpp               support library
    include/ops/<Op>.hpp      typed view of the op's inputs, outputs and params   opgen-owned
    src/<Package>Interface.cpp   interface, validation and node binding           opgen-owned
    src/ops/<Op>.cpp          the kernel                                          user-owned
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from opgen import naming
from opgen.backends.common import banner_context, bundled_headers, config_copies, static_files
from opgen.model import (
    BackendPackage,
    Datatype,
    Default,
    FillDefault,
    ListDefault,
    Nested,
    OpDef,
    ParamKind,
    RankExpr,
    ScalarDefault,
    TensorSpec,
)
from opgen.render import Owner, PlannedFile

TENSOR = "::opgen::cpu::Tensor"
TENSOR_PARAM = "::opgen::cpu::TensorParam"

_C_TYPES = {
    Datatype.INT_8: "int8_t",
    Datatype.INT_16: "int16_t",
    Datatype.INT_32: "int32_t",
    Datatype.INT_64: "int64_t",
    Datatype.UINT_8: "uint8_t",
    Datatype.UINT_16: "uint16_t",
    Datatype.UINT_32: "uint32_t",
    Datatype.UINT_64: "uint64_t",
    Datatype.FLOAT_64: "double",
    Datatype.BOOL_8: "bool",
}


@dataclass(frozen=True)
class TensorContext:
    name: str
    field: str
    field_type: str
    mandatory: bool
    repeated: bool
    type_codes: str
    summary: str


@dataclass(frozen=True)
class EnumConstant:
    name: str
    label: str
    value: int


@dataclass(frozen=True)
class ParamContext:
    name: str
    field: str
    field_type: str
    kind: str
    mandatory: bool
    type_codes: str
    rank: int
    enum_type: str | None
    enum_constants: tuple[EnumConstant, ...]
    convert: str
    """C++ expression turning the double `value` into the field's type."""
    default_expr: str | None
    summary: str


@dataclass(frozen=True)
class OpContext:
    name: str
    header: str
    source: str
    inputs: tuple[TensorContext, ...]
    outputs: tuple[TensorContext, ...]
    params: tuple[ParamContext, ...]
    uses_rank0: bool


@dataclass(frozen=True)
class PackageContext:
    package: str
    banner: str
    ops: tuple[OpContext, ...]


@dataclass(frozen=True)
class OpFileContext:
    package: str
    banner: str
    op: OpContext


def plan(view: BackendPackage) -> list[PlannedFile]:
    ctx = package_context(view)
    files = [
        PlannedFile("Makefile", Owner.OPGEN, "cpu/Makefile.j2", ctx),
        PlannedFile(
            "makefiles/Makefile.linux-x86_64", Owner.OPGEN, "cpu/Makefile.linux-x86_64.j2", ctx
        ),
        PlannedFile("makefiles/Android.mk", Owner.OPGEN, "cpu/Android.mk.j2", ctx),
        PlannedFile("makefiles/Application.mk", Owner.OPGEN, "cpu/Application.mk.j2", ctx),
        PlannedFile(f"src/{view.name}Interface.cpp", Owner.OPGEN, "cpu/Interface.cpp.j2", ctx),
        *config_copies(view),
        *bundled_headers(("CPU",)),
        *static_files("cpu"),
    ]
    for op in ctx.ops:
        op_ctx = OpFileContext(view.name, ctx.banner, op)
        files.append(PlannedFile(op.header, Owner.OPGEN, "cpu/OpHeader.hpp.j2", op_ctx))
        files.append(PlannedFile(op.source, Owner.USER, "cpu/OpKernel.cpp.j2", op_ctx))
    return files


def package_context(view: BackendPackage) -> PackageContext:
    return PackageContext(
        package=view.name,
        banner=banner_context(view),
        ops=tuple(_op_context(view.name, op) for op in view.ops),
    )


def _op_context(package: str, op: OpDef) -> OpContext:
    params = tuple(_param_context(f"::{package}::{op.name}", p) for p in op.params)
    return OpContext(
        name=op.name,
        header=f"include/ops/{op.name}.hpp",
        source=f"src/ops/{op.name}.cpp",
        inputs=tuple(_tensor_context(t) for t in op.inputs),
        outputs=tuple(_tensor_context(t) for t in op.outputs),
        params=params,
        uses_rank0=any(p.default_expr and "rank0" in p.default_expr for p in params),
    )


def _type_codes(spec: TensorSpec) -> str:
    codes = [d.qnn_code for d in spec.datatypes if d.qnn_code is not None]
    return ", ".join(f"0x{c:04X}u" for c in codes)


def _datatype_summary(spec: TensorSpec) -> str:
    names = ", ".join(d.value.removeprefix("QNN_DATATYPE_") for d in spec.datatypes)
    return f"{names}; rank {spec.rank.value}"


def _tensor_context(spec: TensorSpec) -> TensorContext:
    field = naming.tensor_identifier(spec.name)
    notes = [_datatype_summary(spec)]
    if not spec.mandatory:
        notes.append("optional: check present()")
    if spec.repeated:
        notes.append("repeated: one or more tensors")
    return TensorContext(
        name=spec.name,
        field=field,
        field_type=f"std::vector<{TENSOR}>" if spec.repeated else TENSOR,
        mandatory=spec.mandatory,
        repeated=spec.repeated,
        type_codes=_type_codes(spec),
        summary="; ".join(notes),
    )


def scalar_c_type(spec: TensorSpec) -> str:
    types = {_C_TYPES.get(d, "float") for d in spec.datatypes}
    return types.pop() if len(types) == 1 else "double"


def _param_context(scope: str, spec: TensorSpec) -> ParamContext:
    field = spec.name
    kind = spec.kind
    enum_type = None
    constants: tuple[EnumConstant, ...] = ()
    if kind is ParamKind.TENSOR:
        field_type = TENSOR_PARAM
        convert = ""
    elif kind is ParamKind.ENUM:
        enum_type = _enum_type_name(spec.name)
        taken: set[str] = set()
        constants = tuple(
            EnumConstant(naming.enum_constant(label, taken), label, i)
            for i, label in enumerate(spec.enum_values)
        )
        field_type = enum_type
        convert = f"static_cast<{scope}::{enum_type}>(static_cast<uint32_t>(value))"
    elif kind is ParamKind.BOOL:
        field_type = "bool"
        convert = "value != 0.0"
    else:
        field_type = scalar_c_type(spec)
        convert = f"static_cast<{field_type}>(value)"
    default_expr = None
    if spec.default is not None:
        qualified = f"{scope}::{enum_type}" if enum_type else None
        default_expr = _default_expr(spec.default, kind, field_type, qualified, constants)
    notes = [_datatype_summary(spec)]
    if spec.mandatory:
        notes.append("mandatory")
    elif spec.default is not None:
        notes.append(f"default {spec.default.text}")
    if spec.only_default_supported:
        notes.append("this backend supports only the default")
    return ParamContext(
        name=spec.name,
        field=field,
        field_type=field_type,
        kind=kind.value,
        mandatory=spec.mandatory,
        type_codes=_type_codes(spec),
        rank=-1 if spec.rank.dims is None else spec.rank.dims,
        enum_type=enum_type,
        enum_constants=constants,
        convert=convert,
        default_expr=default_expr,
        summary="; ".join(notes),
    )


def _enum_type_name(param: str) -> str:
    parts = [p for p in param.split("_") if p]
    name = "".join(p[:1].upper() + p[1:] for p in parts) or "Value"
    return name + "Enum" if name[0].isupper() else "E" + name


def _number(value: object, c_type: str) -> str:
    """A C++ literal of `value` for a field of `c_type`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, RankExpr):
        expr = f"{value.coeff} * static_cast<int64_t>(rank0) + ({value.offset})"
        return f"static_cast<{c_type}>({expr})"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"non-finite default {value}")
        literal = repr(value)
        if "." not in literal and "e" not in literal:
            literal += ".0"
        return literal + ("f" if c_type == "float" else "")
    assert isinstance(value, int)
    suffix = "ULL" if value > 0x7FFFFFFF else ("LL" if value < -0x7FFFFFFF else "")
    return f"static_cast<{c_type}>({value}{suffix})"


def _shape_of(values: tuple[Nested, ...]) -> list[int]:
    """Dimensions of a rectangular nested list; a ragged one is treated as flat."""
    shape = [len(values)]
    if values and all(isinstance(v, tuple) for v in values):
        inner = [_shape_of(v) for v in values if isinstance(v, tuple)]
        if all(s == inner[0] for s in inner):
            return shape + inner[0]
        return [sum(_count(v) for v in values)]
    return shape


def _count(value: Nested) -> int:
    return sum(_count(v) for v in value) if isinstance(value, tuple) else 1


def _default_expr(
    default: Default,
    kind: ParamKind,
    c_type: str,
    enum_type: str | None,
    constants: tuple[EnumConstant, ...],
) -> str:
    value = default.value
    if kind is ParamKind.TENSOR:
        if isinstance(value, ListDefault):
            leaves = ", ".join(_number(v, "double") for v in value.leaves())
            dims = ", ".join(f"{d}u" for d in _shape_of(value.values))
            return f"{TENSOR_PARAM}::fromValues({{{leaves}}}, {{{dims}}})"
        scalar = value.value
        return f"{TENSOR_PARAM}::fill({_number(scalar, 'double')})"
    assert isinstance(value, ScalarDefault | FillDefault)
    if kind is ParamKind.ENUM:
        assert enum_type is not None and isinstance(value.value, int)
        return f"{enum_type}::{constants[int(value.value)].name}"
    if kind is ParamKind.BOOL:
        return "true" if value.value else "false"
    return _number(value.value, c_type)
