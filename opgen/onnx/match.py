"""Custom nodes of an ONNX model, found as the vendor converter finds them, and their params.

CONVERTER_FACTS §1.3: a node is custom when its ``op_type`` equals an OpDef ``Name`` compared
case-insensitively; the node's domain is never consulted, nothing but the main graph is searched,
and ops with ``UseDefaultTranslation`` are converted natively, so they match nothing here. When
two packages declare the same (lower-cased) name, the last one wins, as the converter's package
lookup does (§1.7).

§1.4: params are matched to attributes by exact name, in XML order; an absent attribute takes the
XML ``Default``. :func:`node_params` gives Python values keyed by the XML param name:

* scalars as int / float / bool (an enum as its index, from an INT or its label as a STRING);
* INTS / FLOATS as lists, a TENSOR attribute as a numpy array (its dtype kept);
* defaults as the config wrote them: lists nested, ``N-1`` against ``input_rank``; a
  ``{v,..,v}`` default (its length is the kernel's choice) and an absent optional param without
  default are left out (the shape evaluator and the runtime apply their own defaults).

What cannot be mapped raises :class:`NodeMappingError` naming the node, the param and the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import onnx
from google.protobuf.message import DecodeError  # type: ignore[import-untyped]
from onnx import AttributeProto

from opgen.model import (
    FillDefault,
    ListDefault,
    Nested,
    OpDef,
    Package,
    ParamKind,
    RankExpr,
    ScalarDefault,
    TensorSpec,
)

__all__ = [
    "CustomNode",
    "ModelError",
    "NodeMappingError",
    "attribute_type_name",
    "attribute_value",
    "custom_nodes",
    "load_model",
    "node_label",
    "node_params",
]


class ModelError(Exception):
    """A model file that cannot be read; ``str()`` is one line starting with the path."""


class NodeMappingError(Exception):
    """A node's attributes do not map to its op's params; ``str()`` is one line."""

    def __init__(self, message: str, *, param: str | None = None) -> None:
        self.param = param
        super().__init__(message)


def load_model(path: str | PathLike[str], *, external_data: bool = True) -> onnx.ModelProto:
    """Read an ONNX model file (raises :class:`ModelError` for a missing, unreadable or corrupt
    file, and for one that parses but holds no model)."""
    shown = Path(path)
    try:
        model = onnx.load(str(path), load_external_data=external_data)
    except FileNotFoundError:
        raise ModelError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise ModelError(f"{shown}: is a directory, not an ONNX model file") from None
    except OSError as exc:
        raise ModelError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    except DecodeError:
        raise ModelError(
            f"{shown}: not an ONNX model (the file is truncated or is not ONNX protobuf)"
        ) from None
    except (onnx.checker.ValidationError, ValueError) as exc:  # external data outside the model
        raise ModelError(f"{shown}: cannot load the model: {exc}") from None
    if model.ir_version == 0 and not model.HasField("graph"):
        raise ModelError(f"{shown}: not an ONNX model (no graph, no IR version)")
    return model


@dataclass(frozen=True)
class CustomNode:
    """A node of the main graph that the vendor converter would treat as the custom op ``op``."""

    node: onnx.NodeProto
    index: int
    """The node's position in ``graph.node``."""
    op: OpDef
    package: Package
    exact_case: bool
    """False when only a case-insensitive comparison matches op_type and the OpDef Name."""

    @property
    def label(self) -> str:
        """The node's name, or ``<op_type>#<index>`` when it has none."""
        return node_label(self.node, self.index)


def node_label(node: onnx.NodeProto, index: int) -> str:
    return node.name or f"{node.op_type}#{index}"


def custom_nodes(model: onnx.ModelProto, packages: Sequence[Package]) -> list[CustomNode]:
    """The custom nodes of ``model``'s main graph, in graph order."""
    by_name: dict[str, tuple[OpDef, Package]] = {}
    for package in packages:
        for op in package.ops:
            if not op.use_default_translation:
                by_name[op.name.lower()] = (op, package)
    found: list[CustomNode] = []
    for index, node in enumerate(model.graph.node):
        hit = by_name.get(node.op_type.lower())
        if hit is not None:
            op, package = hit
            found.append(CustomNode(node, index, op, package, node.op_type == op.name))
    return found


_TYPE_NAMES = {value: name for name, value in AttributeProto.AttributeType.items()}


def attribute_type_name(attr: onnx.AttributeProto) -> str:
    return str(_TYPE_NAMES.get(attr.type, f"type {attr.type}"))


def node_params(
    node: onnx.NodeProto, op: OpDef, *, input_rank: int | None = None
) -> dict[str, object]:
    """The node's params as Python values keyed by XML param name, defaults applied."""
    attributes = {a.name: a for a in node.attribute}
    values: dict[str, object] = {}
    for spec in op.params:
        attr = attributes.get(spec.name)
        if attr is not None:
            values[spec.name] = attribute_value(attr, spec, node=node.name or node.op_type)
            continue
        if spec.default is None:
            if spec.mandatory:
                raise NodeMappingError(
                    f"node '{node.name or node.op_type}' has no attribute '{spec.name}' and the "
                    "parameter has no default",
                    param=spec.name,
                )
            continue
        if isinstance(spec.default.value, FillDefault):
            continue
        values[spec.name] = _default_value(spec, input_rank, node.name or node.op_type)
    return values


def attribute_value(attr: onnx.AttributeProto, spec: TensorSpec, *, node: str = "") -> object:
    """One attribute as the value of param ``spec`` (raises :class:`NodeMappingError`)."""
    where = f"node '{node}': " if node else ""
    kind = spec.kind
    type_name = attribute_type_name(attr)

    def refuse(why: str) -> NodeMappingError:
        return NodeMappingError(
            f"{where}attribute '{spec.name}' ({type_name}) {why}", param=spec.name
        )

    floats_ok = any(d.is_float for d in spec.datatypes)
    dims = spec.rank.dims
    if kind is ParamKind.TENSOR:
        if attr.type in (AttributeProto.INTS, AttributeProto.FLOATS):
            if dims is not None and dims > 1:
                raise refuse(
                    f"gives a 1-D tensor; the parameter is {spec.rank.value} "
                    "(write a TENSOR attribute of that rank)"
                )
            if attr.type == AttributeProto.INTS:
                return [int(v) for v in attr.ints]
            if not floats_ok:
                raise refuse(f"holds floats; the parameter takes {_datatypes_text(spec)}")
            return [float(v) for v in attr.floats]
        if attr.type == AttributeProto.TENSOR:
            from onnx import numpy_helper

            array = numpy_helper.to_array(attr.t)
            if dims is not None and array.ndim != dims:
                raise refuse(f"has {array.ndim} dim(s); the parameter is {spec.rank.value}")
            if array.dtype.kind == "f" and not floats_ok:
                raise refuse(f"holds {array.dtype}; the parameter takes {_datatypes_text(spec)}")
            return array
        if attr.type in (AttributeProto.INT, AttributeProto.FLOAT):
            raise refuse(
                f"is a scalar; the parameter is a {spec.rank.value} tensor (write INTS or FLOATS)"
            )
        raise refuse(f"cannot give the tensor parameter ({spec.rank.value})")
    if attr.type in (AttributeProto.INTS, AttributeProto.FLOATS, AttributeProto.TENSOR):
        raise refuse("is a tensor; the parameter is a scalar")
    if attr.type == AttributeProto.INT:
        value = int(attr.i)
        if kind is ParamKind.BOOL:
            if value not in (0, 1):
                raise refuse(f"is {value}; the parameter is a boolean (0 or 1)")
            return bool(value)
        if kind is ParamKind.ENUM:
            if not 0 <= value < len(spec.enum_values):
                raise refuse(
                    f"is {value}, out of range for the enumeration "
                    f"{_enum_text(spec)} (0..{len(spec.enum_values) - 1})"
                )
            return value
        ranges = [r for r in (d.integer_range for d in spec.datatypes) if r is not None]
        if not ranges and floats_ok:
            return float(value)
        if ranges and not any(low <= value <= high for low, high in ranges):
            raise refuse(f"is {value}, outside the range of {_datatypes_text(spec)}")
        return value
    if attr.type == AttributeProto.FLOAT:
        if kind is ParamKind.SCALAR and floats_ok:
            return float(attr.f)
        raise refuse(f"is {attr.f!r}; the parameter takes {_datatypes_text(spec)}")
    if attr.type == AttributeProto.STRING and kind is ParamKind.ENUM:
        label = attr.s.decode("utf-8", errors="replace")
        if label not in spec.enum_values:
            raise refuse(f"is {label!r}, not one of {_enum_text(spec)}")
        return spec.enum_values.index(label)
    raise refuse(f"cannot give the scalar parameter ({_datatypes_text(spec)})")


def _enum_text(spec: TensorSpec) -> str:
    return "{" + ", ".join(spec.enum_values) + "}"


def _datatypes_text(spec: TensorSpec) -> str:
    return " or ".join(d.name for d in spec.datatypes) or "any datatype"


def _default_value(spec: TensorSpec, input_rank: int | None, node: str) -> object:
    assert spec.default is not None
    default = spec.default.value

    def element(item: object) -> object:
        if isinstance(item, RankExpr):
            if input_rank is None:
                raise NodeMappingError(
                    f"node '{node}': the default '{spec.default.text if spec.default else ''}' "
                    f"of parameter '{spec.name}' needs the rank of the first input, unknown",
                    param=spec.name,
                )
            return item.evaluate(input_rank)
        if spec.kind is ParamKind.BOOL and isinstance(item, int):
            return bool(item)
        return item

    def nested(item: Nested) -> Any:
        if isinstance(item, tuple):
            return [nested(i) for i in item]
        return element(item)

    if isinstance(default, ScalarDefault):
        return element(default.value)
    if isinstance(default, ListDefault):
        return nested(default.values)
    raise AssertionError("fill defaults are left out by the caller")
