"""CPU backend: the files of a CPU op package and the typed context each template reads.

Layout (the vendor's, so users find what they expect, plus opgen's own support files):

    Makefile, makefiles/{Makefile.linux-x86_64, Android.mk, Application.mk}   opgen-owned
    CMakeLists.txt, CMakePresets.json   CMake build of the host library       opgen-owned
    config/<each config>.xml                                                  copies, refreshed
    include/QNN/**            bundled op-package headers (unused when QNN_SDK_ROOT is set)
    include/opgen/*.hpp, src/utils/*.cpp    support library (CPU + shared op-config checks)
    include/ops/<Op>.hpp      typed view of the op's inputs, outputs and params   opgen-owned
    src/<Package>Interface.cpp   interface, validation and node binding           opgen-owned
    src/ops/<Op>.cpp          the kernel                                          user-owned
"""

from __future__ import annotations

from dataclasses import dataclass

from opgen import naming
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
from opgen.model import BackendPackage, OpDef
from opgen.render import Owner, PlannedFile

TENSOR = "::opgen::cpu::Tensor"
TENSOR_PARAM = "::opgen::cpu::TensorParam"


@dataclass(frozen=True)
class OpContext:
    name: str
    header: str
    source: str
    header_guard: str
    inputs_array: str
    outputs_array: str
    params_array: str
    num_params: str
    validate_function: str
    create_function: str
    impl_struct: str
    inputs: tuple[TensorView, ...]
    outputs: tuple[TensorView, ...]
    params: tuple[ParamView, ...]
    uses_rank0: bool
    rules: RuleCheck | None
    """The op's compiled rules, run by validateOpConfig after the declaration checks."""


@dataclass(frozen=True)
class PackageContext:
    package: str
    interface_provider: str
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
        PlannedFile("Makefile", Owner.OPGEN, "cpu/Makefile.j2", ctx),
        PlannedFile(
            "makefiles/Makefile.linux-x86_64", Owner.OPGEN, "cpu/Makefile.linux-x86_64.j2", ctx
        ),
        PlannedFile("makefiles/Android.mk", Owner.OPGEN, "cpu/Android.mk.j2", ctx),
        PlannedFile("makefiles/Application.mk", Owner.OPGEN, "cpu/Application.mk.j2", ctx),
        PlannedFile(f"src/{view.name}Interface.cpp", Owner.OPGEN, "cpu/Interface.cpp.j2", ctx),
        *cmake_files("cpu", ctx),
        *config_copies(view),
        *bundled_headers(("CPU",)),
        *common_static_files([op.rules for op in ctx.ops]),
        *static_files("cpu"),
    ]
    for op in ctx.ops:
        op_ctx = OpFileContext(view.name, ctx.banner, op)
        files.append(PlannedFile(op.header, Owner.OPGEN, "cpu/OpHeader.hpp.j2", op_ctx))
        files.append(PlannedFile(op.source, Owner.USER, "cpu/OpKernel.cpp.j2", op_ctx))
    return files


def package_context(view: BackendPackage) -> PackageContext:
    ops = tuple(_op_context(view.name, op) for op in view.ops)
    return PackageContext(
        package=view.name,
        interface_provider=naming.interface_provider(view.name),
        banner=banner_context(view),
        ops=ops,
        has_rules=any(op.rules is not None for op in ops),
    )


def _op_context(package: str, op: OpDef) -> OpContext:
    name = op.name
    params = tuple(param_view(package, name, p, TENSOR_PARAM) for p in op.params)
    return OpContext(
        name=name,
        header=f"include/ops/{name}.hpp",
        source=f"src/ops/{name}.cpp",
        header_guard=naming.header_guard(package, name),
        inputs_array=naming.inputs_array(name),
        outputs_array=naming.outputs_array(name),
        params_array=naming.params_array(name),
        num_params=naming.num_params_constant(name),
        validate_function=naming.validate_function(name),
        create_function=naming.create_function(name),
        impl_struct=naming.impl_struct(name),
        inputs=tuple(tensor_view(name, t, TENSOR) for t in op.inputs),
        outputs=tuple(tensor_view(name, t, TENSOR) for t in op.outputs),
        params=params,
        uses_rank0=uses_rank0(params),
        rules=rule_check(op),
    )
