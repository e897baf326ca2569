"""An HTP package's op registry as the runtime reads it (opgen host ABI), and choosing the
registration that runs a node the way the HTP backend does.

A registration is valid for a node when its output and input counts match (inputs include the
params), every generic ``Tensor`` argument takes any flat tensor, and every concrete argument
matches the tensor's DType and rank exactly; crouton, TCM, shape and scalar types are never valid
on the host (only optimization rules and layout migration create them). Among the valid ones the
lowest cost wins (a cost function is evaluated on the node); ties go to registration order.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from opgen.runtime.abi import htp as htp_abi
from opgen.runtime.errors import OpPackageError, PackageLoadError
from opgen.runtime.htp_tensors import DType, Signature, param_from_c
from opgen.runtime.request import Param

Kind = htp_abi.OpgenHtpArgKind


@dataclass(frozen=True)
class HtpArg:
    type_name: str
    tag: str
    is_output: bool
    kind: Kind
    dtype: int
    rank: int
    tcm: bool

    def refuses(self, signature: Signature) -> str | None:
        """Why this argument cannot take a tensor (None: it can)."""
        if self.kind is Kind.OPGEN_HTP_ARG_GENERIC:
            return None
        if self.kind is Kind.OPGEN_HTP_ARG_CHUNKED:
            return f"{self.type_name} is a crouton layout (device only)"
        if self.kind is not Kind.OPGEN_HTP_ARG_FLAT:
            return f"{self.type_name} is made by optimization rules only"
        if self.tcm:
            return f"{self.type_name} lives in TCM (the host has none)"
        if self.dtype != signature.dtype or self.rank != signature.rank:
            wanted = Signature(DType(self.dtype), self.rank)
            return f"{self.type_name} takes {wanted}, got {signature}"
        return None


@dataclass(frozen=True)
class HtpRegistration:
    index: int
    op_name: str
    function: str
    type_suffix: str
    location: str
    outputs: tuple[HtpArg, ...]
    inputs: tuple[HtpArg, ...]
    has_cost_function: bool
    cost: float
    flags: int

    def refuses(self, outputs: Sequence[Signature], inputs: Sequence[Signature]) -> str | None:
        if len(outputs) != len(self.outputs) or len(inputs) != len(self.inputs):
            return (
                f"takes {len(self.outputs)} output(s) and {len(self.inputs)} input(s) with "
                f"params, the node has {len(outputs)} and {len(inputs)}"
            )
        for role, args, signatures in (
            ("output", self.outputs, outputs),
            ("input", self.inputs, inputs),
        ):
            for i, (arg, signature) in enumerate(zip(args, signatures, strict=True)):
                reason = arg.refuses(signature)
                if reason:
                    return f"{role} {i}: {reason}"
        return None

    def to_json(self) -> dict[str, object]:
        return {
            "function": self.function,
            "types": self.type_suffix,
            "outputs": [a.type_name for a in self.outputs],
            "inputs": [a.type_name for a in self.inputs],
            "cost": "function" if self.has_cost_function else self.cost,
            "flags": self.flags,
            "location": self.location,
        }


@dataclass(frozen=True)
class ParamOrderEntry:
    name: str
    mandatory: bool
    default: Param | None


@dataclass(frozen=True)
class HtpRegistry:
    package_name: str
    registrations: tuple[HtpRegistration, ...]
    param_orders: dict[str, tuple[ParamOrderEntry, ...]]
    axis_params: frozenset[str]
    per_channel_ops: tuple[str, ...]
    ignored_rules: int
    empty_declarations: tuple[str, ...]

    def for_op(self, op: str) -> list[HtpRegistration]:
        return [r for r in self.registrations if r.op_name == op]


def _text(value: bytes | None) -> str:
    return value.decode("utf-8", "replace") if value else ""


def _strings(pointer: ctypes._Pointer[ctypes.c_char_p], count: int) -> list[str]:
    return [_text(pointer[i]) for i in range(count)]


def read_registry(
    function: Callable[[], ctypes._Pointer[htp_abi.OpgenHtpRegistry]], label: str
) -> HtpRegistry:
    pointer = function()
    if not pointer:
        raise PackageLoadError(f"{htp_abi.REGISTRY_SYMBOL} returned NULL", package=label)
    raw = pointer.contents
    if raw.abi_version != htp_abi.OPGEN_HTP_HOST_ABI_VERSION:
        raise PackageLoadError(
            f"the package speaks opgen HTP host ABI {raw.abi_version}, the runtime "
            f"{htp_abi.OPGEN_HTP_HOST_ABI_VERSION}: rebuild it with this opgen",
            package=label,
        )
    registrations = []
    for i in range(raw.num_registrations):
        r = raw.registrations[i]
        args = [
            HtpArg(
                _text(a.type_name),
                _text(a.tag),
                bool(a.is_output),
                Kind(a.kind),
                a.dtype,
                a.rank,
                a.memory_class == 1,
            )
            for a in (r.args[k] for k in range(r.num_outputs + r.num_inputs))
        ]
        registrations.append(
            HtpRegistration(
                index=i,
                op_name=_text(r.op_name),
                function=_text(r.function).strip("()"),
                type_suffix=_text(r.type_suffix),
                location=f"{_text(r.file)}:{r.line}",
                outputs=tuple(args[: r.num_outputs]),
                inputs=tuple(args[r.num_outputs :]),
                has_cost_function=bool(r.has_cost_function),
                cost=r.cost,
                flags=r.flags,
            )
        )
    orders: dict[str, tuple[ParamOrderEntry, ...]] = {}
    for i in range(raw.num_param_orders):
        order = raw.param_orders[i]
        entries = []
        for k in range(order.num_entries):
            e = order.entries[k]
            name = _text(e.name)
            default = param_from_c(name, e.default_value.contents) if e.default_value else None
            entries.append(ParamOrderEntry(name, bool(e.mandatory), default))
        orders[_text(order.op_name)] = tuple(entries)
    return HtpRegistry(
        package_name=_text(raw.package_name),
        registrations=tuple(registrations),
        param_orders=orders,
        axis_params=frozenset(_strings(raw.axis_params, raw.num_axis_params)),
        per_channel_ops=tuple(_strings(raw.per_channel_ops, raw.num_per_channel_ops)),
        ignored_rules=raw.num_ignored_rules,
        empty_declarations=tuple(_strings(raw.empty_declarations, raw.num_empty_declarations)),
    )


def select(
    candidates: Sequence[HtpRegistration],
    outputs: Sequence[Signature],
    inputs: Sequence[Signature],
    cost_of: Callable[[HtpRegistration], float],
    *,
    package: str,
    op: str,
) -> HtpRegistration:
    """The registration that runs the node; OpPackageError saying why each one cannot."""
    valid = [r for r in candidates if r.refuses(outputs, inputs) is None]
    if not valid:
        node = f"({', '.join(map(str, inputs))}) -> ({', '.join(map(str, outputs))})"
        reasons = "; ".join(f"{r.function}: {r.refuses(outputs, inputs)}" for r in candidates)
        raise OpPackageError(
            f"no registration runs {node} on the host"
            + (f" ({reasons})" if reasons else " (the package registers no DEF_PACKAGE_OP for it)"),
            package=package,
            op=op,
        )
    costs = [cost_of(r) for r in valid]
    best = min(range(len(valid)), key=lambda i: (costs[i], valid[i].index))
    return valid[best]


def cost_name(registration: HtpRegistration) -> str:
    """The cost as the registration gave it: a named cost, a number, or "function"."""
    if registration.has_cost_function:
        return "function"
    names = {
        2.0**48: "GLACIAL",
        2.0**32: "SNAIL",
        2.0**8: "FAST",
        2.0**-64: "FREE",
        2.0**50: "DISABLE",
    }
    return names.get(registration.cost, f"{registration.cost:g}")
