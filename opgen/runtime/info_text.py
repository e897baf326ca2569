"""The text of `opgen info`: op signatures, rule lines, integration values, the detected target."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from opgen.model import OpDef
from opgen.runtime import dtypes
from opgen.runtime.errors import OpPackageError
from opgen.runtime.integration import Integration
from opgen.runtime.library import PackageSpec
from opgen.runtime.target import detect_target


def detected(package: str, configs: Sequence[Path]) -> str:
    """Why the target is what it is, when the user did not give it."""
    try:
        spec = PackageSpec.parse(package)
    except OpPackageError:
        return ""
    if spec.target is not None:
        return ""
    found = detect_target(spec.library, spec.provider, list(configs) or None)
    return f" (detected: {found.reason})"


def print_integration(wanted: Integration) -> None:
    for label, value in wanted.values:
        if "\n" in value:
            click.echo(f"{label}:")
            click.echo(value)
        else:
            click.echo(f"{label}: {value}")
    for warning in wanted.warnings:
        click.echo(f"warning: {warning}", err=True)


def rules(op: OpDef) -> list[str]:
    from opgen.shapes import rules_of
    from opgen.shapes.format import op_rules_lines

    return op_rules_lines(rules_of(op), tuple(t.name for t in op.inputs))


def signature(op: OpDef) -> str:
    def tensor(name: str, repeated: bool, mandatory: bool) -> str:
        return name + ("..." if repeated else "") + ("" if mandatory else "?")

    inputs = [tensor(t.name, t.repeated, t.mandatory) for t in op.inputs]
    params = []
    for p in op.params:
        text = f"{p.name}: {'|'.join(dtypes.short_name(d) for d in p.datatypes)}"
        if p.default is not None:
            text += f" = {p.default.text}"
        elif not p.mandatory:
            text += " (optional)"
        params.append(text)
    outputs = [tensor(t.name, t.repeated, t.mandatory) for t in op.outputs]
    args = ", ".join(inputs) + ("; " + ", ".join(params) if params else "")
    return f"{op.name}({args}) -> {', '.join(outputs)}"
