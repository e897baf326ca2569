"""Scales and offsets of a quantized request (HTP and DSP): which tensor each ``quant=`` name
(a declared name, ``in[i]``, ``out[i]``, a tensor param) means, the request with those tensors
made fixed-point, and the op config of validateOpConfig carrying them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from opgen.model import OpDef
from opgen.runtime import abi
from opgen.runtime.errors import OpRequestError
from opgen.runtime.htp_tensors import Quant, pick_quant, quant_names, quantized
from opgen.runtime.request import OpRequest, Tensor, TensorParam, bind_specs, output_names


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


def set_quants(config: abi.Qnn_OpConfig_t, request: OpRequest, plan: QuantPlan) -> None:
    """Every quantized tensor's scale and offset into the op config built for ``request``."""
    v1 = config.v1
    for i, q in enumerate(plan.inputs):
        set_quant(v1.inputTensors[i], q)
    for i, q in enumerate(plan.outputs):
        set_quant(v1.outputTensors[i], q)
    for i, p in enumerate(request.params):
        if isinstance(p, TensorParam):
            set_quant(v1.params[i].tensorParam, plan.params.get(p.name))
