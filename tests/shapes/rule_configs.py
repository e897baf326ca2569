"""Builders of OpDef XML with rules, one element per line so tests can find a rule's line;
`op_rules` loads one op through the real loader and gives its resolved rules."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import opgen
from opgen.config import ValidationResult, validate_configs
from opgen.model import OpDef
from opgen.shapes import rules_of
from opgen.shapes.oprules import OpRules
from tests import factories as f

F32 = "QNN_DATATYPE_FLOAT_32"


def tensor(
    tag: str,
    name: str,
    text: str | None = None,
    datatypes: Sequence[str] = (F32,),
    rank: str = "ND",
    constraints: Sequence[tuple[int, str, str, str | None]] = (),
    mandatory: bool = True,
    default: str | None = None,
    repeated: bool = False,
    dtype_rule: str | None = None,
    checks: Sequence[str] = (),
) -> str:
    """`constraints`: (id, Type, prose, code or None), written as given; `dtype_rule` and
    `checks` (plain text, escaped here) add Datatype and Shape constraints numbered from 901."""
    extra = [("Datatype", dtype_rule)] if dtype_rule else []
    extra += [("Shape", c) for c in checks]
    constraints = [
        *constraints,
        *((901 + i, kind, "rule", escape(code)) for i, (kind, code) in enumerate(extra)),
    ]
    lines = [f"<{tag}>", f"  <Name>{name}</Name>"]
    for cid, ctype, prose, code in constraints:
        body = prose + (f"<Code>{code}</Code>" if code is not None else "")
        lines.append(f'  <Constraint id="{cid}" Type="{ctype}">{body}</Constraint>')
    lines.append(f"  <Mandatory>{str(mandatory).lower()}</Mandatory>")
    lines += [f"  <Datatype>{d}</Datatype>" for d in datatypes]
    shape_text = f"<Text>{text}</Text>" if text is not None else ""
    lines.append(f"  <Shape><Rank>{rank}</Rank>{shape_text}</Shape>")
    if default is not None:
        lines.append(f"  <Default>{default}</Default>")
    if repeated:
        lines.append("  <Repeated>true</Repeated>")
    lines.append(f"</{tag}>")
    return "\n".join(lines)


def inp(name: str, text: str | None = None, **kw: object) -> str:
    return tensor("Input", name, text, **kw)  # type: ignore[arg-type]


def out(name: str, text: str | None = None, **kw: object) -> str:
    return tensor("Output", name, text, **kw)  # type: ignore[arg-type]


def param(
    name: str, datatype: str = "QNN_DATATYPE_INT_32", rank: str = "SCALAR", **kw: object
) -> str:
    return tensor("Parameter", name, datatypes=(datatype,), rank=rank, **kw)  # type: ignore[arg-type]


def op(name: str, *tensors: str, backend: str = "CPU") -> str:
    return "\n".join(
        [
            "<OpDef>",
            f"<Name>{name}</Name>",
            "<Description><Content>test op</Content></Description>",
            *tensors,
            f"<SupportedBackend>{backend}</SupportedBackend>",
            "</OpDef>",
        ]
    )


def config(*ops: str, supplementals: Sequence[str] = ()) -> str:
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<OpDefCollection PackageName="RulePkg" Domain="test" Version="1.0">',
            "<OpDefList>",
            *ops,
            "</OpDefList>",
            *supplementals,
            "</OpDefCollection>",
            "",
        ]
    )


def validate(tmp: Path, text: str, name: str = "rules.xml") -> ValidationResult:
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return validate_configs([path])


def locate(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """(line, column) of the `occurrence`-th `needle` in `text`, both 1-based."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def op_rules(
    inputs: Sequence[str], outputs: Sequence[str], params: Sequence[str] = (), name: str = "Op"
) -> tuple[OpDef, OpRules]:
    """An op of these tensors, loaded through the real loader, and its resolved rules."""
    with tempfile.TemporaryDirectory() as tmp:
        text = f.config("Pkg", [f.op(name, inputs=inputs, outputs=outputs, params=params)])
        (package,) = opgen.load_packages([f.write(Path(tmp), "Pkg.xml", text)])
    (op,) = package.ops
    return op, rules_of(op)
