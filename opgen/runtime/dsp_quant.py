"""Whether a DSP request's quantization (opgen.runtime.quant) is what the op's queryOp asks for:
``check_query`` compares the counts, TF (quantized) or NONE per tensor, and plain layouts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opgen.runtime import dtypes
from opgen.runtime.abi import dsp as dsp_abi
from opgen.runtime.errors import OpPackageError, OpRequestError
from opgen.runtime.quant import QuantPlan
from opgen.runtime.request import OpRequest

_TF = dsp_abi.Udo_QuantizationType_t.UDO_QUANTIZATION_TF
_NONE = dsp_abi.Udo_QuantizationType_t.UDO_QUANTIZATION_NONE
_PLAIN = dsp_abi.Udo_HexNNTensorLayout_t.UDO_DSP_TENSOR_LAYOUT_PLAIN
#: queryOp reporting more tensors than this is taken for garbage.
MAX_TENSORS = 4096


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
