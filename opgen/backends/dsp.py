"""DSP backend (Hexagon v65/v66, legacy UDO): the files of a DSP op package and their contexts.

Layout (the vendor's, VENDOR_FACTS §1.5, plus what opgen ships so the package builds anywhere):

    Makefile                 dsp (device, Hexagon SDK make.d), dsp_x86 (host, g++/clang++)  opgen
    config/<each config>.xml copies, refreshed
    include/QNN/**           bundled headers, DSP/QnnDspOpPackage.h and DSP/Udo/*.h included
    include/DspOps.hpp       the vendor's shared types, per-op factories and typed params    opgen
    include/opgen/*.hpp, src/utils/*.cpp   support: op-config checks, UDO param reading
    src/<Package>Interface.cpp   interface, prefixed UDO dispatchers, param readers         opgen
    src/ops/<Op>.cpp         the vendor's per-op functions (`relu_executeOp`, `new_relu`)   user

An op file written for the vendor's generator drops in: DspOps.hpp declares the names it uses
(`UdoDspShared`, `OpParams_t`, `<op>OpFactory_t`, ...) and the interface calls `new_<op>` and
`free_<op>`. What opgen adds: each op's static params read into a typed struct
(`<op>Params_t`, in the factory) with defaults applied, validation from the declaration, and the
vendor's bugs fixed (VENDOR_FACTS §5.12).
"""

from __future__ import annotations

from dataclasses import dataclass

from opgen import naming, naming_dsp
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
from opgen.backends.typed_view import (
    EnumConstant,
    cpp_number,
    datatype_names,
    datatype_summary,
    param_view,
    type_codes,
)
from opgen.escaping import FreeText
from opgen.model import (
    BackendPackage,
    Datatype,
    FillDefault,
    ListDefault,
    OpDef,
    ParamKind,
    RankExpr,
    ScalarDefault,
    SourceLocation,
    TensorSpec,
)
from opgen.render import Owner, PlannedFile

TENSOR_PARAM = "const Udo_TensorParam_t*"

# Element storage of tensor defaults: C type and UDO datatype.
_DEFAULT_ELEMENTS = {
    Datatype.INT_8: ("int8_t", "UDO_DATATYPE_INT_8"),
    Datatype.INT_16: ("int16_t", "UDO_DATATYPE_INT_16"),
    Datatype.INT_32: ("int32_t", "UDO_DATATYPE_INT_32"),
    Datatype.UINT_8: ("uint8_t", "UDO_DATATYPE_UINT_8"),
    Datatype.UINT_16: ("uint16_t", "UDO_DATATYPE_UINT_16"),
    Datatype.UINT_32: ("uint32_t", "UDO_DATATYPE_UINT_32"),
    Datatype.BOOL_8: ("uint8_t", "UDO_DATATYPE_UINT_8"),
    Datatype.FLOAT_32: ("float", "UDO_DATATYPE_FLOAT_32"),
}


@dataclass(frozen=True)
class DspProblem:
    location: SourceLocation
    message: str


class DspGenerationError(ValueError):
    """The package declares what a DSP package cannot express: one located message each."""

    def __init__(self, package: str, problems: list[DspProblem]) -> None:
        self.problems = problems
        lines = [f"{p.location}: error: {p.message}" for p in problems]
        super().__init__(f"cannot generate DSP op package {package}:\n" + "\n".join(lines))


@dataclass(frozen=True)
class TensorRow:
    """An input or output: a row of the validation tables and of the op file's UDO arrays."""

    name: str
    field: str
    types_table: str
    mandatory: bool
    repeated: bool
    type_codes: str
    rank: int
    quantization: str
    """`UDO_QUANTIZATION_TF` when the first declared datatype is fixed point (8-bit min/max
    data), else `UDO_QUANTIZATION_NONE` (float data)."""
    summary: FreeText


@dataclass(frozen=True)
class TensorDefault:
    """Static storage of a tensor parameter's default, in the interface."""

    data: str
    dims: str
    tensor: str
    c_type: str
    udo_type: str
    values: str
    """The elements as a C initializer list body."""
    shape: str
    rank: int


@dataclass(frozen=True)
class ParamRow:
    name: str
    field: str
    types_table: str
    kind: str
    """A `ParamKind` value: scalar, bool, enum or tensor."""
    field_type: str
    mandatory: bool
    type_codes: str
    rank: int
    enum_type: str | None
    enum_constants: tuple[EnumConstant, ...]
    labels_array: str
    """An enumeration's labels, in the op's table namespace (unused for other kinds)."""
    convert: str
    """C++ expression turning the double `value` into the field's type (empty for tensors)."""
    default_expr: str | None
    """For a scalar, bool or enum: its default as a C++ expression."""
    tensor_default: TensorDefault | None
    summary: FreeText


@dataclass(frozen=True)
class OpContext:
    name: str
    description: FreeText
    """The config's description contents, for comments."""
    has_description: bool
    stem: str
    """The vendor's lowered op name, the stem of every per-op name."""
    source: str
    table_namespace: str
    factory_struct: str
    factory_type: str
    params_struct: str
    params_type: str
    create_factory: str
    release_factory: str
    validate: str
    execute: str
    query: str
    read_params: str
    new_function: str
    free_function: str
    op_type_global: str
    static_params_global: str
    inputs_global: str
    outputs_global: str
    input_quant_global: str
    output_quant_global: str
    layout_global: str
    inputs: tuple[TensorRow, ...]
    outputs: tuple[TensorRow, ...]
    params: tuple[ParamRow, ...]
    rules: RuleCheck | None


@dataclass(frozen=True)
class PackageContext:
    package: str
    header_guard: str
    interface_provider: str
    functions: dict[str, str]
    """Role (`CreateOpFactory`, `Init`, ...) -> the interface's prefixed function name."""
    banner: FreeText
    ops: tuple[OpContext, ...]
    has_rules: bool


@dataclass(frozen=True)
class OpFileContext:
    package: str
    op: OpContext


def plan(view: BackendPackage) -> list[PlannedFile]:
    ctx = package_context(view)
    files = [
        PlannedFile("Makefile", Owner.OPGEN, "dsp/Makefile.j2", ctx),
        *cmake_files("dsp", ctx),
        PlannedFile("include/DspOps.hpp", Owner.OPGEN, "dsp/DspOps.hpp.j2", ctx),
        PlannedFile(f"src/{view.name}Interface.cpp", Owner.OPGEN, "dsp/Interface.cpp.j2", ctx),
        *config_copies(view),
        *bundled_headers(()),
        *common_static_files([op.rules for op in ctx.ops]),
        *static_files("dsp"),
    ]
    for op in ctx.ops:
        files.append(
            PlannedFile(op.source, Owner.USER, "dsp/OpSource.cpp.j2", OpFileContext(view.name, op))
        )
    return files


def package_context(view: BackendPackage) -> PackageContext:
    problems: list[DspProblem] = []
    ops = tuple(_op_context(view.name, op, problems) for op in view.ops)
    if problems:
        raise DspGenerationError(view.name, problems)
    return PackageContext(
        package=view.name,
        header_guard=naming_dsp.dsp_header_guard(view.name),
        interface_provider=naming.interface_provider(view.name),
        functions={
            role: naming_dsp.dsp_package_function(view.name, role)
            for role in naming_dsp.DSP_PACKAGE_FUNCTIONS
        },
        banner=banner_context(view),
        ops=ops,
        has_rules=any(op.rules is not None for op in ops),
    )


def _op_context(package: str, op: OpDef, problems: list[DspProblem]) -> OpContext:
    name = op.name
    stem = naming_dsp.dsp_op_stem(name)
    new_function, free_function = naming_dsp.dsp_op_functions(name)
    return OpContext(
        name=name,
        description=FreeText.join(" ", (d.content for d in op.description)),
        has_description=any(d.content for d in op.description),
        stem=stem,
        source=f"src/ops/{name}.cpp",
        table_namespace=naming.htp_table_namespace(name),
        factory_struct=naming_dsp.dsp_op_name(name, "OpFactory"),
        factory_type=naming_dsp.dsp_op_name(name, "OpFactory_t"),
        params_struct=naming_dsp.dsp_op_name(name, "Params"),
        params_type=naming_dsp.dsp_op_name(name, "Params_t"),
        create_factory=naming_dsp.dsp_op_name(name, "_createOpFactory"),
        release_factory=naming_dsp.dsp_op_name(name, "_releaseOpFactory"),
        validate=naming_dsp.dsp_op_name(name, "_validateOperation"),
        execute=naming_dsp.dsp_op_name(name, "_executeOp"),
        query=naming_dsp.dsp_op_name(name, "_queryOperation"),
        read_params=naming_dsp.dsp_op_name(name, "_readParams"),
        new_function=new_function,
        free_function=free_function,
        op_type_global=naming_dsp.dsp_op_static(name, "OpType"),
        static_params_global=naming_dsp.dsp_op_static(name, "StaticParamsNum"),
        inputs_global=naming_dsp.dsp_op_static(name, "InputsNum"),
        outputs_global=naming_dsp.dsp_op_static(name, "OutputsNum"),
        input_quant_global=naming_dsp.dsp_op_static(name, "InputQuantizationTypes"),
        output_quant_global=naming_dsp.dsp_op_static(name, "OutputQuantizationTypes"),
        layout_global=naming_dsp.dsp_op_static(name, "Layout"),
        inputs=tuple(_tensor_row(t) for t in op.inputs),
        outputs=tuple(_tensor_row(t) for t in op.outputs),
        params=tuple(_param_row(package, name, p, problems) for p in op.params),
        rules=rule_check(op),
    )


def _tensor_row(spec: TensorSpec) -> TensorRow:
    field = naming.tensor_identifier(spec.name)
    fixed = bool(spec.datatypes) and spec.datatypes[0].is_fixed_point
    notes = [datatype_summary(spec)]
    if not spec.mandatory:
        notes.append("optional")
    if spec.repeated:
        notes.append("repeated")
    return TensorRow(
        name=spec.name,
        field=field,
        types_table=naming.htp_types_table(spec.role.value, field),
        mandatory=spec.mandatory,
        repeated=spec.repeated,
        type_codes=type_codes(spec),
        rank=-1 if spec.rank.dims is None else spec.rank.dims,
        quantization="UDO_QUANTIZATION_TF" if fixed else "UDO_QUANTIZATION_NONE",
        summary=FreeText.join("; ", notes),
    )


def _param_row(package: str, op: str, spec: TensorSpec, problems: list[DspProblem]) -> ParamRow:
    view = param_view(package, op, spec, TENSOR_PARAM)
    field_type = view.field_type
    if view.enum_type is not None:
        field_type = f"::{package}::{op}::{view.enum_type}"
    default_expr: str | None = None
    tensor_default: TensorDefault | None = None
    where = spec.default.location if spec.default and spec.default.location else spec.location
    if spec.default is not None and _uses_rank(spec.default.value):
        problems.append(
            DspProblem(
                where,
                f"the default of parameter '{spec.name}' of op '{op}' refers to the input rank; "
                "DSP packages read static params before any input is known, so write a number",
            )
        )
    elif spec.default is not None and view.kind == ParamKind.TENSOR.value:
        tensor_default = _tensor_default(op, spec, where, problems)
    elif spec.default is not None:
        default_expr = view.default_expr
    return ParamRow(
        name=spec.name,
        field=view.field,
        types_table=naming.htp_types_table("parameter", spec.name),
        kind=view.kind,
        field_type=field_type,
        mandatory=spec.mandatory,
        type_codes=view.type_codes,
        rank=view.rank,
        enum_type=view.enum_type,
        enum_constants=view.enum_constants,
        labels_array=naming_dsp.dsp_labels_array(view.field),
        convert=view.convert,
        default_expr=default_expr,
        tensor_default=tensor_default,
        summary=view.summary,
    )


def _uses_rank(value: object) -> bool:
    if isinstance(value, RankExpr):
        return True
    if isinstance(value, ScalarDefault | FillDefault):
        return isinstance(value.value, RankExpr)
    if isinstance(value, ListDefault):
        return any(isinstance(v, RankExpr) for v in value.leaves())
    return False


def _tensor_default(
    op: str, spec: TensorSpec, where: SourceLocation, problems: list[DspProblem]
) -> TensorDefault | None:
    assert spec.default is not None
    element = _DEFAULT_ELEMENTS.get(spec.datatypes[0]) if spec.datatypes else None
    if element is None:
        element = ("float", "UDO_DATATYPE_FLOAT_32") if spec.datatypes[0].is_float else None
    if element is None:
        problems.append(
            DspProblem(
                where,
                f"parameter '{spec.name}' of op '{op}': a default of datatype "
                f"{datatype_names(spec)} has no UDO element type; declare FLOAT_32 or a "
                "32-bit-or-narrower integer type, or drop the default",
            )
        )
        return None
    c_type, udo_type = element
    value = spec.default.value
    if isinstance(value, ListDefault):
        leaves = value.leaves()
        shape = _shape_of(value)
    else:
        assert isinstance(value, ScalarDefault | FillDefault)
        leaves = [value.value]
        shape = [1]
    values = ", ".join(cpp_number(v, c_type) for v in leaves)
    return TensorDefault(
        data=naming_dsp.dsp_default_data(spec.name),
        dims=naming_dsp.dsp_default_dims(spec.name),
        tensor=naming_dsp.dsp_default_tensor(spec.name),
        c_type=c_type,
        udo_type=udo_type,
        values=values,
        shape=", ".join(f"{d}u" for d in shape),
        rank=len(shape),
    )


def _shape_of(value: ListDefault) -> list[int]:
    """Dimensions of a rectangular nested list default; a ragged one reads as flat."""
    shape = [len(value.values)]
    level: list[object] = list(value.values)
    while level and all(isinstance(v, tuple) for v in level):
        sizes = {len(v) for v in level if isinstance(v, tuple)}
        if len(sizes) != 1:
            return [len(value.leaves())]
        shape.append(sizes.pop())
        level = [x for v in level if isinstance(v, tuple) for x in v]
    return shape
