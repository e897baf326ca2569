"""The param values of one case, from what the declaration says of each param.

* an enumeration: a random label's index (the first case: the default);
* a BOOL_8: random (the first case: the default);
* a float scalar: around its default (or around 0 without one);
* an integer scalar that a ``require`` reads (a declared range): drawn from about
  ``[-rank, largest dim]`` and kept only when the requires hold (the caller checks them); one
  without a range keeps its default, and a mandatory one without default nor range is drawn
  from ``[1, smallest dim of in[0]]`` (a count that fits every axis);
* a tensor param, or one that supports only its default: the default.

An optional param left at its default is not passed to the package (its generated default code
runs); the reference always gets every value that has one (defaults applied, ``N-1`` against the
rank of in[0]), as ``opgen onnx run --reference`` gives them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from opgen.model import (
    FillDefault,
    ListDefault,
    Nested,
    OpDef,
    ParamKind,
    RankExpr,
    ScalarDefault,
    TensorSpec,
)
from opgen.shapes import rules_of


class CannotDraw(Exception):
    """No case can be drawn for the op; ``str()`` says why."""


@dataclass(frozen=True)
class ParamChoice:
    given: dict[str, object]
    """What the package (and the rules) get."""
    reference: dict[str, object]
    """What the reference gets: the given values and every default."""


def ranged_params(op: OpDef) -> frozenset[str]:
    """The params a ``require`` of the op reads: their declared ranges."""
    texts = [r.source.text for r in rules_of(op).requires]
    return frozenset(
        p.name for p in op.params if any(re.search(rf"\b{re.escape(p.name)}\b", t) for t in texts)
    )


def check_drawable(op: OpDef) -> None:
    """Raise :class:`CannotDraw` for a param no case can give a value."""
    for spec in op.params:
        if spec.mandatory and spec.default is None and spec.kind is ParamKind.TENSOR:
            raise CannotDraw(
                f"mandatory tensor parameter '{spec.name}' has no default to test with "
                "(give it a <Default>)"
            )


def draw_params(
    op: OpDef,
    rng: np.random.Generator,
    *,
    first: bool,
    shape: Sequence[int] | None,
    ranged: frozenset[str],
) -> ParamChoice:
    """One case's params; ``shape`` is in[0]'s (None: the op has no input)."""
    rank = len(shape) if shape is not None else 0
    given: dict[str, object] = {}
    reference: dict[str, object] = {}
    for spec in op.params:
        default = default_value(spec, rank)
        value = default if first else _drawn(spec, rng, default, shape, spec.name in ranged)
        if value is None and spec.mandatory:
            value = _drawn(spec, rng, None, shape, spec.name in ranged)
        if value is None:
            continue
        reference[spec.name] = value
        if spec.mandatory or value != default:
            given[spec.name] = value
    return ParamChoice(given, reference)


def _drawn(
    spec: TensorSpec,
    rng: np.random.Generator,
    default: object | None,
    shape: Sequence[int] | None,
    ranged: bool,
) -> object | None:
    kind = spec.kind
    if spec.only_default_supported or kind is ParamKind.TENSOR:
        return default
    if kind is ParamKind.ENUM:
        return int(rng.integers(0, len(spec.enum_values)))
    if kind is ParamKind.BOOL:
        return bool(rng.integers(0, 2))
    ranges = [r for r in (d.integer_range for d in spec.datatypes) if r is not None]
    if not ranges:  # a float
        center = float(default) if isinstance(default, int | float) else 0.0
        spread = abs(center) if center else 1.0
        return float(np.float32(center + spread * rng.uniform(-0.5, 0.5)))
    low, high = ranges[0]
    dims = list(shape or [])
    if ranged:
        span_low, span_high = -max(len(dims), 1), max([*dims, 4])
    elif default is not None:
        return default
    else:
        span_low, span_high = 1, min(dims, default=1)
    span_low, span_high = max(span_low, low), min(span_high, high)
    return int(rng.integers(span_low, max(span_low, span_high), endpoint=True))


def default_value(spec: TensorSpec, rank: int) -> object | None:
    """The param's default as the reference gets it; None without one (or for a fill, whose
    length only the package knows)."""
    if spec.default is None or isinstance(spec.default.value, FillDefault):
        return None
    value = spec.default.value

    def element(item: object) -> object:
        if isinstance(item, RankExpr):
            return item.evaluate(rank)
        if spec.kind is ParamKind.BOOL and isinstance(item, int):
            return bool(item)
        return item

    def nested(item: Nested) -> object:
        if isinstance(item, tuple):
            return [nested(i) for i in item]
        return element(item)

    if isinstance(value, ScalarDefault):
        return element(value.value)
    assert isinstance(value, ListDefault)
    return nested(value.values)
