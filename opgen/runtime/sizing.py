"""Output shapes and datatypes for a request that does not give them: from the op's rules.

The op's declared rules (``opgen.shapes.rules_of``: `<Shape><Text>= ...` and Datatype
constraints) are evaluated on the actual inputs and params (``opgen.shapes.evaluate.infer``).
An output gets:

* its rule's shape; with no shape rule at all (prose or nothing), the first input's shape, as
  before rules existed;
* its rule's datatype; with no dtype rule, the default (its only declared datatype, else
  ``like(in[0])`` where every datatype of in[0] is allowed), and where that default leaves it
  open, the first input's actual datatype if the output allows it.

What remains open (a ``?`` dim, ``= hook``, a datatype no rule decides, a datatype without numpy
storage) is a :class:`NeedsSpec` naming the output and why; the caller asks for it its own way
(``outputs=`` of ``execute``, ``--output-spec`` of ``opgen run``). A rule contradicted by the
inputs (a failing ``require``, a pattern an input does not fit) raises RuleError.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.model import Datatype, OpDef
from opgen.runtime import dtypes
from opgen.shapes import rules_of
from opgen.shapes.evaluate import OutputFacts, TensorFacts, infer
from opgen.shapes.scope import bind_positions


@dataclass(frozen=True)
class OutputPlan:
    """One actual output: its shape and datatype, both decided."""

    name: str
    shape: tuple[int, ...]
    datatype: Datatype


@dataclass(frozen=True)
class NeedsSpec:
    """One actual output the rules leave to the caller, and why."""

    name: str
    reason: str


def input_datatypes(
    declaration: OpDef, arrays: Sequence[npt.NDArray[Any]]
) -> list[Datatype | None]:
    """The datatype each input travels as (as :func:`opgen.runtime.request.build_request`
    binds it); None for a dtype no datatype stores (the request refuses it)."""
    positions = bind_positions(declaration.inputs, len(arrays)) or []
    declared = [declaration.inputs[p].datatypes for p in positions]
    declared += [()] * (len(arrays) - len(declared))
    return [
        dtypes.tensor_datatype(a.dtype, d) if dtypes.supported(a.dtype) else None
        for a, d in zip(arrays, declared, strict=True)
    ]


def plan_outputs(
    declaration: OpDef,
    arrays: Sequence[npt.NDArray[Any]],
    params: Mapping[str, object],
    names: Sequence[str],
) -> list[OutputPlan | NeedsSpec] | None:
    """What the rules give each of the outputs called ``names`` (one per XML output, a Repeated
    one numbered on); raises RuleError when the inputs contradict the rules. None when the
    inputs are too many or too few to bind to the declaration: the package's validateOpConfig
    says so in its own words, so the caller sizes outputs as before rules (like in[0])."""
    # Mandatory inputs missing count as not binding: the package names them.
    mandatory = sum(1 for t in declaration.inputs if t.mandatory and not t.repeated)
    if len(arrays) < mandatory or bind_positions(declaration.inputs, len(arrays)) is None:
        return None
    rules = rules_of(declaration)
    in_types = input_datatypes(declaration, arrays)
    facts = [TensorFacts(a.shape, t) for a, t in zip(arrays, in_types, strict=True)]
    inferred = infer(rules, declaration, facts, params)
    positions = bind_positions(declaration.outputs, len(names))
    if positions is None:  # more outputs than declared: the package will say so
        positions = [min(i, len(inferred) - 1) for i in range(len(names))]
    plans: list[OutputPlan | NeedsSpec] = []
    for name, xml in zip(names, positions, strict=True):
        plans.append(_plan(name, declaration, xml, inferred[xml], arrays, in_types))
    return plans


def _plan(
    name: str,
    op: OpDef,
    xml: int,
    facts: OutputFacts,
    arrays: Sequence[npt.NDArray[Any]],
    in_types: Sequence[Datatype | None],
) -> OutputPlan | NeedsSpec:
    spec = op.outputs[xml]
    rules = rules_of(op).outputs[xml]
    shape = facts.concrete_shape
    if shape is None and rules.shape is None:
        if not arrays:
            return NeedsSpec(name, "it has no shape rule and the op has no input to copy")
        shape = tuple(arrays[0].shape)  # no rule: the first input's shape, as before rules
    if shape is None:
        return NeedsSpec(name, facts.shape_reason or "its shape rule gives no shape")
    datatype = facts.dtype
    first = in_types[0] if in_types else None
    if datatype is None and rules.dtype.source is None and first is not None:
        if first in spec.datatypes:
            datatype = first  # no dtype rule: in[0]'s actual datatype, where the output allows it
        else:
            allowed = ", ".join(dtypes.short_name(d) for d in spec.datatypes)
            return NeedsSpec(
                name,
                f"no rule decides its datatype (it allows {allowed}; in[0] is "
                f"{dtypes.short_name(first)})",
            )
    if datatype is None:
        return NeedsSpec(name, facts.dtype_reason or "no rule decides its datatype")
    if dtypes.storage(datatype) is None:
        return NeedsSpec(name, f"its datatype {datatype.value} has no numpy storage")
    return OutputPlan(name, shape, datatype)


def allocate(plan: OutputPlan) -> npt.NDArray[Any]:
    storage = dtypes.storage(plan.datatype)
    assert storage is not None  # plan_outputs checked it
    return np.empty(plan.shape, storage)
