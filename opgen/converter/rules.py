"""The converter's view of an op's rules: what the compiled rules cover and what needs a hook.

The one place the converter package reads `opgen.shapes` (checked rules) and the rule emitter.
"""

from __future__ import annotations

from dataclasses import dataclass

from opgen.model import OpDef
from opgen.shapes.ast import Hook, OpRules, ShapeList, Unknown


@dataclass(frozen=True)
class OutputPlan:
    shape_hook: bool
    shape_reason: str
    dtype_hook: bool
    dtype_reason: str


@dataclass(frozen=True)
class InferCode:
    """C++ that evaluates one op's rules in Infer mode (from the rule emitter)."""

    definitions: str
    """Namespace-scope code, emitted before the op's exported functions."""
    shape_call: str | None
    """An expression `Qnn_ErrorHandle_t` that fills every ruled output's dims (None: no rule)."""
    dtype_call: str | None
    """The same for dtypes."""
    hook_declarations: tuple[str, ...] = ()
    """Declarations of the user hooks the emitted code calls (for `?` dims)."""
    hook_stubs: tuple[str, ...] = ()
    """Their default definitions, written once into the user's hook file."""


@dataclass(frozen=True)
class SupportCode:
    """What the emitted code needs from the shared rule runtime."""

    includes: tuple[str, ...]


def op_rules(op: OpDef) -> OpRules | None:
    """The checked rules of `op` (None until the rule checker is available)."""
    return None


def output_plan(rules: OpRules | None, index: int) -> OutputPlan:
    if rules is None:
        return OutputPlan(True, "the config gives no rules", True, "the config gives no rules")
    out = rules.outputs[index]
    if out.shape is None:
        shape_hook, shape_reason = True, "its <Shape><Text> is not a rule (no leading '=')"
    elif isinstance(out.shape.expr, Hook):
        shape_hook, shape_reason = True, f"its shape rule asks for user code: {out.shape.source.text}"
    else:
        shape_hook, shape_reason = False, out.shape.source.text
    if isinstance(out.dtype.expr, Hook):
        written = out.dtype.source.text if out.dtype.source is not None else "no dtype rule fits"
        dtype_hook, dtype_reason = True, f"its dtype asks for user code: {written}"
    else:
        dtype_hook = False
        dtype_reason = out.dtype.source.text if out.dtype.source is not None else "default"
    return OutputPlan(shape_hook, shape_reason, dtype_hook, dtype_reason)


def needs_dim_hooks(rules: OpRules | None) -> bool:
    """Whether some output list has a `?` dim (the emitted code calls a user hook for it)."""
    if rules is None:
        return False
    return any(
        o.shape is not None
        and isinstance(o.shape.expr, ShapeList)
        and any(isinstance(i, Unknown) for i in o.shape.expr.items)
        for o in rules.outputs
    )


def infer_code(rules: OpRules | None, op: OpDef) -> InferCode:
    return InferCode(definitions="", shape_call=None, dtype_call=None)


def support_code() -> SupportCode:
    return SupportCode(includes=())
