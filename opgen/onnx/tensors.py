"""ONNX element types and tensor types against QNN datatypes and the rules' tensor facts.

ONNX has no fixed-point types: a quantized QNN tensor is stored as the integer of its width, so
writing a dtype maps UFIXED_POINT_8 to uint8 (as the converter reads it back: uint8 -> UINT_8,
CONVERTER_FACTS §1.5). Reading an ONNX type gives the plain integer datatype, never a fixed one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import onnx
from onnx import TensorProto

from opgen.model import Datatype
from opgen.onnx.facts import ELEM_DATATYPES
from opgen.shapes.evaluate import TensorFacts
from opgen.shapes.symbolic import SymDim

# What the converter makes of each ONNX element type (via numpy, CONVERTER_FACTS §1.5).
_FROM_ONNX: dict[int, Datatype] = ELEM_DATATYPES

_TO_ONNX: dict[Datatype, int] = {d: e for e, d in _FROM_ONNX.items()}
_TO_ONNX.update(
    {
        Datatype.SFIXED_POINT_8: TensorProto.INT8,
        Datatype.SFIXED_POINT_16: TensorProto.INT16,
        Datatype.SFIXED_POINT_32: TensorProto.INT32,
        Datatype.UFIXED_POINT_8: TensorProto.UINT8,
        Datatype.UFIXED_POINT_16: TensorProto.UINT16,
        Datatype.UFIXED_POINT_32: TensorProto.UINT32,
    }
)
# 4-bit element types exist from onnx 1.16 on.
for _name, _dt in (("INT4", Datatype.SFIXED_POINT_4), ("UINT4", Datatype.UFIXED_POINT_4)):
    if hasattr(TensorProto, _name):
        _TO_ONNX[_dt] = int(getattr(TensorProto, _name))

Dim = int | str | SymDim | None


def datatype_of(elem_type: int) -> Datatype | None:
    """The QNN datatype the converter gives an ONNX element type (None: no QNN equivalent)."""
    return _FROM_ONNX.get(elem_type)


def elem_type_of(datatype: Datatype) -> int | None:
    """The ONNX element type that stores a QNN datatype (None: none does)."""
    return _TO_ONNX.get(datatype)


def elem_type_name(elem_type: int) -> str:
    return str(TensorProto.DataType.Name(elem_type)).lower() if elem_type else "undefined"


def dims_of(t: onnx.TypeProto) -> tuple[int | str | None, ...] | None:
    """A tensor type's dims (ints, dim_param strings, None for unknown); None for no shape."""
    if t.WhichOneof("value") != "tensor_type" or not t.tensor_type.HasField("shape"):
        return None
    out: list[int | str | None] = []
    for d in t.tensor_type.shape.dim:
        kind = d.WhichOneof("value")
        out.append(d.dim_value if kind == "dim_value" else d.dim_param if kind else None)
    return tuple(out)


def facts_of(t: onnx.TypeProto | None) -> TensorFacts:
    """What the rules may know of a tensor of this type."""
    if t is None or t.WhichOneof("value") != "tensor_type":
        return TensorFacts(None, None)
    return TensorFacts(dims_of(t), datatype_of(t.tensor_type.elem_type))


def tensor_type(elem_type: int, dims: Sequence[Dim] | None) -> onnx.TypeProto:
    """A tensor type; a SymDim becomes its text as a dim_param, None an unknown dim."""
    t = onnx.TypeProto()
    t.tensor_type.elem_type = elem_type
    if dims is not None:
        shape = t.tensor_type.shape
        shape.SetInParent()  # a rank-0 shape is a shape, not an absent one
        for d in dims:
            dim = shape.dim.add()
            if isinstance(d, int):
                dim.dim_value = d
            elif d is not None:
                dim.dim_param = str(d)
    return t


def is_complete(t: onnx.TypeProto | None) -> bool:
    """Known element type and every dim known (a value or a name)."""
    if t is None or t.WhichOneof("value") != "tensor_type" or not t.tensor_type.elem_type:
        return False
    dims = dims_of(t)
    return dims is not None and all(d is not None for d in dims)


def show_dims(dims: Sequence[object] | None) -> str:
    if dims is None:
        return "unknown rank"
    return "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"


#: The domains of ONNX's own operators (the default domain has two spellings).
STANDARD_DOMAINS = ("", "ai.onnx")


def types_of(graph: onnx.GraphProto) -> dict[str, onnx.TypeProto]:
    """Every type the graph states: initializers, then inputs, value_info and outputs."""
    types: dict[str, onnx.TypeProto] = {}
    for init in graph.initializer:
        types[init.name] = tensor_type(init.data_type, list(init.dims))
    for group in (graph.input, graph.value_info, graph.output):
        for v in group:
            if v.HasField("type"):
                types[v.name] = v.type
    return types


def add_domains(model: onnx.ModelProto, domains: Iterable[str]) -> tuple[str, ...]:
    """Add each domain missing from ``opset_import`` at version 1; the ones added."""
    have = {o.domain for o in model.opset_import}
    added: list[str] = []
    for domain in domains:
        if domain not in have and domain not in STANDARD_DOMAINS:
            model.opset_import.append(onnx.helper.make_opsetid(domain, 1))
            have.add(domain)
            added.append(domain)
    return tuple(added)
