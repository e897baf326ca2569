"""Configs with rules, as users write them (Shape/Text, Constraint/Code), loaded through the real
loader; `op_rules` gives an op and its resolved rules (`opgen.shapes.rules_of`)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

import opgen
from opgen.model import OpDef
from opgen.shapes import rules_of
from opgen.shapes.oprules import OpRules
from tests import factories as f


def tensor(
    tag: str,
    name: str,
    rule: str | None = None,
    datatypes: Sequence[str] = ("QNN_DATATYPE_FLOAT_32",),
    rank: str = "ND",
    dtype_rule: str | None = None,
    checks: Sequence[str] = (),
    repeated: bool = False,
    mandatory: bool = True,
) -> str:
    constraints = []
    cid = 900
    for kind, code in [("Datatype", dtype_rule)] * bool(dtype_rule) + [
        ("Shape", c) for c in checks
    ]:
        cid += 1
        body = f"rule<Code>{escape(code or '')}</Code>"
        constraints.append(f'  <Constraint id="{cid}" Type="{kind}">{body}</Constraint>')
    lines = [f"<{tag}>", f"  <Name>{name}</Name>", *constraints]
    lines.append(f"  <Mandatory>{str(mandatory).lower()}</Mandatory>")
    lines += [f"  <Datatype>{d}</Datatype>" for d in datatypes]
    text = f"<Text>{escape(rule)}</Text>" if rule else ""
    lines.append(f"  <Shape><Rank>{rank}</Rank>{text}</Shape>")
    if repeated:
        lines.append("  <Repeated>true</Repeated>")
    lines.append(f"</{tag}>")
    return "\n".join(lines)


def inp(name: str, rule: str | None = None, **kw: object) -> str:
    return tensor("Input", name, rule, **kw)  # type: ignore[arg-type]


def outp(name: str, rule: str | None = None, **kw: object) -> str:
    return tensor("Output", name, rule, **kw)  # type: ignore[arg-type]


def load(ops: Sequence[str], package: str = "Pkg") -> dict[str, OpDef]:
    with tempfile.TemporaryDirectory() as tmp:
        (pkg,) = opgen.load_packages([f.write(Path(tmp), f"{package}.xml", f.config(package, ops))])
    return {op.name: op for op in pkg.ops}


def op_rules(
    inputs: Sequence[str], outputs: Sequence[str], params: Sequence[str] = (), name: str = "Op"
) -> tuple[OpDef, OpRules]:
    op = load([f.op(name, inputs=inputs, outputs=outputs, params=params)])[name]
    return op, rules_of(op)
