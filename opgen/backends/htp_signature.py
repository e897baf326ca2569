"""How an op's declaration becomes an HTP op function: argument types, registrations, defaults.

The HTP core calls an op function with its outputs (non-const references), then its inputs, then
its parameters (const references, in `DEF_PACKAGE_PARAM_ORDER` order). What opgen decides here,
correcting the vendor generator (VENDOR_FACTS §2.3, §2.4):

- Template parameters: inputs and outputs that accept the same datatype list share one template
  parameter (`TensorType`, `TensorType1`, ...), in order of first use. Every parameter is used.
- Parameter classes follow the datatype (`FLOAT_32` -> `PlainFloatTensor`, `UFIXED_POINT_8` ->
  `QuantUint8Tensor`, ...); a parameter accepting datatypes of several classes, or one with no
  documented HTP dtype, is the generic `Tensor`.
- HTP_FP16: float inputs and outputs are `PlainFloat16Tensor` (flat, so they run on flat FP16
  tensors), registered next to a relaxed-precision rule that routes float32 graphs to them.
- Arity: an op with trailing optional inputs gets one function per accepted input count, since
  the core matches arity exactly (HTP_DSP_FACTS §2.4).
- Defaults: every optional parameter has one (the config layer guarantees it); each becomes a
  `Qnn_Param_t` of the op's own file, scalar or tensor, so nothing leaks across ops.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass

from opgen import naming
from opgen.model import (
    Datatype,
    FillDefault,
    ListDefault,
    OpDef,
    ParamKind,
    RankExpr,
    ScalarDefault,
    SourceLocation,
    TensorSpec,
)

GENERIC = "Tensor"
FP16_FLAT = "PlainFloat16Tensor"

# QNN datatype -> flat HTP tensor class (HTP_DSP_FACTS §2.1 map, §1.7 classes). Datatypes with
# no documented HTP dtype (8/16-bit plain integers, 64-bit, 4-bit, bool) are left out: they
# take the generic `Tensor`, which accepts whatever tensor the core builds.
_FLAT_CLASS = {
    Datatype.FLOAT_32: "PlainFloatTensor",
    Datatype.FLOAT_16: "PlainFloat16Tensor",
    Datatype.INT_32: "Int32Tensor",
    Datatype.UINT_32: "Int32Tensor",
    Datatype.UFIXED_POINT_8: "QuantUint8Tensor",
    Datatype.SFIXED_POINT_8: "QuantInt8Tensor",
    Datatype.UFIXED_POINT_16: "QuantUint16Tensor",
    Datatype.SFIXED_POINT_16: "QuantInt16Tensor",
    Datatype.SFIXED_POINT_32: "QuantInt32Tensor",
    Datatype.UFIXED_POINT_32: "QuantInt32Tensor",
}

# The Qnn_Scalar_t member carrying a value of each datatype, and the datatype written into the
# scalar. A Qnn_Scalar_t holds at most 32 bits, so 64-bit datatypes travel as their 32-bit
# counterpart (the HTP core has no 64-bit dtype either).
_SCALAR_CARRIER = {
    Datatype.FLOAT_32: ("floatValue", Datatype.FLOAT_32),
    Datatype.FLOAT_16: ("floatValue", Datatype.FLOAT_16),
    Datatype.FLOAT_64: ("floatValue", Datatype.FLOAT_32),
    Datatype.INT_32: ("int32Value", Datatype.INT_32),
    Datatype.INT_64: ("int32Value", Datatype.INT_32),
    Datatype.SFIXED_POINT_32: ("int32Value", Datatype.SFIXED_POINT_32),
    Datatype.UINT_32: ("uint32Value", Datatype.UINT_32),
    Datatype.UINT_64: ("uint32Value", Datatype.UINT_32),
    Datatype.UFIXED_POINT_32: ("uint32Value", Datatype.UFIXED_POINT_32),
    Datatype.INT_16: ("int16Value", Datatype.INT_16),
    Datatype.SFIXED_POINT_16: ("int16Value", Datatype.SFIXED_POINT_16),
    Datatype.UINT_16: ("uint16Value", Datatype.UINT_16),
    Datatype.UFIXED_POINT_16: ("uint16Value", Datatype.UFIXED_POINT_16),
    Datatype.INT_8: ("int8Value", Datatype.INT_8),
    Datatype.SFIXED_POINT_8: ("int8Value", Datatype.SFIXED_POINT_8),
    Datatype.SFIXED_POINT_4: ("int8Value", Datatype.SFIXED_POINT_4),
    Datatype.UINT_8: ("uint8Value", Datatype.UINT_8),
    Datatype.UFIXED_POINT_8: ("uint8Value", Datatype.UFIXED_POINT_8),
    Datatype.UFIXED_POINT_4: ("uint8Value", Datatype.UFIXED_POINT_4),
    Datatype.BOOL_8: ("bool8Value", Datatype.BOOL_8),
}

# Element storage of tensor defaults: (C type, struct format, datatype written).
_TENSOR_STORAGE = {
    Datatype.FLOAT_32: ("float", "f", Datatype.FLOAT_32),
    Datatype.FLOAT_64: ("float", "f", Datatype.FLOAT_32),
    Datatype.FLOAT_16: ("uint16_t", "e", Datatype.FLOAT_16),
    Datatype.INT_8: ("int8_t", "b", Datatype.INT_8),
    Datatype.INT_16: ("int16_t", "h", Datatype.INT_16),
    Datatype.INT_32: ("int32_t", "i", Datatype.INT_32),
    Datatype.INT_64: ("int32_t", "i", Datatype.INT_32),
    Datatype.UINT_8: ("uint8_t", "B", Datatype.UINT_8),
    Datatype.UINT_16: ("uint16_t", "H", Datatype.UINT_16),
    Datatype.UINT_32: ("uint32_t", "I", Datatype.UINT_32),
    Datatype.UINT_64: ("uint32_t", "I", Datatype.UINT_32),
    Datatype.BOOL_8: ("uint8_t", "B", Datatype.BOOL_8),
    Datatype.SFIXED_POINT_4: ("int8_t", "b", Datatype.SFIXED_POINT_4),
    Datatype.SFIXED_POINT_8: ("int8_t", "b", Datatype.SFIXED_POINT_8),
    Datatype.SFIXED_POINT_16: ("int16_t", "h", Datatype.SFIXED_POINT_16),
    Datatype.SFIXED_POINT_32: ("int32_t", "i", Datatype.SFIXED_POINT_32),
    Datatype.UFIXED_POINT_4: ("uint8_t", "B", Datatype.UFIXED_POINT_4),
    Datatype.UFIXED_POINT_8: ("uint8_t", "B", Datatype.UFIXED_POINT_8),
    Datatype.UFIXED_POINT_16: ("uint16_t", "H", Datatype.UFIXED_POINT_16),
    Datatype.UFIXED_POINT_32: ("uint32_t", "I", Datatype.UFIXED_POINT_32),
}

# The rank HTP kernels see: every tensor is backfilled to 4-D (HTP_DSP_FACTS §2.1), so a rank
# expression such as `N-1` (the last axis) is evaluated at N = 4.
KERNEL_RANK = 4


class SignatureError(ValueError):
    """A declaration HTP cannot express; `location` is where it is written."""

    def __init__(self, location: SourceLocation, message: str) -> None:
        super().__init__(message)
        self.location = location
        self.message = message


@dataclass(frozen=True)
class Argument:
    """One argument of an op function."""

    name: str
    """As declared: `in[0]`."""
    identifier: str
    """`in_0`: the declared name with an index written as `_<n>` (never renamed otherwise)."""
    cpp_type: str
    """`TensorType`, `PlainFloatTensor`, ..."""
    role: str
    """output, input or parameter."""
    note: str
    """For the comment beside it: datatypes, rank, default."""


@dataclass(frozen=True)
class Registration:
    instance: str
    """`(reluImpl<Tensor>)`: the explicit instance, parenthesised for the macro."""
    cost: str | None
    """None: plain DEF_PACKAGE_OP; else a StandardCosts name (DEF_PACKAGE_OP_AND_COST_AND_FLAGS)."""


@dataclass(frozen=True)
class Fp16Rule:
    """The relaxed-precision rule routing a float32 node to the FP16 registration."""

    operands: tuple[str, ...]
    """Operand tags of the match: inputs, then parameters."""
    cast: tuple[str, ...]
    """The float inputs the replacement casts to Float16."""


@dataclass(frozen=True)
class Variant:
    """One op function: the full arity, or one with trailing optional inputs omitted."""

    function: str
    template_params: tuple[str, ...]
    outputs: tuple[Argument, ...]
    inputs: tuple[Argument, ...]
    params: tuple[Argument, ...]
    omitted: tuple[str, ...]
    registrations: tuple[Registration, ...]
    fp16_rule: Fp16Rule | None

    @property
    def arguments(self) -> tuple[Argument, ...]:
        return self.outputs + self.inputs + self.params


@dataclass(frozen=True)
class ParamDefault:
    """A `Qnn_Param_t` default of one parameter, built once in the op's file."""

    symbol: str
    name: str
    tensor: bool
    datatype: str
    """`QNN_DATATYPE_FLOAT_32`."""
    member: str
    """Scalar: the Qnn_Scalar_t member (`floatValue`)."""
    value: str
    """Scalar: a C++ literal."""
    element_type: str
    """Tensor: the C type of the elements."""
    elements: str
    """Tensor: the initializer list body of the elements."""
    dims: str
    """Tensor: the initializer list body of the dimensions."""
    rank: int
    fixed_point: bool
    note: str


@dataclass(frozen=True)
class OrderEntry:
    name: str
    mandatory: bool
    default: str | None
    """The default's symbol, or None (mandatory parameters)."""


def flat_class(datatypes: tuple[Datatype, ...]) -> str:
    classes = {_FLAT_CLASS.get(d, GENERIC) for d in datatypes}
    return classes.pop() if len(classes) == 1 else GENERIC


def _fp16_class(datatypes: tuple[Datatype, ...]) -> str | None:
    """The class of an FP16 package's tensor: flat FP16 for float ones (relaxed precision)."""
    if any(d in (Datatype.FLOAT_16, Datatype.FLOAT_32) for d in datatypes):
        return FP16_FLAT
    return None


def function_names(ops: tuple[OpDef, ...]) -> dict[str, str]:
    """`<op>Impl` with the first letter lowered, as the vendor's skeleton spells it (`reluImpl`);
    ops whose names differ only there keep their own spelling, so names stay distinct."""
    lowered = [op.name[:1].lower() + op.name[1:] for op in ops]
    return {
        op.name: (low if lowered.count(low) == 1 else op.name) + "Impl"
        for op, low in zip(ops, lowered, strict=True)
    }


def _summary(spec: TensorSpec) -> str:
    names = ", ".join(d.value.removeprefix("QNN_DATATYPE_") for d in spec.datatypes)
    return f"{names}; rank {spec.rank.value}"


def check_op(op: OpDef) -> list[SignatureError]:
    """What HTP cannot express in an op, each at its line."""
    problems = []
    for spec in op.inputs + op.outputs:
        if spec.repeated:
            problems.append(
                SignatureError(
                    spec.location,
                    f"{spec.role.value} '{spec.name}' of op '{op.name}' is Repeated, which HTP op "
                    "packages cannot express (the HTP core matches a fixed number of tensors); "
                    "declare a fixed number of tensors, optional ones last",
                )
            )
    for spec in op.outputs:
        if not spec.mandatory:
            problems.append(
                SignatureError(
                    spec.location,
                    f"output '{spec.name}' of op '{op.name}' is optional, which HTP op packages "
                    "cannot express (every output is an argument of the op function)",
                )
            )
    for spec in op.params:
        if spec.default is not None:
            try:
                param_default(spec)
            except SignatureError as exc:
                problems.append(exc)
    return problems


def variants(op: OpDef, function: str, fp16: bool) -> tuple[Variant, ...]:
    """One variant per accepted input count, the full one first."""
    least = max((i + 1 for i, t in enumerate(op.inputs) if t.mandatory), default=0)
    out = []
    for count in range(len(op.inputs), least - 1, -1):
        omitted = tuple(t.name for t in op.inputs[count:])
        name = function
        if omitted:
            name += "Without_" + naming.tensor_identifier(op.inputs[count].name)
        out.append(_variant(op, name, op.inputs[:count], omitted, fp16))
    return tuple(out)


def _variant(
    op: OpDef, function: str, inputs: tuple[TensorSpec, ...], omitted: tuple[str, ...], fp16: bool
) -> Variant:
    groups: dict[tuple[Datatype, ...], str] = {}
    concrete: list[str] = []

    def type_of(spec: TensorSpec) -> str:
        fixed = _fp16_class(spec.datatypes) if fp16 else None
        if fixed is not None:
            return fixed
        key = tuple(sorted(spec.datatypes, key=lambda d: d.value))
        if key not in groups:
            groups[key] = "TensorType" + (str(len(groups)) if groups else "")
            concrete.append(flat_class(spec.datatypes) if fp16 else GENERIC)
        return groups[key]

    def argument(spec: TensorSpec, cpp_type: str) -> Argument:
        note = _summary(spec)
        return Argument(
            spec.name, naming.tensor_identifier(spec.name), cpp_type, spec.role.value, note
        )

    outputs = tuple(argument(t, type_of(t)) for t in op.outputs)
    ins = tuple(argument(t, type_of(t)) for t in inputs)
    params = tuple(_param_argument(p) for p in op.params)
    template_params = tuple(groups.values())
    instance = function + (f"<{', '.join(concrete)}>" if template_params else "")
    if fp16:
        registrations = (Registration(f"({instance})", "FAST"),)
        rule = None
        if len(op.outputs) == 1 and outputs[0].cpp_type == FP16_FLAT:
            rule = Fp16Rule(
                operands=tuple(a.identifier for a in ins + params),
                cast=tuple(a.identifier for a in ins if a.cpp_type == FP16_FLAT),
            )
    else:
        registrations = (Registration(f"({instance})", None),)
        rule = None
    return Variant(function, template_params, outputs, ins, params, omitted, registrations, rule)


def _param_argument(spec: TensorSpec) -> Argument:
    note = _summary(spec)
    if spec.mandatory:
        note += "; mandatory"
    elif spec.default is not None:
        note += f"; default {spec.default.text}"
    if spec.enum_values:
        note += f"; an enumeration index 0..{len(spec.enum_values) - 1}"
    return Argument(spec.name, spec.name, flat_class(spec.datatypes), spec.role.value, note)


def param_order(op: OpDef) -> tuple[OrderEntry, ...]:
    """`Mandatory` as declared; each optional parameter points at its own default."""
    return tuple(
        OrderEntry(p.name, p.mandatory, None if p.mandatory else default_symbol(p))
        for p in op.params
    )


def default_symbol(spec: TensorSpec) -> str:
    return f"sg_opDefault_{spec.name}"


def param_default(spec: TensorSpec) -> ParamDefault:
    """The `Qnn_Param_t` the core passes when a node omits the (optional) parameter."""
    assert spec.default is not None
    value = spec.default.value
    where = spec.default.location or spec.location
    first = spec.datatypes[0]
    note = f"default {spec.default.text}"
    if spec.kind is not ParamKind.TENSOR:
        assert isinstance(value, ScalarDefault)
        member, carried = _SCALAR_CARRIER[first]
        literal = _scalar_literal(value.value, carried, where, spec.name)
        if isinstance(value.value, RankExpr):
            note += f" (N = {KERNEL_RANK}: HTP kernels see 4-D tensors)"
        return ParamDefault(
            default_symbol(spec), spec.name, False, carried.value, member, literal,
            "", "", "", 0, carried.is_fixed_point, note,
        )  # fmt: skip
    c_type, fmt, carried = _TENSOR_STORAGE[first]
    if isinstance(value, ListDefault):
        leaves = value.leaves()
        dims = _dims(value)
    elif isinstance(value, FillDefault):
        leaves, dims = [value.value], [1]
        note += " (passed as one element: the node decides the length of a fill)"
    else:
        assert isinstance(value, ScalarDefault)
        leaves, dims = [value.value], [1]
    elements = ", ".join(
        _element_literal(v, c_type, fmt, carried, where, spec.name) for v in leaves
    )
    return ParamDefault(
        default_symbol(spec), spec.name, True, carried.value, "", "", c_type,
        elements or "0", ", ".join(f"{d}u" for d in dims), len(dims),
        carried.is_fixed_point, note,
    )  # fmt: skip


def _dims(value: ListDefault) -> list[int]:
    shape = [len(value.values)]
    level: tuple[object, ...] = value.values
    while level and all(isinstance(v, tuple) for v in level):
        lengths = {len(v) for v in level if isinstance(v, tuple)}
        if len(lengths) != 1:
            return [len(value.leaves())]
        shape.append(lengths.pop())
        level = tuple(x for v in level if isinstance(v, tuple) for x in v)
    return shape if math.prod(shape) == len(value.leaves()) else [len(value.leaves())]


def _numeric(v: object, where: SourceLocation, name: str) -> float | int:
    if isinstance(v, RankExpr):
        return v.evaluate(KERNEL_RANK)
    if isinstance(v, bool):
        return int(v)
    assert isinstance(v, int | float)
    return v


def _scalar_literal(v: object, carried: Datatype, where: SourceLocation, name: str) -> str:
    if carried is Datatype.BOOL_8:
        return "1u" if _numeric(v, where, name) else "0u"
    number = _numeric(v, where, name)
    if carried.is_float:
        value = float(number)
        if not math.isfinite(value) or abs(value) > 3.4028234663852886e38:
            raise SignatureError(where, f"default of '{name}' does not fit a 32-bit float")
        text = repr(value)
        return (text if "." in text or "e" in text else text + ".0") + "f"
    return _integer_literal(number, carried, where, name)


def _integer_literal(
    number: float | int, carried: Datatype, where: SourceLocation, name: str
) -> str:
    if isinstance(number, float):
        if not number.is_integer():
            raise SignatureError(
                where,
                f"default {number} of '{name}' is not an integer: HTP passes "
                f"{carried.value} defaults as raw values (scale 1, offset 0)",
            )
        number = int(number)
    low, high = _range(carried)
    if not low <= number <= high:
        raise SignatureError(
            where,
            f"default {number} of '{name}' does not fit {carried.value} ({low}..{high}), "
            "the type a 32-bit Qnn_Scalar_t carries it in",
        )
    if number < -0x7FFFFFFF:
        return f"({number + 1} - 1)"  # INT32_MIN cannot be written as one literal
    return f"{number}" + ("u" if low == 0 else "")


def _range(datatype: Datatype) -> tuple[int, int]:
    bounds = datatype.integer_range
    if bounds is not None:
        return bounds
    bits = int(datatype.name.rsplit("_", 1)[1])
    if datatype.name.startswith("S"):
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def _element_literal(
    v: object, c_type: str, fmt: str, carried: Datatype, where: SourceLocation, name: str
) -> str:
    number = _numeric(v, where, name)
    if fmt == "e":  # FLOAT_16 elements are stored as IEEE half bits
        try:
            bits = struct.unpack("<H", struct.pack("<e", float(number)))[0]
        except OverflowError as exc:
            raise SignatureError(where, f"default of '{name}' does not fit FLOAT_16") from exc
        return f"0x{bits:04X}u"
    if fmt == "f":
        return _scalar_literal(number, Datatype.FLOAT_32, where, name)
    if carried is Datatype.BOOL_8:
        return "1u" if number else "0u"
    return _integer_literal(number, carried, where, name)
