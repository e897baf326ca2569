"""What the converter op package's templates read: one typed context for the whole package.

The rules come from `opgen.shapes.rules_of` (checked, names resolved); the C++ that evaluates
them comes from the rule emitter (`opgen.shapes.emit_cpp`, Infer mode). This module only decides,
per op and output, what the generated functions do: run compiled rules, or call a user hook.
"""

from __future__ import annotations

from dataclasses import dataclass

from opgen.backends.typed_view import TensorView, tensor_view
from opgen.converter import rules
from opgen.escaping import FreeText
from opgen.model import Backend, BackendPackage, OpDef, Package

HOOKS_HEADER = "hooks/ConverterHooks.hpp"


@dataclass(frozen=True)
class OutputContext:
    index: int
    name: str
    field: str
    shape_hook: str | None
    """The user function that sizes this output, when no rule does (None: the rules do)."""
    shape_reason: FreeText
    dtype_hook: str | None
    """The user function that types this output, when no rule does."""
    dtype_reason: FreeText


@dataclass(frozen=True)
class ConverterOp:
    name: str
    shape_function: str
    dtype_function: str
    shape_pointer: str
    dtype_pointer: str
    inputs_table: str
    outputs_table: str
    inputs: tuple[TensorView, ...]
    outputs: tuple[TensorView, ...]
    results: tuple[OutputContext, ...]
    infer: rules.InferCode
    hook_file: str | None
    """`hooks/<Op>Hooks.cpp`, when some output needs user code."""
    rules_backend: str
    other_variants: tuple[str, ...]
    """Backends whose supplementals give this op different rules (not compiled in)."""

    @property
    def has_shape_hooks(self) -> bool:
        return any(r.shape_hook for r in self.results)

    @property
    def has_dtype_hooks(self) -> bool:
        return any(r.dtype_hook for r in self.results)


@dataclass(frozen=True)
class ConverterContext:
    package: str
    banner: FreeText
    ops: tuple[ConverterOp, ...]
    support: rules.SupportCode
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
    ops = tuple(_op_context(package, op, views) for op in package.ops)
    hook_files = tuple(op.hook_file for op in ops if op.hook_file is not None)
    configs = ", ".join(c.path.name for c in package.configs)
    banner = FreeText(
        f"opgen-owned file, generated for the converter op package of {package.name} from "
        f"{configs}. opgen regenerates it; edits are detected and refused."
    )
    return ConverterContext(
        package=package.name,
        banner=banner,
        ops=ops,
        support=rules.support_code(),
        hook_files=hook_files,
        sources=("ConverterOpPackage.cpp", *sources, *hook_files),
        headers=(*headers, HOOKS_HEADER),
    )


def _view_of(op: OpDef, backend: Backend, views: dict[Backend, BackendPackage]) -> OpDef:
    for candidate in views[backend].ops:
        if candidate.name == op.name:
            return candidate
    return op


def _op_context(package: Package, op: OpDef, views: dict[Backend, BackendPackage]) -> ConverterOp:
    primary = op.backends[0]
    resolved = _view_of(op, primary, views)
    op_rules = rules.op_rules(resolved)
    others = tuple(
        b.value
        for b in op.backends[1:]
        if rules.op_rules(_view_of(op, b, views)) != op_rules
    )
    name = resolved.name
    results = []
    for index, spec in enumerate(resolved.outputs):
        field = tensor_view(name, spec, "void").field
        plan = rules.output_plan(op_rules, index)
        results.append(
            OutputContext(
                index=index,
                name=spec.name,
                field=field,
                shape_hook=f"opgen_hook_{name}_{field}_shape" if plan.shape_hook else None,
                shape_reason=FreeText(plan.shape_reason),
                dtype_hook=f"opgen_hook_{name}_{field}_dtype" if plan.dtype_hook else None,
                dtype_reason=FreeText(plan.dtype_reason),
            )
        )
    needs_hook = any(r.shape_hook or r.dtype_hook for r in results) or rules.needs_dim_hooks(
        op_rules
    )
    return ConverterOp(
        name=name,
        shape_function=f"{name}ShapeInference",
        dtype_function=f"{name}DataTypeInference",
        shape_pointer=f"{name}OutputInfoInferencePtr",
        dtype_pointer=f"{name}DataTypeInferencePtr",
        inputs_table=f"k{name}Inputs",
        outputs_table=f"k{name}Outputs",
        inputs=tuple(tensor_view(name, t, "void") for t in resolved.inputs),
        outputs=tuple(tensor_view(name, t, "void") for t in resolved.outputs),
        results=tuple(results),
        infer=rules.infer_code(op_rules, resolved),
        hook_file=f"hooks/{name}Hooks.cpp" if needs_hook else None,
        rules_backend=primary.value,
        other_variants=others,
    )
