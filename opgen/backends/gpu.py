"""GPU (OpenCL) backend: the files of a GPU op package and the typed context each template reads.

Layout (the vendor's, so users find what they expect, plus opgen's own support files):

    Makefile, makefiles/{Makefile.linux-x86_64, Kernels.mk, Android.mk, Application.mk}   opgen
    CMakeLists.txt, CMakePresets.json   CMake build of the host library       opgen-owned
    config/<each config>.xml                                                  copies, refreshed
    include/QNN/**            bundled op-package headers (unused when QNN_SDK_ROOT is set)
    include/opgen/{GpuOpSupport,OpConfigSupport}.hpp, src/utils/*.cpp         support library
    include/ops/<Op>.hpp      typed view of the op's inputs, outputs and params   opgen-owned
    src/<Package>Interface.cpp   interface, validation, node binding, kernels     opgen-owned
    src/ops/<Op>.cl           the OpenCL kernel                                   user-owned
    src/ops/<Op>.cpp          launch settings (geometry, extra arguments)         user-owned

The build embeds each `src/ops/<Op>.cl` in the library (makefiles/Kernels.mk turns it into a
C++ raw string literal that the interface includes), so the shipped .so carries its kernels as
source text and the backend compiles them for the device. The package never calls OpenCL.
"""

from __future__ import annotations

from dataclasses import dataclass

from opgen import naming
from opgen.backends import opencl
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
from opgen.backends.typed_view import ParamView, TensorView, param_view, tensor_view, uses_rank0
from opgen.escaping import FreeText
from opgen.model import BackendPackage, OpDef, ParamKind, TensorSpec
from opgen.render import Owner, PlannedFile

TENSOR = "::opgen::gpu::Tensor"
TENSOR_PARAM = "::opgen::gpu::TensorParam"


@dataclass(frozen=True)
class KernelArgContext:
    """One parameter of the `__kernel` function, in binding order."""

    identifier: str
    """Its name in the OpenCL signature."""
    declaration: str
    """`__global const float* in_0`, `float beta`."""
    binding: str
    """C++ statement appending the argument(s) to `launch.args` in createOpImpl."""
    description: FreeText
    """What it carries, for comments: `input 'in[0]' (FLOAT_32; rank ND)`; may quote labels
    and defaults as written."""


@dataclass(frozen=True)
class DatatypeGuard:
    """A tensor declared with several datatypes that the kernel reads as its first one."""

    field: str
    name: str
    repeated: bool
    cl_type: str
    datatypes: str
    expected: str
    """`::opgen::gpu::DataType` constant of the first datatype."""


@dataclass(frozen=True)
class OpContext:
    name: str
    header: str
    header_guard: str
    inputs_array: str
    outputs_array: str
    params_array: str
    num_params: str
    validate_function: str
    create_function: str
    kernel_file: str
    launch_file: str
    kernel_name: str
    source_symbol: str
    inputs: tuple[TensorView, ...]
    outputs: tuple[TensorView, ...]
    params: tuple[ParamView, ...]
    kernel_args: tuple[KernelArgContext, ...]
    host_params: tuple[ParamView, ...]
    """Tensor parameters: read on the host (op.<name>), not kernel arguments by default."""
    repeated: tuple[TensorView, ...]
    datatype_guards: tuple[DatatypeGuard, ...]
    work_items: str
    """C++ expression: the number of elements of the first output."""
    work_items_of: str
    extensions: tuple[str, ...]
    uses_rank0: bool
    example: str
    """An example kernel statement for the skeleton's comment."""
    rules: RuleCheck | None
    """The op's compiled rules, run by validateOpConfig after the declaration checks."""


@dataclass(frozen=True)
class PackageContext:
    package: str
    interface_provider: str
    last_error_function: str
    banner: FreeText
    ops: tuple[OpContext, ...]
    has_rules: bool


@dataclass(frozen=True)
class OpFileContext:
    package: str
    banner: FreeText
    op: OpContext


def plan(view: BackendPackage) -> list[PlannedFile]:
    ctx = package_context(view)
    files = [
        PlannedFile("Makefile", Owner.OPGEN, "gpu/Makefile.j2", ctx),
        PlannedFile(
            "makefiles/Makefile.linux-x86_64", Owner.OPGEN, "gpu/Makefile.linux-x86_64.j2", ctx
        ),
        PlannedFile("makefiles/Kernels.mk", Owner.OPGEN, "gpu/Kernels.mk.j2", ctx),
        PlannedFile("makefiles/Android.mk", Owner.OPGEN, "gpu/Android.mk.j2", ctx),
        PlannedFile("makefiles/Application.mk", Owner.OPGEN, "gpu/Application.mk.j2", ctx),
        PlannedFile(f"src/{view.name}Interface.cpp", Owner.OPGEN, "gpu/Interface.cpp.j2", ctx),
        *cmake_files("gpu", ctx),
        *config_copies(view),
        *bundled_headers(("GPU",)),
        *common_static_files([op.rules for op in ctx.ops]),
        *static_files("gpu"),
    ]
    for op in ctx.ops:
        op_ctx = OpFileContext(view.name, ctx.banner, op)
        files.append(PlannedFile(op.header, Owner.OPGEN, "gpu/OpHeader.hpp.j2", op_ctx))
        files.append(PlannedFile(op.kernel_file, Owner.USER, "gpu/OpKernel.cl.j2", op_ctx))
        files.append(PlannedFile(op.launch_file, Owner.USER, "gpu/OpLaunch.cpp.j2", op_ctx))
    return files


def package_context(view: BackendPackage) -> PackageContext:
    ops = tuple(_op_context(view.name, op) for op in view.ops)
    return PackageContext(
        package=view.name,
        interface_provider=naming.interface_provider(view.name),
        last_error_function=naming.last_error_function(view.name),
        banner=banner_context(view),
        ops=ops,
        has_rules=any(op.rules is not None for op in ops),
    )


_DATATYPE_CONSTANTS = {
    "INT_8": "Int8",
    "INT_16": "Int16",
    "INT_32": "Int32",
    "INT_64": "Int64",
    "UINT_8": "Uint8",
    "UINT_16": "Uint16",
    "UINT_32": "Uint32",
    "UINT_64": "Uint64",
    "FLOAT_16": "Float16",
    "FLOAT_32": "Float32",
    "FLOAT_64": "Float64",
    "SFIXED_POINT_4": "SFixedPoint4",
    "SFIXED_POINT_8": "SFixedPoint8",
    "SFIXED_POINT_16": "SFixedPoint16",
    "SFIXED_POINT_32": "SFixedPoint32",
    "UFIXED_POINT_4": "UFixedPoint4",
    "UFIXED_POINT_8": "UFixedPoint8",
    "UFIXED_POINT_16": "UFixedPoint16",
    "UFIXED_POINT_32": "UFixedPoint32",
    "BOOL_8": "Bool8",
}


def _op_context(package: str, op: OpDef) -> OpContext:
    inputs = tuple(tensor_view(op.name, t, TENSOR) for t in op.inputs)
    outputs = tuple(tensor_view(op.name, t, TENSOR) for t in op.outputs)
    params = tuple(param_view(package, op.name, p, TENSOR_PARAM) for p in op.params)
    taken: set[str] = set()
    args: list[KernelArgContext] = []
    cl_types: list[str] = []
    guards: list[DatatypeGuard] = []
    for specs, views, role in ((op.inputs, inputs, "input"), (op.outputs, outputs, "output")):
        for spec, tv in zip(specs, views, strict=True):
            cl_type = opencl.element_type(spec)
            cl_types.append(cl_type)
            args.append(_tensor_arg(spec, tv, role, cl_type, taken))
            if len(spec.datatypes) > 1:
                first = spec.datatypes[0].value.removeprefix("QNN_DATATYPE_")
                guards.append(
                    DatatypeGuard(
                        tv.field,
                        tv.name,
                        tv.repeated,
                        cl_type,
                        tv.datatypes,
                        f"::opgen::gpu::DataType::{_DATATYPE_CONSTANTS[first]}",
                    )
                )
    for spec, pv in zip(op.params, params, strict=True):
        if spec.kind is ParamKind.TENSOR:
            continue
        data = opencl.data_arg_type(spec)
        cl_types.append(data.cl_type)
        args.append(_param_arg(spec, pv, data, taken))
    first_out = outputs[0]
    if first_out.repeated:
        work_items = (
            f"(op.{first_out.field}.empty() ? size_t{{0}} : op.{first_out.field}[0].numElements())"
        )
    else:
        work_items = f"op.{first_out.field}.numElements()"
    in_id = args[0].identifier
    out_id = args[len(inputs)].identifier
    return OpContext(
        name=op.name,
        header=f"include/ops/{op.name}.hpp",
        header_guard=naming.header_guard(package, op.name),
        inputs_array=naming.inputs_array(op.name),
        outputs_array=naming.outputs_array(op.name),
        params_array=naming.params_array(op.name),
        num_params=naming.num_params_constant(op.name),
        validate_function=naming.validate_function(op.name),
        create_function=naming.create_function(op.name),
        kernel_file=f"src/ops/{op.name}.cl",
        launch_file=f"src/ops/{op.name}.cpp",
        kernel_name=opencl.kernel_name(op.name),
        source_symbol=naming.kernel_source_symbol(op.name),
        inputs=inputs,
        outputs=outputs,
        params=params,
        kernel_args=tuple(args),
        host_params=tuple(p for p in params if p.kind == ParamKind.TENSOR.value),
        repeated=tuple(t for t in inputs + outputs if t.repeated),
        datatype_guards=tuple(guards),
        work_items=work_items,
        work_items_of=first_out.name,
        extensions=opencl.extensions_for(cl_types),
        uses_rank0=uses_rank0(params),
        example=f"{out_id}[i] = {in_id}[i];",
        rules=rule_check(op),
    )


def _tensor_arg(
    spec: TensorSpec, view: TensorView, role: str, cl_type: str, taken: set[str]
) -> KernelArgContext:
    ident = opencl.identifier(view.field, taken)
    qualifier = "__global const" if role == "input" else "__global"
    if view.repeated:
        binding = f"::opgen::gpu::appendTensorArgs(&launch.args, op.{view.field});"
    else:
        binding = f"launch.args.push_back(::opgen::gpu::tensorArg(op.{view.field}));"
    notes = [opencl_summary(spec)]
    if not spec.mandatory:
        notes.append("NULL when the node omits it")
    if spec.repeated:
        notes.append("Repeated: one buffer per tensor the node gives")
    return KernelArgContext(
        identifier=ident,
        declaration=f"{qualifier} {cl_type}* {ident}",
        binding=binding,
        description=FreeText(f"{role} '{spec.name}' ({'; '.join(notes)})"),
    )


def _param_arg(
    spec: TensorSpec, view: ParamView, data: opencl.DataArgType, taken: set[str]
) -> KernelArgContext:
    ident = opencl.identifier(view.field, taken)
    if spec.kind is ParamKind.BOOL:
        value = f"static_cast<{data.c_type}>(op.{view.field} ? 1 : 0)"
    else:
        value = f"static_cast<{data.c_type}>(op.{view.field})"
    what = FreeText(opencl_summary(spec))
    if len(spec.datatypes) > 1 or opencl.element_type(spec) != data.cl_type:
        what += f"; passed as {data.cl_type}"
    if spec.kind is ParamKind.ENUM:
        labels = FreeText.join(", ", (f"{c.value} " + c.label for c in view.enum_constants))
        what = "enumeration index: " + labels
    elif spec.kind is ParamKind.BOOL:
        what = FreeText("boolean: 0 or 1")
    if spec.default is not None:
        what += FreeText(f"; default {spec.default.text}")
    return KernelArgContext(
        identifier=ident,
        declaration=f"{data.cl_type} {ident}",
        binding=f"launch.args.push_back({data.builder}({value}));",
        description=f"parameter '{spec.name}' (" + what + ")",
    )


def opencl_summary(spec: TensorSpec) -> str:
    names = ", ".join(d.value.removeprefix("QNN_DATATYPE_") for d in spec.datatypes)
    return f"{names}; rank {spec.rank.value}"
