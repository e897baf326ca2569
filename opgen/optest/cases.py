"""The cases an op's declaration allows, drawn at random but reproducibly.

An op's *variants* are every combination of a datatype choice (the k-th declared datatype of
in[0], and for each other input the same datatype where it declares it, else its own k-th) and
a rank of in[0] (its declared rank; 1 to 4 for ND; for a pattern with a spread, the pattern's
fixed dims plus 0 to 2). Case ``i`` takes variant ``i % len(variants)``, so ``--cases`` at least
the number of variants covers them all; the first case of each variant gives params their
defaults (see :mod:`.params`).

Shapes obey the op's rules: an input with a pattern gets the pattern's dims (a name bound once
per case, so ``C`` in two patterns is one dim); an input without one takes in[0]'s shape when
its rank allows (the elementwise case the prose "same shape as in[0]" describes), else random
dims of its rank. The drawn inputs and params must then pass the rules (patterns, ``require``
checks: :func:`opgen.runtime.sizing.plan_outputs`, which also sizes the outputs); a draw that
does not is drawn again, up to :data:`MAX_TRIES` times. A Repeated input gets two copies.

What cannot be tested is a reported skip, not an error: an output whose shape or datatype needs
user code, a datatype without numpy storage, fixed point on a target without quantization.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.model import Datatype, OpDef, TensorSpec
from opgen.optest import values
from opgen.optest.params import CannotDraw, ParamChoice, check_drawable, draw_params, ranged_params
from opgen.optest.values import Quant
from opgen.runtime import dtypes, sizing
from opgen.runtime.request import output_names
from opgen.shapes import ast, rules_of
from opgen.shapes.evaluate import RuleError

#: Draws per case before it is given up as a skip.
MAX_TRIES = 64
#: Ranks of an ND in[0] without a pattern.
ND_RANKS = (1, 2, 3, 4)
#: Elements per input at most (bigger draws are drawn again).
MAX_ELEMENTS = 4096


@dataclass(frozen=True, eq=False)
class Case:
    """One set of inputs and params for an op, with the outputs the rules give."""

    op: str
    index: int
    inputs: tuple[npt.NDArray[Any], ...]
    """As the package gets them (fixed point: the raw integers)."""
    datatypes: tuple[Datatype, ...]
    quants: tuple[Quant | None, ...]
    params: ParamChoice
    outputs: tuple[sizing.OutputPlan, ...]

    def reference_inputs(self) -> list[npt.NDArray[Any]]:
        """The inputs as the reference gets them: fixed point dequantized (float32), copies."""
        return [
            q.dequantize(a).astype(np.float32) if q is not None else a.copy()
            for a, q in zip(self.inputs, self.quants, strict=True)
        ]

    @property
    def label(self) -> str:
        """``FLOAT_32[2,3], INT_32[3]; k=2``: what the case is, in one line."""
        tensors = ", ".join(
            f"{dtypes.short_name(d)}[{','.join(map(str, a.shape))}]"
            for a, d in zip(self.inputs, self.datatypes, strict=True)
        )
        params = ", ".join(f"{k}={_short(v)}" for k, v in self.params.given.items())
        return tensors + (f"; {params}" if params else "")


@dataclass(frozen=True)
class CaseSet:
    cases: tuple[Case, ...]
    skipped: tuple[str, ...]
    """Why variants or cases were left out, each reason once."""
    variants: int


@dataclass(frozen=True)
class _Variant:
    datatypes: tuple[Datatype, ...]
    rank: int | None


def generate_cases(op: OpDef, count: int, seed: Sequence[int], *, quantization: bool) -> CaseSet:
    """``count`` cases of ``op``; case ``i`` is drawn from ``default_rng([*seed, i])``.
    ``quantization``: the target takes scales and offsets (fixed-point datatypes are tested)."""
    skipped: dict[str, None] = {}
    try:
        check_drawable(op)
    except CannotDraw as exc:
        return CaseSet((), (str(exc),), 0)
    specs = _actual_inputs(op)
    variants = _variants(op, specs, quantization, skipped)
    if not variants:
        return CaseSet((), tuple(skipped), 0)
    ranged = ranged_params(op)
    names = output_names(op)
    cases = []
    for index in range(count):
        variant = variants[index % len(variants)]
        rng = np.random.default_rng([*seed, index])
        first = index < len(variants)
        try:
            cases.append(_draw(op, specs, variant, names, rng, index, first, ranged))
        except CannotDraw as exc:
            skipped.setdefault(str(exc), None)
    return CaseSet(tuple(cases), tuple(skipped), len(variants))


def _actual_inputs(op: OpDef) -> list[TensorSpec]:
    specs: list[TensorSpec] = []
    for spec in op.inputs:
        specs.extend([spec, spec] if spec.repeated else [spec])
    return specs


def _variants(
    op: OpDef, specs: Sequence[TensorSpec], quantization: bool, skipped: dict[str, None]
) -> list[_Variant]:
    choices: list[tuple[Datatype, ...]] = []
    widest = max((len(s.datatypes) for s in specs), default=0)
    for k in range(widest):
        first = specs[0].datatypes[k % len(specs[0].datatypes)]
        chosen = tuple(
            first if first in s.datatypes else s.datatypes[k % len(s.datatypes)] for s in specs
        )
        if chosen in choices:
            continue
        problem = next(
            (_untestable(d, quantization) for d in chosen if _untestable(d, quantization)), None
        )
        if problem:
            skipped.setdefault(problem, None)
            continue
        choices.append(chosen)
    if not specs:
        choices = [()]
    return [_Variant(d, r) for d in choices for r in _ranks(op)]


def _untestable(datatype: Datatype, quantization: bool) -> str | None:
    if dtypes.storage(datatype) is None:
        return f"{datatype.value} has no numpy storage: not tested"
    if datatype.is_fixed_point and not quantization:
        return f"{datatype.value}: this target takes no scale and offset: not tested"
    return None


def _ranks(op: OpDef) -> list[int | None]:
    if not op.inputs:
        return [None]
    spec = op.inputs[0]
    pattern = _pattern(op, 0)
    if pattern is None:
        return [spec.rank.dims] if spec.rank.dims is not None else list(ND_RANKS)
    fixed = sum(not isinstance(e, ast.PSpread) for e in pattern.elems)
    if len(pattern.elems) == fixed:
        return [fixed]
    if spec.rank.dims is not None:
        return [spec.rank.dims]
    return [fixed + extra for extra in range(3)]


def _pattern(op: OpDef, xml_index: int) -> ast.Pattern | None:
    patterns = rules_of(op).patterns
    rule = patterns[xml_index] if xml_index < len(patterns) else None
    return rule.pattern if rule is not None else None


def _draw(
    op: OpDef,
    specs: Sequence[TensorSpec],
    variant: _Variant,
    names: Sequence[str],
    rng: np.random.Generator,
    index: int,
    first: bool,
    ranged: frozenset[str],
) -> Case:
    problem = "no draw fits the rules"
    for attempt in range(MAX_TRIES):
        shapes = _shapes(op, specs, variant, rng)
        if any(int(np.prod(s)) > MAX_ELEMENTS for s in shapes):
            continue
        choice = draw_params(
            op,
            rng,
            first=first and attempt == 0,
            shape=shapes[0] if shapes else None,
            ranged=ranged,
        )
        arrays = [values.draw(rng, d, s) for d, s in zip(variant.datatypes, shapes, strict=True)]
        try:
            plans = sizing.plan_outputs(op, arrays, choice.given, names)
        except RuleError as exc:
            problem = str(exc)
            continue
        if plans is None:
            raise CannotDraw(f"{op.name}: the drawn inputs do not bind to the declaration")
        open_ = next((p for p in plans if isinstance(p, sizing.NeedsSpec)), None)
        if open_ is not None:
            raise CannotDraw(f"output '{open_.name}' needs user code: {open_.reason}")
        quants = tuple(
            values.input_quant(rng, d) if d.is_fixed_point else None for d in variant.datatypes
        )
        outputs = tuple(p for p in plans if isinstance(p, sizing.OutputPlan))
        return Case(op.name, index, tuple(arrays), variant.datatypes, quants, choice, outputs)
    raise CannotDraw(f"no draw in {MAX_TRIES} fits the rules (last: {problem})")


def _shapes(
    op: OpDef, specs: Sequence[TensorSpec], variant: _Variant, rng: np.random.Generator
) -> list[tuple[int, ...]]:
    bound: dict[str, Any] = {}
    shapes: list[tuple[int, ...]] = []
    for i, spec in enumerate(specs):
        xml = op.inputs.index(spec)
        pattern = _pattern(op, xml)
        rank = variant.rank if i == 0 else spec.rank.dims
        if pattern is not None:
            shapes.append(_from_pattern(pattern, rank, bound, rng))
        elif i == 0:
            shapes.append(tuple(_dim(rng) for _ in range(rank or 0)))
        elif rank is None or rank == len(shapes[0]):
            shapes.append(shapes[0])
        else:
            shapes.append(tuple(_dim(rng) for _ in range(rank)))
    return shapes


def _from_pattern(
    pattern: ast.Pattern, rank: int | None, bound: dict[str, Any], rng: np.random.Generator
) -> tuple[int, ...]:
    fixed = sum(not isinstance(e, ast.PSpread) for e in pattern.elems)
    spread = rank - fixed if rank is not None else int(rng.integers(0, 3))
    dims: list[int] = []
    for elem in pattern.elems:
        if isinstance(elem, ast.PInt):
            dims.append(elem.value)
        elif isinstance(elem, ast.PBind):
            dims.append(bound.setdefault(elem.name, _dim(rng)))
        elif isinstance(elem, ast.PAny):
            dims.append(_dim(rng))
        elif elem.name is None:
            dims.extend(_dim(rng) for _ in range(max(spread, 0)))
        else:
            dims.extend(
                bound.setdefault(elem.name, tuple(_dim(rng) for _ in range(max(spread, 0))))
            )
    return tuple(dims)


def _dim(rng: np.random.Generator) -> int:
    """Mostly small dims, sometimes one past a vector width's worth."""
    if rng.random() < 0.15:
        return int(rng.integers(6, 18))
    return int(rng.integers(1, 6))


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, float) else f"{value:.4g}"
    return text if len(text) <= 30 else text[:27] + "..."
