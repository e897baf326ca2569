"""A config with rules and small ONNX models built with onnx.helper, for annotate and draft."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import onnx
from onnx import TensorProto, helper

from tests.onnx.models import make_model
from tests.shapes.rule_configs import inp, op, out, param

I32 = "QNN_DATATYPE_INT_32"
DOMAIN = "my.ops"

#: Grow: appends `pad` columns; Same: like in[0]; Mystery: user code; Pick: TopK-like with an
#: INT_32 second output; Quad: in[0]'s last dim must be a multiple of 4.
ANNOT_CONFIG = "\n".join(
    [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<OpDefCollection PackageName="AnnotPkg" Domain="{DOMAIN}" Version="1.0">',
        "<OpDefList>",
        op(
            "Grow",
            inp("in[0]", "= [B, C]", rank="2D"),
            out("out[0]", "= [B, C + pad]", rank="2D"),
            param("pad", default="1", mandatory=False),
        ),
        op("Same", inp("in[0]"), out("out[0]", "= like(in[0])")),
        op("Mystery", inp("in[0]"), out("out[0]", "= ?")),
        op(
            "Pick",
            inp("in[0]"),
            out("values", "= with(in[0], -1, k)"),
            out(
                "indices",
                "= with(in[0], -1, k)",
                datatypes=(I32,),
                constraints=((1, "Datatype", "positions", f"= {I32}"),),
            ),
            param("k", "QNN_DATATYPE_UINT_32"),
        ),
        op(
            "Quad",
            inp("in[0]", "= [M, K]", rank="2D"),
            out("out[0]", "= like(in[0])", rank="2D"),
            "\n".join(
                [
                    "<Parameter>",
                    "  <Name>unused</Name>",
                    '  <Constraint id="7" Type="Value">K divides by 4'
                    "<Code>require divisible(K, 4)</Code></Constraint>",
                    "  <Mandatory>false</Mandatory>",
                    f"  <Datatype>{I32}</Datatype>",
                    "  <Shape><Rank>SCALAR</Rank></Shape>",
                    "  <Default>0</Default>",
                    "</Parameter>",
                ]
            ),
        ),
        "</OpDefList>",
        "</OpDefCollection>",
        "",
    ]
)


def write_config(directory: Path, name: str = "annot.xml") -> Path:
    path = directory / name
    path.write_text(ANNOT_CONFIG, encoding="utf-8")
    return path


def model(
    nodes: Sequence[onnx.NodeProto],
    inputs: Sequence[tuple[str, int, Sequence[int | str] | None]],
    outputs: Sequence[tuple[str, int, Sequence[int | str] | None]],
    *,
    domains: Sequence[str] = (DOMAIN,),
) -> onnx.ModelProto:
    """A model over the given nodes; outputs with shape None carry only their dtype."""
    return make_model(
        nodes,
        {n: (t, s) for n, t, s in inputs},
        {n: (t, s) for n, t, s in outputs},
        domains=domains,
    )


def custom(
    op_type: str, inputs: Sequence[str], outputs: Sequence[str], **attrs: object
) -> onnx.NodeProto:
    return helper.make_node(
        op_type, list(inputs), list(outputs), name=f"n_{outputs[0]}", domain=DOMAIN, **attrs
    )


def native(
    op_type: str, inputs: Sequence[str], outputs: Sequence[str], **attrs: object
) -> onnx.NodeProto:
    return helper.make_node(op_type, list(inputs), list(outputs), name=f"n_{outputs[0]}", **attrs)


def chain(shape: Sequence[int | str]) -> onnx.ModelProto:
    """x -> Grow(pad=2) -> Relu -> Same -> Add(., .) -> Grow -> z: custom and native in turn."""
    nodes = [
        custom("Grow", ["x"], ["a"], pad=2),
        native("Relu", ["a"], ["b"]),
        custom("Same", ["b"], ["c"]),
        native("Add", ["c", "b"], ["d"]),
        custom("Grow", ["d"], ["z"]),
    ]
    return model(nodes, [("x", TensorProto.FLOAT, shape)], [("z", TensorProto.FLOAT, None)])


def save(m: onnx.ModelProto, path: Path) -> Path:
    onnx.save_model(m, str(path))
    return path


def shape_of(m: onnx.ModelProto, name: str) -> tuple[int | str | None, ...] | None:
    for v in (*m.graph.value_info, *m.graph.output, *m.graph.input):
        if v.name == name:
            t = v.type.tensor_type
            if not t.HasField("shape"):
                return None
            return tuple(
                d.dim_value if d.HasField("dim_value") else d.dim_param or None for d in t.shape.dim
            )
    return None


def elem_of(m: onnx.ModelProto, name: str) -> int:
    for v in (*m.graph.value_info, *m.graph.output):
        if v.name == name:
            return int(v.type.tensor_type.elem_type)
    return 0


def opgen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The opgen CLI as a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "opgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )
