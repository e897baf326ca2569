"""Builders of OpDef XML with rules, one element per line so tests can find a rule's line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from opgen.config import ValidationResult, validate_configs

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
) -> str:
    """`constraints`: (id, Type, prose, code or None)."""
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
