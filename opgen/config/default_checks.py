"""Defaults fit their parameter: kind, rank, and every leaf a value of a declared datatype.

"Fits" means the value reaching the kernel is the value written (or, for floats, its nearest
representable value: opgen/datatype_values.py). A rank expression is checked at every rank the
op's first input allows. A value that travels as a double (a tensor parameter's elements, a
scalar parameter of several datatypes) must also be exact as a double.
"""

from __future__ import annotations

from opgen.config.diagnostics import Diagnostics
from opgen.datatype_values import (
    MAX_ND_RANK,
    MAX_RANK_COEFF,
    MAX_RANK_OFFSET,
    Unrepresentable,
    exact_in_double,
    float_format,
    rank_values,
    rounded,
)
from opgen.model import (
    Datatype,
    Element,
    FillDefault,
    ListDefault,
    OpDef,
    ParamKind,
    RankExpr,
    ScalarDefault,
    TensorRole,
    TensorSpec,
)

_SHOWN_CHARS = 60


def shown(text: str) -> str:
    """Default text for a message: long texts (5,000 digits...) are cut, with their length."""
    if len(text) <= _SHOWN_CHARS:
        return text
    return f"{text[: _SHOWN_CHARS - 20]}...{text[-10:]} ({len(text)} characters)"


def allowed_ranks(op: OpDef) -> tuple[range, str]:
    """The ranks N can take (that of the first input, from its declared Rank) and how to say it."""
    if not op.inputs:
        return range(0, 1), f"op '{op.name}' has no inputs, so N is 0"
    first = op.inputs[0]
    dims = first.rank.dims
    if dims is None:
        return range(0, MAX_ND_RANK + 1), f"input '{first.name}' is ND: ranks 0..{MAX_ND_RANK}"
    return range(dims, dims + 1), f"input '{first.name}' has rank {first.rank.value}"


def check_defaults(op: OpDef, diagnostics: Diagnostics) -> None:
    ranks = allowed_ranks(op)
    for spec in op.tensors():
        if spec.default is not None and spec.role is not TensorRole.OUTPUT:
            _check_default(spec, ranks, diagnostics)


def _check_default(spec: TensorSpec, ranks: tuple[range, str], diagnostics: Diagnostics) -> None:
    assert spec.default is not None
    value = spec.default.value
    where = spec.default.location or spec.location
    text = shown(spec.default.text)
    name = spec.name
    kind = spec.kind

    if kind is ParamKind.ENUM and spec.role is TensorRole.PARAM:
        index = value.value if isinstance(value, ScalarDefault) else None
        if isinstance(index, bool) or not isinstance(index, int):
            diagnostics.error(
                where,
                f"default '{text}' of enumeration '{name}' must be an index or one of its labels",
                "labels: " + ", ".join(spec.enum_values),
            )
        elif not 0 <= index < len(spec.enum_values):
            diagnostics.error(
                where,
                f"default '{text}' of enumeration '{name}' is out of range: it has "
                f"{len(spec.enum_values)} values (0..{len(spec.enum_values) - 1})",
            )
        return

    if spec.rank.is_scalar:
        if not isinstance(value, ScalarDefault):
            diagnostics.error(
                where,
                f"{spec.role.value} '{name}' has rank {spec.rank.value} "
                f"but a list default '{text}'",
            )
            return
        leaves: list[Element] = [value.value]
    elif isinstance(value, ListDefault):
        dims = spec.rank.dims
        if dims is not None and value.depth != dims:
            diagnostics.warning(
                where,
                f"default '{text}' of '{name}' is nested {value.depth} deep, but the declared "
                f"rank is {spec.rank.value}",
            )
        leaves = value.leaves()
    elif isinstance(value, FillDefault):
        leaves = [value.value]
    else:
        dims = spec.rank.dims
        if dims is not None:
            diagnostics.warning(
                where,
                f"default '{text}' of '{name}' is a single value, but the declared rank is "
                f"{spec.rank.value}",
                f"write it as a fill pattern like {{{text},..,{text}}}",
            )
        leaves = [value.value]

    datatypes = [d for d in spec.datatypes if d is not Datatype.BACKEND_SPECIFIC]
    if not datatypes:
        return
    if kind is ParamKind.BOOL and spec.role is TensorRole.PARAM:
        datatypes = [Datatype.BOOL_8]  # the field is a bool, whatever else is declared
    # Tensor elements cross to the kernel as doubles, and so does a scalar of several types.
    as_double = kind is ParamKind.TENSOR or (
        kind is ParamKind.SCALAR and len(set(spec.datatypes)) > 1
    )
    for leaf in leaves:
        reasons = [misfit(leaf, d, ranks, as_double) for d in datatypes]
        if all(reasons):
            shown_reason = (
                reasons[0]
                if len(datatypes) == 1
                else "it fits none of " + ", ".join(d.value for d in datatypes) + f" ({reasons[0]})"
            )
            diagnostics.error(where, f"default '{text}' of '{name}' does not fit: {shown_reason}")
            return


def misfit(
    leaf: Element, datatype: Datatype, ranks: tuple[range, str], as_double: bool = False
) -> str | None:
    """Why `leaf` is not a value of `datatype` (at every allowed rank), or None when it is."""
    if datatype.is_bool:
        if isinstance(leaf, bool) or (isinstance(leaf, int) and leaf in (0, 1)):
            return None
        return f"{leaf} is not a boolean (true, false, 0 or 1) for {datatype.value}"
    if isinstance(leaf, bool):
        return f"{str(leaf).lower()} is a boolean, but the datatype is {datatype.value}"
    if isinstance(leaf, RankExpr):
        return _rank_misfit(leaf, datatype, ranks, as_double)
    if datatype.is_float or datatype.is_fixed_point:
        try:
            rounded(leaf, float_format(datatype), datatype.value)
        except Unrepresentable as exc:
            return str(exc)
        return None
    bounds = datatype.integer_range
    if bounds is None:
        return None
    if isinstance(leaf, float):
        return f"{leaf} is not an integer, but the datatype is {datatype.value}"
    return _int_misfit(leaf, datatype, as_double)


def _int_misfit(value: int, datatype: Datatype, as_double: bool) -> str | None:
    bounds = datatype.integer_range
    assert bounds is not None
    low, high = bounds
    if not low <= value <= high:
        kind = "negative" if value < 0 and low == 0 else "out of range"
        return f"{value} is {kind} for {datatype.value} ({low}..{high})"
    if as_double and not exact_in_double(value):
        return (
            f"{value} is not exact as a double, which carries this parameter's value to the "
            f"kernel (integers up to 2^53 are)"
        )
    return None


def _rank_misfit(
    expr: RankExpr, datatype: Datatype, ranks: tuple[range, str], as_double: bool
) -> str | None:
    if datatype.integer_range is None:
        return f"rank expression {expr} needs an integer datatype, not {datatype.value}"
    if abs(expr.coeff) > MAX_RANK_COEFF:
        return f"the coefficient of N in {expr} is out of range (at most {MAX_RANK_COEFF})"
    if abs(expr.offset) > MAX_RANK_OFFSET:
        return f"the constant in {expr} is out of range (at most 2^62 in magnitude)"
    allowed, why = ranks
    for rank, value in rank_values(expr, allowed):
        reason = _int_misfit(value, datatype, as_double)
        if reason:
            return f"at rank {rank} ({why}), {expr} = {reason}"
    return None
