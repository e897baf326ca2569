"""What a model says about its tensors: element types and shapes, after ONNX shape inference.

The vendor converter reads a custom node's tensor dtypes from the graph inputs, outputs and
value_info (CONVERTER_FACTS §1.5), and its output shapes from graph outputs then value_info
(§1.6); initializers count too. :func:`model_facts` collects them from a copy of the model in
which ONNX shape inference ran (custom domains missing from ``opset_import`` are added to the
copy first, since inference refuses the model otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import onnx
from onnx import TensorProto

from opgen.model import Datatype
from opgen.shapes.evaluate import TensorFacts

#: ONNX element types with a QNN datatype (ONNX has no fixed-point types: §1.5).
ELEM_DATATYPES: dict[int, Datatype] = {
    TensorProto.FLOAT: Datatype.FLOAT_32,
    TensorProto.FLOAT16: Datatype.FLOAT_16,
    TensorProto.DOUBLE: Datatype.FLOAT_64,
    TensorProto.INT8: Datatype.INT_8,
    TensorProto.INT16: Datatype.INT_16,
    TensorProto.INT32: Datatype.INT_32,
    TensorProto.INT64: Datatype.INT_64,
    TensorProto.UINT8: Datatype.UINT_8,
    TensorProto.UINT16: Datatype.UINT_16,
    TensorProto.UINT32: Datatype.UINT_32,
    TensorProto.UINT64: Datatype.UINT_64,
    TensorProto.BOOL: Datatype.BOOL_8,
}

Dim = int | str | None
"""A dim: its value, its dim_param name, or None (unknown)."""


def elem_type_name(elem_type: int) -> str:
    return str(TensorProto.DataType.Name(elem_type)) if elem_type else "UNDEFINED"


@dataclass(frozen=True)
class TensorType:
    elem_type: int
    """The ONNX element type (0 when unknown)."""
    shape: tuple[Dim, ...] | None
    """None when the rank is unknown."""

    @property
    def datatype(self) -> Datatype | None:
        return ELEM_DATATYPES.get(self.elem_type)

    @property
    def full_shape(self) -> bool:
        """Every dim given, as a value or a dim_param."""
        return self.shape is not None and all(d is not None for d in self.shape)

    def facts(self) -> TensorFacts:
        return TensorFacts(self.shape, self.datatype)


@dataclass(frozen=True)
class ModelFacts:
    types: dict[str, TensorType] = field(default_factory=dict)
    initializers: frozenset[str] = frozenset()
    inference_error: str | None = None
    """ONNX shape inference's message when it failed (the facts then come from the model as is)."""

    def type_of(self, name: str) -> TensorType | None:
        return self.types.get(name)


def model_facts(model: onnx.ModelProto) -> ModelFacts:
    copy = onnx.ModelProto()
    copy.CopyFrom(model)
    imported = {o.domain for o in copy.opset_import}
    for node in copy.graph.node:
        if node.domain not in imported and node.domain not in ("", "ai.onnx"):
            copy.opset_import.append(onnx.helper.make_opsetid(node.domain, 1))
            imported.add(node.domain)
    error = None
    try:
        inferred = onnx.shape_inference.infer_shapes(copy)
    except (onnx.shape_inference.InferenceError, onnx.checker.ValidationError) as exc:
        error = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        inferred = copy
    graph = inferred.graph
    types: dict[str, TensorType] = {}
    for init in graph.initializer:
        types[init.name] = TensorType(init.data_type, tuple(int(d) for d in init.dims))
    for info in (*graph.input, *graph.value_info, *graph.output):
        if info.type.HasField("tensor_type"):
            found = _tensor_type(info.type.tensor_type)
            known = types.get(info.name)
            if known is None or (known.elem_type == 0 or known.shape is None):
                types[info.name] = found
    return ModelFacts(
        types=types,
        initializers=frozenset(i.name for i in graph.initializer),
        inference_error=error,
    )


def _tensor_type(t: onnx.TypeProto.Tensor) -> TensorType:
    if not t.HasField("shape"):
        return TensorType(t.elem_type, None)
    dims: list[Dim] = []
    for d in t.shape.dim:
        if d.HasField("dim_value"):
            dims.append(int(d.dim_value))
        elif d.HasField("dim_param") and d.dim_param:
            dims.append(str(d.dim_param))
        else:
            dims.append(None)
    return TensorType(t.elem_type, tuple(dims))
