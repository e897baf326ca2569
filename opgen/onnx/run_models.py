"""The model side of :mod:`opgen.onnx.runner`: feeds checked against the graph's inputs, the
custom ops as ``OpRun`` classes, the model's static output types, and the run's error type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import onnx

from opgen.model import OpDef
from opgen.onnx.match import ModelError, NodeMappingError, load_model, node_label
from opgen.runtime.request import output_names

#: What ``onnx.reference`` raises for a model it cannot run (it has no error type of its own).
EVALUATOR_ERRORS = (
    RuntimeError,
    ValueError,
    TypeError,
    NotImplementedError,
    KeyError,
    IndexError,
    AttributeError,
)


class RunError(Exception):
    """A model that cannot run as asked; ``str()`` is one line. ``node`` labels the node it
    concerns (``name``, or ``OpType#index``) and ``op_type`` its type, when it concerns one."""

    def __init__(self, message: str, *, node: str | None = None, op_type: str = "") -> None:
        self.node = node
        self.op_type = op_type
        super().__init__(message)


def prepared(model: onnx.ModelProto | str | PathLike[str]) -> onnx.ModelProto:
    if isinstance(model, onnx.ModelProto):
        return model
    try:
        return load_model(Path(model))
    except ModelError as exc:
        raise RunError(str(exc)) from None


def labels(model: onnx.ModelProto) -> dict[str, str]:
    """Each main-graph node's label, keyed by its first output (what a run can see of it)."""
    return {
        node.output[0]: node_label(node, i)
        for i, node in enumerate(model.graph.node)
        if node.output
    }


def check_feeds(
    model: onnx.ModelProto, inputs: Mapping[str, npt.ArrayLike]
) -> dict[str, npt.NDArray[Any]]:
    """The inputs as arrays, checked against the graph's inputs (names, dtypes, static dims)."""
    from onnx.helper import tensor_dtype_to_np_dtype

    initialized = {t.name for t in model.graph.initializer}
    graph_inputs = [i for i in model.graph.input if i.name not in initialized]
    names = [i.name for i in graph_inputs]
    unknown = [n for n in inputs if n not in names and n not in initialized]
    if unknown:
        raise RunError(f"the model has no input '{unknown[0]}' (inputs: {', '.join(names)})")
    feeds: dict[str, npt.NDArray[Any]] = {}
    for value in graph_inputs:
        if value.name not in inputs:
            raise RunError(
                f"missing input '{value.name}' (the model's inputs: {', '.join(names)}): "
                f"give -i {value.name}=FILE.npy"
            )
        array = np.asarray(inputs[value.name])
        tensor = value.type.tensor_type
        if value.type.HasField("tensor_type") and tensor.elem_type:
            expected = np.dtype(tensor_dtype_to_np_dtype(tensor.elem_type))
            if array.dtype != expected:
                raise RunError(
                    f"input '{value.name}' is {array.dtype}; the model declares {expected}"
                )
        if tensor.HasField("shape"):
            dims = [d.dim_value if d.HasField("dim_value") else None for d in tensor.shape.dim]
            fits = len(dims) == array.ndim and all(
                d is None or d == n for d, n in zip(dims, array.shape, strict=True)
            )
            if not fits:
                shown = ["?" if d is None else d for d in dims]
                raise RunError(
                    f"input '{value.name}' has shape {list(array.shape)}; the model declares "
                    f"{shown}".replace("'?'", "?")
                )
        feeds[value.name] = array
    for name in inputs:
        if name in initialized:
            feeds[name] = np.asarray(inputs[name])  # overrides an initializer, as ORT allows
    return feeds


def output_types(model: onnx.ModelProto) -> dict[str, tuple[tuple[int, ...], np.dtype[Any]]]:
    """The tensors whose static shape and dtype the model states (value_info and outputs)."""
    from onnx.helper import tensor_dtype_to_np_dtype

    known: dict[str, tuple[tuple[int, ...], np.dtype[Any]]] = {}
    for value in [*model.graph.value_info, *model.graph.output]:
        tensor = value.type.tensor_type
        if not (value.type.HasField("tensor_type") and tensor.elem_type):
            continue
        if not tensor.HasField("shape"):
            continue
        if not all(d.HasField("dim_value") for d in tensor.shape.dim):
            continue
        shape = tuple(int(d.dim_value) for d in tensor.shape.dim)
        known[value.name] = (shape, np.dtype(tensor_dtype_to_np_dtype(tensor.elem_type)))
    return known


def with_domains(
    model: onnx.ModelProto, impls: Mapping[tuple[str, str], object]
) -> onnx.ModelProto:
    """``model``, or a copy whose opset_import names every custom domain (the evaluator refuses
    a node of an unlisted domain; ``opgen onnx check`` reports it, a host run need not fail)."""
    listed = {o.domain for o in model.opset_import}
    missing = sorted({domain for domain, _ in impls} - listed)
    if not missing:
        return model
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    for domain in missing:
        copy.opset_import.append(onnx.helper.make_opsetid(domain, 1))
    return copy


Implementation = Callable[[onnx.NodeProto, OpDef, list[Any]], list[Any]]


def custom_op_class(
    domain: str,
    op_type: str,
    op: OpDef,
    impl: Implementation,
    records: dict[str, tuple[str, dict[str, npt.NDArray[Any]]]],
    node_labels: Mapping[str, str],
) -> type[Any]:
    """An ``OpRun`` subclass for nodes of (``domain``, ``op_type``) that runs them through
    ``impl`` and keeps each node's type and outputs in ``records`` under the node's label."""
    from onnx.reference.op_run import OpRun

    def _run(self: OpRun, *inputs: Any, **attributes: Any) -> tuple[Any, ...]:
        node: onnx.NodeProto = self.onnx_node
        label = node_labels.get(node.output[0] if node.output else "", node.name or op_type)
        arrays = list(inputs)
        while arrays and arrays[-1] is None:  # omitted optional inputs at the end
            arrays.pop()
        if any(a is None for a in arrays):
            raise RunError(
                "an optional input is omitted before a given one: the package cannot bind it",
                node=label,
                op_type=op_type,
            )
        try:
            results = impl(node, op, [np.asarray(a) for a in arrays])
        except NodeMappingError as exc:
            message = str(exc).removeprefix(f"node '{node.name or node.op_type}': ")
            raise RunError(message, node=label, op_type=op_type) from None
        except RunError as exc:
            if exc.node is not None:
                raise
            raise RunError(str(exc), node=label, op_type=op_type) from None
        names = output_names(op, len(results)) if op.outputs else []
        names += [f"out[{i}]" for i in range(len(names), len(results))]
        records[label] = (op_type, {n: np.asarray(r) for n, r in zip(names, results, strict=True)})
        return tuple(np.asarray(r) for r in results)

    return type(op_type, (OpRun,), {"op_domain": domain, "_run": _run})
