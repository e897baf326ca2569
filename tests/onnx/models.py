"""Builders of OpDef configs and ONNX models for the ONNX tests (reusable by every ONNX test).

    cfg = write_config(tmp_path, [opdef("Scale", params=[param("alpha", default="1.0")])])
    nodes = [node("Scale", ["x"], ["y"], alpha=2.0)]
    model = make_model(nodes, {"x": (FLOAT, [1, 4])}, {"y": FLOAT})

Models are built with onnx.helper; nothing is downloaded. The config domain ``test.dom`` is
also the default node domain and is imported by :func:`make_model` unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
UINT8 = TensorProto.UINT8
INT64 = TensorProto.INT64
DOMAIN = "test.dom"
F32 = "QNN_DATATYPE_FLOAT_32"


def tensor(
    tag: str,
    name: str,
    datatypes: Sequence[str] = (F32,),
    rank: str = "ND",
    *,
    mandatory: bool = True,
    default: str | None = None,
    rule: str | None = None,
    enum: Sequence[str] = (),
    repeated: bool = False,
    static: bool = False,
) -> str:
    lines = [f"<{tag}>", f"<Name>{name}</Name>", f"<Mandatory>{str(mandatory).lower()}</Mandatory>"]
    lines += [f"<Datatype>{d}</Datatype>" for d in datatypes]
    text = f"<Text>{rule}</Text>" if rule else ""
    lines.append(f"<Shape><Rank>{rank}</Rank>{text}</Shape>")
    if default is not None:
        lines.append(f"<Default>{default}</Default>")
    if enum:
        lines.append(
            "<Enumeration>" + "".join(f"<Enum>{e}</Enum>" for e in enum) + "</Enumeration>"
        )
    if repeated:
        lines.append("<Repeated>true</Repeated>")
    if static:
        lines.append("<IsStaticTensor>true</IsStaticTensor>")
    lines.append(f"</{tag}>")
    return "".join(lines)


def inp(name: str = "in[0]", *datatypes: str, **kw: object) -> str:
    return tensor("Input", name, datatypes or (F32,), **kw)  # type: ignore[arg-type]


def out(
    name: str = "out[0]", *datatypes: str, rule: str | None = "= like(in[0])", **kw: object
) -> str:
    return tensor("Output", name, datatypes or (F32,), rule=rule, **kw)  # type: ignore[arg-type]


def param(
    name: str, datatype: str = F32, rank: str = "SCALAR", *, mandatory: bool = False, **kw: object
) -> str:
    return tensor("Parameter", name, (datatype,), rank, mandatory=mandatory, **kw)  # type: ignore[arg-type]


def opdef(
    name: str,
    inputs: Sequence[str] | None = None,
    outputs: Sequence[str] | None = None,
    params: Sequence[str] = (),
    backends: Sequence[str] = ("CPU",),
) -> str:
    return "".join(
        [
            "<OpDef>",
            f"<Name>{name}</Name>",
            "<Description><Content>test op</Content></Description>",
            *(inputs if inputs is not None else [inp()]),
            *(outputs if outputs is not None else [out()]),
            *params,
            *(f"<SupportedBackend>{b}</SupportedBackend>" for b in backends),
            "</OpDef>",
        ]
    )


def config_text(ops: Sequence[str], package: str = "TestPackage", domain: str = DOMAIN) -> str:
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<OpDefCollection PackageName="{package}" Domain="{domain}" Version="1.0">',
            "<OpDefList>",
            *ops,
            "</OpDefList>",
            "</OpDefCollection>",
            "",
        ]
    )


def write_config(directory: Path, ops: Sequence[str], name: str = "ops.xml", **kw: str) -> Path:
    path = directory / name
    path.write_text(config_text(ops, **kw), encoding="utf-8")
    return path


def node(
    op_type: str,
    inputs: Sequence[str],
    outputs: Sequence[str],
    *,
    name: str | None = None,
    domain: str = DOMAIN,
    **attributes: object,
) -> onnx.NodeProto:
    return helper.make_node(
        op_type, list(inputs), list(outputs), name=name or "", domain=domain, **attributes
    )


Types = Mapping[str, "int | tuple[int, Sequence[int | str] | None]"]
"""Tensor name -> elem type, or (elem type, shape)."""


def _infos(types: Types) -> list[onnx.ValueInfoProto]:
    infos = []
    for name, spec in types.items():
        elem, shape = spec if isinstance(spec, tuple) else (spec, None)
        infos.append(helper.make_tensor_value_info(name, elem, shape))
    return infos


def make_model(
    nodes: Sequence[onnx.NodeProto],
    inputs: Types,
    outputs: Types,
    *,
    initializers: Mapping[str, np.ndarray] = {},
    value_info: Types = {},  # noqa: B006
    domains: Iterable[str] = (DOMAIN,),
    opset: int = 17,
) -> onnx.ModelProto:
    graph = helper.make_graph(
        list(nodes),
        "test",
        _infos(inputs),
        _infos(outputs),
        initializer=[numpy_helper.from_array(a, n) for n, a in initializers.items()],
        value_info=_infos(value_info),
    )
    imports = [helper.make_opsetid("", opset), *(helper.make_opsetid(d, 1) for d in domains)]
    return helper.make_model(graph, opset_imports=imports)


def save(model: onnx.ModelProto, path: Path) -> Path:
    onnx.save(model, str(path))
    return path


def chain(
    count: int, op_type: str, shape: Sequence[int | str] = (1, 8), **attributes: object
) -> onnx.ModelProto:
    """``count`` custom nodes in a row: x -> t1 -> ... -> y."""
    names = ["x", *(f"t{i}" for i in range(1, count)), "y"]
    nodes = [
        node(op_type, [names[i]], [names[i + 1]], name=f"n{i}", **attributes) for i in range(count)
    ]
    return make_model(nodes, {"x": (FLOAT, list(shape))}, {"y": FLOAT})
