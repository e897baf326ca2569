"""Quantization of a DSP request: which tensors have a scale and offset, and whether that is what
the op's queryOp asks for.

``quantize`` binds ``quant=`` names (declared names, ``in[i]``, ``out[i]``, tensor params) to the
request's tensors; an integer tensor given a scale and offset becomes fixed-point (UINT_8 ->
UFIXED_POINT_8), a fixed-point one without them is refused. ``check_query`` compares the result
with what queryOp reported: the counts, TF (quantized) or NONE per tensor, and plain layouts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from opgen.model import OpDef
from opgen.runtime import abi, dtypes
from opgen.runtime.abi import dsp as dsp_abi
from opgen.runtime.errors import OpPackageError, OpRequestError
from opgen.runtime.htp_tensors import Quant, pick_quant, quant_names, quantized
from opgen.runtime.request import OpRequest, Tensor, TensorParam, bind_specs, output_names

_TF = dsp_abi.Udo_QuantizationType_t.UDO_QUANTIZATION_TF
_NONE = dsp_abi.Udo_QuantizationType_t.UDO_QUANTIZATION_NONE
_PLAIN = dsp_abi.Udo_HexNNTensorLayout_t.UDO_DSP_TENSOR_LAYOUT_PLAIN
#: queryOp reporting more tensors than this is taken for garbage.
MAX_TENSORS = 4096


@dataclass(frozen=True)
class QuantPlan:
    """Each tensor's scale and offset (None: not quantized), and the names they answer to."""

    inputs: list[Quant | None]
    outputs: list[Quant | None]
    params: dict[str, Quant] = field(default_factory=dict)
    input_names: list[str] = field(default_factory=list)
    output_names: list[str] = field(default_factory=list)


def quantize(
    request: OpRequest, quant: Mapping[str, Any], declaration: OpDef | None
) -> tuple[OpRequest, QuantPlan]:
    op = request.op_type
    given = {
        k: v if isinstance(v, Quant) else Quant(float(v[0]), int(v[1])) for k, v in quant.items()
    }
    specs = bind_specs(declaration.inputs if declaration else (), len(request.inputs))
    names_in = [s.name if s else f"in[{i}]" for i, s in enumerate(specs)]
    names_out = (
        output_names(declaration, len(request.outputs))
        if declaration
        else [f"out[{i}]" for i in range(len(request.outputs))]
    )
    used: set[str] = set()
    q_in = [pick_quant(k, given, used) for k in quant_names(names_in, "in")]
    q_out = [pick_quant(k, given, used) for k in quant_names(names_out, "out")]
    q_params = {p.name: given[p.name] for p in request.params if p.name in given}
    used.update(q_params)
    unknown = sorted(set(given) - used)
    if unknown:
        known = ", ".join([*names_in, *names_out, *(p.name for p in request.params)])
        raise OpRequestError(
            f"--quant names no tensor: {', '.join(unknown)} (tensors: {known})", op=op
        )

    def bound(tensors: Sequence[Tensor], quants: list[Quant | None], names: list[str]) -> Any:
        return tuple(quantized(t, q, n, op) for t, q, n in zip(tensors, quants, names, strict=True))

    params = tuple(
        replace(p, tensor=quantized(p.tensor, q_params.get(p.name), p.name, op))
        if isinstance(p, TensorParam)
        else p
        for p in request.params
    )
    new = replace(
        request,
        inputs=bound(request.inputs, q_in, names_in),
        outputs=bound(request.outputs, q_out, names_out),
        params=params,
    )
    return new, QuantPlan(q_in, q_out, q_params, names_in, names_out)


def set_quant(tensor: abi.Qnn_Tensor_t, quant: Quant | None) -> None:
    """Put a scale and offset into a ``Qnn_Tensor_t`` of the op config (validateOpConfig)."""
    if quant is None:
        return
    params = tensor.v1.quantizeParams
    params.encodingDefinition = abi.Qnn_Definition_t.QNN_DEFINITION_DEFINED
    params.quantizationEncoding = (
        abi.Qnn_QuantizationEncoding_t.QNN_QUANTIZATION_ENCODING_SCALE_OFFSET
    )
    params.scaleOffsetEncoding.scale = quant.scale
    params.scaleOffsetEncoding.offset = quant.offset


def check_query(
    request: OpRequest,
    plan: QuantPlan,
    counts: tuple[int, int],
    arrays: Sequence[Any],
    package: str,
) -> None:
    """Refuse what the op's queryOp does not take: fewer tensors than the request has,
    (un)quantized tensors, D32 layouts."""
    op = request.op_type
    n_in, n_out = counts
    # Fewer is fine (absent optional tensors; validateOpConfig accepted the counts), more is not.
    if n_in < len(request.inputs) or n_out < len(request.outputs) or max(counts) > MAX_TENSORS:
        raise OpPackageError(
            f"queryOp reports {n_in} input(s) and {n_out} output(s); the request has "
            f"{len(request.inputs)} and {len(request.outputs)}",
            package=package,
            op=op,
            stage="queryOp",
        )
    in_quant, in_layout, out_quant, out_layout = arrays
    groups = (
        ("input", "in", request.inputs, plan.input_names, in_quant, in_layout),
        ("output", "out", request.outputs, plan.output_names, out_quant, out_layout),
    )
    for role, prefix, tensors, names, quants, layouts in groups:
        for i, tensor in enumerate(tensors):
            name = names[i] if i < len(names) else f"{prefix}[{i}]"
            label = f"{role} {i}" + (f" '{name}'" if name != f"{prefix}[{i}]" else "")
            if layouts and layouts[i] != _PLAIN:
                raise OpPackageError(
                    f"queryOp asks for layout {layouts[i]} (D32) for {label}: the host runs "
                    "plain tensors only",
                    package=package,
                    op=op,
                    stage="queryOp",
                )
            if not quants:
                continue
            kind = quants[i]
            fixed = tensor.datatype.is_fixed_point
            if kind == _TF and not fixed:
                hint = (
                    f" (give it a scale and offset: --quant {name}=SCALE,OFFSET)"
                    if tensor.datatype.name.startswith("UINT")
                    else ""
                )
                raise OpRequestError(
                    f"{label} is TF-quantized (queryOp) but the request gives "
                    f"{dtypes.short_name(tensor.datatype)}{hint}",
                    package=package,
                    op=op,
                )
            if kind == _NONE and fixed:
                raise OpRequestError(
                    f"{label} is not quantized (queryOp) but the request gives "
                    f"{dtypes.short_name(tensor.datatype)} with a scale and offset",
                    package=package,
                    op=op,
                )
            if kind not in (_TF, _NONE):
                raise OpPackageError(
                    f"queryOp asks for quantization type {kind} for {label} (the host supports "
                    "TF and NONE)",
                    package=package,
                    op=op,
                    stage="queryOp",
                )
