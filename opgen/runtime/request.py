"""What an op is asked to do, in a form every backend executor can bind: typed tensors and params.

``build_request`` turns user values (numpy arrays, Python scalars, nested lists) into
:class:`OpRequest`, using the op's declaration when the runtime has one (from the package's
``config/*.xml``, or given): a UINT_32 parameter then travels as UINT_32, an enumeration label
becomes its index, and a value of the wrong type is refused here, with a message that says what
was expected. Without a declaration the Python type decides: bool -> BOOL_8, int -> INT_32
(UINT_32 above INT32_MAX), float -> FLOAT_32, and arrays keep their dtype.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from opgen.model import Datatype, OpDef, ParamKind, TensorSpec
from opgen.runtime import dtypes, sizing
from opgen.runtime.errors import OpRequestError
from opgen.shapes.evaluate import RuleError

#: Datatypes a ``Qnn_Scalar_t`` can hold.
SCALAR_DATATYPES = frozenset(
    {
        Datatype.FLOAT_32,
        Datatype.INT_8,
        Datatype.INT_16,
        Datatype.INT_32,
        Datatype.UINT_8,
        Datatype.UINT_16,
        Datatype.UINT_32,
        Datatype.BOOL_8,
    }
)

_DEFAULTS = {
    "b": (Datatype.BOOL_8,),
    "i": (Datatype.INT_32, Datatype.UINT_32, Datatype.INT_64, Datatype.UINT_64),
    "f": (Datatype.FLOAT_32,),
}

#: A dimension crosses the interface as a uint32_t.
MAX_DIMENSION = 0xFFFF_FFFF
#: The most bytes one output the runtime allocates may take (4 GiB): a shape asking for more is
#: refused with a message instead of failing (or swapping) in the allocator.
MAX_OUTPUT_BYTES = 4 << 30

ParamValue = bool | int | float | str | np.generic | npt.NDArray[Any] | Sequence[Any]
OutputRequest = npt.NDArray[Any] | tuple[Sequence[int], Any]
"""A preallocated array, or ``(shape, dtype)`` with a numpy dtype or a :class:`Datatype`."""


@dataclass(frozen=True)
class Tensor:
    array: npt.NDArray[Any]
    """C-contiguous, native byte order; outputs are also writable."""
    datatype: Datatype


@dataclass(frozen=True)
class ScalarParam:
    name: str
    datatype: Datatype
    value: bool | int | float


@dataclass(frozen=True)
class TensorParam:
    name: str
    tensor: Tensor


Param = ScalarParam | TensorParam


@dataclass(frozen=True)
class OpRequest:
    op_type: str
    inputs: tuple[Tensor, ...]
    outputs: tuple[Tensor, ...]
    params: tuple[Param, ...]


class _Refusal(Exception):
    """A value cannot be used; build_request turns it into an OpRequestError."""


def build_request(
    op_type: str,
    inputs: Sequence[npt.ArrayLike],
    params: Mapping[str, ParamValue] | None = None,
    outputs: Sequence[OutputRequest] | None = None,
    *,
    declaration: OpDef | None = None,
    param_types: Mapping[str, Datatype | str] | None = None,
    package: str | None = None,
    operations: Sequence[str] | None = None,
) -> OpRequest:
    """Check and convert what the caller gave; raises :class:`OpRequestError`.

    ``outputs`` holds preallocated arrays or ``(shape, dtype)`` pairs (dtype a numpy dtype or a
    :class:`Datatype`); None sizes and types every declared output from the op's rules (see
    :mod:`opgen.runtime.sizing`: an output they leave to user code must then be given), and
    gives an undeclared op's one output the first input's shape and dtype. ``operations`` (what
    the package's getInfo lists), when given, must hold ``op_type``. Inputs that contradict the
    rules (a failing ``require``, a pattern) are refused here, naming op, tensor, rule and values.
    """
    if operations is not None and op_type not in operations:
        raise OpRequestError(
            f"no such op (the package has: {', '.join(operations) or 'none'})",
            package=package,
            op=op_type,
        )
    try:
        in_arrays = [_input_array(a, i) for i, a in enumerate(inputs)]
        in_specs = bind_specs(declaration.inputs if declaration else (), len(in_arrays))
        bound_inputs = tuple(
            Tensor(a, _datatype_for(a, spec)) for a, spec in zip(in_arrays, in_specs, strict=True)
        )
        out_arrays = _output_arrays(outputs, in_arrays, declaration, params or {})
        out_specs = bind_specs(declaration.outputs if declaration else (), len(out_arrays))
        bound_outputs = tuple(
            Tensor(a, datatype or _datatype_for(a, spec))
            for (a, datatype), spec in zip(out_arrays, out_specs, strict=True)
        )
        overrides = {k: _as_datatype(v) for k, v in (param_types or {}).items()}
        bound_params = tuple(
            _param(name, value, declaration, overrides.get(name))
            for name, value in (params or {}).items()
        )
    except _Refusal as exc:
        raise OpRequestError(str(exc), package=package, op=op_type) from None
    return OpRequest(op_type, bound_inputs, bound_outputs, bound_params)


# ---- tensors ---------------------------------------------------------------------------------


def bind_specs(specs: Sequence[TensorSpec], count: int) -> list[TensorSpec | None]:
    """The declared tensor each of ``count`` actual tensors binds to (as the package binds
    them: a Repeated tensor absorbs the extra ones); all None when they cannot bind."""
    repeated = next((i for i, s in enumerate(specs) if s.repeated), None)
    if repeated is None:
        return list(specs[:count]) if count <= len(specs) else [None] * count
    after = len(specs) - repeated - 1
    if count < len(specs) - 1:
        return [None] * count
    bound: list[TensorSpec | None] = []
    for i in range(count):
        if i < repeated:
            bound.append(specs[i])
        elif i >= count - after:
            bound.append(specs[len(specs) - (count - i)])
        else:
            bound.append(specs[repeated])
    return bound


def output_names(declaration: OpDef | None, count: int | None = None) -> list[str]:
    """Names of the outputs: the declared ones, a Repeated one numbered on (``out[0]``,
    ``out[1]``, ...) up to ``count`` outputs; ``out[0]``, ``out[1]``, ... when undeclared."""
    specs = declaration.outputs if declaration else ()
    names = [s.name for s in specs]
    repeated = next((i for i, s in enumerate(specs) if s.repeated), None)
    if not specs:
        names, repeated = ["out[0]"], 0
    if count is None or count <= len(names) or repeated is None:
        return names if count is None else names[:count]
    extra = [numbered(names[repeated], j) for j in range(1, count - len(names) + 1)]
    return names[: repeated + 1] + extra + names[repeated + 1 :]


def numbered(name: str, offset: int) -> str:
    """``out[0]`` -> ``out[<offset>]``; ``parts`` -> ``parts[<offset>]``."""
    match = re.fullmatch(r"(.*)\[(\d+)\]", name)
    if match:
        return f"{match[1]}[{int(match[2]) + offset}]"
    return f"{name}[{offset}]"


def _native(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    if array.dtype.byteorder not in ("=", "|"):
        array = array.astype(array.dtype.newbyteorder("="))
    return np.require(array, requirements="C")  # ascontiguousarray would make rank 0 rank 1


def _input_array(value: npt.ArrayLike, index: int) -> npt.NDArray[Any]:
    array = _native(np.asarray(value))
    if not dtypes.supported(array.dtype):
        raise _Refusal(f"input {index} has dtype {array.dtype}, which no Qnn datatype stores")
    too_big = next((d for d in array.shape if d > MAX_DIMENSION), None)
    if too_big is not None:
        raise _Refusal(f"input {index}: dimension {too_big} does not fit a uint32")
    return array


def describe_size(nbytes: int) -> str:
    """``3.6 TiB``, ``12 bytes``: a size for messages."""
    if nbytes < 1024:
        return f"{nbytes} bytes"
    value, unit = float(nbytes), "bytes"
    for unit in ("KiB", "MiB", "GiB", "TiB", "PiB", "EiB"):  # noqa: B007 (the last one is kept)
        value /= 1024
        if value < 1024:
            break
    return f"{value:.1f} {unit}"


def check_output_shape(shape: Sequence[int], dtype: np.dtype[Any]) -> str | None:
    """Why an output of ``shape`` and ``dtype`` cannot be allocated (None when it can)."""
    for dim in shape:
        if dim < 0:
            return f"dimension {dim} is negative"
        if dim > MAX_DIMENSION:
            return f"dimension {dim} does not fit a uint32"
    nbytes = math.prod(shape) * dtype.itemsize
    if nbytes > MAX_OUTPUT_BYTES:
        return (
            f"{describe_size(nbytes)} is more than an output may take "
            f"({describe_size(MAX_OUTPUT_BYTES)})"
        )
    return None


def _output_arrays(
    outputs: Sequence[OutputRequest] | None,
    inputs: Sequence[npt.NDArray[Any]],
    declaration: OpDef | None,
    params: Mapping[str, ParamValue],
) -> list[tuple[npt.NDArray[Any], Datatype | None]]:
    """Each output's array, and its datatype when the request decides it (else the array's)."""
    if outputs is None:
        planned = _planned_outputs(inputs, declaration, params) if declaration else None
        if planned is not None:
            return planned
        if not inputs:
            raise _Refusal("the op has no inputs to take output shapes from: give the outputs")
        count = len(declaration.outputs) if declaration and declaration.outputs else 1
        return [(np.empty(inputs[0].shape, inputs[0].dtype), None) for _ in range(count)]
    arrays: list[tuple[npt.NDArray[Any], Datatype | None]] = []
    for i, item in enumerate(outputs):
        if isinstance(item, np.ndarray):
            if not (item.flags.c_contiguous and item.flags.writeable):
                raise _Refusal(f"output {i} must be a writable C-contiguous array")
            if item.dtype.byteorder not in ("=", "|") or not dtypes.supported(item.dtype):
                raise _Refusal(f"output {i} has unsupported dtype {item.dtype}")
            arrays.append((item, None))
            continue
        shape, dtype = item
        datatype = dtype if isinstance(dtype, Datatype) else None
        storage = dtypes.storage(datatype) if datatype is not None else np.dtype(dtype)
        if storage is None or not dtypes.supported(storage):
            raise _Refusal(f"output {i} has unsupported dtype {dtype}")
        dims = tuple(int(d) for d in shape)
        problem = check_output_shape(dims, storage)
        if problem is not None:
            raise _Refusal(f"output {i} of shape {dims}: {problem}")
        arrays.append((np.empty(dims, storage), datatype))
    return arrays


def _planned_outputs(
    inputs: Sequence[npt.NDArray[Any]], declaration: OpDef, params: Mapping[str, ParamValue]
) -> list[tuple[npt.NDArray[Any], Datatype | None]] | None:
    if not declaration.outputs:
        return None
    try:
        plans = sizing.plan_outputs(declaration, inputs, params, output_names(declaration))
    except RuleError as exc:
        raise _Refusal(exc.detail) from None
    if plans is None:
        return None
    arrays: list[tuple[npt.NDArray[Any], Datatype | None]] = []
    for plan in plans:
        if isinstance(plan, sizing.NeedsSpec):
            raise _Refusal(
                f"output '{plan.name}' needs its (shape, dtype) in outputs=: {plan.reason}"
            )
        storage = dtypes.storage(plan.datatype)
        assert storage is not None  # a plan has storage
        problem = check_output_shape(plan.shape, storage)
        if problem is not None:
            raise _Refusal(f"output '{plan.name}' of shape {plan.shape} (from its rule): {problem}")
        arrays.append((sizing.allocate(plan), plan.datatype))
    return arrays


def _datatype_for(array: npt.NDArray[Any], spec: TensorSpec | None) -> Datatype:
    return dtypes.tensor_datatype(array.dtype, spec.datatypes if spec else ())


# ---- parameters ------------------------------------------------------------------------------


def _as_datatype(value: Datatype | str) -> Datatype:
    if isinstance(value, Datatype):
        return value
    try:
        return dtypes.datatype_from_name(value)
    except (KeyError, ValueError) as exc:
        raise OpRequestError(f"unknown datatype '{value}' in param_types") from exc


def _param(
    name: str, value: ParamValue, declaration: OpDef | None, override: Datatype | None
) -> Param:
    spec = None
    if declaration is not None:
        spec = next((p for p in declaration.params if p.name == name), None)
        if spec is None:
            known = ", ".join(p.name for p in declaration.params) or "none"
            raise _Refusal(f"unknown parameter '{name}' (parameters: {known})")
    declared = (override,) if override else (spec.datatypes if spec else ())
    if isinstance(value, np.generic):
        value = value.item()
    if spec is not None and spec.kind is ParamKind.TENSOR:
        return TensorParam(name, _tensor_value(name, value, declared))
    if isinstance(value, (np.ndarray, list, tuple)):
        if spec is not None:
            raise _Refusal(f"parameter '{name}' is a scalar, got {_describe(value)}")
        return TensorParam(name, _tensor_value(name, value, declared))
    if isinstance(value, str) and spec is not None and spec.enum_values:
        if value not in spec.enum_values:
            labels = ", ".join(spec.enum_values)
            raise _Refusal(f"parameter '{name}' expects one of {labels}, got {value!r}")
        value = spec.enum_values.index(value)
    return _scalar_value(name, value, declared)


def _category(datatype: Datatype) -> str:
    return "b" if datatype.is_bool else ("f" if datatype.is_float else "i")


def _fits(datatype: Datatype, low: float, high: float) -> bool:
    store = dtypes.storage(datatype)
    if store is None or store.kind not in "iu":
        return True
    info = np.iinfo(store.name)
    return bool(info.min <= low and high <= info.max)


def _pick(kind: str, declared: Sequence[Datatype], low: float, high: float) -> Datatype | None:
    options = list(declared) or list(_DEFAULTS[kind])
    same = [d for d in options if _category(d) == kind and _fits(d, low, high)]
    widened = [d for d in options if _category(d) == "f"] if kind == "i" else []
    candidates = same + widened
    return candidates[0] if candidates else None


def _expected(declared: Sequence[Datatype]) -> str:
    return " or ".join(dtypes.short_name(d) for d in declared)


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


def _scalar_value(name: str, value: object, declared: Sequence[Datatype]) -> ScalarParam:
    if not isinstance(value, (bool, int, float)):
        wanted = _expected(declared) if declared else "a number or boolean"
        raise _Refusal(f"parameter '{name}' expects {wanted}, got {_describe(value)}")
    usable = [d for d in declared if d in SCALAR_DATATYPES]
    if declared and not usable:
        raise _Refusal(
            f"parameter '{name}' is declared {_expected(declared)}, which a Qnn_Scalar_t "
            "cannot carry"
        )
    kind = "b" if isinstance(value, bool) else ("i" if isinstance(value, int) else "f")
    datatype = _pick(kind, usable, float(value), float(value))
    if datatype is None or datatype not in SCALAR_DATATYPES:
        wanted = _expected(usable) if usable else "a value that fits UINT_32"
        raise _Refusal(f"parameter '{name}' expects {wanted}, got {_describe(value)}")
    if datatype is Datatype.FLOAT_32 and math.isfinite(value) and abs(value) > 3.4028235e38:
        raise _Refusal(f"parameter '{name}': {value!r} does not fit FLOAT_32")
    return ScalarParam(name, datatype, value)


def _tensor_value(name: str, value: object, declared: Sequence[Datatype]) -> Tensor:
    if isinstance(value, np.ndarray) and dtypes.supported(value.dtype.newbyteorder("=")):
        array = _native(value)
        natural = dtypes.natural_datatype(array.dtype)
        if not declared or natural in declared:
            return Tensor(array, natural)
        datatype = dtypes.tensor_datatype(array.dtype, declared)
        if datatype in declared:
            return Tensor(array, datatype)
    try:
        array = np.asarray(value)
    except ValueError as exc:  # ragged nested lists
        raise _Refusal(f"parameter '{name}': {exc}") from None
    if array.dtype.kind not in "biuf":
        raise _Refusal(f"parameter '{name}' expects a numeric tensor, got {_describe(value)}")
    kind = {"b": "b", "i": "i", "u": "i", "f": "f"}[array.dtype.kind]
    low, high = (float(array.min()), float(array.max())) if array.size and kind == "i" else (0, 0)
    chosen = _pick(kind, declared, low, high)
    store = dtypes.storage(chosen) if chosen else None
    if chosen is None or store is None:
        wanted = _expected(declared) if declared else "a numeric tensor"
        raise _Refusal(f"parameter '{name}' expects {wanted}, got {_describe(value)}")
    return Tensor(np.ascontiguousarray(array, dtype=store), chosen)
