"""The typed C++ view of an op that a declaration buys: fields, C types, enum classes, defaults.

Backends whose generated code hands a kernel (or a launch hook) a struct `Op` with one field per
declared input, output and parameter build it from these contexts. The support library's
namespace (`::opgen::gpu`, ...) is a parameter, so each backend names its own tensor classes.
The rules match the CPU backend's: float for FLOAT_32, the exact integer type for integers,
`double` when a parameter accepts several types, `bool` for BOOL_8, one `enum class` per
enumeration, and defaults as C++ expressions (rank expressions like `N-1` read `rank0`, the rank
of the node's first input).
"""

from __future__ import annotations

from dataclasses import dataclass

from opgen.backends.field_names import FieldNames as FieldNames
from opgen.backends.field_names import param_names as param_names
from opgen.backends.field_names import tensor_names as tensor_names
from opgen.datatype_values import cpp_float, cpp_int, float_format, rounded
from opgen.escaping import FreeText
from opgen.model import (
    Datatype,
    Default,
    FillDefault,
    ListDefault,
    Nested,
    ParamKind,
    RankExpr,
    ScalarDefault,
    TensorSpec,
)

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
class TensorView:
    """An input or output as a field of `Op`."""

    name: str
    """As declared: `in[0]`."""
    field: str
    """C identifier of the field: `in_0`."""
    types_array: str
    """The interface's array of accepted datatype codes."""
    field_type: str
    mandatory: bool
    repeated: bool
    type_codes: str
    """Accepted `Qnn_DataType_t` codes as a C initializer list body."""
    rank: int
    """Declared rank; -1 for ND."""
    summary: FreeText
    datatypes: str
    """Declared datatypes for messages: `FLOAT_32, INT_8`."""


@dataclass(frozen=True)
class EnumConstant:
    name: str
    label: FreeText
    """As written in the config: anything, so comments only."""
    value: int
    renamed: bool
    """Whether `name` differs from the label (then comments show the label)."""


@dataclass(frozen=True)
class ParamView:
    """A parameter as a field of `Op`, with what it takes to fill it from a node."""

    name: str
    field: str
    types_array: str
    field_type: str
    kind: str
    """A `ParamKind` value: scalar, bool, enum or tensor."""
    mandatory: bool
    type_codes: str
    rank: int
    enum_type: str | None
    enum_constants: tuple[EnumConstant, ...]
    convert: str
    """C++ expression turning the double `value` into the field's type (empty for tensors)."""
    default_expr: str | None
    summary: FreeText
    """For comments: datatypes, rank, mandatory or the default as written."""


def datatype_names(spec: TensorSpec) -> str:
    return ", ".join(d.value.removeprefix("QNN_DATATYPE_") for d in spec.datatypes)


def datatype_summary(spec: TensorSpec) -> str:
    return f"{datatype_names(spec)}; rank {spec.rank.value}"


def type_codes(spec: TensorSpec) -> str:
    codes = [d.qnn_code for d in spec.datatypes if d.qnn_code is not None]
    return ", ".join(f"0x{c:04X}u" for c in codes)


def tensor_view(op: str, spec: TensorSpec, tensor_type: str) -> TensorView:
    """`tensor_type` is the support library's tensor class, e.g. `::opgen::gpu::Tensor`."""
    notes = [datatype_summary(spec)]
    if not spec.mandatory:
        notes.append("optional: check present()")
    if spec.repeated:
        notes.append("repeated: one or more tensors")
    names = tensor_names(op, spec)
    return TensorView(
        name=spec.name,
        field=names.field,
        types_array=names.types_array,
        field_type=f"std::vector<{tensor_type}>" if spec.repeated else tensor_type,
        mandatory=spec.mandatory,
        repeated=spec.repeated,
        type_codes=type_codes(spec),
        rank=-1 if spec.rank.dims is None else spec.rank.dims,
        summary=FreeText.join("; ", notes),
        datatypes=datatype_names(spec),
    )


def scalar_c_type(spec: TensorSpec) -> str:
    types = {_C_TYPES.get(d, "float") for d in spec.datatypes}
    return types.pop() if len(types) == 1 else "double"


def param_view(package: str, op: str, spec: TensorSpec, tensor_param_type: str) -> ParamView:
    """The op's C++ namespace (`::Pkg::Op`) qualifies enum types in defaults;
    `tensor_param_type` is the support library's tensor-parameter class."""
    scope = f"::{package}::{op}"
    kind = spec.kind
    names = param_names(op, spec)
    enum_type = names.enum_type
    constants = tuple(
        _enum_constant(name, label, i)
        for i, (name, label) in enumerate(zip(names.enum_constants, spec.enum_values, strict=True))
    )
    if kind is ParamKind.TENSOR:
        field_type = tensor_param_type
        convert = ""
    elif kind is ParamKind.ENUM:
        assert enum_type is not None
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
        default_expr = _default_expr(
            spec.default, spec.datatypes, kind, field_type, qualified, constants, tensor_param_type
        )
    notes = [datatype_summary(spec)]
    if spec.mandatory:
        notes.append("mandatory")
    elif spec.default is not None:
        notes.append(f"default {spec.default.text}")
    if spec.only_default_supported:
        notes.append("this backend supports only the default")
    return ParamView(
        name=spec.name,
        field=names.field,
        types_array=names.types_array,
        field_type=field_type,
        kind=kind.value,
        mandatory=spec.mandatory,
        type_codes=type_codes(spec),
        rank=-1 if spec.rank.dims is None else spec.rank.dims,
        enum_type=enum_type,
        enum_constants=constants,
        convert=convert,
        default_expr=default_expr,
        summary=FreeText.join("; ", notes),
    )


def _enum_constant(name: str, label: str, value: int) -> EnumConstant:
    return EnumConstant(name, FreeText(label), value, renamed=name != label)


def uses_rank0(params: tuple[ParamView, ...]) -> bool:
    return any(p.default_expr is not None and "rank0" in p.default_expr for p in params)


def cpp_number(value: object, c_type: str, fmt: str | None = None) -> str:
    """A C++ literal of `value` for a field of `c_type`: an exact integer, or a float rounded
    to `fmt` (datatype_values.float_format; by default that of `c_type`) that reads back exactly.
    Values reach here validated (default_checks), so they fit."""
    if isinstance(value, bool):
        if c_type in ("float", "double"):
            return "1.0" if value else "0.0"
        return "true" if value else "false"
    if isinstance(value, RankExpr):
        coeff, offset = cpp_int(value.coeff), cpp_int(value.offset)
        expr = f"{coeff} * static_cast<int64_t>(rank0) + ({offset})"
        return f"static_cast<{c_type}>({expr})"
    assert isinstance(value, int | float)
    if c_type in ("float", "double"):
        fmt = fmt or ("f" if c_type == "float" else "d")
        return cpp_float(rounded(value, fmt), c_type)
    assert isinstance(value, int)
    return f"static_cast<{c_type}>({cpp_int(value)})"


def element_format(spec_datatypes: tuple[Datatype, ...], c_type: str) -> str | None:
    """The float format a default of these datatypes is rounded to in a `c_type` field: the
    datatype's own when it has one float datatype, else that of the field."""
    if len(spec_datatypes) == 1 and (
        spec_datatypes[0].is_float or spec_datatypes[0].is_fixed_point
    ):
        fmt = float_format(spec_datatypes[0])
        return "f" if c_type == "float" and fmt == "d" else fmt
    return None


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
    datatypes: tuple[Datatype, ...],
    kind: ParamKind,
    c_type: str,
    enum_type: str | None,
    constants: tuple[EnumConstant, ...],
    tensor_param_type: str,
) -> str:
    value = default.value
    if kind is ParamKind.TENSOR:
        # Tensor defaults reach the kernel as doubles (TensorParam::at), rounded like the
        # elements of a tensor of the parameter's one float datatype would be.
        fmt = element_format(datatypes, "double")
        if isinstance(value, ListDefault):
            leaves = ", ".join(cpp_number(v, "double", fmt) for v in value.leaves())
            dims = ", ".join(f"{d}u" for d in _shape_of(value.values))
            return f"{tensor_param_type}::fromValues({{{leaves}}}, {{{dims}}})"
        scalar = value.value
        return f"{tensor_param_type}::fill({cpp_number(scalar, 'double', fmt)})"
    assert isinstance(value, ScalarDefault | FillDefault)
    if kind is ParamKind.ENUM:
        assert enum_type is not None and isinstance(value.value, int)
        return f"{enum_type}::{constants[int(value.value)].name}"
    if kind is ParamKind.BOOL:
        return "true" if value.value else "false"
    return cpp_number(value.value, c_type, element_format(datatypes, c_type))
