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

from dataclasses import dataclass

from opgen import naming
from opgen.backends.htp_defaults import SignatureError, param_default
from opgen.escaping import FreeText
from opgen.model import Datatype, OpDef, TensorSpec

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
    note: FreeText
    """For the comment beside it: datatypes, rank, default (config text)."""


@dataclass(frozen=True)
class Registration:
    instance: str
    """`(reluImpl<Tensor>)`: the explicit instance, parenthesised for the macro."""
    cost: str | None
    """None: plain DEF_PACKAGE_OP; else a StandardCosts name (DEF_PACKAGE_OP_AND_COST_AND_FLAGS)."""


@dataclass(frozen=True)
class RuleOperand:
    tag: str
    cast: bool
    """A float input the replacement casts to Float16."""


@dataclass(frozen=True)
class Fp16Rule:
    """The relaxed-precision rule routing a float32 node to the FP16 registration."""

    operands: tuple[RuleOperand, ...]
    """Operands of the match: inputs, then parameters (which the core appends as inputs)."""


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
    specialised: str
    """An example of a further, specialised instance for the comments (crouton FP16 for the
    device, or flat float32)."""

    @property
    def arguments(self) -> tuple[Argument, ...]:
        return self.outputs + self.inputs + self.params


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


def _summary(spec: TensorSpec) -> str:
    names = ", ".join(d.value.removeprefix("QNN_DATATYPE_") for d in spec.datatypes)
    return f"{names}; rank {spec.rank.value}"


def check_op(op: OpDef) -> list[SignatureError]:
    """What HTP cannot express in an op, each at its line: the guard of generation. The config
    checks report the same (opgen/config/checks.py), once the op's defaults are valid."""
    return signature_problems(op) + default_problems(op)


def signature_problems(op: OpDef) -> list[SignatureError]:
    """Tensors and parameters that cannot be arguments of an HTP op function."""
    problems = []
    for spec in op.tensors():
        identifier = naming.tensor_identifier(spec.name)
        if naming.identifier_problem(identifier):
            continue  # not an identifier at all: the name checks report it
        problem = naming.htp_argument_problem(identifier)
        if problem:
            problems.append(
                SignatureError(
                    spec.name_at,
                    f"{spec.role.value} name '{spec.name}' of op '{op.name}' {problem}; rename it",
                )
            )
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
    return problems


def default_problems(op: OpDef) -> list[SignatureError]:
    """Defaults HTP cannot pass (checked once they fit their declared datatypes)."""
    problems = []
    for spec in op.params:
        if spec.default is not None and Datatype.BACKEND_SPECIFIC not in spec.datatypes:
            try:
                param_default(spec)
            except SignatureError as exc:
                problems.append(exc)
    return problems


def arities(op: OpDef, function: str) -> tuple[tuple[int, str], ...]:
    """(input count, function name) of each op function, the full arity first: one per accepted
    input count (trailing optional inputs omitted)."""
    least = max((i + 1 for i, t in enumerate(op.inputs) if t.mandatory), default=0)
    return tuple(
        (count, naming.htp_arity_function(function, op.inputs[count].name))
        if count < len(op.inputs)
        else (count, function)
        for count in range(len(op.inputs), least - 1, -1)
    )


def variants(op: OpDef, function: str, fp16: bool) -> tuple[Variant, ...]:
    """One variant per accepted input count, the full one first."""
    return tuple(
        _variant(op, name, op.inputs[:count], tuple(t.name for t in op.inputs[count:]), fp16)
        for count, name in arities(op, function)
    )


def _variant(
    op: OpDef, function: str, inputs: tuple[TensorSpec, ...], omitted: tuple[str, ...], fp16: bool
) -> Variant:
    groups: dict[tuple[Datatype, ...], str] = {}
    concrete: dict[str, str] = {}  # template parameter -> the class it is registered with

    def argument(spec: TensorSpec) -> Argument:
        key = tuple(sorted(spec.datatypes, key=lambda d: d.value))
        if key not in groups:
            name = "TensorType" + (str(len(groups)) if groups else "")
            groups[key] = name
            concrete[name] = (
                (_fp16_class(spec.datatypes) or flat_class(spec.datatypes)) if fp16 else GENERIC
            )
        return Argument(
            spec.name,
            naming.tensor_identifier(spec.name),
            groups[key],
            spec.role.value,
            FreeText(_summary(spec)),
        )

    outputs = tuple(argument(t) for t in op.outputs)
    ins = tuple(argument(t) for t in inputs)
    params = tuple(_param_argument(p) for p in op.params)
    template_params = tuple(groups.values())
    instance = f"({function}<{', '.join(concrete[t] for t in template_params)}>)"
    rule = None
    if fp16:
        registrations = (Registration(instance, "FAST"),)
        if len(outputs) == 1 and concrete[outputs[0].cpp_type] == FP16_FLAT:
            rule = Fp16Rule(
                tuple(
                    RuleOperand(
                        a.identifier, a.role == "input" and concrete[a.cpp_type] == FP16_FLAT
                    )
                    for a in ins + params
                )
            )
    else:
        registrations = (Registration(instance, None),)
    first = "F16CroutonTensor" if fp16 else "PlainFloatTensor"
    specialised = f"({function}<{', '.join([first, *(concrete[t] for t in template_params[1:])])}>)"
    return Variant(
        function, template_params, outputs, ins, params, omitted, registrations, rule, specialised
    )


def _param_argument(spec: TensorSpec) -> Argument:
    note = FreeText(_summary(spec))
    if spec.mandatory:
        note += "; mandatory"
    elif spec.default is not None:
        note += "; default " + FreeText(spec.default.text)
    if spec.enum_values:
        note += f"; an enumeration index 0..{len(spec.enum_values) - 1}"
    return Argument(spec.name, spec.name, flat_class(spec.datatypes), spec.role.value, note)


def param_order(op: OpDef) -> tuple[OrderEntry, ...]:
    """`Mandatory` as declared; each optional parameter points at its own default."""
    return tuple(
        OrderEntry(p.name, p.mandatory, None if p.mandatory else naming.htp_default_symbol(p.name))
        for p in op.params
    )
