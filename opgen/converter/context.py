"""What the converter op package's templates read: one typed context for the whole package.

The rules come from `opgen.shapes.rules_of` and their C++ from the rule emitter (through
opgen.converter.rules). This module decides the rest: the declared tensors every function checks
first, the exported names, and the user hooks and the file that holds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from opgen.backends.typed_view import TensorView, tensor_view
from opgen.converter import rules
from opgen.escaping import FreeText
from opgen.model import Backend, BackendPackage, OpDef, Package
from opgen.shapes import rules_of

HOOKS_HEADER = "hooks/ConverterHooks.hpp"

# The parameter names of the emitter's hook signatures (emit_cpp.SHAPE/DTYPE_HOOK_SIGNATURE),
# which a default hook body marks as unused.
_HOOK_PARAMETERS = {
    "shape": ("config", "outputIndex", "rank", "dims", "known"),
    "dtype": ("config", "outputIndex", "dataType"),
}


@dataclass(frozen=True)
class HookContext:
    output: str
    kind: str
    """"shape" or "dtype"."""
    namespace: str
    function: str
    definition_head: str
    """The emitter's declaration without its ';', the function name qualified."""
    parameters: tuple[str, ...]
    reason: FreeText


@dataclass(frozen=True)
class ConverterOp:
    name: str
    shape_function: str
    dtype_function: str
    shape_pointer: str
    dtype_pointer: str
    inputs_table: str
    outputs_table: str
    wrapper: str
    """`<Op>Infer`: the declaration's checks, then the rules."""
    num_inputs: int
    num_outputs: int
    inputs: tuple[TensorView, ...]
    outputs: tuple[TensorView, ...]
    infer_function: str
    infer_definition: str
    hook_declarations: str
    hooks: tuple[HookContext, ...]
    hook_file: str | None
    """`hooks/<Op>Hooks.cpp`, when some output needs user code."""
    rules_backend: str
    other_variants: tuple[str, ...]
    """Backends whose supplementals give this op other rules (not compiled in)."""


@dataclass(frozen=True)
class ConverterContext:
    package: str
    last_error_function: str
    set_log_callback_function: str
    banner: FreeText
    ops: tuple[ConverterOp, ...]
    hook_files: tuple[str, ...]
    sources: tuple[str, ...]
    """Every .cpp the library is built from, relative to ConverterOpPackage/."""
    headers: tuple[str, ...]
    """Every header the build depends on, relative to ConverterOpPackage/."""


@dataclass(frozen=True)
class HookFileContext:
    package: str
    op: ConverterOp


def converter_context(
    package: Package, sources: tuple[str, ...], headers: tuple[str, ...]
) -> ConverterContext:
    views = {b: package.resolve(b) for b in package.backends}
    ops = tuple(_op_context(op, views) for op in package.ops)
    hook_files = tuple(op.hook_file for op in ops if op.hook_file is not None)
    configs = ", ".join(c.path.name for c in package.configs)
    banner = FreeText(
        f"opgen-owned file, generated for the converter op package of {package.name} from "
        f"{configs}. opgen regenerates it; edits are detected and refused."
    )
    return ConverterContext(
        package=package.name,
        last_error_function=f"{package.name}ConverterLastError",
        set_log_callback_function=f"{package.name}ConverterSetLogCallback",
        banner=banner,
        ops=ops,
        hook_files=hook_files,
        sources=("ConverterOpPackage.cpp", *sources, *hook_files),
        headers=(*headers, HOOKS_HEADER),
    )


def _view_of(op: OpDef, backend: Backend, views: dict[Backend, BackendPackage]) -> OpDef:
    for candidate in views[backend].ops:
        if candidate.name == op.name:
            return candidate
    return op


def _op_context(op: OpDef, views: dict[Backend, BackendPackage]) -> ConverterOp:
    primary = op.backends[0]
    resolved = _view_of(op, primary, views)
    op_rules = rules_of(resolved)
    others = tuple(b.value for b in op.backends[1:] if rules_of(_view_of(op, b, views)) != op_rules)
    function = rules.infer_function(resolved, op_rules)
    name = resolved.name
    hooks = tuple(
        HookContext(
            output=h.output,
            kind=h.kind,
            namespace=h.namespace,
            function=h.function,
            definition_head=h.declaration.strip()
            .removesuffix(";")
            .replace(f" {h.function}(", f" {h.namespace}::{h.function}(", 1),
            parameters=_HOOK_PARAMETERS[h.kind],
            reason=FreeText(h.reason),
        )
        for h in function.hooks
    )
    return ConverterOp(
        name=name,
        shape_function=f"{name}ShapeInference",
        dtype_function=f"{name}DataTypeInference",
        shape_pointer=f"{name}OutputInfoInferencePtr",
        dtype_pointer=f"{name}DataTypeInferencePtr",
        inputs_table=f"k{name}Inputs" if resolved.inputs else "nullptr",
        outputs_table=f"k{name}Outputs" if resolved.outputs else "nullptr",
        wrapper=f"{name}Infer",
        num_inputs=len(resolved.inputs),
        num_outputs=len(resolved.outputs),
        inputs=tuple(tensor_view(name, t, "void") for t in resolved.inputs),
        outputs=tuple(tensor_view(name, t, "void") for t in resolved.outputs),
        infer_function=function.name,
        infer_definition=function.definition,
        hook_declarations=function.hook_declarations,
        hooks=hooks,
        hook_file=f"hooks/{name}Hooks.cpp" if hooks else None,
        rules_backend=primary.value,
        other_variants=others,
    )
