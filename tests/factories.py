"""Small builders of OpDef XML text for tests: readable configs without fixture files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def tensor(
    tag: str,
    name: str,
    datatypes: Sequence[str] = ("QNN_DATATYPE_FLOAT_32",),
    rank: str = "ND",
    mandatory: bool = True,
    default: str | None = None,
    layout: str | None = None,
    enum: Sequence[str] = (),
    repeated: bool | None = None,
) -> str:
    lines = [
        f"<{tag}>",
        f"  <Name>{name}</Name>",
        f"  <Mandatory>{str(mandatory).lower()}</Mandatory>",
    ]
    lines += [f"  <Datatype>{d}</Datatype>" for d in datatypes]
    shape = f"<Rank>{rank}</Rank>" + (f"<Layout>{layout}</Layout>" if layout else "")
    lines.append(f"  <Shape>{shape}</Shape>")
    if default is not None:
        lines.append(f"  <Default>{default}</Default>")
    if enum:
        lines.append(
            "  <Enumeration>" + "".join(f"<Enum>{e}</Enum>" for e in enum) + "</Enumeration>"
        )
    if repeated is not None:
        lines.append(f"  <Repeated>{str(repeated).lower()}</Repeated>")
    lines.append(f"</{tag}>")
    return "\n".join(lines)


def param(
    name: str, datatype: str = "QNN_DATATYPE_FLOAT_32", rank: str = "SCALAR", **kw: object
) -> str:
    return tensor("Parameter", name, (datatype,), rank, **kw)  # type: ignore[arg-type]


def op(
    name: str,
    backend: str | Sequence[str] = "CPU",
    inputs: Sequence[str] | None = None,
    outputs: Sequence[str] | None = None,
    params: Sequence[str] = (),
) -> str:
    body = [
        "<OpDef>",
        f"<Name>{name}</Name>",
        "<Description><Content>test op</Content></Description>",
        *(inputs if inputs is not None else [tensor("Input", "in[0]")]),
        *(outputs if outputs is not None else [tensor("Output", "out[0]")]),
        *params,
        *(
            f"<SupportedBackend>{b}</SupportedBackend>"
            for b in ([backend] if isinstance(backend, str) else backend)
        ),
        "</OpDef>",
    ]
    return "\n".join(body)


def config(
    package: str, ops: Sequence[str], supplementals: Sequence[str] = (), domain: str = "test"
) -> str:
    return "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<OpDefCollection PackageName="{package}" Domain="{domain}" Version="1.0">',
            "<OpDefList>",
            *ops,
            "</OpDefList>",
            *supplementals,
            "</OpDefCollection>",
            "",
        ]
    )


def write(directory: Path, filename: str, text: str) -> Path:
    path = directory / filename
    path.write_text(text, encoding="utf-8")
    return path
